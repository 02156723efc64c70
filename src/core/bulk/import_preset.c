/* import_preset: other products' export columns (see import_preset.h).
 *
 * Each table lists the columns the product's export writes and what each feeds; where each list comes
 * from (a real export, or the product's documentation only) is in docs/import.md. A column listed for one
 * entity only ("Company Name" is a client's name in a companies export but a contact's company in a
 * contacts export) names that entity; a target the entity has no field for is skipped, so one table
 * serves contacts, clients and deals. Columns not listed are kept in the notes like any unknown column. */
#include "core/bulk/import_preset.h"

#include <string.h>
#include <strings.h>

#define END                                                                                                            \
    {                                                                                                                  \
        NULL, NULL, NULL                                                                                               \
    }

/* HubSpot: exports of contacts, companies and deals all start with "Record ID"; the columns are the
 * properties' labels. Checked against the header of a real contacts export (2023); companies and deals
 * against HubSpot's default property labels only. Owners, addresses, lifecycle and deal stages (the
 * workspace's stages are its own) are kept in the notes. */
static const import_preset_column hubspot[] = {{"First Name", "first_name", NULL},
                                               {"Last Name", "last_name", NULL},
                                               {"Email", "email", NULL},
                                               {"Phone Number", "phone", NULL},
                                               {"Mobile Phone Number", "phone", NULL},
                                               {"Job Title", "title", NULL},
                                               {"Company Name", "name", "clients"},
                                               {"Company name", "company", NULL}, /* a contact's own company */
                                               {"Associated Company", "company", NULL},
                                               {"Company Domain Name", "website", "clients"},
                                               {"Website URL", "website", "clients"},
                                               {"Deal Name", "title", "deals"},
                                               {"Amount", "value", "deals"},
                                               {"Close Date", "expected_close", "deals"},
                                               {"Deal Stage", "", "deals"}, /* the workspace's stages are its own */
                                               END};
static const char *const hubspot_sig[] = {"Record ID", NULL};

/* Salesforce's data export and Data Loader (API names: FirstName, AccountId, CloseDate) and its reports
 * (field labels: First Name, Account Name, Close Date), from Salesforce's field reference. A data
 * export names a contact's account by id (AccountId) only: such contacts become clients of their own
 * unless --client or a mapping says otherwise. */
static const import_preset_column salesforce[] = {{"FirstName", "first_name", NULL},
                                                  {"LastName", "last_name", NULL},
                                                  {"Email", "email", NULL},
                                                  {"Phone", "phone", NULL},
                                                  {"MobilePhone", "phone", NULL},
                                                  {"HomePhone", "phone", NULL},
                                                  {"OtherPhone", "phone", NULL},
                                                  {"Business Phone", "phone", NULL},
                                                  {"Mobile", "phone", NULL},
                                                  {"Mobile Phone", "phone", NULL},
                                                  {"Home Phone", "phone", NULL},
                                                  {"Title", "title", NULL},
                                                  {"First Name", "first_name", NULL},
                                                  {"Last Name", "last_name", NULL},
                                                  {"Account Name", "name", "clients"},
                                                  {"Account Name", "company", NULL},
                                                  {"Name", "name", "clients"},
                                                  {"Name", "title", "deals"},
                                                  {"Website", "website", "clients"},
                                                  {"Description", "notes", NULL},
                                                  {"Opportunity Name", "title", "deals"},
                                                  {"Amount", "value", "deals"},
                                                  {"Close Date", "expected_close", "deals"},
                                                  {"CloseDate", "expected_close", "deals"},
                                                  {"Probability (%)", "probability", "deals"},
                                                  {"Probability", "probability", "deals"},
                                                  {"Stage", "", "deals"},
                                                  {"StageName", "", "deals"},
                                                  END};
static const char *const salesforce_api_sig[] = {"FirstName", "LastName", NULL};
static const char *const salesforce_account_api_sig[] = {"Name", "BillingStreet", NULL};
static const char *const salesforce_opportunity_api_sig[] = {"StageName", "CloseDate", NULL};
static const char *const salesforce_report_sig[] = {"Account Name", "Contact Owner", NULL};
static const char *const salesforce_account_report_sig[] = {"Account Owner", "Account Name", NULL};
static const char *const salesforce_opportunity_sig[] = {"Opportunity Name", NULL};

/* Pipedrive: every column is "Entity - Field", with a column per kind of email and phone ("Person -
 * Email - Work"). Checked against the columns real people, organizations and deals exports have, as
 * public code that reads them names them; newer exports write "Deal - Currency of Value". */
