/* log: one macro per level that checks the level before evaluating its arguments. Lines go to stderr
 * with the time and, in the server, the request id ("req=..."), which each thread sets while it answers
 * a request. Never log a password, token or message body. */
#ifndef RAPPORT_LOG_H
#define RAPPORT_LOG_H

enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
extern int log_level;
void log_write(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The request this thread now answers, put on each line it logs until cleared (NULL or ""). Copied. */
void log_set_request_id(const char *id);

#define LOG(level, ...) do { if ((level) <= log_level) log_write((level), __VA_ARGS__); } while (0)
#define log_error(...) LOG(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) LOG(LOG_WARN, __VA_ARGS__)
#define log_info(...) LOG(LOG_INFO, __VA_ARGS__)
#define log_debug(...) LOG(LOG_DEBUG, __VA_ARGS__)

#endif
