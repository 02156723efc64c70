/* rules_service: see rules.h. (Placeholder: accepts every write; the area's rules replace it.) */
#include "rules.h"

int rules_ticket_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

int rules_feedback_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

