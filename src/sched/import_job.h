/* import_job: an import as a background job, the one way the server imports (and the API every
 * importer after it uses: the web app's import page, vCard, a whole-workspace restore).
 *
 *   create  the file (converted to UTF-8, see core/bulk/import_text.h), the mapping and the options are
 *           kept in `imports`, and an "import" job is queued; the caller answers 202 with the import.
 *   poll    import_job_show: status (queued, running, done, refused, failed, cancelled), phase (check,
 *           write), rows done of about how many, counts, the first problems with row, column and reason,
 *           and, once ended, the report (core/bulk/import.h).
 *   cancel  import_job_cancel: a queued import never starts; a running one stops after its slice. Rows
 *           already written stay (the report counts them); a check never wrote any.
 *   run     the job kind's handler: core/bulk/import.c's import_run in slices, progress kept after each.
 *           A job a dead server left is claimed again (sched/jobs.h) and resumes after the last slice it
 *           kept. */
#ifndef RAPPORT_IMPORT_JOB_H
#define RAPPORT_IMPORT_JOB_H
#include "core/bulk/import.h"
#include "sched/jobs.h"

/* Keeps the file and queues its import for who; appends the import (as import_job_show) to out. */
int import_job_create(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
                      strbuf *out, err_t *e);
/* Appends the import id of who's workspace as JSON; E_NOT_FOUND for another workspace's. */
int import_job_show(db *d, const actor *who, const char *id, strbuf *out, err_t *e);
/* Appends {"data": [the workspace's latest imports, newest first, at most limit], "next_cursor": null}. */
int import_job_list(db *d, const actor *who, int limit, strbuf *out, err_t *e);
/* Asks the import to stop; appends it as it is then. E_CONFLICT once it has ended. */
int import_job_cancel(db *d, const actor *who, const char *id, strbuf *out, err_t *e);
/* The "import" job kind. */
int import_job_run(db *d, job *j, const char *worker, err_t *e);

#endif
