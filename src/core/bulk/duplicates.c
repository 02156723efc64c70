/* duplicates: the finder (see duplicates.h). Merging and its undo are in merge.c. */
#include "core/bulk/duplicates.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/engine/record.h"

/* Groups larger than this (a switchboard number many contacts share) say little and would make
 * n² pairs: they are left out. */
#define GROUP_MAX 20
/* Contacts of one client compared name by name, at most this many per client. */
#define CLIENT_CONTACTS_MAX 200

enum reason { R_EMAIL, R_PHONE, R_DOMAIN, R_NAME, R_SIMILAR_NAME, R_COUNT };
static const char *const REASON_NAMES[R_COUNT] = {"same_email", "same_phone", "same_domain", "same_name",
                                                   "similar_name"};
static const double REASON_WEIGHTS[R_COUNT] = {0.9, 0.7, 0.5, 0.6, 0.5};

typedef struct rec {
    char *id, *name, *email, *phone, *extra; /* extra: a client's website, a contact's client_id */
} rec;

typedef struct keyed {
    char *key;
    int idx;
    int reason;
} keyed;

typedef struct pair {
    int a, b; /* a < b: the older record first (ids sort by creation) */
    unsigned reasons;
    const char *why[R_COUNT]; /* the shared value, borrowed from a key */
} pair;

typedef struct finder {
    rec *recs;
    int nrecs, cap;
    keyed *keys;
    int nkeys, keycap;
    pair *pairs;
    int npairs, paircap;
} finder;

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

static void read_rec(void *ctx, db_stmt *s)
{
    finder *f = ctx;
    if (f->nrecs == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 256;
        f->recs = realloc(f->recs, (size_t)f->cap * sizeof *f->recs);
    }
    rec *r = &f->recs[f->nrecs++];
    r->id = strdup(db_col_text(s, 0, NULL));
    r->name = dup_or_null(db_col_text(s, 1, NULL));
    r->email = dup_or_null(db_col_text(s, 2, NULL));
    r->phone = dup_or_null(db_col_text(s, 3, NULL));
    r->extra = dup_or_null(db_col_text(s, 4, NULL));
}

static void add_key(finder *f, int idx, int reason, char *key)
{
    if (!key || !*key) {
        free(key);
        return;
    }
    if (f->nkeys == f->keycap) {
        f->keycap = f->keycap ? f->keycap * 2 : 512;
        f->keys = realloc(f->keys, (size_t)f->keycap * sizeof *f->keys);
    }
    f->keys[f->nkeys++] = (keyed){key, idx, reason};
}

static char *lower_trim(const char *s)
{
    if (!s)
        return NULL;
    while (isspace((unsigned char)*s))
        s++;
    char *out = strdup(s);
    size_t n = strlen(out);
    while (n && isspace((unsigned char)out[n - 1]))
        out[--n] = '\0';
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* A phone's last nine digits: "+44 20 7946 0958" and "020 7946 0958" meet; short numbers do not count. */
static char *phone_key(const char *s)
{
    if (!s)
        return NULL;
    char digits[64];
    size_t n = 0;
    for (; *s && n < sizeof digits - 1; s++)
        if (isdigit((unsigned char)*s))
            digits[n++] = *s;
    digits[n] = '\0';
    return n >= 9 ? strdup(digits + n - 9) : NULL;
}

static int free_mail(const char *domain)
{
    static const char *const common[] = {"gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com",
                                         "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
                                         "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de",
                                         "mail.ru", "yandex.ru", "fastmail.com", "hey.com", "zoho.com", NULL};
    for (int i = 0; common[i]; i++)
        if (!strcmp(domain, common[i]))
            return 1;
    return 0;
}

/* A company's domain from its website ("https://www.acme.example/about" → "acme.example") or, when the
 * address is not a free mail provider's, from its email. */
static char *domain_key(const char *website, const char *email)
{
    char *d = NULL;
    if (website) {
        char *w = lower_trim(website), *p = w;
        if (!strncmp(p, "http://", 7))
            p += 7;
        else if (!strncmp(p, "https://", 8))
            p += 8;
        if (!strncmp(p, "www.", 4))
            p += 4;
        p[strcspn(p, "/:?#")] = '\0';
        d = strchr(p, '.') ? strdup(p) : NULL;
        free(w);
    }
    if (!d && email && strchr(email, '@')) {
        char *m = lower_trim(strchr(email, '@') + 1);
        if (strchr(m, '.') && !free_mail(m))
            d = m;
        else
            free(m);
    }
    return d;
}

/* A name for comparing: lower case, punctuation as spaces, one space between words, no legal suffix
 * ("Acme Ltd." = "ACME limited" = "acme"), no leading "the". */
static char *name_key(const char *s)
{
    if (!s)
        return NULL;
    static const char *const legal[] = {"ltd", "limited", "llc", "llp", "inc", "incorporated", "corp", "corporation",
                                        "co", "company", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "pty",
                                        "srl", "spa", "oy", "ab", "as", "kg", "ug", NULL};
    char *out = malloc(strlen(s) + 1);
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int keep = isalnum(*p) || *p >= 0x80;
        if (keep)
            out[n++] = (char)tolower(*p);
        else if (n && out[n - 1] != ' ')
            out[n++] = ' ';
    }
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    for (int changed = 1; changed;) { /* "acme holdings co ltd": every trailing legal word */
        changed = 0;
        char *last = strrchr(out, ' ');
        for (int i = 0; last && legal[i]; i++)
            if (!strcmp(last + 1, legal[i])) {
                *last = '\0';
                changed = 1;
                break;
            }
    }
    if (!strncmp(out, "the ", 4))
        memmove(out, out + 4, strlen(out + 4) + 1);
    if (strlen(out) < 2) {
        free(out);
        return NULL;
    }
    return out;
}

