#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
// glibc's allocator tuning (mallopt), which Swift's Glibc module does not include.
#include <malloc.h>
#endif
