/* webhook_send: the HTTP side of webhooks. A job of kind "webhook" (core/events/webhooks.h) loads its
 * delivery and, inside `rapport serve`, hands the request to a thread of its own, so a receiver that
 * hangs holds up nothing but itself (the job worker goes on at once); that thread records the outcome
 * on its own connection and finishes the job. Elsewhere (`rapport jobs run`) the request runs inline.
 *
 * Every request: POST with the delivery's fixed body and the Standard Webhooks headers (webhook-id,
 * webhook-timestamp, webhook-signature), through libcurl, http and https only, no redirects followed, no
 * proxy, connect and total timeouts; and each address curl is about to connect to (after DNS, so a name
 * resolving to 127.0.0.1 is caught too) is refused when it is loopback, private, link-local, multicast or
 * unspecified (util/netaddr.h), unless the server runs with RAPPORT_WEBHOOK_ALLOW_PRIVATE=1 (tests, or a
 * receiver on the firm's own network on purpose). RAPPORT_WEBHOOK_TIMEOUT (seconds, default 15, at most
 * 240) bounds a request's whole time. */
#ifndef RAPPORT_WEBHOOK_SEND_H
#define RAPPORT_WEBHOOK_SEND_H
#include "sched/jobs.h"

/* The job handler of kind "webhook". */
int webhook_job(db *d, job *j, const char *worker, err_t *e);

/* `rapport serve`: sends from threads of their own, recording outcomes on connections to db_target. */
void webhook_senders_start(const char *db_target);
/* Aborts requests in flight (each is recorded as an interrupted attempt, retried later) and waits for
 * their threads. */
void webhook_senders_stop(void);

#endif
