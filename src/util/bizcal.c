/* bizcal: a business calendar from a zone name and the workspace's JSON settings (see bizhours.h). */
#include "util/bizhours.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"

static const char *const day_keys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "HH:MM" from 00:00 to 24:00, in minutes. */
static int parse_hhmm(const char *s, int *minutes)
{
    for (int i = 0; i < 5; i++)
        if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || h * 60 + m > 24 * 60)
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

static int parse_interval(const char *s, bizcal_interval *iv)
{
    if (strlen(s) != 11 || s[5] != '-' || parse_hhmm(s, &iv->start) || parse_hhmm(s + 6, &iv->end))
        return -1;
    return iv->start < iv->end ? 0 : -1;
}

static int parse_day(bizcal *c, int wd, json_t *list, err_t *e)
{
    const char *key = day_keys[wd];
    size_t i;
    json_t *item;
    if (!json_is_array(list))
        return err_set(e, E_INVALID_VALUE, "business_hours", "%s: want an array of \"HH:MM-HH:MM\" strings", key);
    if (json_array_size(list) > BIZCAL_MAX_INTERVALS)
        return err_set(e, E_INVALID_VALUE, "business_hours", "%s: at most %d intervals a day", key,
                       BIZCAL_MAX_INTERVALS);
    json_array_foreach(list, i, item) {
        const char *s = json_string_value(item);
        bizcal_interval *iv = &c->open[wd][i];
        if (!s)
            return err_set(e, E_INVALID_VALUE, "business_hours", "%s: interval %zu is not a \"HH:MM-HH:MM\" string",
                           key, i + 1);
        if (parse_interval(s, iv))
            return err_set(e, E_INVALID_VALUE, "business_hours",
                           "%s: bad interval \"%.40s\" (want HH:MM-HH:MM between 00:00 and 24:00, start before end)",
                           key, s);
        if (i > 0 && iv->start < c->open[wd][i - 1].end)
            return err_set(e, E_INVALID_VALUE, "business_hours",
                           "%s: interval \"%.40s\" overlaps or precedes the one before it", key, s);
        c->nopen[wd] = (int)i + 1;
    }
    return 0;
}

static int parse_hours(bizcal *c, const char *hours_json, err_t *e)
{
    if (!hours_json) { /* the default: Monday to Friday, 09:00-17:00 */
        for (int wd = 0; wd < 5; wd++) {
            c->nopen[wd] = 1;
            c->open[wd][0] = (bizcal_interval){9 * 60, 17 * 60};
        }
        return 0;
    }
    json_error_t jerr;
    json_t *root = json_loads(hours_json, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr), *list;
    const char *key;
    int rc = 0;
    if (!root)
        return err_set(e, E_INVALID_VALUE, "business_hours", "business hours are not valid JSON: %s", jerr.text);
    if (!json_is_object(root))
        rc = err_set(e, E_INVALID_VALUE, "business_hours", "business hours must be an object with keys mon..sun");
    json_object_foreach(root, key, list) {
        if (rc)
            break;
        int wd = 0;
        while (wd < 7 && strcmp(key, day_keys[wd]))
            wd++;
        if (wd == 7)
            rc = err_set(e, E_INVALID_VALUE, "business_hours",
                         "unknown day \"%.20s\" (want mon, tue, wed, thu, fri, sat, sun)", key);
        else
            rc = parse_day(c, wd, list, e);
    }
    json_decref(root);
    return rc;
}

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int parse_holidays(bizcal *c, const char *holidays_json, err_t *e)
{
    if (!holidays_json)
        return 0;
    json_error_t jerr;
    json_t *root = json_loads(holidays_json, JSON_DECODE_ANY, &jerr), *item;
    size_t i;
    int rc = 0;
    if (!root)
        return err_set(e, E_INVALID_VALUE, "holidays", "holidays are not valid JSON: %s", jerr.text);
    if (!json_is_array(root))
        rc = err_set(e, E_INVALID_VALUE, "holidays", "holidays must be an array of \"YYYY-MM-DD\" dates");
    else if (json_array_size(root) > BIZCAL_MAX_HOLIDAYS)
        rc = err_set(e, E_INVALID_VALUE, "holidays", "at most %d holidays", BIZCAL_MAX_HOLIDAYS);
    else if (json_array_size(root) > 0 && !(c->holidays = malloc(json_array_size(root) * sizeof *c->holidays)))
        rc = err_set(e, E_INTERNAL, "holidays", "out of memory");
    json_array_foreach(root, i, item) {
        if (rc)
            break;
        const char *s = json_string_value(item);
        int64_t start;
        if (!s)
            rc = err_set(e, E_INVALID_VALUE, "holidays", "holiday %zu is not a \"YYYY-MM-DD\" string", i + 1);
        else if (clock_parse_date(s, &start))
            rc = err_set(e, E_INVALID_VALUE, "holidays", "bad holiday \"%.40s\" (want a date YYYY-MM-DD)", s);
        else
            c->holidays[c->nholidays++] = start / 86400; /* a date's start is a whole number of days */
    }
    json_decref(root);
    if (rc)
        return rc;
    if (c->nholidays > 1)
        qsort(c->holidays, c->nholidays, sizeof *c->holidays, cmp_day);
    size_t n = 0;
    for (i = 0; i < c->nholidays; i++)
        if (n == 0 || c->holidays[i] != c->holidays[n - 1])
            c->holidays[n++] = c->holidays[i];
    c->nholidays = n;
    return 0;
}

int bizcal_init(bizcal *c, const char *tz_name, const char *hours_json, const char *holidays_json, err_t *e)
{
    memset(c, 0, sizeof *c);
    int rc;
    if (!(c->zone = tz_get(tz_name ? tz_name : "UTC", e)))
        return E_INVALID_VALUE;
    if ((rc = parse_hours(c, hours_json, e)))
        return rc;
    for (int wd = 0; wd < 7; wd++)
        for (int i = 0; i < c->nopen[wd]; i++)
            c->week_seconds += (int64_t)(c->open[wd][i].end - c->open[wd][i].start) * 60;
    if (c->week_seconds == 0)
        return err_set(e, E_INVALID_VALUE, "business_hours", "no business hours in the week");
    if ((rc = parse_holidays(c, holidays_json, e))) {
        bizcal_release(c);
        return rc;
    }
    return 0;
}

void bizcal_release(bizcal *c)
{
    free(c->holidays);
    c->holidays = NULL;
    c->nholidays = 0;
}
