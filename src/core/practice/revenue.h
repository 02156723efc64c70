/* revenue: the money reports — the pipeline by stage, a client's revenue and lifetime value, and paid
 * revenue per client over a period. Each is a few SQL aggregates (SUM, COUNT, GROUP BY) rather than a
 * walk over records, amounts stay integer cents until they are written as decimal strings, and every
 * figure is grouped by currency, since euros and dollars do not add up. Shared by the REST API and the
 * CLI; each checks the actor's right to read what it sums. */
#ifndef RAPPORT_REVENUE_H
#define RAPPORT_REVENUE_H
#include "core/model/entity.h"

/* {"stages": [...], "open": {...}, "won": {...}, "lost": {...}} (see docs/pipeline-revenue.md) */
int revenue_pipeline(db *d, const actor *who, strbuf *out, err_t *e);
/* One client's paid total (lifetime value), last 12 months, outstanding, overdue and monthly recurring. */
int revenue_client(db *d, const actor *who, const char *client_id, strbuf *out, err_t *e);
/* Paid revenue in [from, to) (dates) per currency and client, and revenue per active client. */
int revenue_period(db *d, const actor *who, const char *from, const char *to, strbuf *out, err_t *e);

/* n / d rounded half away from zero (d > 0): the one rounding every report uses. */
int64_t revenue_div_round(int64_t n, int64_t d);

#endif
