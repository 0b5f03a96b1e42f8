/*
 * Replaces libsodium 1.0.18's crypto_scalarmult/curve25519/scalarmult_curve25519.c in our build
 * (cmake/libsodium.cmake). Same functions, same results; one difference: the fixed-base
 * multiplication (crypto_scalarmult_curve25519_base, a public key from a secret key) runs the
 * Montgomery ladder on the base point u = 9 instead of the Edwards comb. The comb needs a 30 KiB
 * precomputed table that is pseudo-random and so does not compress (27.7 KiB of the module's
 * gzip size); the ladder is slower than the comb (two key pairs per session open: about 0.1 ms
 * more in Chromium, measured by scripts/bench). RFC 7748 §6.1: X25519(k, 9) is the
 * public key, so the bytes are identical (the RFC 9180 and Wycheproof suites check them).
 * Only the ladder is referenced, so the linker drops the comb and its table. No runtime CPU
 * dispatch: the AVX (sandy2x) variant is never compiled in this build.
 */
#include "crypto_scalarmult_curve25519.h"
#include "private/implementations.h"
#include "crypto_scalarmult/curve25519/scalarmult_curve25519.h"
#include "crypto_scalarmult/curve25519/ref10/x25519_ref10.h"

static const unsigned char basepoint[crypto_scalarmult_curve25519_BYTES] = { 9 };

int
crypto_scalarmult_curve25519(unsigned char *q, const unsigned char *n,
                             const unsigned char *p)
{
    size_t                 i;
    volatile unsigned char d = 0;

    if (crypto_scalarmult_curve25519_ref10_implementation.mult(q, n, p) != 0) {
        return -1;
    }
    for (i = 0; i < crypto_scalarmult_curve25519_BYTES; i++) {
        d |= q[i];
    }
    return -(1 & ((d - 1) >> 8)); /* -1 for an all-zero result, as upstream */
}

int
crypto_scalarmult_curve25519_base(unsigned char *q, const unsigned char *n)
{
    return crypto_scalarmult_curve25519(q, n, basepoint);
}

size_t
crypto_scalarmult_curve25519_bytes(void)
{
    return crypto_scalarmult_curve25519_BYTES;
}

size_t
crypto_scalarmult_curve25519_scalarbytes(void)
{
    return crypto_scalarmult_curve25519_SCALARBYTES;
}

int
_crypto_scalarmult_curve25519_pick_best_implementation(void)
{
    return 0;
}