static char *prefixed(const char *prefix, char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(prefix) + strlen(s) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%s%s", prefix, s);
    free(s);
    return out;
}

static void add_pair(finder *f, int a, int b, int reason, const char *why)
{
    if (a == b)
        return;
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    if (f->npairs == f->paircap) {
        f->paircap = f->paircap ? f->paircap * 2 : 256;
        f->pairs = realloc(f->pairs, (size_t)f->paircap * sizeof *f->pairs);
    }
    pair *p = &f->pairs[f->npairs++];
    memset(p, 0, sizeof *p);
    p->a = a;
    p->b = b;
    p->reasons = 1u << reason;
    p->why[reason] = why;
}

static int by_key(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = a->reason - b->reason;
    return c ? c : strcmp(a->key, b->key);
}

static int by_records(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    return a->a != b->a ? a->a - b->a : a->b - b->b;
}

static double score(const pair *p)
{
    double miss = 1;
    for (int r = 0; r < R_COUNT; r++)
        if (p->reasons & (1u << r))
            miss *= 1 - REASON_WEIGHTS[r];
    return 1 - miss;
}

static int by_score(const void *x, const void *y)
{
    double a = score(x), b = score(y);
    if (a != b)
        return a < b ? 1 : -1;
    return by_records(x, y);
}

/* Classic two-row edit distance, stopping early once it is past max. */
static int edit_distance(const char *a, const char *b, int max)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (abs(la - lb) > max || lb > 255)
        return max + 1;
    int prev[256], cur[256];
    for (int j = 0; j <= lb; j++)
        prev[j] = j;
    for (int i = 1; i <= la; i++) {
        cur[0] = i;
        int best = cur[0];
        for (int j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (cur[j] < best)
                best = cur[j];
        }
        if (best > max)
            return max + 1;
        memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
    }
    return prev[lb];
}

/* Contacts of one client whose names differ by a typo or two ("Jon Smith", "John Smith"). */
static void similar_names(finder *f, char **names)
{
    /* records arrive ordered by client, then id: walk each client's run */
    for (int start = 0; start < f->nrecs;) {
        int end = start + 1;
        while (end < f->nrecs && f->recs[start].extra && f->recs[end].extra &&
               !strcmp(f->recs[start].extra, f->recs[end].extra))
            end++;
        if (f->recs[start].extra && end - start <= CLIENT_CONTACTS_MAX)
            for (int i = start; i < end; i++)
                for (int j = i + 1; j < end; j++)
                    if (names[i] && names[j] && strlen(names[i]) >= 4 && strcmp(names[i], names[j]) &&
                        edit_distance(names[i], names[j], 2) <= 2)
                        add_pair(f, i, j, R_SIMILAR_NAME, f->recs[j].name);
        start = end;
    }
}

static void finder_free(finder *f)
{
    for (int i = 0; i < f->nrecs; i++) {
        free(f->recs[i].id);
        free(f->recs[i].name);
        free(f->recs[i].email);
        free(f->recs[i].phone);
        free(f->recs[i].extra);
    }
    for (int i = 0; i < f->nkeys; i++)
        free(f->keys[i].key);
    free(f->recs);
    free(f->keys);
    free(f->pairs);
}

static void emit_side(strbuf *out, const rec *r)
{
    strbuf_adds(out, "{\"id\":");
    strbuf_add_json_str(out, r->id);
    strbuf_adds(out, ",\"name\":");
    if (r->name)
        strbuf_add_json_str(out, r->name);
    else
        strbuf_adds(out, "null");
    strbuf_adds(out, "}");
}

