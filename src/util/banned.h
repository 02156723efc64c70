/* banned: C library calls Rapport does not use, made compile errors (after git's banned.h).
 *
 * Each either writes past a buffer it cannot see the end of (sprintf, vsprintf, strcpy, strcat, gets),
 * silently cuts or leaves a string unterminated (strncpy, strncat), turns bad input into 0 without a
 * word (atoi, atol, atoll), or keeps hidden state that threads share (strtok, gmtime, localtime, ctime,
 * asctime). Use snprintf or a strbuf, strtol with its end pointer, strtok_r, gmtime_r and util/tz.h.
 *
 * The Makefile passes it to every compile with -include, after the system headers that declare these
 * (included first here), so a use anywhere in src/ or tests/ fails to compile with its name. */
#ifndef RAPPORT_BANNED_H
#define RAPPORT_BANNED_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)

#endif
