/* import_match: see import_match.h. */
#include "core/bulk/import_match.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/phone.h"
#include "util/tz.h"

typedef struct match_key {
    char *key; /* "e:ada@example.com", "p:+442079460000", "n:acme ltd", "d:acme.com" */
    char *id;
    size_t seq; /* the order loaded, oldest first: of records sharing a key, the oldest is found */
} match_key;

struct import_match {
    match_key *keys;
    size_t n, cap;
    char region[8]; /* ISO 3166: the country national numbers are in ("GB"), or "" */
};

/* libphonenumber reads the number (util/phone.h), in region when it is national; what it cannot read (too
 * short, letters) keeps its digits, "+" and all, so two spellings of one odd number still match. */
void import_phone_key(const char *phone, const char *region, char *out, size_t n)
{
    char digits[64];
    size_t k = 0;
    const char *p = phone;
    while (isspace((unsigned char)*p))
        p++;
    int intl = *p == '+';
    for (; *p && k + 1 < sizeof digits; p++) {
        if (*p == 'x' || *p == 'X')
            break; /* an extension is not the number */
        if (isdigit((unsigned char)*p))
            digits[k++] = *p;
    }
    digits[k] = '\0';
    const char *d = digits;
    if (!intl && d[0] == '0' && d[1] == '0') { /* 0044 ...: the international prefix most countries dial */
        intl = 1;
        d += 2;
    }
    if (!*d) {
        *out = '\0';
        return;
    }
    char plus[80];
    snprintf(plus, sizeof plus, "+%s", d);
    if (phone_e164(intl ? plus : phone, intl ? NULL : region, out, n) == 0)
        return;
    snprintf(out, n, "%s%s", intl ? "+" : "", d);
}

static int add(import_match *m, const char *kind, const char *value, const char *id)
{
    if (!value || !*value)
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        match_key *grown = realloc(m->keys, cap * sizeof *grown);
        if (!grown)
            return -1;
        m->keys = grown;
        m->cap = cap;
    }
    size_t len = strlen(kind) + strlen(value) + 1;
    char *key = malloc(len);
    if (!key)
        return -1;
    snprintf(key, len, "%s%s", kind, value);
    for (char *p = key; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    m->keys[m->n].key = key;
    m->keys[m->n].seq = m->n;
    m->keys[m->n].id = strdup(id);
    return m->keys[m->n++].id ? 0 : -1;
}

/* "https://www.acme.com/about" or "ada@acme.com" → "acme.com"; "" for the big mail providers, whose
 * domain says nothing about the company. */
static void domain_of(const char *s, char *out, size_t n)
{
    static const char *const providers[] = {"gmail.com", "googlemail.com", "outlook.com",    "hotmail.com",
                                            "yahoo.com", "icloud.com",     "live.com",       "aol.com",
                                            "gmx.de",    "proton.me",      "protonmail.com", NULL};
    const char *at = strchr(s, '@'), *p = at ? at + 1 : s;
    const char *scheme = strstr(p, "://");
    if (scheme)
        p = scheme + 3;
    if (!strncasecmp(p, "www.", 4))
        p += 4;
    size_t k = strcspn(p, "/:?#");
    snprintf(out, n, "%.*s", (int)k, p);
    for (char *q = out; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    for (const char *const *pr = providers; *pr; pr++)
        if (!strcmp(out, *pr))
            *out = '\0';
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const match_key *)a)->key, ((const match_key *)b)->key);
}

static int by_key_then_age(const void *a, const void *b)
{
    int c = by_key(a, b);
    size_t x = ((const match_key *)a)->seq, y = ((const match_key *)b)->seq;
    return c ? c : (x > y) - (x < y);
}

