/* entities: THE entity table — every record type Rapport stores, described once (see entity.h).
 * Their own rules live in rules.c; everything generic is driven from here. */
#include <string.h>

#include "core/model/entity.h"
#include "core/events/events.h"
#include "core/events/webhooks.h"
#include "core/rules/rules.h"

static const char *const ROLES[] = {"owner", "admin", "member", "viewer", NULL};
static const char *const CLIENT_KINDS[] = {"client", "customer", NULL};
static const char *const RELATIONSHIPS[] = {"loyalty", "transactional", "need_based", "advisory", NULL};
static const char *const STAGES[] = {"lead", "prospect", "active", "past", "lost", NULL};
static const char *const CADENCES[] = {"weekly", "biweekly", "monthly", "quarterly", "none", NULL};
static const char *const CHANNELS[] = {"email", "phone", "video", "in_person", "message", NULL};
static const char *const INTERACTION_TYPES[] = {"call", "email", "meeting", "message", "note", NULL};
static const char *const DIRECTIONS[] = {"inbound", "outbound", NULL};
static const char *const CUSTOM_ENTITIES[] = {"clients", "contacts", "interactions", NULL};
static const char *const CUSTOM_TYPES[] = {"text", "number", "date", "select", "email", "url", NULL};
static const char *const DEAL_STATUSES[] = {"open", "won", "lost", NULL};
static const char *const PROJECT_STATUSES[] = {"proposed", "agreed", "active", "on_hold", "done", "cancelled", NULL};
static const char *const BILLING[] = {"fixed", "hourly", NULL};
static const char *const DELIVERABLE_STATUSES[] = {"todo", "in_progress", "delivered", "accepted", NULL};
static const char *const CHANGE_STATUSES[] = {"proposed", "approved", "rejected", NULL};
static const char *const TASK_KINDS[] = {"todo", "follow_up", "check_in", "onboarding", NULL};
static const char *const TASK_STATUSES[] = {"open", "done", NULL};
static const char *const TICKET_KINDS[] = {"inquiry", "request", "complaint", NULL};
static const char *const PRIORITIES[] = {"low", "normal", "high", "urgent", NULL};
static const char *const TICKET_STATUSES[] = {"open", "answered", "resolved", NULL};
static const char *const FEEDBACK_KINDS[] = {"csat", "nps", "pulse", "debrief", NULL};
static const char *const INVOICE_STATUSES[] = {"draft", "issued", "paid", "void", NULL};
static const char *const PERIODS[] = {"monthly", "quarterly", "yearly", NULL};
static const char *const AUDIT_ACTIONS[] = {"create", "update", "delete", "import", "merge", "unmerge", NULL};
static const char *const MERGEABLE[] = {"clients", "contacts", NULL};
/* the health score's bands (core/insight/health.h), best first */
static const char *const HEALTH_BANDS[] = {"healthy", "watch", "at_risk", NULL};

/* The moves a status may make (transition.c checks them; entity_check that they name the values above).
 * A won deal is final; a lost one can reopen. */
static const field_move DEAL_MOVES[] = {{"open", "won"}, {"open", "lost"}, {"lost", "open"}, {NULL, NULL}};
/* A project is agreed before it is active; done and cancelled are final. */
static const field_move PROJECT_MOVES[] = {
    {"proposed", "agreed"}, {"proposed", "active"},  {"proposed", "cancelled"}, {"agreed", "active"},
    {"agreed", "on_hold"},  {"agreed", "cancelled"}, {"active", "on_hold"},     {"active", "done"},
    {"active", "cancelled"}, {"on_hold", "active"},  {"on_hold", "done"},       {"on_hold", "cancelled"},
    {NULL, NULL}};
/* Delivered work can go back to in progress (rework); accepted is final. */
static const field_move DELIVERABLE_MOVES[] = {{"todo", "in_progress"}, {"todo", "delivered"},
                                               {"in_progress", "delivered"}, {"delivered", "in_progress"},
                                               {"delivered", "accepted"}, {NULL, NULL}};
/* A change request is decided once. */
static const field_move CHANGE_MOVES[] = {{"proposed", "approved"}, {"proposed", "rejected"}, {NULL, NULL}};
static const field_move TASK_MOVES[] = {{"open", "done"}, {"done", "open"}, {NULL, NULL}};
/* A reopened ticket keeps its first response: the promise is about the first answer, which happened.
 * answered → open is refused, so an answer cannot be taken back by a status change (a wrong
 * first_response_at is corrected by sending it). */
static const field_move TICKET_MOVES[] = {{"open", "answered"}, {"open", "resolved"}, {"answered", "resolved"},
                                          {"resolved", "open"}, {NULL, NULL}};
/* draft → issued → paid, or void from draft or issued; paid and void are final. */
static const field_move INVOICE_MOVES[] = {{"draft", "issued"}, {"issued", "paid"}, {"issued", "void"},
                                           {"draft", "void"}, {NULL, NULL}};
static const char *const DELIVERY_STATUSES[] = {"pending", "delivered", "failed", "cancelled", NULL};
static const char *const TEMPLATE_USES[] = {"general", "checkin_email", "onboarding_welcome", NULL};
/* the lists a saved view can hold the query of */
static const char *const VIEW_ENTITIES[] = {"clients", "contacts", "interactions", "deals", "projects", "tasks",
                                            "tickets", "feedback", "invoices", NULL};
/* the imports a saved mapping can be for (docs/import.md) */
static const char *const IMPORT_ENTITIES[] = {"clients", "contacts", "interactions", "deals", "projects", "tasks",
                                              "tickets", "feedback", "invoices", "retainers", NULL};


static const field workspace_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SORT, .label = "Name", .max = 200},
    {.name = "time_zone", .type = &FT_TEXT, .flags = F_LISTED, .label = "Time zone", .def = "\"UTC\"", .max = 64},
    {.name = "currency", .type = &FT_CURRENCY, .flags = F_LISTED | F_NOTNULL, .label = "Default currency",
     .def = "\"EUR\"", .since = 3},
    /* {"mon": ["09:00-17:00"], ...}: wall-clock opening hours per weekday, in time_zone */
    {.name = "business_hours", .type = &FT_JSON, .flags = F_NOTNULL, .label = "Business hours", .since = 3,
     .def = "{\"mon\":[\"09:00-17:00\"],\"tue\":[\"09:00-17:00\"],\"wed\":[\"09:00-17:00\"],"
            "\"thu\":[\"09:00-17:00\"],\"fri\":[\"09:00-17:00\"]}"},
    {.name = "holidays", .type = &FT_JSON_ARRAY, .flags = F_NOTNULL, .label = "Holidays (dates)", .def = "[]", .since = 3},
    /* {"weights": {...}, "bands": {...}, "thresholds": {...}}: overrides of the health score's defaults
     * (docs/health.md), checked by health_settings_check */
    {.name = "health_settings", .type = &FT_JSON, .flags = F_NOTNULL, .label = "Health score settings", .def = "{}",
     .since = 4},
    /* a BCP 47 tag ("en-GB", "de-CH") the web app formats dates, numbers and money by; none: the browser's */
    {.name = "locale", .type = &FT_TEXT, .flags = F_LISTED, .label = "Locale", .max = 35, .since = 15},
    /* an ISO 3166 region ("GB") national phone numbers are in (imports match phones in E.164); none: the
     * locale's region, else the time zone's country (core/bulk/import_match.h) */
    {.name = "default_country", .type = &FT_TEXT, .flags = F_LISTED, .label = "Default country (phone numbers)",
     .max = 2, .since = 16},
};

