/* seed: deterministic bulk data (see seed.h). */
#include "core/bulk/seed.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "core/bulk/seed_internal.h"


static const char *const FIRST[] = {"Ada", "Grace", "Maya", "Daniel", "Sofia", "Arjun", "Tom", "Lena", "Omar", "Chen",
                                    "Priya", "Lucas", "Amara", "Jonas", "Elena", "Kofi", "Hana", "Mateo", "Zoe", "Ravi",
                                    "Ines", "Noah", "Yuki", "Fatima", "Oskar", "Leila", "Hugo", "Nia", "Pavel", "Rosa"};
static const char *const LAST[] = {"Okafor", "Reyes", "Lindqvist", "Mehta", "Kim", "Becker", "Novak", "Haddad",
                                   "Tanaka", "Moreau", "Silva", "Nguyen", "Kowalski", "Andersen", "Rossi", "Osei",
                                   "Fischer", "Ibrahim", "Costa", "Larsen", "Dubois", "Sato", "Mensah", "Petrov"};
static const char *const ADJ[] = {"Northwind", "Bluebell", "Harbor", "Quarry", "Copperline", "Elm Street", "Silverleaf",
                                  "Redwood", "Lumen", "Juniper", "Granite", "Saffron", "Maple", "Orbit", "Cobalt",
                                  "Meadow", "Atlas", "Beacon", "Cedar", "Driftwood", "Ember", "Fjord", "Kestrel"};
static const char *const NOUN[] = {"Studio", "Labs", "Bakery", "Dental", "Media", "Partners", "Architects", "Legal",
                                   "Consulting", "Foods", "Health", "Logistics", "Ventures", "Collective", "Works",
                                   "Analytics", "Design", "Realty", "Clinic", "Brewing", "Outfitters", "Academy"};
static const char *const TITLES[] = {"CEO", "CTO", "Founder", "Operations Manager", "Head of Marketing",
                                     "Creative Director", "Office Manager", "Managing Partner", "CFO", "Product Lead"};
static const char *const TAGS[] = {"retainer", "design", "legal", "saas", "retail", "vip", "referral", "nonprofit",
                                   "enterprise", "local"};
static const char *const TOPICS[] = {"the spring campaign", "the pricing page", "onboarding docs", "the brand refresh",
                                     "contract renewal", "the Q3 report", "website migration", "the packaging reprint",
                                     "a new hire's access", "the annual audit", "the product launch", "invoice 2041",
                                     "the kickoff deck", "support hours", "the data export", "social media plan"};
static const char *const ASKS[] = {"wants it moved up two weeks", "asked for a revised quote", "approved the draft",
                                   "raised concerns about turnaround", "needs sign-off from the CFO",
                                   "is happy with progress", "flagged a billing error", "asked for weekly updates",
                                   "wants to add a second workstream", "is waiting on legal review"};
static const char *const NEXT[] = {"Send the revised timeline by Friday.", "Follow up next week.",
                                   "Book a call with the whole team.", "Share the updated estimate.",
                                   "No action needed.", "Escalate to the account lead.", "Draft the change request.",
                                   "Check in after the launch."};

static void company(rng *r, long i, char *out, size_t n)
{
    snprintf(out, n, "%s %s%s", PICK(r, ADJ), PICK(r, NOUN), i % 7 == 0 ? " Ltd" : i % 11 == 0 ? " & Co" : "");
}

static void slug(const char *name, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < n; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            out[k++] = *p;
        else if (*p >= 'A' && *p <= 'Z')
            out[k++] = (char)(*p + 32);
    out[k] = '\0';
}

void seed_make_id(rng *r, const char *prefix, int64_t t, char out[ID_MAX])
{
    unsigned char rnd[10];
    uint64_t a = next(r), b = next(r);
    memcpy(rnd, &a, 8);
    memcpy(rnd + 8, &b, 2);
    id_make(prefix, (uint64_t)t * 1000 + (uint64_t)below(r, 1000), rnd, out);
}

/* Binds the system columns shared by every insert: id, workspace, created/updated, created_by, version. */
int seed_bind_system(db_stmt *s, const char *id, const actor *who, int64_t t)
{
    char at[CLOCK_RFC3339_LEN];
    clock_format(t, at);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, who->workspace_id);
    db_bind_text(s, 3, at);
    db_bind_text(s, 4, at);
    db_bind_text(s, 5, who->user_id);
    db_bind_int(s, 6, 1);
    return 7;
}

