/* assets: serving the web app (see assets.h). The files are built and compressed at build time, so a
 * request only picks the copy its Accept-Encoding allows and compares ETags; nothing is compressed or
 * hashed per request. */
#include "http/assets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"

static const char *web_dir; /* set once before the server threads start */

void web_set_dir(const char *dir) { web_dir = dir && *dir ? dir : NULL; }

/* Walks a comma-separated header of "token;q=0.5" items; returns the q (0-1000) of `name`, else the q
 * of "*", or -1 when neither is there. */
static int header_q(const char *h, const char *name)
{
    int q_name = -1, q_star = -1;
    size_t nl = strlen(name);
    for (const char *p = h; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t tl = (size_t)(p - tok);
        int q = 1000;
        /* parameters: only q matters; an unreadable q counts as 0, so it never turns an encoding on */
        while (*p && *p != ',') {
            while (*p == ' ' || *p == '\t' || *p == ';')
                p++;
            if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
                const char *v = p + 2;
                if (v[0] == '1')
                    q = 1000;
                else if (v[0] == '0') {
                    q = 0;
                    if (v[1] == '.')
                        for (int i = 0, scale = 100; i < 3 && isdigit((unsigned char)v[2 + i]); i++, scale /= 10)
                            q += (v[2 + i] - '0') * scale;
                } else
                    q = 0;
            }
            while (*p && *p != ';' && *p != ',')
                p++;
        }
        if (tl == nl && !strncasecmp(tok, name, nl))
            q_name = q;
        else if (tl == 1 && *tok == '*')
            q_star = q;
    }
    return q_name >= 0 ? q_name : q_star;
}

int web_pick_encoding(const char *accept_encoding, const int have[WEB_ENCODINGS])
{
    if (!accept_encoding)
        return WEB_IDENTITY;
    if (have[WEB_BR] && header_q(accept_encoding, "br") > 0)
        return WEB_BR;
    if (have[WEB_GZIP] && (header_q(accept_encoding, "gzip") > 0 || header_q(accept_encoding, "x-gzip") > 0))
        return WEB_GZIP;
    return WEB_IDENTITY;
}

int web_accepts_html(const char *accept)
{
    if (!accept)
        return 0;
    int q = header_q(accept, "text/html");
    if (q < 0)
        q = header_q(accept, "text/*");
    if (q < 0)
        q = header_q(accept, "*/*");
    return q > 0;
}

static const web_asset *find_embedded(const char *path)
{
    size_t lo = 0, hi = web_asset_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(path, web_assets[mid].path);
        if (!c)
            return &web_assets[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* If-None-Match holds this ETag (weak or strong, in a list, or "*"). */
static int etag_matches(const char *inm, const char *etag)
{
    if (!inm || !etag)
        return 0;
    size_t el = strlen(etag);
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p == '*')
            return 1;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        if (!strncmp(p, etag, el) && (p[el] == '\0' || p[el] == ',' || p[el] == ' '))
            return 1;
        while (*p && *p != ',')
            p++;
    }
    return 0;
}

static const char *type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".ico", "image/x-icon"},
        {".json", "application/json"},         {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

/* Development (--web-dir): the file as it is on disk, never cached, so a rebuild shows at once. */
static int serve_from_dir(http_request *r, const char *path)
{
    char full[4096];
    if (snprintf(full, sizeof full, "%s%s", web_dir, path) >= (int)sizeof full)
        return 0;
    FILE *f = fopen(full, "rb");
    if (!f)
        return 0;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        strbuf_add(&r->out, chunk, n);
    int bad = ferror(f) || r->out.overflow;
    fclose(f);
    if (bad) {
        strbuf_reset(&r->out);
        return 0;
    }
    r->status = 200;
    r->content_type_out = type_of(path);
    r->cache_control = "no-cache";
    return 1;
}

static int serve_embedded(http_request *r, const web_asset *a)
{
    int have[WEB_ENCODINGS];
    for (int i = 0; i < WEB_ENCODINGS; i++)
        have[i] = a->body[i] != NULL;
    int enc = web_pick_encoding(r->accept_encoding, have);
    r->content_type_out = a->content_type;
    r->cache_control = a->immutable ? "public, max-age=31536000, immutable" : "no-cache";
    r->etag = a->etag[enc];
    r->vary_encoding = have[WEB_GZIP] || have[WEB_BR];
    r->content_encoding = enc == WEB_BR ? "br" : enc == WEB_GZIP ? "gzip" : NULL;
    if (etag_matches(r->if_none_match, r->etag)) {
        r->status = 304;
        return 1;
    }
    r->status = 200;
    r->static_body = a->body[enc];
    r->static_len = a->len[enc];
    return 1;
}

static int serve_file(http_request *r, const char *path)
{
    if (web_dir)
        return serve_from_dir(r, path);
    const web_asset *a = find_embedded(path);
    return a ? serve_embedded(r, a) : 0;
}

static int under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(path, prefix, n) && (path[n] == '\0' || path[n] == '/');
}

/* A path safe to look up as a file: no dot segments, no encoded bytes, no backslashes. */
static int plain_path(const char *path)
{
    if (strstr(path, "/.") || strchr(path, '%') || strchr(path, '\\') || strstr(path, "//"))
        return 0;
    return 1;
}

int web_dispatch(http_request *r)
{
    const char *path = r->path;
    if (strcmp(r->method, "GET") || !path || *path != '/')
        return 0;
    /* /unsubscribe: an email's one-click link, the server's own page (sched/mail_unsubscribe.h) */
    if (under(path, "/api") || under(path, "/portal") || under(path, "/.well-known") || under(path, "/dav") ||
        under(path, "/unsubscribe") || !strcmp(path, "/healthz"))
        return 0;
    if (under(path, "/assets"))
        return plain_path(path) && strcmp(path, "/assets") && serve_file(r, path);
    /* a file at the top of the build (favicon.svg, robots.txt) is itself */
    if (strcmp(path, "/") && !strchr(path + 1, '/') && strcmp(path, "/index.html") && plain_path(path) &&
        serve_file(r, path))
        return 1;
    if (!web_accepts_html(r->accept))
        return 0;
    return serve_file(r, "/index.html");
}
