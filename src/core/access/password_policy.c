/* password_policy: refusing easily guessed passwords (see password_policy.h). */
#include "core/access/password_policy.h"

#include <ctype.h>
#include <string.h>

/* The commonest passwords of breach corpora, lowercased, and the words they are built on; a candidate
 * is refused when it, or it without trailing digits and punctuation, is one of them. */
static const char *const COMMON[] = {
    "000000", "111111", "112233", "121212", "123123", "123321", "123456", "123abc", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t",
    "1qaz2wsx", "654321", "666666", "696969", "7777777", "987654", "aa123456", "abc123", "abcd1234", "access",
    "admin", "administrator", "asdf", "asdfasdf", "asdfgh", "asdfghjk", "asdfghjkl", "azerty", "bailey", "baseball",
    "basketball", "batman", "charlie", "cheese", "chocolate", "computer", "corvette", "dallas", "dragon",
    "football", "freedom", "fuckyou", "ginger", "hello", "hellohello", "hockey", "hunter", "iloveyou", "internet",
    "jennifer", "jessica", "jordan", "killer", "letmein", "liverpool", "login", "lovely", "loveme", "master",
    "matrix", "michael", "michelle", "monkey", "mustang", "mypass", "mypassword", "nicole", "passw0rd", "password",
    "passwort", "pepper", "princess", "qazwsx", "qwer1234", "qwerty", "qwertyui", "qwertyuiop", "rapport", "secret",
    "shadow", "starwars", "summer", "sunshine", "superman", "test", "tester", "testing", "thomas", "tigger",
    "trustno1", "welcome", "whatever", "winter", "zaq12wsx", "zxcvbn", "zxcvbnm",
};

static int listed(const char *s)
{
    for (size_t i = 0; i < sizeof COMMON / sizeof COMMON[0]; i++)
        if (!strcmp(COMMON[i], s))
            return 1;
    return 0;
}

/* Every character the same, or each one step from the last in one direction (12345678, hgfedcba). */
static int trivial_run(const unsigned char *s, size_t n)
{
    int same = 1, up = 1, down = 1;
    for (size_t i = 1; i < n; i++) {
        same &= s[i] == s[0];
        up &= s[i] == s[i - 1] + 1;
        down &= s[i] + 1 == s[i - 1];
    }
    return same || up || down;
}

int password_policy_check(const char *field, const char *pw, size_t n, err_t *e)
{
    if (n < PASSWORD_MIN || n > PASSWORD_MAX)
        return err_set(e, E_INVALID_VALUE, field, "%s must be %d to %d characters", field, PASSWORD_MIN, PASSWORD_MAX);
    char low[64];
    int short_enough = n < sizeof low;
    if (short_enough) { /* every listed password is short; a long one is never listed */
        for (size_t i = 0; i < n; i++)
            low[i] = (char)tolower((unsigned char)pw[i]);
        low[n] = '\0';
    }
    size_t base = n; /* without trailing digits and punctuation: password123! is password */
    while (short_enough && base > 0 && (isdigit((unsigned char)low[base - 1]) || ispunct((unsigned char)low[base - 1])))
        base--;
    int weak = trivial_run((const unsigned char *)pw, n);
    if (!weak && short_enough) {
        weak = listed(low);
        low[base] = '\0';
        weak |= base > 0 && listed(low);
        weak |= base > 0 && base < n && trivial_run((const unsigned char *)low, base) && base >= 4;
    }
    if (weak)
        return err_set(e, E_INVALID_VALUE, field,
                       "%s is too easy to guess (a common password, a repeated or sequential run, or the service's "
                       "name): choose a phrase of a few unrelated words",
                       field);
    return 0;
}