int seed_run(db_stmt *s, err_t *e)
{
    int rc = db_step(s, e);
    db_reset(s);
    return rc < 0 ? rc : 0;
}

const char *seed_pick_value(rng *r, const field *f, const int *weights, int nweights)
{
    int n = 0;
    while (f->values[n])
        n++;
    if (!weights)
        return f->values[below(r, n)];
    if (nweights != n)
        BUG("the seed weighs %d values of %s; the entity table has %d", nweights, f->name, n);
    long total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    long roll = below(r, total);
    for (int i = 0; i < n; i++)
        if ((roll -= weights[i]) < 0)
            return f->values[i];
    BUG("a weighted draw past its total");
}

/* One call in seven is a call, three are emails, the rest meetings, messages and notes (in the order of
 * the interaction types in the entity table). */
static const int TYPE_WEIGHTS[] = {1, 3, 1, 1, 1};

#define BATCH 100000

/* The seed as it runs: its statements, random numbers, the enum fields it draws from, and its counts. */
typedef struct seeder {
    db *d;
    const actor *who;
    const seed_config *cfg;
    rng r;
    int64_t now;
    db_stmt *clients, *contacts, *interactions;
    seed_life *life;
    const field *relationship, *cadence, *channel, *interaction_type;
    long rows; /* interactions written, for the batches */
    seed_counts *out;
    err_t *e;
} seeder;

static const char *const BULK_TABLES[] = {"clients", "contacts", "interactions"};
#define NBULK (int)(sizeof BULK_TABLES / sizeof BULK_TABLES[0])

static const char *bulk_table(int t) { return t < NBULK ? BULK_TABLES[t] : seed_life_tables[t - NBULK]; }

/* Everything that can fail before an index is suspended: the connection's bulk settings, the inserts and
 * the lifecycle writer (which reads the workspace's calendar). */
static int prepare(seeder *S)
{
    const entity *clients = entity_by_name("clients");
    S->relationship = entity_field(clients, "relationship_type");
    S->cadence = entity_field(clients, "cadence");
    S->channel = entity_field(clients, "preferred_channel");
    S->interaction_type = entity_field(entity_by_name("interactions"), "type");
    int rc = db_exec(S->d, S->d->be->bulk_load_sql, S->e);
    if (rc == 0)
        rc = db_prepare(S->d,
                        "INSERT INTO clients (id, workspace_id, created_at, updated_at, created_by, version, name, kind, "
                        "relationship_type, stage, owner_id, email, website, started_at, ended_at, cadence, "
                        "response_time_hours, preferred_channel, tags, custom) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
                        &S->clients, S->e);
    if (rc == 0)
        rc = db_prepare(S->d,
                        "INSERT INTO contacts (id, workspace_id, created_at, updated_at, created_by, version, client_id, "
                        "first_name, last_name, email, title, is_primary, custom) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
                        &S->contacts, S->e);
    if (rc == 0)
        rc = db_prepare(S->d,
                        "INSERT INTO interactions (id, workspace_id, created_at, updated_at, created_by, version, "
                        "client_id, contact_id, type, direction, occurred_at, subject, summary, custom) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
                        &S->interactions, S->e);
    if (rc == 0)
        rc = seed_life_open(S->d, S->who, &S->life, S->e);
    return rc;
}

/* Drops the tables' full-text triggers and secondary indexes for the load (the backend's bulk_begin, in
 * autocommit: the batches below commit on their own); *suspended counts the tables done, so that
 * restore_indexes brings back exactly those whatever fails next. */
static int suspend_indexes(seeder *S, int *suspended)
{
    int rc = 0;
    for (*suspended = 0; *suspended < NBULK + seed_life_table_count && rc == 0; ++*suspended)
        if ((rc = S->d->be->bulk_begin(S->d, bulk_table(*suspended), S->e)) < 0)
            break;
    return rc;
}

/* Rebuilds what suspend_indexes dropped, on every path, failures included (after their rollback, so the
 * rebuild is not undone with them): a seed that fails leaves the rows it committed, searchable. Returns
 * rc, or the first restore error when rc was fine. */
