/* rules_onboarding: see rules.h. (Placeholder: accepts every write; the area's rules replace it.) */
#include "rules.h"

int rules_onboarding_template_before_write(write_ctx *c)
{
    (void)c;
    return 0;
}

