#ifndef CLIBCRYPTO_SHIM_H
#define CLIBCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/rand.h>

/* SHA-256 of four byte ranges one after another, into `digest` (32 bytes), through libcrypto's
   direct SHA-256 functions: the EVP interface costs a provider look-up and set-up per digest
   (about 550 instructions, as much again as hashing a 300-byte record with SHA-NI), these
   none. OpenSSL 3 marks them deprecated in favour of EVP; they stay, and the warning is for
   this helper alone. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline int journey_sha256_parts(const void *a, size_t an, const void *b, size_t bn,
                                       const void *c, size_t cn, const void *d, size_t dn,
                                       unsigned char *digest) {
    SHA256_CTX context;
    return SHA256_Init(&context)
        && SHA256_Update(&context, a, an) && SHA256_Update(&context, b, bn)
        && SHA256_Update(&context, c, cn) && SHA256_Update(&context, d, dn)
        && SHA256_Final(digest, &context);
}
#pragma GCC diagnostic pop

#endif