static const field user_fields[] = {
    {.name = "email", .type = &FT_EMAIL, .flags = F_REQUIRED | F_UNIQUE_ALL | F_LISTED | F_FILTER | F_SORT | F_PERSONAL,
     .label = "Email"},
    {.name = "name", .type = &FT_TEXT, .flags = F_LISTED | F_SORT | F_PERSONAL, .label = "Name", .max = 200},
    {.name = "role", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED | F_FILTER, .label = "Role", .values = ROLES,
     .def = "\"member\""},
    {.name = "active", .type = &FT_BOOL, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Active", .def = "true"},
    {.name = "password", .type = &FT_PASSWORD, .flags = F_WRITEONLY, .label = "Password"},
};

static const field client_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH | F_SORT, .label = "Name", .max = 200},
    {.name = "kind", .type = &FT_ENUM, .flags = F_FILTER | F_NOTNULL, .label = "Kind", .values = CLIENT_KINDS, .def = "\"client\""},
    {.name = "relationship_type", .type = &FT_ENUM, .flags = F_FILTER, .label = "Relationship", .values = RELATIONSHIPS},
    {.name = "stage", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_SORT | F_NOTNULL, .label = "Stage", .values = STAGES,
     .def = "\"lead\""},
    {.name = "owner_id", .type = &FT_REF, .flags = F_FILTER, .label = "Owner", .ref = "users"},
    {.name = "referred_by_id", .type = &FT_REF, .flags = F_FILTER, .label = "Referred by", .ref = "clients"},
    {.name = "email", .type = &FT_EMAIL, .flags = F_LISTED | F_SEARCH | F_FILTER | F_PERSONAL, .label = "Email"},
    {.name = "phone", .type = &FT_PHONE, .flags = F_PERSONAL, .label = "Phone"},
    {.name = "website", .type = &FT_URL, .flags = F_SEARCH, .label = "Website"},
    {.name = "started_at", .type = &FT_DATETIME, .flags = F_SORT, .label = "Client since"},
    {.name = "ended_at", .type = &FT_DATETIME, .flags = F_SORT, .label = "Client until"},
    {.name = "cadence", .type = &FT_ENUM, .flags = F_FILTER | F_NOTNULL, .label = "Update cadence", .values = CADENCES,
     .def = "\"none\""},
    {.name = "response_time_hours", .type = &FT_INT, .label = "Promised response (business hours)", .min = 0,
     .max = 10000},
    {.name = "preferred_channel", .type = &FT_ENUM, .flags = F_FILTER, .label = "Preferred channel", .values = CHANNELS},
    {.name = "point_of_contact_id", .type = &FT_REF, .label = "Point of contact", .ref = "contacts"},
    {.name = "tags", .type = &FT_TAGS, .flags = F_LISTED | F_FILTER | F_SEARCH | F_NOTNULL, .label = "Tags", .def = "[]"},
    {.name = "notes", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Notes"},
    /* {"updates": "email", "meetings": "video", "urgent": "phone", ...}: the channel per kind of conversation */
    {.name = "channels", .type = &FT_JSON, .flags = F_NOTNULL, .label = "Channel per conversation", .def = "{}",
     .since = 3},
    /* the intake questionnaire's answers, {"question": "answer"} */
    {.name = "intake", .type = &FT_JSON, .flags = F_NOTNULL, .label = "Intake answers", .def = "{}", .since = 3},
    {.name = "onboarding_template_id", .type = &FT_REF, .flags = F_READONLY, .label = "Onboarding",
     .ref = "onboarding_templates", .since = 3},
    /* the health score as the server last computed it for an active client (null otherwise): refreshed
     * by the worker when its inputs change, and daily (core/insight/health_store.c), so lists filter and
     * sort by it without scoring every client */
    {.name = "health_score", .type = &FT_INT, .flags = F_READONLY | F_SORT, .label = "Health score", .min = 0,
     .max = 100, .since = 10},
    {.name = "health_band", .type = &FT_ENUM, .flags = F_READONLY | F_FILTER, .label = "Health band",
     .values = HEALTH_BANDS, .since = 10},
    /* the score's change over 30 days: the at-risk list's order among equal scores, the faster fall first */
    {.name = "health_change_30_days", .type = &FT_INT, .flags = F_READONLY, .label = "Health change over 30 days",
     .min = -100, .max = 100, .since = 10},
    {.name = "health_band_before", .type = &FT_ENUM, .flags = F_READONLY, .label = "Health band before the last change",
     .values = HEALTH_BANDS, .since = 10},
    {.name = "health_band_changed_at", .type = &FT_DATETIME, .flags = F_READONLY, .label = "Health band changed",
     .since = 10},
    {.name = "health_scored_at", .type = &FT_DATETIME, .flags = F_READONLY, .label = "Health scored", .since = 10},
};

static const field contact_fields[] = {
    {.name = "client_id", .type = &FT_REF, .flags = F_REQUIRED | F_FILTER | F_LISTED, .label = "Client",
     .ref = "clients", .on_delete = REF_CASCADE},
    {.name = "first_name", .type = &FT_TEXT, .flags = F_LISTED | F_SEARCH | F_SORT | F_PERSONAL, .label = "First name",
     .max = 100},
    {.name = "last_name", .type = &FT_TEXT, .flags = F_LISTED | F_SEARCH | F_SORT | F_PERSONAL, .label = "Last name",
     .max = 100},
    {.name = "email", .type = &FT_EMAIL, .flags = F_LISTED | F_SEARCH | F_FILTER | F_PERSONAL, .label = "Email"},
    {.name = "phone", .type = &FT_PHONE, .flags = F_PERSONAL, .label = "Phone"},
    {.name = "title", .type = &FT_TEXT, .flags = F_SEARCH, .label = "Job title", .max = 200},
    {.name = "is_primary", .type = &FT_BOOL, .flags = F_FILTER | F_NOTNULL, .label = "Primary contact", .def = "false"},
    /* set by the contact's one-click unsubscribe (or by hand): automated mail skips them */
    {.name = "email_opt_out", .type = &FT_BOOL, .flags = F_FILTER | F_NOTNULL, .label = "No automated email",
     .def = "false", .since = 14},
};

