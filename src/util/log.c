/* log: level-checked lines on stderr (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

int log_level = LOG_INFO;

/* per thread: a server's loops and its writer each answer one request at a time */
static _Thread_local char request_id[80];

void log_set_request_id(const char *id)
{
    snprintf(request_id, sizeof request_id, "%s", id ? id : "");
}

void log_write(int level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    char line[1024];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    int n = (int)strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += snprintf(line + n, sizeof line - (size_t)n, "%s ", names[level]);
    if (request_id[0])
        n += snprintf(line + n, sizeof line - (size_t)n, "req=%s ", request_id);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