static const import_preset_column pipedrive[] = {{"Person - Name", "full_name", NULL},
                                                 {"Person - First name", "first_name", NULL},
                                                 {"Person - Last name", "last_name", NULL},
                                                 {"Person - Email", "email", NULL},
                                                 {"Person - Email - Work", "email", NULL},
                                                 {"Person - Email - Home", "email", NULL},
                                                 {"Person - Email - Other", "email", NULL},
                                                 {"Person - Phone", "phone", NULL},
                                                 {"Person - Phone - Work", "phone", NULL},
                                                 {"Person - Phone - Mobile", "phone", NULL},
                                                 {"Person - Phone - Home", "phone", NULL},
                                                 {"Person - Phone - Other", "phone", NULL},
                                                 {"Person - Job title", "title", NULL},
                                                 {"Person - Organization", "company", NULL},
                                                 {"Person - Notes", "notes", NULL},
                                                 {"Organization - Name", "name", "clients"},
                                                 {"Organization - Name", "company", NULL},
                                                 {"Organization - Website", "website", "clients"},
                                                 {"Deal - Title", "title", "deals"},
                                                 {"Deal - Value", "value", "deals"},
                                                 {"Deal - Currency", "currency", "deals"},
                                                 {"Deal - Currency of Value", "currency", "deals"},
                                                 {"Deal - Expected close date", "expected_close", "deals"},
                                                 {"Deal - Probability", "probability", "deals"},
                                                 {"Deal - Status", "status", "deals"},
                                                 {"Deal - Lost reason", "lost_reason", "deals"},
                                                 {"Deal - Organization", "company", NULL},
                                                 {"Deal - Stage", "", "deals"},
                                                 END};
static const char *const pipedrive_person_sig[] = {"Person - Name", NULL};
static const char *const pipedrive_org_sig[] = {"Organization - Name", NULL};
static const char *const pipedrive_deal_sig[] = {"Deal - Title", NULL};

/* Zoho CRM: contacts, accounts and deals, by the standard fields' labels (Zoho's "Standard Modules &
 * Fields"); its exports start with "Record Id" and name a related record twice ("Account Name" and
 * "Account Name.id"). */
static const import_preset_column zoho[] = {{"First Name", "first_name", NULL},
                                            {"Last Name", "last_name", NULL},
                                            {"Email", "email", NULL},
                                            {"Phone", "phone", NULL},
                                            {"Mobile", "phone", NULL},
                                            {"Home Phone", "phone", NULL},
                                            {"Other Phone", "phone", NULL},
                                            {"Title", "title", NULL},
                                            {"Account Name", "name", "clients"},
                                            {"Account Name", "company", NULL},
                                            {"Website", "website", "clients"},
                                            {"Description", "notes", NULL},
                                            {"Deal Name", "title", "deals"},
                                            {"Amount", "value", "deals"},
                                            {"Closing Date", "expected_close", "deals"},
                                            {"Probability (%)", "probability", "deals"},
                                            {"Stage", "", "deals"},
                                            END};
static const char *const zoho_export_sig[] = {"Record Id", "Account Name", NULL};
static const char *const zoho_contact_sig[] = {"Contact Owner", "Account Name", "Secondary Email", NULL};
static const char *const zoho_account_sig[] = {"Account Owner", "Account Name", "Billing Code", NULL};
static const char *const zoho_deal_sig[] = {"Deal Name", "Closing Date", NULL};

/* Google Contacts' current export. */
static const import_preset_column google[] = {{"First Name", "first_name", NULL},
                                              {"Last Name", "last_name", NULL},
                                              {"E-mail 1 - Value", "email", NULL},
                                              {"Phone 1 - Value", "phone", NULL},
                                              {"Organization Name", "company", NULL},
                                              {"Organization Title", "title", NULL},
                                              {"Notes", "notes", NULL},
                                              END};
static const char *const google_sig[] = {"First Name", "Labels", "E-mail 1 - Value", NULL};

/* Google Contacts' older export ("Google CSV" until 2021). */
static const import_preset_column google_legacy[] = {{"Given Name", "first_name", NULL},
                                                     {"Family Name", "last_name", NULL},
                                                     {"E-mail 1 - Value", "email", NULL},
                                                     {"Phone 1 - Value", "phone", NULL},
                                                     {"Organization 1 - Name", "company", NULL},
                                                     {"Organization 1 - Title", "title", NULL},
                                                     {"Notes", "notes", NULL},
                                                     END};
static const char *const google_legacy_sig[] = {"Given Name", "Family Name", "E-mail 1 - Value", NULL};