static int restore_indexes(seeder *S, int suspended, int rc)
{
    for (int t = 0; t < suspended; t++) {
        err_t be;
        int brc = S->d->be->bulk_end(S->d, bulk_table(t), &be);
        if (brc < 0 && rc >= 0) {
            *S->e = be;
            rc = brc;
        }
    }
    return rc;
}

/* Client i: its row, one to three contacts, its lifecycle records, and its share of the interactions. */
static int seed_client(seeder *S, long i, long interactions)
{
    rng *r = &S->r;
    db_stmt *cs = S->clients, *ks = S->contacts, *is = S->interactions;
    int64_t now = S->now, six_years = 6 * 365 * 86400LL;
    char cid[ID_MAX], name[80], sl[80], email[120], site[120], tags[80], started[CLOCK_RFC3339_LEN],
        ended[CLOCK_RFC3339_LEN];
    company(r, i, name, sizeof name);
    slug(name, sl, sizeof sl);
    snprintf(email, sizeof email, "hello@%s%ld.example", sl, i);
    snprintf(site, sizeof site, "https://%s%ld.example", sl, i);
    long roll = below(r, 100);
    const char *stage = roll < 10 ? "lead" : roll < 20 ? "prospect" : roll < 75 ? "active" : roll < 95 ? "past" : "lost";
    int64_t start = now - below(r, six_years), created = start - below(r, 60 * 86400);
    clock_format(start, started);
    clock_format(start + below(r, (now - start) + 1), ended);
    int ntags = (int)below(r, 3);
    long t1 = below(r, 10), t2 = (t1 + 1 + below(r, 9)) % 10; /* two different tags */
    if (ntags == 0)
        snprintf(tags, sizeof tags, "[]");
    else if (ntags == 1)
        snprintf(tags, sizeof tags, "[\"%s\"]", TAGS[t1]);
    else
        snprintf(tags, sizeof tags, "[\"%s\",\"%s\"]", TAGS[t1], TAGS[t2]);
    seed_make_id(r, "cli", created, cid);
    static const int hours[] = {4, 8, 24, 48};
    int b = seed_bind_system(cs, cid, S->who, created);
    db_bind_text(cs, b++, name);
    db_bind_text(cs, b++, below(r, 100) < 85 ? "client" : "customer");
    db_bind_text(cs, b++, seed_pick_value(r, S->relationship, NULL, 0));
    db_bind_text(cs, b++, stage);
    db_bind_text(cs, b++, S->who->user_id);
    db_bind_text(cs, b++, email);
    db_bind_text(cs, b++, site);
    int active_ever = !strcmp(stage, "active") || !strcmp(stage, "past");
    db_bind_text(cs, b++, active_ever ? started : NULL);
    db_bind_text(cs, b++, !strcmp(stage, "past") ? ended : NULL);
    db_bind_text(cs, b++, seed_pick_value(r, S->cadence, NULL, 0));
    int promise = PICK(r, hours);
    db_bind_int(cs, b++, promise);
    db_bind_text(cs, b++, seed_pick_value(r, S->channel, NULL, 0));
    db_bind_text(cs, b++, tags);
    int rc = seed_run(cs, S->e);
    if (rc < 0)
        return rc;
    S->out->clients++;
    char contacts[3][ID_MAX];
    int ncontacts = 1 + (int)below(r, 3);
    for (int k = 0; k < ncontacts && rc == 0; k++) {
        const char *fn = PICK(r, FIRST), *ln = PICK(r, LAST);
        char cemail[160];
        snprintf(cemail, sizeof cemail, "%s.%s%ld@%s.example", fn, ln, i, sl);
        for (char *p = cemail; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        seed_make_id(r, "con", created, contacts[k]);
        b = seed_bind_system(ks, contacts[k], S->who, created);
        db_bind_text(ks, b++, cid);
        db_bind_text(ks, b++, fn);
        db_bind_text(ks, b++, ln);
        db_bind_text(ks, b++, cemail);
        db_bind_text(ks, b++, PICK(r, TITLES));
        db_bind_int(ks, b++, k == 0);
        rc = seed_run(ks, S->e);
        S->out->contacts++;
    }
    int64_t ended_t = 0;
    clock_parse(ended, &ended_t);
    if (rc == 0)
        rc = seed_life_client(S->life, r, cid, contacts[0], stage, active_ever ? start : 0,
                              !strcmp(stage, "past") ? ended_t : 0, now, promise);
    for (long k = 0; k < interactions && rc == 0; k++) {
        char iid[ID_MAX], at[CLOCK_RFC3339_LEN], subject[160], summary[600];
        int64_t t = created + below(r, (now - created) + 1);
        clock_format(t, at);
        const char *topic = PICK(r, TOPICS), *who_name = FIRST[below(r, 30)];
        snprintf(subject, sizeof subject, "%s %s", below(r, 2) ? "Re:" : "About", topic);
        snprintf(summary, sizeof summary, "Talked with %s about %s. %s %s. %s", who_name, topic, who_name,
                 PICK(r, ASKS), PICK(r, NEXT));
        seed_make_id(r, "int", t, iid);
        b = seed_bind_system(is, iid, S->who, t);
        db_bind_text(is, b++, cid);
        db_bind_text(is, b++, contacts[below(r, ncontacts)]);
        db_bind_text(is, b++, SEED_PICK_WEIGHTED(r, S->interaction_type, TYPE_WEIGHTS));
        db_bind_text(is, b++, below(r, 2) ? "inbound" : "outbound");
        db_bind_text(is, b++, at);
        db_bind_text(is, b++, subject);
        db_bind_text(is, b++, summary);
        rc = seed_run(is, S->e);
        S->out->interactions++;
        if (rc == 0 && S->cfg->fail_after_rows && S->rows + 1 == S->cfg->fail_after_rows)
            rc = err_set(S->e, E_INTERNAL, NULL, "seed: the failure injected after %ld rows", S->rows + 1);
        if (++S->rows % BATCH == 0 && rc == 0) { /* bounded transactions: memory and WAL stay small */
            if ((rc = db_commit(S->d, S->e)) == 0)
                rc = db_begin(S->d, S->e);
        }
    }
    return rc;
}

/* Every client, in transactions of about BATCH interactions; a failure rolls back the one open. */
static int write_clients(seeder *S)
{
    long n = S->cfg->clients, per = n ? S->cfg->interactions / n : 0, extra = n ? S->cfg->interactions % n : 0;
    int rc = db_begin(S->d, S->e);
    if (rc < 0)
        return rc;
    for (long i = 0; i < n && rc == 0; i++)
        rc = seed_client(S, i, per + (i < extra));
    if (rc < 0)
        db_rollback(S->d);
    else
        rc = db_commit(S->d, S->e);
    return rc;
}

int seed_workspace(db *d, const actor *who, const seed_config *cfg, seed_counts *out, err_t *e)
{
    seeder S = {.d = d, .who = who, .cfg = cfg, .r = {cfg->seed * 0x2545f4914f6cdd1dull + 1}, .out = out, .e = e};
    S.now = clock_now() - clock_now() % 86400;
    memset(out, 0, sizeof *out);
    int suspended = 0, rc = prepare(&S);
    if (rc == 0)
        rc = suspend_indexes(&S, &suspended);
    if (rc == 0)
        rc = write_clients(&S);
    rc = restore_indexes(&S, suspended, rc);
    out->lifecycle = S.life ? seed_life_rows(S.life) : 0;
    db_finalize(S.clients);
    db_finalize(S.contacts);
    db_finalize(S.interactions);
    seed_life_close(S.life);
    return rc;
}

void seed_contacts_csv(FILE *f, long n, uint64_t seed)
{
    rng r = {seed * 0x2545f4914f6cdd1dull + 7};
    fputs("first_name,last_name,email,phone,title,company\n", f);
    for (long i = 0; i < n; i++) {
        const char *fn = PICK(&r, FIRST), *ln = PICK(&r, LAST);
        char name[80], sl[80];
        company(&r, i, name, sizeof name);
        slug(name, sl, sizeof sl);
        char email[200];
        snprintf(email, sizeof email, "%s.%s%ld@%s.example", fn, ln, i, sl);
        for (char *p = email; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        /* the phone starts with +: a formula to a spreadsheet, so it carries the ' every CSV we write gives
         * such a cell (util/strbuf.h), which the importer takes off */
        fprintf(f, "%s,%s,%s,'+1 555 %04ld,%s,%s\n", fn, ln, email, below(&r, 10000), PICK(&r, TITLES), name);
    }
}
