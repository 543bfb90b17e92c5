// ReadStat, the C library behind R's haven and Python's pyreadstat, from Debian's libreadstat-dev.
#include <readstat.h>
