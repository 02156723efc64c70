/* rules_revenue: see rules.h. (Placeholder: accepts every write; the area's rules replace it.) */
#include "rules.h"

int rules_invoice_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

int rules_retainer_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

