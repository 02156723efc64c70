/* import_note: the note that keeps an imported contact's other columns (see import_impl.h).
 *
 * Contacts have no notes field, so the columns no field takes ("Lifecycle Stage: Lead", "City: Leeds")
 * are kept in one note interaction on the contact, "Imported details". A HubSpot export gives every
 * contact one, so it is written like the contact itself: one prepared INSERT per row, each value checked
 * by its field's own type, instead of the generic write path (a savepoint, the rules, the record read
 * back as JSON, the webhooks looked up, an audit entry holding the note again: most of the time of a
 * 100,000-row HubSpot import, docs/performance.md). Like the contacts, the notes are covered by the
 * import's own audit entry (the health refresh, which follows the audit log, misses nothing: a note
 * counts for no health factor); the clients the import creates still go through the generic path, with
 * their rules, audit entries and events. */
#include <string.h>

#include "core/bulk/import_impl.h"

/* The note's fields, in the INSERT's order. The interaction rules' work is done here: a note is not a
 * call or a meeting, so it never needs a summary, and it happened now (the import). */
static const char *const NOTE_FIELDS[] = {"client_id", "contact_id", "type", "occurred_at", "subject", "summary",
                                          "needs_summary"};
#define NOTE_NFIELDS ((int)(sizeof NOTE_FIELDS / sizeof NOTE_FIELDS[0]))

static int import_note_prepare(importer *im, err_t *e)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "INSERT INTO \"%s\" (id, workspace_id, created_at, updated_at, created_by, version",
                im->interactions->name);
    for (int i = 0; i < NOTE_NFIELDS; i++) {
        if (!entity_field(im->interactions, NOTE_FIELDS[i])) {
            strbuf_release(&sql);
            return err_set(e, E_INTERNAL, NOTE_FIELDS[i], "interactions have no field %s", NOTE_FIELDS[i]);
        }
        strbuf_addf(&sql, ", \"%s\"", NOTE_FIELDS[i]);
    }
    strbuf_adds(&sql, ") VALUES (?, ?, ?, ?, ?, 1");
    for (int i = 0; i < NOTE_NFIELDS; i++)
        strbuf_adds(&sql, ", ?");
    strbuf_addc(&sql, ')');
    int rc = db_prepare(im->d, sql.buf, &im->note_ins, e);
    strbuf_release(&sql);
    return rc;
}

int import_note_check(importer *im, const char *text, err_t *e)
{
    field_value v = {0};
    int rc = field_parse_text(entity_field(im->interactions, "summary"), text, &v, e);
    field_value_clear(&v);
    if (rc < 0) {
        char why[sizeof e->message];
        snprintf(why, sizeof why, "%s", e->message);
        return err_set(e, e->code, NULL, "the columns kept in a note on the contact: %s", why);
    }
    return 0;
}

int import_note_write(importer *im, const char *contact_id, const char *client_id, const char *text, err_t *e)
{
    if (!im->note_ins && import_note_prepare(im, e) < 0)
        return e->code;
    const char *values[] = {client_id, contact_id, "note", im->now, "Imported details", text, "false"};
    field_value v[NOTE_NFIELDS];
    memset(v, 0, sizeof v);
    int rc = 0, n;
    for (n = 0; n < NOTE_NFIELDS && rc == 0; n++) /* the summary's length and UTF-8, as any write's */
        rc = field_parse_text(entity_field(im->interactions, NOTE_FIELDS[n]), values[n], &v[n], e);
    if (rc == 0) {
        char id[ID_MAX];
        id_new(im->interactions->id_prefix, id);
        db_reset(im->note_ins);
        db_bind_text(im->note_ins, 1, id);
        db_bind_text(im->note_ins, 2, im->who->workspace_id);
        db_bind_text(im->note_ins, 3, im->now);
        db_bind_text(im->note_ins, 4, im->now);
        db_bind_text(im->note_ins, 5, im->who->user_id[0] ? im->who->user_id : NULL);
        for (int i = 0; i < NOTE_NFIELDS; i++)
            field_bind(im->note_ins, 6 + i, &v[i]);
        rc = db_step(im->note_ins, e);
    }
    for (int i = 0; i < n; i++)
        field_value_clear(&v[i]);
    return rc < 0 ? rc : 0;
}
