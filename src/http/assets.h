/* assets: the web app's files. `make` builds web/ with Vite and embeds web/dist into the binary
 * (build/gen/web_assets.c, written by scripts/embed-web.sh): each file with its gzip and brotli copies
 * made at build time and an ETag per encoding. `rapport serve --web-dir DIR` reads them from disk
 * instead, for development. */
#ifndef RAPPORT_ASSETS_H
#define RAPPORT_ASSETS_H
#include <stddef.h>

enum { WEB_IDENTITY, WEB_GZIP, WEB_BR, WEB_ENCODINGS };

typedef struct web_asset {
    const char *path;         /* "/index.html", "/assets/index-3f9a1c2b.js"; the table is sorted by it */
    const char *content_type;
    int immutable;            /* its name carries its content hash: cache it for a year */
    const unsigned char *body[WEB_ENCODINGS]; /* NULL where that copy was not smaller */
    size_t len[WEB_ENCODINGS];
    const char *etag[WEB_ENCODINGS];
} web_asset;

/* the generated table (empty when the front end was not built) */
extern const web_asset web_assets[];
extern const size_t web_asset_count;

/* Serve from this directory instead of the embedded files (NULL: embedded). */
void web_set_dir(const char *dir);

/* The encoding to send: WEB_BR or WEB_GZIP where the Accept-Encoding header gives it q > 0 (by name or
 * through "*") and that copy exists (have[i]), else WEB_IDENTITY. */
int web_pick_encoding(const char *accept_encoding, const int have[WEB_ENCODINGS]);
/* Whether an Accept header takes text/html with q > 0 (text/html, any text type, or any type). */
int web_accepts_html(const char *accept);

struct http_request;
/* Answers r when it is the web app's: a GET of a file under /assets/ (or another file at the top of the
 * build), or of a page (Accept: text/html) anywhere outside /api/, /assets/, /portal, /.well-known/,
 * /dav/, /unsubscribe/ and /healthz, which gets index.html. Returns 1 when answered, 0 to let the API route it (so a
 * missing asset or API path is the API's JSON 404). */
int web_dispatch(struct http_request *r);

#endif
