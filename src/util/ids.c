/* ids: time-ordered random ids, secrets and their hashes (see ids.h). */
#include "util/ids.h"

#include <sodium.h>
#include <string.h>

#include "util/clock.h"

static const char b32[] = "0123456789abcdefghjkmnpqrstvwxyz";

void id_make(const char *prefix, uint64_t ms, const unsigned char random[10], char out[ID_MAX])
{
    unsigned char raw[16];
    for (int i = 5; i >= 0; i--) {
        raw[i] = (unsigned char)(ms & 0xff);
        ms >>= 8;
    }
    memcpy(raw + 6, random, 10);
    size_t n = strlen(prefix);
    if (n > ID_MAX - 28)
        n = ID_MAX - 28;
    memcpy(out, prefix, n);
    out[n++] = '_';
    /* 128 bits as 26 base32 digits, most significant first */
    unsigned acc = 0;
    int bits = 2; /* pad the top so 130 bits divide into 26 digits */
    for (int i = 0; i < 16; i++) {
        acc = (acc << 8) | raw[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[n++] = b32[(acc >> bits) & 31];
        }
    }
    out[n] = '\0';
}

void id_new(const char *prefix, char out[ID_MAX])
{
    unsigned char rnd[10];
    randombytes_buf(rnd, sizeof rnd);
    id_make(prefix, (uint64_t)clock_real_ms(), rnd, out);
}

void id_secret(size_t bytes, char *out, size_t outlen)
{
    unsigned char raw[64];
    if (bytes > sizeof raw)
        bytes = sizeof raw;
    randombytes_buf(raw, bytes);
    sodium_bin2base64(out, outlen, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void id_hash_secret(const char *s, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int id_valid(const char *s)
{
    const char *u = strchr(s, '_');
    if (!u || u == s || strlen(u + 1) != 26 || strlen(s) >= ID_MAX)
        return 0;
    for (const char *p = s; p < u; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '-'))
            return 0;
    for (const char *p = u + 1; *p; p++)
        if (!strchr(b32, *p))
            return 0;
    return 1;
}
