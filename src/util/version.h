/* version: which build this is (`git describe`), for `rapport version`, /healthz, OpenAPI and the log. It
 * lives in one generated object (build/.../gen/version.c), rewritten only when the description changes,
 * so an incremental build never reports the commit an older object was compiled at. */
#ifndef RAPPORT_VERSION_H
#define RAPPORT_VERSION_H

extern const char rapport_version[];

#endif
