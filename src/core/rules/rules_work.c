/* rules_work: tasks. Done records when; reopening forgets it. */
#include <string.h>

#include "core/rules/rules.h"

int rules_task_before_write(write_ctx *c)
{
    const char *to = json_string_value(json_object_get(c->body, "status"));
    const char *from = c->old ? json_string_value(json_object_get(c->old, "status")) : NULL;
    if (!to || (from && !strcmp(from, to)))
        return 0;
    if (!strcmp(to, "done"))
        rules_set_now(c->body, "done_at");
    else if (c->old)
        json_object_set_new(c->body, "done_at", json_null());
    return 0;
}
