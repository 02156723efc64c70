/* fuzz_import_csv: libFuzzer over the CSV import path, from the file's bytes to the report: encoding
 * detection and conversion (core/bulk/import_text.c), then the sliced import (core/bulk/import.c) as a
 * dry run into a real SQLite database, so the header, presets, mapping, matching and every field type
 * are reached. The first byte picks the entity and the options; the rest is the file.
 *   make fuzz                      # FUZZ_SECONDS=60 by default
 *   build/fuzz/fuzz_import_csv DIR # as any libFuzzer binary */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/access/workspace.h"
#include "core/bulk/import.h"
#include "core/bulk/import_text.h"
#include "core/engine/schema.h"

static db *d;
static actor owner;
static char path[] = "/tmp/rapport-fuzz-XXXXXX";

static void remove_db(void)
{
    char buf[64];
    db_close(d);
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

static void setup(void)
{
    err_t e;
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    entity_init();
    if (fd < 0 || db_open(path, &d, &e) < 0 || schema_migrate(d, &e) < 0 ||
        workspace_create(d, "Fuzz", "owner@example.com", "owner-password-1", &owner, &e) < 0) {
        fprintf(stderr, "fuzz setup: %s\n", fd < 0 ? "no temporary file" : e.message);
        abort();
    }
    db_exec(d, "PRAGMA synchronous=OFF", &e); /* a throwaway file: no sync per slice */
    atexit(remove_db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!d)
        setup();
    if (size < 1)
        return 0;
    static const char *const entities[] = {"contacts", "clients", "interactions", "deals"};
    const entity *en = entity_by_name(entities[data[0] & 3]);
    import_opts o = {.dry_run = 1,
                     .skip_invalid = (data[0] >> 2) & 1,
                     .on_match = (data[0] >> 3) % 3,
                     .country_code = (data[0] & 0x20) ? "44" : NULL,
                     .client = (data[0] & 0x40) ? "Fuzz Co" : NULL,
                     .source = "fuzz"};
    strbuf conv = STRBUF_INIT, out = STRBUF_INIT;
    const char *text, *encoding;
    size_t n;
    err_t e;
    err_clear(&e);
    if (import_text_utf8((const char *)data + 1, size - 1, &conv, &text, &n, &encoding, &e) == 0)
        import_run(d, &owner, en, text, n, &o, NULL, &out, &e);
    strbuf_release(&conv);
    strbuf_release(&out);
    return 0;
}
