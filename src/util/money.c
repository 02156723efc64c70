/* money: decimal strings to and from integer cents (see money.h). */
#include "util/money.h"

#include <stdio.h>

int money_parse(const char *s, int64_t *cents)
{
    int neg = 0;
    if (*s == '-')
        neg = 1, s++;
    if (*s < '0' || *s > '9')
        return -1;
    int64_t units = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        units = units * 10 + (*s - '0');
        if (units > MONEY_MAX / 100)
            return -1;
    }
    int64_t frac = 0;
    if (*s == '.') {
        s++;
        int n = 0;
        for (; *s >= '0' && *s <= '9'; s++, n++)
            if (n < 2)
                frac = frac * 10 + (*s - '0');
            else
                return -1; /* a third decimal would be rounded away: refuse rather than lose it */
        if (n == 0)
            return -1;
        if (n == 1)
            frac *= 10;
    }
    if (*s)
        return -1;
    *cents = (units * 100 + frac) * (neg ? -1 : 1);
    return 0;
}

void money_format(int64_t cents, char out[MONEY_LEN])
{
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(out, MONEY_LEN, "%s%llu.%02llu", cents < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned long long)(a % 100));
}
