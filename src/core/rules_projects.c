/* rules_projects: see rules.h. (Placeholder: accepts every write; the area's rules replace it.) */
#include "rules.h"

int rules_project_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

int rules_project_part_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

int rules_deliverable_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

int rules_change_request_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

int rules_change_request_after_write(write_ctx *c)
{
    (void)c;
    return 0;
}