/* Outlook's "Comma Separated Values" export. */
static const import_preset_column outlook[] = {{"First Name", "first_name", NULL}, {"Last Name", "last_name", NULL},
                                               {"E-mail Address", "email", NULL},  {"Business Phone", "phone", NULL},
                                               {"Mobile Phone", "phone", NULL},    {"Home Phone", "phone", NULL},
                                               {"Company", "company", NULL},       {"Job Title", "title", NULL},
                                               {"Notes", "notes", NULL},           END};
static const char *const outlook_sig[] = {"E-mail Address", NULL};

/* Thunderbird's address book export. */
static const import_preset_column thunderbird[] = {{"First Name", "first_name", NULL}, {"Last Name", "last_name", NULL},
                                                   {"Primary Email", "email", NULL},   {"Work Phone", "phone", NULL},
                                                   {"Mobile Number", "phone", NULL},   {"Home Phone", "phone", NULL},
                                                   {"Organization", "company", NULL},  {"Job Title", "title", NULL},
                                                   {"Notes", "notes", NULL},           END};
static const char *const thunderbird_sig[] = {"Primary Email", NULL};

/* In the order they are tried: the more particular signatures first. */
static const import_preset presets[] = {
    {"google", "Google Contacts", google_sig, google},
    {"google-legacy", "Google Contacts (the older Google CSV)", google_legacy_sig, google_legacy},
    {"outlook", "Outlook", outlook_sig, outlook},
    {"pipedrive", "Pipedrive (people)", pipedrive_person_sig, pipedrive},
    {"pipedrive", "Pipedrive (organizations)", pipedrive_org_sig, pipedrive},
    {"pipedrive", "Pipedrive (deals)", pipedrive_deal_sig, pipedrive},
    {"salesforce", "Salesforce (data export)", salesforce_api_sig, salesforce},
    {"salesforce", "Salesforce (accounts, data export)", salesforce_account_api_sig, salesforce},
    {"salesforce", "Salesforce (opportunities, data export)", salesforce_opportunity_api_sig, salesforce},
    {"thunderbird", "Thunderbird", thunderbird_sig, thunderbird},
    /* Zoho before HubSpot: "Record Id" and "Record ID" are one column to a header compared ignoring case */
    {"zoho", "Zoho CRM", zoho_export_sig, zoho},
    {"zoho", "Zoho CRM (contacts)", zoho_contact_sig, zoho},
    {"zoho", "Zoho CRM (accounts)", zoho_account_sig, zoho},
    {"zoho", "Zoho CRM (deals)", zoho_deal_sig, zoho},
    {"hubspot", "HubSpot", hubspot_sig, hubspot},
    {"salesforce", "Salesforce (report)", salesforce_report_sig, salesforce},
    {"salesforce", "Salesforce (accounts report)", salesforce_account_report_sig, salesforce},
    {"salesforce", "Salesforce (opportunities)", salesforce_opportunity_sig, salesforce},
};
static const int npresets = (int)(sizeof presets / sizeof presets[0]);

const import_preset *import_preset_find(const char *name)
{
    for (int i = 0; i < npresets; i++)
        if (!strcasecmp(presets[i].name, name))
            return &presets[i];
    return NULL;
}

static int has_header(const char *const *headers, int n, const char *want)
{
    for (int i = 0; i < n; i++)
        if (!strcasecmp(headers[i], want))
            return 1;
    return 0;
}

const import_preset *import_preset_detect(const entity *en, const char *const *headers, int n)
{
    (void)en;
    for (int i = 0; i < npresets; i++) {
        int all = 1;
        for (const char *const *s = presets[i].signature; *s && all; s++)
            all = has_header(headers, n, *s);
        if (all)
            return &presets[i];
    }
    return NULL;
}

const char *import_preset_target(const import_preset *p, const entity *en, const char *header)
{
    /* a preset found by name serves every file of that product: look through all its tables */
    for (int i = 0; i < npresets; i++) {
        if (strcmp(presets[i].name, p->name))
            continue;
        for (const import_preset_column *c = presets[i].columns; c->header; c++) {
            if (strcasecmp(c->header, header) || (c->entity && strcmp(c->entity, en->name)))
                continue;
            if (!strcmp(c->target, "notes") && !entity_field(en, "notes") && strcmp(en->name, "contacts"))
                continue; /* deals have no notes: the column is left to the header's own name */
            if (!*c->target || !strcmp(c->target, "company") || !strcmp(c->target, "notes") ||
                entity_field(en, c->target) || (!strcmp(c->target, "full_name") && entity_field(en, "first_name")))
                return c->target;
        }
    }
    return NULL;
}

const char *import_preset_names(void)
{
    return "google, google-legacy, hubspot, outlook, pipedrive, salesforce, thunderbird, zoho";
}
