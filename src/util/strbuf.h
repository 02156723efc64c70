/* strbuf: a growable byte buffer with a size cap.
 *
 * Invariants: buf is never NULL after strbuf_init (it points at a static empty string until the first
 * append) and is always NUL-terminated; len excludes the NUL. An append that would pass `cap` (0 = no
 * cap) or fails to allocate appends nothing and sets `overflow`, so a hostile input cannot grow a buffer
 * without bound and callers check once at the end instead of after every append.
 * Ownership: strbuf_release frees; strbuf_detach hands the malloc'd string to the caller. */
#ifndef RAPPORT_STRBUF_H
#define RAPPORT_STRBUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct strbuf {
    char *buf;
    size_t len, alloc, cap;
    int overflow;
} strbuf;

#define STRBUF_INIT {strbuf_empty, 0, 0, 0, 0}
extern char strbuf_empty[];

void strbuf_init(strbuf *sb, size_t cap);
void strbuf_release(strbuf *sb);
char *strbuf_detach(strbuf *sb, size_t *len);
void strbuf_reset(strbuf *sb);
void strbuf_truncate(strbuf *sb, size_t len);
void strbuf_add(strbuf *sb, const void *data, size_t n);
void strbuf_adds(strbuf *sb, const char *s);
void strbuf_addc(strbuf *sb, char c);
void strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends the n strings of list (n < 0: up to its NULL) with sep between them: "a, b, c". */
void strbuf_add_joined(strbuf *sb, const char *const *list, int n, const char *sep);
/* Appends s as a JSON string literal, quotes included; NULL appends `null`. */
void strbuf_add_json_str(strbuf *sb, const char *s);
void strbuf_add_json_strn(strbuf *sb, const char *s, size_t n);
/* Appends n bytes of s between quote characters, doubling any quote inside (SQL, CSV, FTS5 strings). */
void strbuf_add_quoted(strbuf *sb, const char *s, size_t n, char quote);
/* Appends s quoted as an SQL identifier ("..."), for names that come from the entity table only. */
void strbuf_add_sql_ident(strbuf *sb, const char *s);
/* Appends s escaped for HTML and SVG text and attribute values (& < > " '), control characters other
 * than tab and line breaks as spaces: every HTML or SVG writer goes through it, so no call site escapes
 * by hand. */
void strbuf_add_html(strbuf *sb, const char *s);
/* Appends a CSV cell, quoted when it holds a comma, quote or newline. A text cell starting with = + - @
 * tab or CR (a formula to a spreadsheet) gets a leading ' first; numbers ("-12.50") stay as they are. */
void strbuf_add_csv(strbuf *sb, const char *s);
/* True when s would get that leading ': text a spreadsheet would run as a formula. */
int strbuf_csv_formula(const char *s);

#endif
