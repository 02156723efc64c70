/* rules_revenue: invoices and retainers (see rules.h).
 *
 * An invoice goes draft → issued → paid, or to void from draft or issued (the entity table's moves);
 * paid and void are final, and what was paid (amount, currency) stays as it was paid, since it is the
 * client's revenue. Dates follow the status: issuing dates it today unless dated, paying sets paid_on,
 * and setting paid_on pays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/clock.h"
#include "util/money.h"
#include "core/engine/transition.h"
#include "core/rules/rules.h"

static const char *str(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* The next free "INV-0001"-style number: one more than the highest INV-n of the workspace. */
static int next_number(write_ctx *c)
{
    db_stmt *s;
    int rc = db_prepare(c->d, "SELECT number FROM invoices WHERE workspace_id = ? AND number LIKE 'INV-%'", &s, c->e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, c->who->workspace_id);
    long long max = 0;
    while ((rc = db_step(s, c->e)) == DB_ROW) {
        const char *n = db_col_text(s, 0, NULL) + 4, *end = n;
        while (*end >= '0' && *end <= '9')
            end++;
        long long v = strtoll(n, NULL, 10);
        if (end > n && !*end && end - n < 16 && v > max) /* INV-12a and the like are someone's own scheme */
            max = v;
    }
    db_finalize(s);
    if (rc < 0)
        return rc;
    char number[32];
    snprintf(number, sizeof number, "INV-%04lld", max + 1);
    json_object_set_new(c->body, "number", json_string(number));
    return 0;
}

/* True when the money value sent differs from the stored one (or cannot be read: validation names it). */
static int amount_changes(json_t *sent, json_t *stored)
{
    int64_t a, b;
    if (json_is_integer(sent))
        a = json_integer_value(sent) * 100;
    else if (!json_is_string(sent) || money_parse(json_string_value(sent), &a))
        return 1;
    return money_parse(json_string_value(stored), &b) || a != b;
}

/* A paid invoice is final; a void one too. What each refusal says names the invoice and its day. */
static int check_final(write_ctx *c, const char *to)
{
    const char *from = str(c->old, "status"), *number = str(c->old, "number");
    if (!strcmp(from, "paid")) {
        const char *day = str(c->old, "paid_on");
        if (json_object_get(c->body, "paid_on") || (to && !strcmp(to, "paid")))
            return err_set(c->e, E_CONFLICT, json_object_get(c->body, "paid_on") ? "paid_on" : "status",
                           "invoice %s was already paid on %s", number, day);
        if (to && strcmp(to, "paid"))
            return err_set(c->e, E_CONFLICT, "status", "invoice %s was paid on %s; a paid invoice is final", number, day);
        json_t *amount = json_object_get(c->body, "amount"), *cur = json_object_get(c->body, "currency");
        if ((amount && amount_changes(amount, json_object_get(c->old, "amount"))) ||
            (cur && (!json_is_string(cur) || strcasecmp(json_string_value(cur), str(c->old, "currency")))))
            return err_set(c->e, E_CONFLICT, amount ? "amount" : "currency",
                           "invoice %s was paid on %s; its amount and currency cannot change", number, day);
    } else if (!strcmp(from, "void") && ((to && strcmp(to, "void")) || json_object_get(c->body, "paid_on"))) {
        return err_set(c->e, E_CONFLICT, json_object_get(c->body, "paid_on") ? "paid_on" : "status",
                       "invoice %s is void; a void invoice is final",
                       number);
    }
    return 0;
}

/* Both dates readable and due before issued: 422 on due_on. */
static int check_dates(write_ctx *c, const char *first_key, const char *last_key)
{
    const char *first = rules_str(c, first_key), *last = rules_str(c, last_key);
    int64_t a, b;
    if (first && last && !clock_parse_date(first, &a) && !clock_parse_date(last, &b) && b < a)
        return err_set(c->e, E_INVALID_VALUE, last_key, "%s (%s) is before %s (%s)", last_key, last, first_key, first);
    return 0;
}

/* Setting paid_on pays an unpaid invoice (whatever other status the same write names, but void), before
 * the move is checked. */
int rules_invoice_imply(write_ctx *c)
{
    const char *was = c->old ? str(c->old, "status") : NULL, *to = str(c->body, "status");
    if (json_is_string(json_object_get(c->body, "paid_on")) && (!to || strcmp(to, "void")) &&
        (!was || strcmp(was, "paid")))
        json_object_set_new(c->body, "status", json_string("paid"));
    return 0;
}

/* A move out of paid or void says what is final; any other refused move names the invoice's way. */
int rules_invoice_refuse_move(write_ctx *c, const field *f, const char *from, const char *to)
{
    int rc = check_final(c, to);
    if (rc < 0)
        return rc;
    return err_set(c->e, E_CONFLICT, f->name,
                   "invoice %s is %s: it cannot become %s (draft → issued → paid; draft or issued → void)",
                   str(c->old, "number"), from, to);
}

int rules_invoice_before_write(write_ctx *c)
{
    int rc;
    const char *was = c->old ? str(c->old, "status") : NULL;
    if (c->old && (rc = check_final(c, str(c->body, "status"))) < 0) /* paid or void, and a status it keeps */
        return rc;
    if ((rc = rules_default_currency(c, "currency")) < 0)
        return rc;
    if (!c->old && !json_object_get(c->body, "number") && (rc = next_number(c)) < 0)
        return rc;
    const char *status = rules_str(c, "status");
    int issued_or_paid = status && (!strcmp(status, "issued") || !strcmp(status, "paid"));
    if (issued_or_paid && (!was || strcmp(was, status)) && !rules_value(c, "issued_on"))
        rules_set_today(c->body, "issued_on");
    if (status && !strcmp(status, "paid") && !rules_value(c, "paid_on"))
        rules_set_today(c->body, "paid_on");
    return check_dates(c, "issued_on", "due_on");
}

int rules_retainer_before_write(write_ctx *c)
{
    int rc = rules_default_currency(c, "currency");
    return rc < 0 ? rc : check_dates(c, "starts_on", "ends_on");
}
