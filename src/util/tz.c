/* tz: TZif reader, zone cache and local-time conversions (see tz.h). */
#include "util/tz.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/tz_rule.h"

#define TZ_FILE_MAX (256 * 1024) /* the largest file in tzdata is under 10 KiB */
#define TZ_T_MAX ((int64_t)1 << 48)
#define DAY 86400

struct tz {
    char name[TZ_NAME_MAX + 1];
    size_t ntrans;
    int64_t *trans;     /* ascending */
    int32_t *trans_off; /* the offset from trans[i] on */
    int32_t first_off;  /* before trans[0]: time type 0 (RFC 8536 section 3.2) */
    int has_rule;       /* the footer applies from the last transition on; else trans_off[ntrans - 1] */
    tz_rule rule;
    struct tz *next;    /* the cache's list */
};

static const tz tz_utc = {.name = "UTC"};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static tz *cache;

static int64_t clamp(int64_t t)
{
    return t < -TZ_T_MAX ? -TZ_T_MAX : t > TZ_T_MAX ? TZ_T_MAX : t;
}

/* --- lookups ------------------------------------------------------------------------------------------ */

/* The index of the last transition at or before t, or -1. */
static long last_at_or_before(const tz *z, int64_t t)
{
    size_t lo = 0, hi = z->ntrans; /* answer + 1 lies in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

int tz_offset(const tz *z, int64_t t)
{
    t = clamp(t);
    if (z->ntrans == 0)
        return z->has_rule ? tz_rule_offset(&z->rule, t) : z->first_off;
    long i = last_at_or_before(z, t);
    if (i < 0)
        return z->first_off;
    if ((size_t)i == z->ntrans - 1 && z->has_rule)
        return tz_rule_offset(&z->rule, t);
    return z->trans_off[i];
}

int64_t tz_next_change(const tz *z, int64_t t)
{
    t = clamp(t);
    int now = tz_offset(z, t);
    if (z->ntrans > 0 && t < z->trans[z->ntrans - 1]) {
        /* Some transitions change only the abbreviation or the DST flag: skip those. */
        for (size_t i = (size_t)(last_at_or_before(z, t) + 1); i < z->ntrans; i++)
            if (tz_offset(z, z->trans[i]) != now)
                return z->trans[i];
        t = z->trans[z->ntrans - 1];
    }
    if (!z->has_rule)
        return INT64_MAX;
    int64_t next = tz_rule_next_change(&z->rule, t);
    return next > TZ_T_MAX ? INT64_MAX : next;
}

/* Where the wall clock reads `local`: *earliest is the earliest instant that does (overlaps have two), or
 * in a gap the forward mapping, with the change itself in *gap_change; returns 1 in a gap. Offsets are
 * sampled a day either side, so this assumes no two changes within about two days of each other, as in
 * real zones, whose changes are weeks or months apart. */
static int resolve(const tz *z, int64_t local, int64_t *earliest, int64_t *gap_change)
{
    local = clamp(local);
    int o1 = tz_offset(z, local - DAY), o2 = tz_offset(z, local + DAY);
    int64_t u1 = local - o1, u2 = local - o2;
    int v1 = tz_offset(z, u1) == o1, v2 = tz_offset(z, u2) == o2;
    if (v1 || v2) {
        *earliest = v1 && v2 ? (u1 < u2 ? u1 : u2) : v1 ? u1 : u2;
        return 0;
    }
    /* A gap: the clock jumped from before `local` (offset o1) to after it (o2 > o1), at an instant in
     * (u2, u1]. */
    *earliest = u1;
    int64_t change = tz_next_change(z, u2 < u1 ? u2 : u1);
    *gap_change = change <= u1 ? change : u1;
    return 1;
}

int64_t tz_local_to_utc(const tz *z, int64_t local)
{
    int64_t u, change;
    resolve(z, local, &u, &change);
    return u;
}

int64_t tz_local_reached(const tz *z, int64_t local)
{
    int64_t u, change;
    return resolve(z, local, &u, &change) ? change : u;
}

/* --- TZif files --------------------------------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_header {
    char version; /* 0, '2', '3', '4' */
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_header;

