/* routes: THE route table of the REST API as data (see api.h). Each answer's schema is named here and
 * written in api/answers.json; the entities' own schemas come from the entity table. */
#include <stddef.h>
#include <string.h>

#include "api/api.h"
#include "core/model/entity.h"

static const char *const TRUE_FALSE[] = {"true", "false", NULL};
static const char *const BANDS[] = {"healthy", "watch", "at_risk", NULL};
static const char *const GROUP_BY[] = {"month", "owner", "client", NULL};

/* clang-format off */
#define AS_OF {"as_of", "date-time", "look at the past: the moment to compute for (default now)", 0, NULL, 0, 0}
#define FROM {"from", "date", "the period's first day (inclusive)", 0, NULL, 0, 0}
#define TO {"to", "date", "the day after the period's last (exclusive)", 0, NULL, 0, 0}
#define LIMIT(dflt, max) {"limit", "integer", "how many to return at most (default " #dflt ")", 0, NULL, 1, max}
static const char *const MERGEABLE[] = {"clients", "contacts", NULL};
static const char *const EXPORT_FORMATS[] = {"csv", "jsonl", NULL};
static const char *const ON_MATCH[] = {"create", "update", "skip", NULL};
#define MINE {"mine", "boolean", "true: only the caller's clients (overrides owner_id)", 0, TRUE_FALSE, 0, 0}
#define OWNER {"owner_id", "string", "only clients with this owner (a user id)", 0, NULL, 0, 0}
#define CHART_PERIOD FROM, TO, OWNER, {"client_id", "string", "only this client", 0, NULL, 0, 0}
/* clang-format on */