static const field interaction_fields[] = {
    {.name = "client_id", .type = &FT_REF, .flags = F_REQUIRED | F_FILTER | F_LISTED, .label = "Client",
     .ref = "clients", .on_delete = REF_CASCADE},
    {.name = "contact_id", .type = &FT_REF, .flags = F_FILTER, .label = "Contact", .ref = "contacts"},
    {.name = "type", .type = &FT_ENUM, .flags = F_REQUIRED | F_FILTER | F_LISTED, .label = "Type",
     .values = INTERACTION_TYPES},
    {.name = "direction", .type = &FT_ENUM, .flags = F_FILTER, .label = "Direction", .values = DIRECTIONS},
    {.name = "occurred_at", .type = &FT_DATETIME, .flags = F_LISTED | F_SORT | F_NOTNULL, .label = "When"},
    {.name = "subject", .type = &FT_TEXT, .flags = F_LISTED | F_SEARCH, .label = "Subject", .max = 300},
    {.name = "summary", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Summary"},
    /* a call or meeting without a written summary, flagged until it has one (set by the rules) */
    {.name = "needs_summary", .type = &FT_BOOL, .flags = F_READONLY | F_FILTER | F_NOTNULL, .label = "Needs summary",
     .def = "false", .since = 3},
    {.name = "project_id", .type = &FT_REF, .flags = F_FILTER, .label = "Project", .ref = "projects", .since = 3},
    {.name = "ticket_id", .type = &FT_REF, .flags = F_FILTER, .label = "Ticket", .ref = "tickets", .since = 3},
};

#define CLIENT_REF {.name = "client_id", .type = &FT_REF, .flags = F_REQUIRED | F_FILTER | F_LISTED, \
                         .label = "Client", .ref = "clients", .on_delete = REF_CASCADE}
/* Records of a project carry its client too (set by the rules), so a client's timeline and lists need
 * no join. */
#define PROJECT_PART_REFS                                                                                       \
    {.name = "project_id", .type = &FT_REF, .flags = F_REQUIRED | F_FILTER | F_LISTED, .label = "Project",       \
     .ref = "projects", .on_delete = REF_CASCADE},                                                              \
    {.name = "client_id", .type = &FT_REF, .flags = F_READONLY | F_FILTER, .label = "Client", .ref = "clients",  \
     .on_delete = REF_CASCADE}
#define CURRENCY_FIELD {.name = "currency", .type = &FT_CURRENCY, .flags = F_NOTNULL, .label = "Currency"}

static const field deal_stage_fields[] = {
    {.name = "name", .type = &FT_SLUG, .flags = F_REQUIRED | F_UNIQUE | F_LISTED, .label = "Name"},
    {.name = "label", .type = &FT_TEXT, .flags = F_LISTED, .label = "Label", .max = 100},
    {.name = "position", .type = &FT_INT, .flags = F_LISTED | F_SORT | F_NOTNULL, .label = "Position", .min = 0,
     .max = 1000, .def = "0"},
    {.name = "probability", .type = &FT_INT, .flags = F_LISTED, .label = "Default probability (%)", .min = 0,
     .max = 100},
};

static const field deal_fields[] = {
    CLIENT_REF,
    {.name = "title", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH | F_SORT, .label = "Title",
     .max = 200},
    {.name = "value", .type = &FT_MONEY, .flags = F_LISTED | F_SORT, .label = "Value"},
    CURRENCY_FIELD,
    {.name = "stage", .type = &FT_SLUG, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Stage"},
    {.name = "probability", .type = &FT_INT, .flags = F_LISTED, .label = "Probability (%)", .min = 0, .max = 100},
    {.name = "expected_close", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Expected close"},
    {.name = "status", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Status",
     .values = DEAL_STATUSES, .moves = DEAL_MOVES, .def = "\"open\""},
    {.name = "lost_reason", .type = &FT_TEXT, .flags = F_SEARCH, .label = "Lost because", .max = 500},
    {.name = "closed_at", .type = &FT_DATETIME, .flags = F_READONLY | F_SORT, .label = "Closed"},
    {.name = "owner_id", .type = &FT_REF, .flags = F_FILTER, .label = "Owner", .ref = "users"},
};

static const field onboarding_template_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_UNIQUE | F_LISTED | F_SORT, .label = "Name",
     .max = 100},
    /* [{"title": "Welcome email", "kind": "email", "offset_days": 0, "description": "..."}, ...] in order */
    {.name = "steps", .type = &FT_JSON_ARRAY, .flags = F_REQUIRED, .label = "Steps"},
    /* the intake questionnaire: ["What does success look like?", ...] */
    {.name = "questions", .type = &FT_JSON_ARRAY, .flags = F_NOTNULL, .label = "Intake questions", .def = "[]"},
};