static int read_header(const unsigned char *p, size_t n, tzif_header *h)
{
    if (n < 44 || memcmp(p, "TZif", 4))
        return -1;
    h->version = (char)p[4];
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    /* RFC 8536 3.1; leap-second ("right/") zones count TAI-like seconds, which our clock does not. */
    if (h->typecnt == 0 || h->typecnt > 256 || h->charcnt == 0 || h->leapcnt != 0 || h->timecnt > TZ_FILE_MAX ||
        h->charcnt > TZ_FILE_MAX || (h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
        (h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
        return -1;
    return 0;
}

static size_t block_size(const tzif_header *h, size_t time_size)
{
    return h->timecnt * time_size + h->timecnt + h->typecnt * 6 + h->charcnt + h->leapcnt * (time_size + 4) +
           h->isstdcnt + h->isutcnt;
}

/* Fills z from the data block at p (time_size 4 for version 1, 8 for later ones). */
static int read_block(const unsigned char *p, const tzif_header *h, size_t time_size, tz *z)
{
    const unsigned char *times = p, *idx = p + h->timecnt * time_size, *types = idx + h->timecnt;
    int32_t off[256];
    for (uint32_t i = 0; i < h->typecnt; i++) {
        int32_t o = (int32_t)be32(types + 6 * i);
        if (o < -89999 || o > 93599 || types[6 * i + 4] > 1 || types[6 * i + 5] >= h->charcnt)
            return -1;
        off[i] = o;
    }
    z->first_off = off[0];
    z->ntrans = h->timecnt;
    if (h->timecnt) {
        z->trans = malloc(h->timecnt * sizeof *z->trans);
        z->trans_off = malloc(h->timecnt * sizeof *z->trans_off);
        if (!z->trans || !z->trans_off)
            return -1;
    }
    for (uint32_t i = 0; i < h->timecnt; i++) {
        z->trans[i] = time_size == 8 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
        if (idx[i] >= h->typecnt || (i > 0 && z->trans[i] <= z->trans[i - 1]))
            return -1;
        z->trans_off[i] = off[idx[i]];
    }
    return 0;
}

/* Parses a whole TZif file into z; returns 0 or -1. */
static int parse_tzif(const unsigned char *p, size_t n, tz *z)
{
    tzif_header h;
    if (read_header(p, n, &h))
        return -1;
    size_t v1 = 44 + block_size(&h, 4);
    if (v1 > n)
        return -1;
    if (h.version == 0) /* version 1: 32-bit times and no rule */
        return read_block(p + 44, &h, 4, z);
    p += v1;
    n -= v1;
    if (read_header(p, n, &h) || 44 + block_size(&h, 8) > n)
        return -1;
    if (read_block(p + 44, &h, 8, z))
        return -1;
    const char *footer = (const char *)p + 44 + block_size(&h, 8);
    const char *end = (const char *)p + n;
    if (footer >= end || *footer != '\n')
        return -1;
    footer++;
    const char *nl = memchr(footer, '\n', (size_t)(end - footer));
    if (!nl)
        return -1;
    if (nl == footer) /* an empty footer: the last transition's offset goes on for ever */
        return 0;
    if (tz_rule_parse(footer, (size_t)(nl - footer), &z->rule))
        return -1;
    z->has_rule = 1;
    return 0;
}

static int read_file(const char *path, unsigned char **data, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    unsigned char *buf = NULL;
    size_t got = 0;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > TZ_FILE_MAX)
        goto fail;
    buf = malloc((size_t)st.st_size + 1);
    if (!buf)
        goto fail;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            goto fail;
        got += (size_t)r;
    }
    close(fd);
    *data = buf;
    *size = got;
    return 0;
fail:
    free(buf);
    close(fd);
    return -1;
}

static void tz_free(tz *z)
{
    free(z->trans);
    free(z->trans_off);
    free(z);
}

/* The zone from its file, or NULL when there is none or it is not a valid TZif file. */
static tz *load(const char *name)
{
    const char *dir = getenv("TZDIR");
    char path[4096];
    unsigned char *data;
    size_t size;
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    int len = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= sizeof path || read_file(path, &data, &size))
        return NULL;
    tz *z = calloc(1, sizeof *z);
    if (z && parse_tzif(data, size, z)) {
        tz_free(z);
        z = NULL;
    }
    free(data);
    if (z)
        snprintf(z->name, sizeof z->name, "%s", name);
    return z;
}

static int name_ok(const char *s)
{
    size_t n = strnlen(s, TZ_NAME_MAX + 1);
    if (n == 0 || n > TZ_NAME_MAX || s[0] == '/' || strstr(s, ".."))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '+' ||
              c == '-' || c == '/'))
            return 0;
    }
    return 1;
}

const tz *tz_get(const char *name, err_t *e)
{
    if (!name || !name_ok(name)) {
        err_set(e, E_INVALID_VALUE, "time_zone", "unknown time zone: %.*s", TZ_NAME_MAX, name ? name : "(none)");
        return NULL;
    }
    if (!strcmp(name, "UTC") || !strcmp(name, "Etc/UTC"))
        return &tz_utc;
    pthread_mutex_lock(&cache_lock);
    tz *z = cache;
    while (z && strcmp(z->name, name))
        z = z->next;
    if (!z) { /* loading under the lock is fine: it happens once per zone */
        z = load(name);
        if (z) {
            z->next = cache;
            cache = z;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    if (!z)
        err_set(e, E_INVALID_VALUE, "time_zone", "unknown time zone: %s", name);
    return z;
}

void tz_cleanup(void)
{
    pthread_mutex_lock(&cache_lock);
    while (cache) {
        tz *next = cache->next;
        tz_free(cache);
        cache = next;
    }
    pthread_mutex_unlock(&cache_lock);
}
