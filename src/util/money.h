/* money: amounts as exact integers of cents, written as decimal strings ("1250.00") — never floats, so
 * sums, budgets and scope growth add up to the cent on every backend. */
#ifndef RAPPORT_MONEY_H
#define RAPPORT_MONEY_H
#include <stdint.h>

#define MONEY_LEN 24           /* "-92233720368547758.08" and the NUL fit */
#define MONEY_MAX 100000000000000000LL /* 10^15 units in cents: beyond any invoice, far from overflow */

/* "1250", "1250.5", "1250.00", "-3.20" → cents. At most two decimals; returns 0 or -1. */
int money_parse(const char *s, int64_t *cents);
/* cents → "1250.00" */
void money_format(int64_t cents, char out[MONEY_LEN]);

#endif