static const field project_fields[] = {
    CLIENT_REF,
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH | F_SORT, .label = "Name",
     .max = 200},
    {.name = "scope", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Scope"},
    {.name = "status", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Status",
     .values = PROJECT_STATUSES, .moves = PROJECT_MOVES, .def = "\"proposed\""},
    {.name = "start_date", .type = &FT_DATE, .flags = F_SORT, .label = "Start"},
    {.name = "due_date", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Due"},
    {.name = "budget", .type = &FT_MONEY, .flags = F_LISTED, .label = "Budget"},
    CURRENCY_FIELD,
    {.name = "billing", .type = &FT_ENUM, .flags = F_FILTER | F_NOTNULL, .label = "Billing", .values = BILLING,
     .def = "\"fixed\""},
    {.name = "hourly_rate", .type = &FT_MONEY, .label = "Hourly rate"},
    {.name = "agreed_at", .type = &FT_DATETIME, .label = "Agreed"},
    {.name = "agreed_by_id", .type = &FT_REF, .label = "Agreed by (client contact)", .ref = "contacts"},
    /* the baseline at agreement, and what approved change requests added since (set by the rules) */
    {.name = "original_budget", .type = &FT_MONEY, .flags = F_READONLY, .label = "Budget as agreed"},
    {.name = "original_due_date", .type = &FT_DATE, .flags = F_READONLY, .label = "Due as agreed"},
    {.name = "approved_change_cost", .type = &FT_MONEY, .flags = F_READONLY | F_NOTNULL, .label = "Approved changes",
     .def = "0"},
    {.name = "approved_change_days", .type = &FT_INT, .flags = F_READONLY | F_NOTNULL, .label = "Days added",
     .def = "0"},
};

static const field milestone_fields[] = {
    PROJECT_PART_REFS,
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH, .label = "Name", .max = 200},
    {.name = "due_date", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Due"},
    {.name = "reached_on", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Reached"},
};

static const field deliverable_fields[] = {
    PROJECT_PART_REFS,
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH, .label = "Name", .max = 200},
    {.name = "description", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Description"},
    {.name = "due_date", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Due"},
    {.name = "status", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Status",
     .values = DELIVERABLE_STATUSES, .moves = DELIVERABLE_MOVES, .def = "\"todo\""},
    {.name = "delivered_at", .type = &FT_DATETIME, .flags = F_SORT, .label = "Delivered"},
    {.name = "accepted_at", .type = &FT_DATETIME, .label = "Accepted"},
};

static const field change_request_fields[] = {
    PROJECT_PART_REFS,
    {.name = "description", .type = &FT_LONGTEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH, .label = "Change"},
    {.name = "impact_days", .type = &FT_INT, .flags = F_LISTED | F_NOTNULL, .label = "Days", .min = -3650,
     .max = 3650, .def = "0"},
    {.name = "impact_cost", .type = &FT_MONEY, .flags = F_LISTED | F_NOTNULL, .label = "Cost", .min = -1,
     .def = "0"},
    {.name = "status", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Status",
     .values = CHANGE_STATUSES, .moves = CHANGE_MOVES, .def = "\"proposed\""},
    {.name = "decided_at", .type = &FT_DATETIME, .flags = F_READONLY | F_SORT, .label = "Decided"},
    {.name = "decided_by_id", .type = &FT_REF, .label = "Decided by (client contact)", .ref = "contacts"},
};

static const field task_fields[] = {
    {.name = "title", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH, .label = "Title", .max = 300},
    {.name = "notes", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Notes"},
    {.name = "due_at", .type = &FT_DATETIME, .flags = F_LISTED | F_SORT, .label = "Due"},
    {.name = "assignee_id", .type = &FT_REF, .flags = F_FILTER, .label = "Assignee", .ref = "users"},
    {.name = "client_id", .type = &FT_REF, .flags = F_FILTER | F_LISTED, .label = "Client", .ref = "clients",
     .on_delete = REF_CASCADE},
    {.name = "project_id", .type = &FT_REF, .flags = F_FILTER, .label = "Project", .ref = "projects"},
    {.name = "interaction_id", .type = &FT_REF, .flags = F_FILTER, .label = "Interaction", .ref = "interactions"},
    {.name = "kind", .type = &FT_ENUM, .flags = F_FILTER | F_NOTNULL, .label = "Kind", .values = TASK_KINDS,
     .def = "\"todo\""},
    {.name = "status", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Status",
     .values = TASK_STATUSES, .moves = TASK_MOVES, .def = "\"open\""},
    {.name = "done_at", .type = &FT_DATETIME, .flags = F_READONLY | F_SORT, .label = "Done"},
    {.name = "position", .type = &FT_INT, .flags = F_NOTNULL, .label = "Step", .min = 0, .max = 1000, .def = "0"},
};

static const field ticket_fields[] = {
    CLIENT_REF,
    {.name = "contact_id", .type = &FT_REF, .flags = F_FILTER, .label = "Contact", .ref = "contacts"},
    {.name = "kind", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Kind", .values = TICKET_KINDS,
     .def = "\"inquiry\""},
    {.name = "subject", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH, .label = "Subject", .max = 300},
    {.name = "description", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Description"},
    {.name = "priority", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Priority",
     .values = PRIORITIES, .def = "\"normal\""},
    {.name = "opened_at", .type = &FT_DATETIME, .flags = F_LISTED | F_SORT | F_NOTNULL, .label = "Opened"},
    {.name = "first_response_at", .type = &FT_DATETIME, .flags = F_SORT, .label = "First response"},
    {.name = "resolved_at", .type = &FT_DATETIME, .flags = F_SORT, .label = "Resolved"},
    {.name = "status", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Status",
     .values = TICKET_STATUSES, .moves = TICKET_MOVES, .def = "\"open\""},
    /* held against the client's promised response time, in business hours (set by the rules) */
    {.name = "response_due_at", .type = &FT_DATETIME, .flags = F_READONLY | F_SORT, .label = "Response due"},
    {.name = "first_response_minutes", .type = &FT_INT, .flags = F_READONLY, .label = "First response (business min)"},
    {.name = "resolution_minutes", .type = &FT_INT, .flags = F_READONLY, .label = "Resolution (business min)"},
};

static const field feedback_fields[] = {
    CLIENT_REF,
    {.name = "project_id", .type = &FT_REF, .flags = F_FILTER, .label = "Project", .ref = "projects"},
    {.name = "contact_id", .type = &FT_REF, .flags = F_FILTER, .label = "From", .ref = "contacts"},
    {.name = "kind", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED | F_FILTER, .label = "Kind",
     .values = FEEDBACK_KINDS},
    {.name = "score", .type = &FT_INT, .flags = F_LISTED, .label = "Score", .min = 0, .max = 10},
    {.name = "comment", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Comment"},
    {.name = "received_at", .type = &FT_DATETIME, .flags = F_LISTED | F_SORT | F_NOTNULL, .label = "Received"},
    {.name = "acted_on_at", .type = &FT_DATETIME, .flags = F_SORT | F_SET_FILTER, .label = "Acted on"},
    {.name = "action_note", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "What we did"},
    {.name = "reply_note", .type = &FT_LONGTEXT, .label = "Note sent back to the client"},
};

static const field invoice_fields[] = {
    CLIENT_REF,
    {.name = "project_id", .type = &FT_REF, .flags = F_FILTER, .label = "Project", .ref = "projects"},
    {.name = "retainer_id", .type = &FT_REF, .flags = F_FILTER, .label = "Retainer", .ref = "retainers"},
    {.name = "number", .type = &FT_TEXT, .flags = F_UNIQUE | F_LISTED | F_SEARCH | F_SORT | F_NOTNULL,
     .label = "Number", .max = 50},
    {.name = "amount", .type = &FT_MONEY, .flags = F_REQUIRED | F_LISTED, .label = "Amount", .min = -1},
    CURRENCY_FIELD,
    {.name = "issued_on", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Issued"},
    {.name = "due_on", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Due"},
    {.name = "paid_on", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Paid"},
    {.name = "status", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Status",
     .values = INVOICE_STATUSES, .moves = INVOICE_MOVES, .def = "\"draft\""},
};

static const field retainer_fields[] = {
    CLIENT_REF,
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED, .label = "Name", .max = 200},
    {.name = "amount", .type = &FT_MONEY, .flags = F_REQUIRED | F_LISTED, .label = "Amount per period"},
    CURRENCY_FIELD,
    {.name = "period", .type = &FT_ENUM, .flags = F_LISTED | F_NOTNULL, .label = "Period", .values = PERIODS,
     .def = "\"monthly\""},
    {.name = "starts_on", .type = &FT_DATE, .flags = F_REQUIRED | F_LISTED | F_SORT, .label = "Starts"},
    {.name = "ends_on", .type = &FT_DATE, .flags = F_LISTED | F_SORT, .label = "Ends"},
};

static const field tag_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_UNIQUE | F_LISTED | F_SORT | F_FILTER, .label = "Name",
     .max = 50},
    {.name = "color", .type = &FT_TEXT, .flags = F_LISTED, .label = "Colour", .max = 20},
};

static const field token_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_LISTED, .label = "Name", .max = 100},
    {.name = "user_id", .type = &FT_REF, .flags = F_LISTED | F_FILTER, .label = "User", .ref = "users",
     .on_delete = REF_CASCADE},
    {.name = "token_hash", .type = &FT_TEXT, .flags = F_HIDDEN | F_UNIQUE_ALL, .label = "Token hash", .max = 64},
    /* optional: a token for a one-off script need not live for ever */
    {.name = "expires_at", .type = &FT_DATETIME, .flags = F_LISTED, .label = "Expires", .since = 11},
    /* written at most hourly, off the request path (core/access/token_use.c) */
    {.name = "last_used_at", .type = &FT_DATETIME, .flags = F_READONLY | F_LISTED, .label = "Last used", .since = 11},
};

static const field custom_field_fields[] = {
    {.name = "entity", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED | F_FILTER, .label = "Entity",
     .values = CUSTOM_ENTITIES},
    {.name = "key", .type = &FT_SLUG, .flags = F_REQUIRED | F_UNIQUE | F_LISTED, .label = "Key",
     .unique_with = "entity"},
    {.name = "label", .type = &FT_TEXT, .flags = F_LISTED, .label = "Label", .max = 100},
    {.name = "type", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED, .label = "Type", .values = CUSTOM_TYPES},
    {.name = "options", .type = &FT_TAGS, .flags = F_NOTNULL, .label = "Options (select)", .def = "[]"},
};

static const field audit_fields[] = {
    {.name = "action", .type = &FT_ENUM, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Action",
     .values = AUDIT_ACTIONS},
    {.name = "entity", .type = &FT_TEXT, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Entity"},
    {.name = "record_id", .type = &FT_TEXT, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Record"},
    {.name = "before", .type = &FT_JSON, .flags = F_READONLY, .label = "Before"},
    {.name = "after", .type = &FT_JSON, .flags = F_READONLY, .label = "After"},
};

/* A merge of two duplicates, kept so it can be undone: what the kept record was, the other record's whole
 * row, which fields came from it, and every reference moved (core/bulk/merge.c). */
static const field merge_fields[] = {
    {.name = "entity", .type = &FT_ENUM, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Entity",
     .values = MERGEABLE},
    {.name = "keep_id", .type = &FT_TEXT, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Kept record"},
    {.name = "other_id", .type = &FT_TEXT, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Merged record"},
    {.name = "other_name", .type = &FT_TEXT, .flags = F_READONLY | F_LISTED, .label = "Merged record's name"},
    {.name = "fields_from_other", .type = &FT_JSON_ARRAY, .flags = F_READONLY, .label = "Fields taken from the merged record"},
    {.name = "moved", .type = &FT_JSON, .flags = F_READONLY, .label = "References moved, by entity.field"},
    {.name = "keep_before", .type = &FT_JSON, .flags = F_READONLY, .label = "The kept record before"},
    {.name = "other_row", .type = &FT_JSON, .flags = F_READONLY, .label = "The merged record as stored"},
    {.name = "undone_at", .type = &FT_DATETIME, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Undone at"},
};

/* A saved list view (migration 14): a person's filters, sort and columns, kept as the list's query; shared
 * ones are seen by the whole workspace, changed only by their owner (rules_view_*). */
static const field view_fields[] = {
    {.name = "user_id", .type = &FT_REF, .flags = F_LISTED | F_FILTER, .label = "Owner", .ref = "users",
     .on_delete = REF_CASCADE},
    {.name = "entity", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED | F_FILTER, .label = "List",
     .values = VIEW_ENTITIES},
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SORT, .label = "Name", .max = 100},
    {.name = "shared", .type = &FT_BOOL, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Shared with the workspace",
     .def = "false"},
    /* {"q": "...", "stage": "active", "sort": "-name", "columns": ["name", "stage"]}: the list's query
     * parameters as an object, and the columns shown */
    {.name = "query", .type = &FT_JSON, .flags = F_NOTNULL, .label = "Query (filters, sort, columns)", .def = "{}"},
};

/* A saved import mapping (migration 16): where each column of a file goes, kept under a name so the next
 * export from the same product imports the same way (core/bulk/import.h). */
static const field import_mapping_fields[] = {
    {.name = "entity", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED | F_FILTER, .label = "Import of",
     .values = IMPORT_ENTITIES},
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_UNIQUE | F_LISTED | F_SORT, .label = "Name", .max = 100,
     .unique_with = "entity"},
    /* {"E-mail 1 - Value": "email", "Shoe size": "custom.shoe_size", "Fax": ""}: a column to a field, "company",
     * "notes", "full_name", "custom.KEY", or "" to leave it out */
    {.name = "mapping", .type = &FT_JSON, .flags = F_REQUIRED | F_NOTNULL, .label = "Column to field"},
    /* the header the mapping was made for: the web app offers it for files with the same columns */
    {.name = "columns", .type = &FT_JSON_ARRAY, .flags = F_NOTNULL, .label = "The file's columns", .def = "[]"},
};

/* Webhooks (migration 12): subscriptions and their deliveries (core/events/webhooks.h). */
static const field webhook_fields[] = {
    {.name = "url", .type = &FT_URL, .flags = F_REQUIRED | F_LISTED, .label = "URL (http or https)", .max = 2000},
    {.name = "events", .type = &FT_TAGS, .flags = F_REQUIRED | F_LISTED | F_NOTNULL, .label = "Event types",
     .values = event_type_names},
    {.name = "active", .type = &FT_BOOL, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Active", .def = "true"},
    {.name = "description", .type = &FT_TEXT, .flags = F_LISTED, .label = "Description", .max = 500},
    /* the signing secret, sealed under the server's key (util/secret.h, migration 17 sealed older ones): the
     * create and rotate answers show it once; deliveries are signed with it */
    {.name = "secret", .type = &FT_TEXT, .flags = F_HIDDEN, .label = "Signing secret", .max = 200},
    {.name = "disabled_reason", .type = &FT_TEXT, .flags = F_READONLY, .label = "Why it was disabled", .max = 500},
    {.name = "disabled_at", .type = &FT_DATETIME, .flags = F_READONLY, .label = "Disabled at"},
    /* after a rotation the secret before it (sealed too) still signs every message until this time */
    {.name = "previous_secret", .type = &FT_TEXT, .flags = F_HIDDEN, .label = "Previous signing secret", .max = 200,
     .since = 17},
    {.name = "previous_secret_expires_at", .type = &FT_DATETIME, .flags = F_READONLY,
     .label = "Previous secret valid until", .since = 17},
};

/* One message to one subscription; its id is the webhook-id of every attempt. Written by the program only. */
static const field webhook_delivery_fields[] = {
    {.name = "webhook_id", .type = &FT_REF, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Webhook",
     .ref = "webhooks", .on_delete = REF_CASCADE},
    {.name = "event", .type = &FT_TEXT, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Event", .max = 60},
    {.name = "status", .type = &FT_ENUM, .flags = F_READONLY | F_LISTED | F_FILTER | F_NOTNULL, .label = "Status",
     .values = DELIVERY_STATUSES, .def = "\"pending\""},
    {.name = "attempts", .type = &FT_INT, .flags = F_READONLY | F_LISTED | F_NOTNULL, .label = "Attempts", .def = "0"},
    {.name = "response_code", .type = &FT_INT, .flags = F_READONLY | F_LISTED, .label = "Last response status"},
    {.name = "duration_ms", .type = &FT_INT, .flags = F_READONLY, .label = "Last attempt's duration (ms)"},
    {.name = "last_error", .type = &FT_TEXT, .flags = F_READONLY, .label = "Last error", .max = 500},
    {.name = "next_attempt_at", .type = &FT_DATETIME, .flags = F_READONLY | F_LISTED | F_SORT, .label = "Next attempt"},
    {.name = "delivered_at", .type = &FT_DATETIME, .flags = F_READONLY, .label = "Delivered at"},
    {.name = "payload", .type = &FT_JSON, .flags = F_READONLY | F_NOTNULL, .label = "Body sent"},
    /* [{"attempt", "at", "status", "duration_ms", "error"}, ...] */
    {.name = "attempt_log", .type = &FT_JSON_ARRAY, .flags = F_READONLY | F_NOTNULL, .label = "Attempts",
     .def = "[]"},
};

/* Email templates: a subject and a Markdown body with {{variables}} (util/template.h), checked when saved. */
static const field template_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_UNIQUE | F_LISTED | F_SORT, .label = "Name", .max = 100},
    {.name = "use_for", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Used for",
     .values = TEMPLATE_USES, .def = "\"general\""},
    {.name = "subject", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED, .label = "Subject", .max = 300},
    {.name = "body", .type = &FT_LONGTEXT, .flags = F_REQUIRED, .label = "Body (Markdown)"},
};

#define FIELDS(a) a, (int)(sizeof a / sizeof a[0])

static const entity workspaces = {
    .name = "workspaces", .path = "workspaces", .singular = "workspace", .id_prefix = "ws",
    .title_sql = "r.name", .summary = "A firm's own space: every user and record belongs to exactly one.",
    .fields = FIELDS(workspace_fields), .ops = OP_LIST | OP_GET | OP_UPDATE,
    .before_write = rules_workspace_before_write,
    .flags = ENT_AUDITED | ENT_WORKSPACE_ROOT, .read_role = ROLE_VIEWER, .write_role = ROLE_OWNER, .since = 1};

static const entity users = {
    .name = "users", .path = "users", .singular = "user", .id_prefix = "usr", .title_sql = "r.email",
    .summary = "People who sign in, with a role: owner, admin, member or viewer.",
    .fields = FIELDS(user_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_ADMIN, .before_write = rules_user_before_write,
    .before_delete = rules_user_before_delete, .since = 1};

static const entity clients = {
    .name = "clients", .path = "clients", .singular = "client", .id_prefix = "cli", .title_sql = "r.name",
    .summary = "Companies and people the firm serves: leads, prospects, active and past clients.",
    .fields = FIELDS(client_fields), .ops = OP_ALL, .flags = ENT_CUSTOM | ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .before_write = rules_client_before_write, .after_write = rules_client_after_write,
    .describe = client_attention, .since = 1};

static const entity contacts = {
    .name = "contacts", .path = "contacts", .singular = "contact", .id_prefix = "con",
    .title_sql = "TRIM(COALESCE(r.first_name, '') || ' ' || COALESCE(r.last_name, ''))",
    .summary = "People at a client.", .fields = FIELDS(contact_fields), .ops = OP_ALL,
    .flags = ENT_CUSTOM | ENT_AUDITED, .read_role = ROLE_VIEWER, .write_role = ROLE_MEMBER, .since = 1};

static const entity interactions = {
    .name = "interactions", .path = "interactions", .singular = "interaction", .id_prefix = "int",
    .title_sql = "COALESCE(r.subject, r.type)",
    .summary = "Every call, email, meeting, message and note, with its written summary.",
    .fields = FIELDS(interaction_fields), .ops = OP_ALL, .flags = ENT_CUSTOM | ENT_AUDITED,
    .read_role = ROLE_VIEWER, .write_role = ROLE_MEMBER, .before_write = rules_interaction_before_write,
    .indexes = (const char *const[]){"client_id, occurred_at, direction, type", NULL}, .timeline_at = "r.occurred_at", .since = 1};

/* Lifecycle entities (migration 3): pipeline, onboarding, projects and scope, tasks, service, feedback,
 * revenue. Each names its moment on a client's timeline (timeline_at, over alias r). */
static const entity deal_stages = {
    .name = "deal_stages", .path = "deal-stages", .singular = "deal-stage", .id_prefix = "dst", .title_sql = "r.name",
    .summary = "The workspace's pipeline stages, in order, each with a default probability.",
    .fields = FIELDS(deal_stage_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_ADMIN, .before_write = rules_deal_stage_before_write,
    .before_delete = rules_deal_stage_before_delete, .since = 3};

static const entity deals = {
    .name = "deals", .path = "deals", .singular = "deal", .id_prefix = "dl", .title_sql = "r.title",
    .summary = "Opportunities in the pipeline; winning one makes its client active, losing one keeps the reason.",
    .fields = FIELDS(deal_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .refuse_move = rules_deal_refuse_move, .before_write = rules_deal_before_write,
    .after_write = rules_deal_after_write,
    /* a record sits at its own date where it has one, so imported or seeded history is not all "today" */
    .timeline_at = "COALESCE(r.closed_at, r.expected_close || 'T00:00:00Z', r.created_at)", .since = 3};

static const entity onboarding_templates = {
    .name = "onboarding_templates", .path = "onboarding-templates", .singular = "onboarding-template",
    .id_prefix = "obt", .title_sql = "r.name",
    .summary = "Ordered onboarding steps and intake questions, applied to a new client as dated tasks.",
    .fields = FIELDS(onboarding_template_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_ADMIN, .before_write = rules_onboarding_template_before_write, .since = 3};

static const entity projects = {
    .name = "projects", .path = "projects", .singular = "project", .id_prefix = "prj", .title_sql = "r.name",
    .summary = "Work for a client with agreed scope, budget and dates; active only after a recorded agreement.",
    .fields = FIELDS(project_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .before_write = rules_project_before_write,
    .timeline_at = "COALESCE(r.start_date || 'T00:00:00Z', r.agreed_at, r.created_at)", .since = 3};

static const entity milestones = {
    .name = "milestones", .path = "milestones", .singular = "milestone", .id_prefix = "ms", .title_sql = "r.name",
    .summary = "Dated points in a project's timeline.", .fields = FIELDS(milestone_fields), .ops = OP_ALL,
    .flags = ENT_AUDITED, .read_role = ROLE_VIEWER, .write_role = ROLE_MEMBER,
    .before_write = rules_project_part_before_write,
    .timeline_at = "COALESCE(r.reached_on || 'T00:00:00Z', r.created_at)", .since = 3};

static const entity deliverables = {
    .name = "deliverables", .path = "deliverables", .singular = "deliverable", .id_prefix = "dlv",
    .title_sql = "r.name", .summary = "What a project hands over, with its due date and delivery.",
    .fields = FIELDS(deliverable_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .before_write = rules_deliverable_before_write,
    .timeline_at = "COALESCE(r.delivered_at, r.due_date || 'T00:00:00Z', r.created_at)", .since = 3};

static const entity change_requests = {
    .name = "change_requests", .path = "change-requests", .singular = "change-request", .id_prefix = "chg",
    .title_sql = "SUBSTR(r.description, 1, 80)",
    .summary = "Changes to a project's scope with their cost and time; approving one moves its budget and dates.",
    .fields = FIELDS(change_request_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .refuse_move = rules_change_request_refuse_move,
    .before_write = rules_change_request_before_write,
    .after_write = rules_change_request_after_write, .timeline_at = "COALESCE(r.decided_at, r.created_at)",
    .since = 3};

static const entity tasks = {
    .name = "tasks", .path = "tasks", .singular = "task", .id_prefix = "tsk", .title_sql = "r.title",
    .summary = "Follow-ups and to-dos with a due time and an assignee, linked to a client, project or interaction.",
    .fields = FIELDS(task_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .before_write = rules_task_before_write,
    .indexes = (const char *const[]){"workspace_id, status, due_at", NULL},
    .timeline_at = "COALESCE(r.done_at, r.due_at, r.created_at)", .since = 3};

static const entity tickets = {
    .name = "tickets", .path = "tickets", .singular = "ticket", .id_prefix = "tkt", .title_sql = "r.subject",
    .summary = "Inquiries, requests and complaints, held against the client's promised response time.",
    .fields = FIELDS(ticket_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .imply = rules_ticket_imply, .before_write = rules_ticket_before_write,
    .timeline_at = "r.opened_at",
    .since = 3};

static const entity feedback = {
    .name = "feedback", .path = "feedback", .singular = "feedback", .id_prefix = "fb",
    /* its kind and score on the kind's scale ("NPS 4", "CSAT 2/5"): the kind alone says nothing on a timeline */
    .title_sql = "CASE r.kind WHEN 'csat' THEN 'CSAT' WHEN 'nps' THEN 'NPS' WHEN 'pulse' THEN 'Pulse' "
                 "WHEN 'debrief' THEN 'Debrief' ELSE r.kind END || "
                 "COALESCE(' ' || r.score || CASE WHEN r.kind = 'nps' THEN '' ELSE '/5' END, '')",
    .summary = "CSAT, NPS, pulse checks and debriefs; each can be marked acted-on with a note to the client.",
    .fields = FIELDS(feedback_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .before_write = rules_feedback_before_write, .timeline_at = "r.received_at",
    .since = 3};

static const entity invoices = {
    .name = "invoices", .path = "invoices", .singular = "invoice", .id_prefix = "inv", .title_sql = "r.number",
    .summary = "Invoices and their payment; paid ones are the client's revenue.", .fields = FIELDS(invoice_fields),
    .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER, .write_role = ROLE_MEMBER,
    .imply = rules_invoice_imply, .refuse_move = rules_invoice_refuse_move, .before_write = rules_invoice_before_write,
    .timeline_at = "COALESCE(r.paid_on || 'T00:00:00Z', r.issued_on || 'T00:00:00Z', r.created_at)", .since = 3};

static const entity retainers = {
    .name = "retainers", .path = "retainers", .singular = "retainer", .id_prefix = "ret", .title_sql = "r.name",
    .summary = "Recurring fees per client (monthly, quarterly, yearly).", .fields = FIELDS(retainer_fields),
    .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER, .write_role = ROLE_MEMBER,
    .before_write = rules_retainer_before_write, .timeline_at = "r.starts_on || 'T00:00:00Z'", .since = 3};

static const entity tags = {
    .name = "tags", .path = "tags", .singular = "tag", .id_prefix = "tag", .title_sql = "r.name",
    .summary = "Labels for clients; a client's tags are created here when first used.",
    .fields = FIELDS(tag_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .since = 1};

static const entity tokens = {
    .name = "tokens", .path = "tokens", .singular = "token", .id_prefix = "tok", .title_sql = "r.name",
    .summary = "API tokens for scripts; the secret is shown once, only its hash is kept. DELETE revokes.",
    .fields = FIELDS(token_fields), .ops = OP_LIST | OP_GET | OP_CREATE | OP_DELETE, .flags = ENT_AUDITED,
    .read_role = ROLE_VIEWER, .write_role = ROLE_VIEWER, .self_field = "user_id",
    .before_write = rules_token_before_write, .since = 1};

static const entity custom_fields = {
    .name = "custom_fields", .path = "custom-fields", .singular = "custom-field", .id_prefix = "cf",
    .title_sql = "r.key", .summary = "Fields an admin adds to clients, contacts or interactions.",
    .fields = FIELDS(custom_field_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_ADMIN, .before_write = rules_custom_field_before_write, .since = 1};

static const entity audit = {
    .name = "audit", .path = "audit", .singular = "audit", .id_prefix = "aud", .title_sql = "r.entity",
    .summary = "Every change: who, when, which record, and the record before and after.",
    .fields = FIELDS(audit_fields), .ops = OP_LIST | OP_GET, .read_role = ROLE_ADMIN, .write_role = ROLE_SYSTEM,
    .since = 1};

static const entity merges = {
    .name = "merges", .path = "merges", .singular = "merge", .id_prefix = "mrg", .title_sql = "r.other_name",
    .summary = "Duplicates merged into the record kept, with everything needed to undo it.",
    .fields = FIELDS(merge_fields), .ops = OP_LIST | OP_GET, .read_role = ROLE_MEMBER, .write_role = ROLE_SYSTEM,
    .since = 9};

static const entity webhooks = {
    .name = "webhooks", .path = "webhooks", .singular = "webhook", .id_prefix = "wh", .title_sql = "r.url",
    .summary = "Signed HTTP callbacks for events (Standard Webhooks); the signing secret is shown once.",
    .fields = FIELDS(webhook_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_ADMIN,
    .write_role = ROLE_ADMIN, .before_write = rules_webhook_before_write, .since = 12};

static const entity webhook_deliveries = {
    .name = "webhook_deliveries", .path = "webhook-deliveries", .singular = "webhook-delivery", .id_prefix = "msg",
    .title_sql = "r.event",
    .summary = "Each webhook message with its status, attempts, last response and timing; retried for three days.",
    .fields = FIELDS(webhook_delivery_fields), .ops = OP_LIST | OP_GET, .read_role = ROLE_ADMIN,
    .write_role = ROLE_SYSTEM, .since = 12};

static const entity templates = {
    .name = "templates", .path = "templates", .singular = "template", .id_prefix = "tpl", .title_sql = "r.name",
    .summary = "Email templates: a subject and a Markdown body with {{client.name}}-style variables, each escaped "
               "for the plain-text and the HTML part.",
    .fields = FIELDS(template_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .before_write = rules_template_before_write, .since = 14};

static const entity import_mappings = {
    .name = "import_mappings", .path = "import-mappings", .singular = "import-mapping", .id_prefix = "map",
    .title_sql = "r.name", .summary = "Saved import mappings: where each column of a file goes, by name.",
    .fields = FIELDS(import_mapping_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .before_write = rules_import_mapping_before_write, .since = 16};

static const entity views = {
    .name = "views", .path = "views", .singular = "view", .id_prefix = "vw", .title_sql = "r.name",
    .summary = "Saved list views (filters, sort, columns), each person's own or shared with the workspace.",
    .fields = FIELDS(view_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_VIEWER, .self_field = "user_id", .shared_field = "shared",
    .before_write = rules_view_before_write, .before_delete = rules_view_before_delete, .since = 15};

/* Order matters where SQL needs it: a table is created after the tables it references (or they are added
 * later by ALTER TABLE, see schema.c). */
const entity *const entity_table[] = {&workspaces, &users, &clients, &contacts, &interactions, &tags, &tokens,
                                      &custom_fields, &audit, &deal_stages, &deals, &onboarding_templates,
                                      &projects, &milestones, &deliverables, &change_requests, &tasks, &tickets,
                                      &feedback, &retainers, &invoices, &merges, &webhooks, &webhook_deliveries,
                                      &templates, &views, &import_mappings};
const int entity_count = (int)(sizeof entity_table / sizeof entity_table[0]);

int role_parse(const char *s)
{
    static const int roles[] = {ROLE_OWNER, ROLE_ADMIN, ROLE_MEMBER, ROLE_VIEWER};
    for (int i = 0; ROLES[i]; i++)
        if (s && !strcmp(s, ROLES[i]))
            return roles[i];
    return ROLE_NONE;
}

const char *role_name(int role)
{
    static const char *const names[] = {"none", "viewer", "member", "admin", "owner"};
    return role >= 0 && role <= ROLE_OWNER ? names[role] : "none";
}

const entity *entity_by_name(const char *name)
{
    for (int i = 0; i < entity_count; i++)
        if (!strcmp(entity_table[i]->name, name))
            return entity_table[i];
    return NULL;
}

const entity *entity_by_path(const char *path)
{
    for (int i = 0; i < entity_count; i++)
        if (!strcmp(entity_table[i]->path, path))
            return entity_table[i];
    return NULL;
}

const entity *entity_by_singular(const char *singular)
{
    for (int i = 0; i < entity_count; i++)
        if (!strcmp(entity_table[i]->singular, singular))
            return entity_table[i];
    return NULL;
}

const field *entity_field(const entity *en, const char *name)
{
    for (int i = 0; i < en->nfields; i++)
        if (!strcmp(en->fields[i].name, name))
            return &en->fields[i];
    return NULL;
}

static char *select_cols[sizeof entity_table / sizeof entity_table[0]];
/* SELECT of one record by id in a workspace (access_scope_sql may add to it) */
static char *fetch_sql[sizeof entity_table / sizeof entity_table[0]];

/* Column order: id, created_at, updated_at, created_by, version, then every field, then custom. */
void entity_init(void)
{
    entity_table_check(entity_table, entity_count);
    for (int i = 0; i < entity_count; i++) {
        if (select_cols[i])
            continue;
        const entity *en = entity_table[i];
        strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "r.id, r.created_at, r.updated_at, r.created_by, r.version");
        for (int f = 0; f < en->nfields; f++)
            strbuf_addf(&sb, ", r.\"%s\"", en->fields[f].name);
        strbuf_adds(&sb, (en->flags & ENT_CUSTOM) ? ", r.custom" : ", NULL");
        select_cols[i] = strbuf_detach(&sb, NULL);
        strbuf_addf(&sb, "SELECT %s FROM \"%s\" r WHERE r.id = ? AND r.workspace_id = ?", select_cols[i], en->name);
        fetch_sql[i] = strbuf_detach(&sb, NULL);
    }
}

/* The entity's position in the table, built by entity_init: a descriptor from elsewhere, or a call before
 * entity_init, is a programmer error (it used to come back as NULL SQL). */
static int built_index(const entity *en)
{
    for (int i = 0; i < entity_count; i++)
        if (entity_table[i] == en) {
            if (!select_cols[i])
                BUG("%s: entity_init has not run", en->name);
            return i;
        }
    BUG("%s is not in the entity table", en ? en->name : "(null)");
}

const char *entity_fetch_sql(const entity *en)
{
    return fetch_sql[built_index(en)];
}

const char *entity_select_cols(const entity *en)
{
    return select_cols[built_index(en)];
}
