/* rules_work: see rules.h. (Placeholder: accepts every write; the area's rules replace it.) */
#include "rules.h"

int rules_task_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