int duplicates_find(db *d, const actor *who, const entity *en, int limit, strbuf *out, err_t *e)
{
    int contacts = !strcmp(en->name, "contacts");
    if (!contacts && strcmp(en->name, "clients"))
        return err_set(e, E_INVALID_PARAMETER, "entity", "duplicates are found among clients or contacts");
    int rc = access_check(who, en, OP_LIST, NULL, e);
    if (rc < 0)
        return rc;
    finder f = {0};
    const char *args[] = {who->workspace_id};
    rc = db_query_each(d, e,
                       contacts ? "SELECT id, TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')), email, "
                                  "phone, client_id FROM contacts WHERE workspace_id = ? ORDER BY client_id, id"
                                : "SELECT id, name, email, phone, website FROM clients WHERE workspace_id = ? ORDER BY id",
                       1, args, read_rec, &f);
    if (rc < 0) {
        finder_free(&f);
        return rc;
    }
    char **names = calloc((size_t)f.nrecs + 1, sizeof *names);
    for (int i = 0; i < f.nrecs; i++) {
        rec *r = &f.recs[i];
        names[i] = name_key(r->name);
        add_key(&f, i, R_EMAIL, lower_trim(r->email));
        add_key(&f, i, R_PHONE, phone_key(r->phone));
        if (!contacts)
            add_key(&f, i, R_DOMAIN, domain_key(r->extra, r->email));
        /* a contact's name counts within its client; a client's across the workspace */
        if (names[i])
            add_key(&f, i, R_NAME,
                    contacts ? (r->extra ? prefixed(r->extra, prefixed("|", strdup(names[i]))) : NULL)
                             : strdup(names[i]));
    }
    if (f.nkeys) /* qsort may not be given NULL, even for nothing */
        qsort(f.keys, (size_t)f.nkeys, sizeof *f.keys, by_key);
    for (int start = 0; start < f.nkeys;) {
        int end = start + 1;
        while (end < f.nkeys && !by_key(&f.keys[start], &f.keys[end]))
            end++;
        if (end - start <= GROUP_MAX)
            for (int i = start; i < end; i++)
                for (int j = i + 1; j < end; j++) {
                    const char *why = f.keys[i].reason == R_NAME && contacts ? f.recs[f.keys[j].idx].name
                                      : f.keys[i].reason == R_PHONE ? f.recs[f.keys[j].idx].phone
                                                                    : f.keys[i].key;
                    add_pair(&f, f.keys[i].idx, f.keys[j].idx, f.keys[i].reason, why);
                }
        start = end;
    }
    if (contacts)
        similar_names(&f, names);
    /* one pair per two records, with every reason they share */
    if (f.npairs)
        qsort(f.pairs, (size_t)f.npairs, sizeof *f.pairs, by_records);
    int n = 0;
    for (int i = 0; i < f.npairs; i++) {
        if (n && f.pairs[n - 1].a == f.pairs[i].a && f.pairs[n - 1].b == f.pairs[i].b) {
            for (int r = 0; r < R_COUNT; r++)
                if (f.pairs[i].reasons & (1u << r)) {
                    f.pairs[n - 1].reasons |= 1u << r;
                    f.pairs[n - 1].why[r] = f.pairs[i].why[r];
                }
        } else {
            f.pairs[n++] = f.pairs[i];
        }
    }
    if (n)
        qsort(f.pairs, (size_t)n, sizeof *f.pairs, by_score);
    strbuf_adds(out, "{\"data\":[");
    for (int i = 0; i < n && i < limit; i++) {
        pair *p = &f.pairs[i];
        strbuf_adds(out, i ? ",{\"a\":" : "{\"a\":");
        emit_side(out, &f.recs[p->a]);
        strbuf_adds(out, ",\"b\":");
        emit_side(out, &f.recs[p->b]);
        strbuf_addf(out, ",\"score\":%.2f,\"reasons\":[", score(p));
        int first = 1;
        for (int r = 0; r < R_COUNT; r++) {
            if (!(p->reasons & (1u << r)))
                continue;
            strbuf_adds(out, first ? "{\"kind\":" : ",{\"kind\":");
            first = 0;
            strbuf_add_json_str(out, REASON_NAMES[r]);
            strbuf_adds(out, ",\"value\":");
            strbuf_add_json_str(out, p->why[r] ? p->why[r] : "");
            strbuf_adds(out, "}");
        }
        strbuf_adds(out, "]}");
    }
    strbuf_addf(out, "],\"pairs\":%d}", n);
    for (int i = 0; i < f.nrecs; i++)
        free(names[i]);
    free(names);
    finder_free(&f);
    return 0;
}
