#!/usr/bin/env bash
# banned.sh - src/util/banned.h turns each unsafe C library call into a compile error, in every file the
# Makefile compiles (it passes the header with -include): a call to each must fail to compile, naming
# it, while the safe replacements still compile. One "ok"/"not ok" line per check.
set -u
cd "$(dirname "$0")/.." || exit 2
CC=${CC:-gcc}
flags=(-Isrc -include src/util/banned.h -std=c11 -D_GNU_SOURCE -fsyntax-only -x c -)
status=0
while IFS='|' read -r name call; do
	out=$(printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <time.h>\nint f(char *d, const char *s, time_t *t) { (void)d; (void)s; (void)t; %s; return 0; }\n' "$call" |
		"$CC" "${flags[@]}" 2>&1)
	if grep -q "sorry_${name}_is_a_banned_function" <<<"$out"; then
		echo "ok - $name is a compile error"
	else
		echo "not ok - $name is a compile error"
		status=1
	fi
done <<'CALLS'
sprintf|sprintf(d, "%s", s)
vsprintf|vsprintf(d, s, NULL)
strcpy|strcpy(d, s)
strcat|strcat(d, s)
strncpy|strncpy(d, s, 4)
strncat|strncat(d, s, 4)
gets|gets(d)
atoi|(void)atoi(s)
atol|(void)atol(s)
atoll|(void)atoll(s)
strtok|(void)strtok(d, s)
gmtime|(void)gmtime(t)
localtime|(void)localtime(t)
ctime|(void)ctime(t)
asctime|(void)asctime(NULL)
CALLS
if printf '#include <stdio.h>\n#include <stdlib.h>\nint f(char *d, const char *s) { return snprintf(d, 8, "%%s", s) + (int)strtol(s, NULL, 10); }\n' |
	"$CC" "${flags[@]}" 2>/dev/null; then
	echo "ok - snprintf and strtol still compile"
else
	echo "not ok - snprintf and strtol still compile"
	status=1
fi
exit $status
