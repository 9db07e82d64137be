/* SHA-256 (FIPS 180-4): a portable C compression function and, on x86-64 CPUs that have them, one using the
 * SHA extensions (SHA-NI), chosen at run time with cpuid. The accelerated function is compiled for those
 * instructions by a target attribute, so the rest of the build needs no special flags. */
#include "chash.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CHASH_X86_64 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t H0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* Compresses `blocks` 64-byte blocks into `state`, in portable C. */
static void compress_portable(uint32_t state[8], const uint8_t *p, size_t blocks) {
    uint32_t w[64];
    while (blocks--) {
        for (int i = 0; i < 16; i++) {
            w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
                   (uint32_t)p[4 * i + 3];
        }
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
        p += 64;
    }
}

#ifdef CHASH_X86_64

/* Four rounds with message words CUR; when asked, also extends the schedule: NEXT gets its sha256msg2 step
 * (rounds 12-59) and PREV its sha256msg1 step (rounds 4-51). */
#define QROUND(g, CUR, PREV, NEXT, MSG2, MSG1)                                   \
    do {                                                                         \
        msg = _mm_add_epi32(CUR, _mm_loadu_si128((const __m128i *)&K[4 * (g)])); \
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);                     \
        if (MSG2) {                                                              \
            tmp = _mm_alignr_epi8(CUR, PREV, 4);                                 \
            NEXT = _mm_add_epi32(NEXT, tmp);                                     \
            NEXT = _mm_sha256msg2_epu32(NEXT, CUR);                              \
        }                                                                        \
        msg = _mm_shuffle_epi32(msg, 0x0E);                                      \
        state0 = _mm_sha256rnds2_epu32(state0, state1, msg);                     \
        if (MSG1) PREV = _mm_sha256msg1_epu32(PREV, CUR);                        \
    } while (0)

/* Compresses `blocks` 64-byte blocks into `state` with the SHA extensions. */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_shani(uint32_t state[8], const uint8_t *p, size_t blocks) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);            /* CDAB */
    state1 = _mm_shuffle_epi32(state1, 0x1B);      /* EFGH */
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8); /* ABEF */
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);   /* CDGH */
    while (blocks--) {
        const __m128i abef = state0, cdgh = state1;
        __m128i msg;
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 0)), swap);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), swap);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), swap);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), swap);
        QROUND(0, m0, m3, m1, 0, 0);
        QROUND(1, m1, m0, m2, 0, 1);
        QROUND(2, m2, m1, m3, 0, 1);
        QROUND(3, m3, m2, m0, 1, 1);
        QROUND(4, m0, m3, m1, 1, 1);
        QROUND(5, m1, m0, m2, 1, 1);
        QROUND(6, m2, m1, m3, 1, 1);
        QROUND(7, m3, m2, m0, 1, 1);
        QROUND(8, m0, m3, m1, 1, 1);
        QROUND(9, m1, m0, m2, 1, 1);
        QROUND(10, m2, m1, m3, 1, 1);
        QROUND(11, m3, m2, m0, 1, 1);
        QROUND(12, m0, m3, m1, 1, 1);
        QROUND(13, m1, m0, m2, 1, 0);
        QROUND(14, m2, m1, m3, 1, 0);
        QROUND(15, m3, m2, m0, 0, 0);
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
        p += 64;
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);         /* FEBA */
    state1 = _mm_shuffle_epi32(state1, 0xB1);      /* DCHG */
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);   /* DCBA */
    state1 = _mm_alignr_epi8(state1, tmp, 8);      /* HGFE */
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}

/* cpuid: SHA (leaf 7 EBX bit 29), SSE4.1 (leaf 1 ECX bit 19), SSSE3 (leaf 1 ECX bit 9). */
static int detect_shani(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 19)) || !(c & (1u << 9))) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & (1u << 29)) != 0;
}

int chash_sha256_accelerated_available(void) {
    static int cached = -1; /* the answer never changes, so a racy first computation is harmless */
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v < 0) {
        v = detect_shani();
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
}

#else

int chash_sha256_accelerated_available(void) { return 0; }

#endif

static void compress(chash_sha256 *ctx, const uint8_t *p, size_t blocks) {
#ifdef CHASH_X86_64
    if (ctx->accelerated) { compress_shani(ctx->state, p, blocks); return; }
#endif
    compress_portable(ctx->state, p, blocks);
}

void chash_sha256_init(chash_sha256 *ctx, int allow_accelerated) {
    memcpy(ctx->state, H0, sizeof H0);
    ctx->length = 0;
    ctx->used = 0;
    ctx->accelerated = allow_accelerated && chash_sha256_accelerated_available() ? 1 : 0;
}

void chash_sha256_update(chash_sha256 *ctx, const void *bytes, size_t count) {
    const uint8_t *p = (const uint8_t *)bytes;
    ctx->length += count;
    if (ctx->used > 0) {
        size_t take = 64 - ctx->used;
        if (take > count) take = count;
        memcpy(ctx->buffer + ctx->used, p, take);
        ctx->used += (uint32_t)take;
        p += take;
        count -= take;
        if (ctx->used < 64) return;
        compress(ctx, ctx->buffer, 1);
        ctx->used = 0;
    }
    if (count >= 64) {
        size_t blocks = count / 64;
        compress(ctx, p, blocks);
        p += blocks * 64;
        count -= blocks * 64;
    }
    if (count > 0) {
        memcpy(ctx->buffer, p, count);
        ctx->used = (uint32_t)count;
    }
}

void chash_sha256_final(chash_sha256 *ctx, uint8_t digest[32]) {
    uint64_t bits = ctx->length * 8;
    uint8_t pad[72];
    size_t padLength = (ctx->used < 56 ? 56 : 120) - ctx->used;
    memset(pad, 0, sizeof pad);
    pad[0] = 0x80;
    for (int i = 0; i < 8; i++) pad[padLength + i] = (uint8_t)(bits >> (56 - 8 * i));
    uint64_t length = ctx->length;
    chash_sha256_update(ctx, pad, padLength + 8);
    ctx->length = length;
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(ctx->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)ctx->state[i];
    }
}