int import_match_open(db *d, const actor *who, const entity *en, const char *region, import_match **out, err_t *e)
{
    *out = NULL;
    int contacts = !strcmp(en->name, "contacts"), clients = !strcmp(en->name, "clients");
    if (!contacts && !clients)
        return 0;
    import_match *m = calloc(1, sizeof *m);
    if (!m)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    snprintf(m->region, sizeof m->region, "%s", region ? region : "");
    db_stmt *s;
    /* oldest first: of two records with one key, the search finds the older */
    int rc = db_prepare(d,
                        contacts ? "SELECT id, email, phone, NULL, NULL FROM contacts WHERE workspace_id = ? "
                                   "ORDER BY created_at, id"
                                 : "SELECT id, email, phone, name, website FROM clients WHERE workspace_id = ? "
                                   "ORDER BY created_at, id",
                        &s, e);
    if (rc < 0) {
        free(m);
        return rc;
    }
    db_bind_text(s, 1, who->workspace_id);
    while ((rc = db_step(s, e)) == DB_ROW) {
        const char *id = db_col_text(s, 0, NULL), *email = db_col_text(s, 1, NULL), *phone = db_col_text(s, 2, NULL);
        char key[80], dom[256];
        import_phone_key(phone ? phone : "", m->region, key, sizeof key);
        int bad = add(m, "e:", email, id) < 0 || add(m, "p:", key, id) < 0;
        if (clients && !bad) {
            const char *website = db_col_text(s, 4, NULL);
            bad = add(m, "n:", db_col_text(s, 3, NULL), id) < 0;
            domain_of(website ? website : email ? email : "", dom, sizeof dom);
            bad = bad || add(m, "d:", dom, id) < 0;
        }
        if (bad) {
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
    }
    db_finalize(s);
    if (rc < 0) {
        import_match_close(m);
        return rc;
    }
    if (m->n)
        qsort(m->keys, m->n, sizeof *m->keys, by_key_then_age);
    *out = m;
    return 0;
}

static const char *find(const import_match *m, const char *kind, const char *value)
{
    if (!*value || !m->n)
        return NULL;
    char key[300];
    snprintf(key, sizeof key, "%s%s", kind, value);
    for (char *p = key; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    match_key want = {key, NULL, 0};
    const match_key *hit = bsearch(&want, m->keys, m->n, sizeof *m->keys, by_key);
    while (hit && hit > m->keys && !strcmp(hit[-1].key, key))
        hit--; /* the first of equal keys */
    return hit ? hit->id : NULL;
}

const char *import_match_find(const import_match *m, const char *email, const char *phone, const char *name,
                              const char *website, const char **by)
{
    char key[80], dom[256];
    const char *id;
    if ((id = find(m, "e:", email)))
        return *by = "email", id;
    import_phone_key(phone, m->region, key, sizeof key);
    if ((id = find(m, "p:", key)))
        return *by = "phone", id;
    if ((id = find(m, "n:", name)))
        return *by = "name", id;
    domain_of(*website ? website : email, dom, sizeof dom);
    if ((id = find(m, "d:", dom)))
        return *by = "domain", id;
    return *by = NULL, NULL;
}

void import_match_close(import_match *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->keys[i].key);
        free(m->keys[i].id);
    }
    free(m->keys);
    free(m);
}

/* "en-GB" → "GB", "zh-Hant-TW" → "TW": the region subtag of a language tag (two letters), or "". */
static void locale_region(const char *locale, char *out, size_t n)
{
    *out = '\0';
    for (const char *p = locale ? strchr(locale, '-') : NULL; p; p = strchr(p + 1, '-'))
        if (isalpha((unsigned char)p[1]) && isalpha((unsigned char)p[2]) && (!p[3] || p[3] == '-'))
            snprintf(out, n, "%c%c", toupper((unsigned char)p[1]), toupper((unsigned char)p[2]));
}

int import_phone_region(db *d, const actor *who, const char *country_code, char *out, size_t n, err_t *e)
{
    *out = '\0';
    if (country_code && *country_code) {
        if (phone_region_of_calling_code(country_code, out, n) < 0)
            return err_set(e, E_INVALID_VALUE, "country_code", "no country has the calling code %.8s", country_code);
        return 0;
    }
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT default_country, locale, time_zone FROM workspaces WHERE id = ?", 1, args);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    const char *country = db_col_text(s, 0, NULL), *locale = db_col_text(s, 1, NULL), *zone = db_col_text(s, 2, NULL);
    char region[8] = "";
    if (country && *country)
        snprintf(region, sizeof region, "%s", country);
    if (!*region)
        locale_region(locale, region, sizeof region);
    if (!*region && zone)
        tz_country(zone, region, sizeof region);
    db_finalize(s);
    if (*region && phone_region_known(region))
        snprintf(out, n, "%s", region);
    return 0;
}