const api_route api_routes[] = {
    {"/", "GET", "getIndex", "the landing page", "system", R_PUBLIC | R_HTML | R_UNDOCUMENTED, .status = 200,
     .answer_description = "an HTML page pointing to the API and its description"},
    {"/api/v1/charts/health-bands", "GET", "getHealthBandsChart", "SVG bars of active clients per health band, now",
     "reports", R_SVG | R_NO_QUERY, .status = 200, .answer_description = "an SVG image"},
    {"/api/v1/charts/response-times", "GET", "getResponseTimesChart",
     "SVG histogram of first-response times (business hours) of the tickets opened in [from, to)", "reports", R_SVG,
     .query = {CHART_PERIOD}, .status = 200, .answer_description = "an SVG image"},
    {"/api/v1/charts/retention", "GET", "getRetentionChart", "SVG line of the monthly retention rate over [from, to)",
     "reports", R_SVG, .query = {CHART_PERIOD}, .status = 200, .answer_description = "an SVG image"},
    {"/api/v1/charts/revenue", "GET", "getRevenueChart", "SVG bars of paid revenue per month in one currency",
     "reports", R_SVG,
     .query = {CHART_PERIOD, {"currency", "string", "the currency to draw (default the workspace's)", 0, NULL, 0, 0}},
     .status = 200, .answer_description = "an SVG image"},
    {"/api/v1/check-ins/due", "GET", "listCheckInsDue",
     "check-ins due: active clients whose last outbound update is older than their cadence", "practice", 0,
     .query = {LIMIT(100, 1000), OWNER, MINE}, .status = 200, .answer = "CheckInsDue",
     .answer_description = "the clients due, most overdue first"},
    {"/api/v1/clients/{id}/health", "GET", "getClientHealth",
     "a client's health score 0-100, its band and each factor's points and evidence", "health", 0, .query = {AS_OF},
     .status = 200, .answer = "ClientHealth", .answer_description = "the score and its evidence"},
    {"/api/v1/clients/{id}/latency", "GET", "getClientLatency",
     "reply times both ways, recent median against the baseline, in business hours", "health", 0, .query = {AS_OF},
     .status = 200, .answer = "ClientLatency", .answer_description = "median reply times, theirs and ours"},
    {"/api/v1/clients/{id}/onboarding", "GET", "getClientOnboarding",
     "a client's onboarding progress and intake answers", "practice", 0, .status = 200, .answer = "OnboardingProgress",
     .answer_description = "steps done of the total"},
    {"/api/v1/clients/{id}/onboarding", "POST", "applyClientOnboarding",
     "apply an onboarding template: its steps become the client's dated tasks", "practice", R_BODY,
     .body = "OnboardingApply", .status = 201, .answer = "OnboardingTasks",
     .answer_description = "the tasks made from the template's steps"},
    {"/api/v1/clients/{id}/revenue", "GET", "getClientRevenue",
     "a client's paid total (lifetime value), last 12 months, outstanding, overdue, monthly recurring", "revenue",
     R_NO_QUERY, .status = 200, .answer = "ClientRevenue", .answer_description = "the client's figures per currency"},
    {"/api/v1/clients/{id}/timeline", "GET", "getClientTimeline", "everything about a client, newest first, paged",
     "practice", 0,
     .query = {LIMIT(50, 200),
               {"cursor", "string", "the next_cursor of the page before", 0, NULL, 0, 0},
               {"types", "string", "only these kinds, comma-separated singular names (interaction,task,ticket)", 0,
                NULL, 0, 0}},
     .status = 200, .answer = "Timeline", .answer_description = "one page of the client's records, newest first"},
    {"/api/v1/duplicates", "GET", "listDuplicates",
     "likely duplicates among clients or contacts, best first, each pair with why", "duplicates", 0,
     .query = {{"entity", "string", "which records to compare", 1, MERGEABLE, 0, 0}, LIMIT(50, 1000)},
     .status = 200, .answer = "Duplicates", .answer_description = "candidate pairs, the older record first"},
    {"/api/v1/feedback/{id}/acted-on", "POST", "markFeedbackActedOn",
     "mark feedback acted on, with what was done and the note sent back", "practice", R_BODY, .body = "FeedbackActedOn",
     .status = 200, .answer = "Feedback", .answer_description = "the feedback, acted on"},
    {"/api/v1/health/at-risk", "GET", "listAtRiskClients",
     "active clients by health score, lowest first, with top reasons and change over 30 days", "health", 0,
     .query = {AS_OF, LIMIT(50, 1000), OWNER, {"band", "string", "only clients in this band", 0, BANDS, 0, 0}, MINE},
     .status = 200, .answer = "AtRisk", .answer_description = "the clients, lowest score first"},
    {"/api/v1/imports", "GET", "listImports", "the workspace's latest imports, newest first", "imports", 0,
     .query = {LIMIT(20, 100)}, .status = 200, .answer = "ImportPage", .answer_description = "the imports"},
    {"/api/v1/imports/{id}", "DELETE", "cancelImport", "cancel an import: it stops after its current slice", "imports",
     R_NO_QUERY, .status = 200, .answer = "Import", .answer_description = "the import, cancelling"},
    {"/api/v1/imports/{id}", "GET", "getImport",
     "an import's progress (rows done, errors so far with row and column) and, once ended, its report", "imports",
     R_NO_QUERY, .status = 200, .answer = "Import", .answer_description = "the import"},
    {"/api/v1/interactions/{id}/follow-up", "POST", "composeFollowUp",
     "the follow-up email after a call or meeting, from its summary", "practice", R_BODY, .body = "FollowUpRequest",
     .status = 200, .status2 = 201, .answer = "FollowUp",
     .answer_description = "the composed email (201: record was true, and it was logged as sent)"},
    {"/api/v1/login", "POST", "login", "sign in; sets the session cookie", "auth", R_PUBLIC | R_BODY | R_DIRECT, .body = "Login",
     .status = 200, .answer = "Me", .answer_description = "signed in: the user and the workspace"},
    {"/api/v1/logout", "POST", "logout", "sign out: ends the session and clears its cookie", "auth", R_DIRECT, .status = 204,
     .answer_description = "signed out"},
    {"/api/v1/me", "GET", "getMe", "the calling user and their workspace", "auth", 0, .status = 200, .answer = "Me",
     .answer_description = "you"},
    {"/api/v1/merges", "POST", "mergeRecords",
     "merge a duplicate into the record kept: its fields fill the kept one's gaps, its references move over",
     "duplicates", R_BODY, .body = "MergeRequest", .status = 201, .answer = "Merge",
     .answer_description = "the merge, with what it needs to be undone"},
    {"/api/v1/merges/{id}/undo", "POST", "undoMerge",
     "undo a merge: the merged record comes back as it was, with its references", "duplicates", R_NO_QUERY,
     .status = 200, .answer = "Merge", .answer_description = "the merge, now undone"},
    {"/api/v1/metrics", "GET", "getMetrics",
     "retention, churn, revenue per client, response times, SLA, CSAT, NPS, delivery, scope, pipeline, win rate",
     "reports", 0,
     .query = {FROM,
               TO,
               OWNER,
               {"client_id", "string", "only this client", 0, NULL, 0, 0},
               {"group_by", "string", "also break the figures down by month, owner or client", 0, GROUP_BY, 0, 0}},
     .status = 200, .answer = "Metrics", .answer_description = "the figures over [from, to)"},
    {"/api/v1/openapi.json", "GET", "getOpenApi", "this document", "system", 0, .status = 200,
     .answer = "OpenApiDocument", .answer_description = "the OpenAPI description of the API"},
    {"/api/v1/pipeline", "GET", "getPipeline", "open deals per stage: count, value, weighted value; won and lost",
     "revenue", R_NO_QUERY, .status = 200, .answer = "Pipeline",
     .answer_description = "the pipeline per stage and currency"},
    {"/api/v1/projects/{id}/scope", "GET", "getProjectScope",
     "a project's scope: baseline, change requests, growth, deliverables, milestones", "projects", 0, .status = 200,
     .answer = "ProjectScope", .answer_description = "the project's scope report"},
    {"/api/v1/revenue", "GET", "getRevenue",
     "paid revenue in [from, to) per client and revenue per client; outstanding and overdue as of today", "revenue",
     0, .query = {FROM, TO}, .status = 200, .answer = "Revenue",
     .answer_description = "revenue per currency and client"},
    {"/api/v1/search", "GET", "search", "search clients, contacts, interactions and more by their words", "search", 0,
     .query = {{"q", "string", "the words; the last may be a prefix", 1, NULL, 0, 0}, LIMIT(20, 500)}, .status = 200,
     .answer = "SearchResults", .answer_description = "matches, best first"},
    {"/api/v1/sla/breaches", "GET", "listSlaBreaches",
     "tickets first answered after, or still unanswered past, the promised response time", "practice", 0,
     .query = {{"client_id", "string", "only this client's tickets", 0, NULL, 0, 0},
               {"open", "boolean", "true: only tickets still unanswered", 0, TRUE_FALSE, 0, 0},
               LIMIT(50, 500)},
     .status = 200, .answer = "SlaBreaches", .answer_description = "the breaches"},
    {"/api/v1/today", "GET", "getToday", "the day: tasks, check-ins due, summaries owed, tickets near their promise, clients at risk, invoices overdue, deliverables due", "practice", 0,
     .query = {{"all", "boolean", "true: everyone's, not only the caller's", 0, TRUE_FALSE, 0, 0}}, .status = 200,
     .answer = "Today", .answer_description = "what needs doing today"},
    {"/api/v1/webhooks/{id}/test", "POST", "sendWebhookTest",
     "send a signed webhook.test message to the subscription now (disabled or not)", "webhooks", R_NO_QUERY,
     .status = 202, .answer = "WebhookDelivery",
     .answer_description = "the delivery queued; its attempts show in the delivery log"},
    {"/api/v1/{entity}", "GET", "list{Entities}", "list, filter, search and sort; paged by cursor", NULL, 0, OP_LIST,
     .status = 200, .answer_description = "one page"},
    {"/api/v1/{entity}", "POST", "create{Entity}", "create one", NULL, R_BODY, OP_CREATE, .status = 201,
     .answer_description = "created"},
    {"/api/v1/{entity}/export", "GET", "export{Entities}",
     "every record the filters select (the list's filters, q and sort), as CSV or JSON Lines", NULL, R_EXPORT,
     OP_LIST, .query = {{"format", "string", "csv (the default) or jsonl", 0, EXPORT_FORMATS, 0, 0}},
     .status = 200, .answer_description = "the records: CSV with a header row, or one JSON record per line"},
    {"/api/v1/{entity}/import", "POST", "import{Entities}",
     "import records from a CSV body (text/csv) as a background job: 202 with the import to poll", NULL, R_CSV,
     OP_CREATE,
     .query = {{"dry_run", "boolean", "true: check every row, write none", 0, TRUE_FALSE, 0, 0},
               {"skip_invalid", "boolean", "true: import the valid rows and report the others", 0, TRUE_FALSE, 0, 0},
               {"preset", "string", "read the columns as this product exports them (default: recognised from the header)", 0, NULL, 0, 0},
               {"mapping", "string", "a JSON object of column: field, over the preset (\"\" ignores a column)", 0, NULL, 0, 0},
               {"client", "string", "contacts without a company join this client (id or name)", 0, NULL, 0, 0},
               {"on_match", "string", "what a row matching an existing record does", 0, ON_MATCH, 0, 0},
               {"country_code", "string", "the calling code phone numbers without one are in (44)", 0, NULL, 0, 0}},
     .status = 202, .answer = "Import", .answer_description = "the import, queued: poll GET /api/v1/imports/{id}"},
    {"/api/v1/{entity}/{id}", "DELETE", "delete{Entity}", "delete one", NULL, 0, OP_DELETE, .status = 204,
     .answer_description = "deleted"},
    {"/api/v1/{entity}/{id}", "GET", "get{Entity}", "read one", NULL, 0, OP_GET, .status = 200,
     .answer_description = "the record"},
    {"/api/v1/{entity}/{id}", "PATCH", "update{Entity}", "change fields; send the version you read", NULL, R_BODY,
     OP_UPDATE, .status = 200, .answer_description = "the record, changed"},
    {"/healthz", "GET", "getLiveness", "liveness: the server and its database answer; no auth", "system",
     R_PUBLIC | R_NO_QUERY, .status = 200, .answer = "Liveness", .answer_description = "up"},
};
const int api_route_count = (int)(sizeof api_routes / sizeof api_routes[0]);

const api_tag api_tags[] = {
    {"auth", "signing in and out, and who is calling"},
    {"practice", "the client practice across records: today, check-ins, timelines, onboarding, follow-ups, SLAs"},
    {"health", "the explainable health score, reply latency and the at-risk list"},
    {"projects", "a project's scope: baseline, change requests, growth"},
    {"duplicates", "likely duplicates found, merged, and merges undone"},
    {"imports", "CSV imports running as background jobs: progress, reports, cancel"},
    {"revenue", "the pipeline and paid revenue"},
    {"reports", "metrics over a period, and charts as SVG"},
    {"search", "full-text search across records"},
    {"system", "liveness and this description"},
};
const int api_tag_count = (int)(sizeof api_tags / sizeof api_tags[0]);

const api_route *api_route_by_id(const char *operation_id)
{
    for (int i = 0; i < api_route_count; i++)
        if (!strcmp(api_routes[i].operation_id, operation_id))
            return &api_routes[i];
    return NULL;
}
