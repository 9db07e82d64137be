#ifndef CHASH_H
#define CHASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Streaming SHA-256 (FIPS 180-4) state. Plain data: copying it copies the hash in progress.
typedef struct {
    uint32_t state[8];
    uint64_t length;      /* bytes hashed so far */
    uint8_t buffer[64];   /* a partial block */
    uint32_t used;        /* bytes in buffer */
    uint32_t accelerated; /* 1: compress with the x86-64 SHA extensions */
} chash_sha256;

/// Starts a hash. `allow_accelerated` 0 forces the portable C code (tests compare both paths); otherwise the
/// SHA extensions are used when the CPU has them.
void chash_sha256_init(chash_sha256 *ctx, int allow_accelerated);

/// Adds `count` bytes.
void chash_sha256_update(chash_sha256 *ctx, const void *bytes, size_t count);

/// Finishes the hash and writes the 32-byte digest. The state must be initialised again before reuse.
void chash_sha256_final(chash_sha256 *ctx, uint8_t digest[32]);

/// 1 when this CPU has the SHA extensions (SHA-NI) and this build can use them.
int chash_sha256_accelerated_available(void);

#ifdef __cplusplus
}
#endif

#endif
