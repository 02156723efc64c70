/* rules_pipeline: see rules.h. (Placeholder: accepts every write; the area's rules replace it.) */
#include "rules.h"

int rules_deal_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

int rules_deal_after_write(write_ctx *c)
{
    (void)c;
    return 0;
}

