/* import_text: a file's bytes to the UTF-8 text the importer reads. Spreadsheets and address books
 * write UTF-8 (with or without a byte-order mark), UTF-16 (Outlook's and Excel's "Unicode text", with a
 * BOM or without one) or a single-byte code page (Excel's CSV on Windows: Windows-1252, of which
 * Latin-1's printable part is a subset). Each is recognised and converted, and the report names what
 * the file was; a NUL byte left in the text is refused with its row and column, since a database text
 * cannot hold it and a C string would silently end there. */
#ifndef RAPPORT_IMPORT_TEXT_H
#define RAPPORT_IMPORT_TEXT_H
#include <stddef.h>

#include "util/err.h"
#include "util/strbuf.h"

/* Sets *text and *n to UTF-8 text without a byte-order mark: buf itself when it already is that (nothing
 * copied), else the converted text in conv (the caller releases it). *encoding names what buf was:
 * "utf-8", "utf-16le", "utf-16be" or "windows-1252". E_INVALID_VALUE naming the row and column of a NUL,
 * or for UTF-16 that does not decode. */
int import_text_utf8(const char *buf, size_t len, strbuf *conv, const char **text, size_t *n, const char **encoding,
                     err_t *e);

#endif
