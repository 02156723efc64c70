/* duplicates: finding the same client or contact entered twice, and merging them with an undo.
 *
 * The finder reads the workspace's records once and groups them by normalised keys (email, phone's
 * last nine digits, company domain, name without legal suffixes or punctuation); contacts of one client
 * whose names differ by a typo or two also pair up. Each candidate pair says why, with a score.
 *
 * A merge keeps one record: fields it lacks are taken from the other (tags and custom values are
 * joined), every reference to the other (contacts, interactions, deals, projects, tickets, ...) moves to
 * it, and the other is removed. The merge is a record of its own (the `merges` entity) holding the
 * kept record before, the other's whole row and each reference moved, so it can be undone exactly;
 * both records' audit entries stay, and the merge and its undo are audited. */
#ifndef RAPPORT_DUPLICATES_H
#define RAPPORT_DUPLICATES_H
#include "core/model/entity.h"

/* Appends {"data":[{"a":{"id","name"},"b":{...},"score":0.96,"reasons":[{"kind","value"}]}]}, the best
 * `limit` pairs, highest score first; a is the older record (the one to keep, by default). */
int duplicates_find(db *d, const actor *who, const entity *en, int limit, strbuf *out, err_t *e);

/* Merges other into keep (both of en, clients or contacts) in one transaction; appends the merge
 * record. */
int duplicates_merge(db *d, const actor *who, const entity *en, const char *keep, const char *other, strbuf *out,
                     err_t *e);

/* Undoes a merge (once): the other record comes back as it was, its references move back, and the kept
 * record's fields taken from it are restored. Appends the merge record. */
int duplicates_unmerge(db *d, const actor *who, const char *merge_id, strbuf *out, err_t *e);

#endif
