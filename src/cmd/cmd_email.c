/* cmd_email: the outbox and the workspace's email settings from the command line — the same core calls
 * as the API's, the same access decisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/practice/template_fill.h"
#include "sched/mail_settings.h"
#include "sched/outbox.h"
#include "cmd/cmd.h"

static void show_outbox(json_t *j)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(j, "data"), i, m) {
        printf("%-30s %-8s %2lld  %-28s %s\n", cli_str(m, "id"), cli_str(m, "status"),
               (long long)json_integer_value(json_object_get(m, "attempts")), cli_str(m, "recipient"),
               cli_str(m, "subject"));
        const char *err = cli_str(m, "last_error");
        if (err && *err)
            printf("    %s\n", err);
    }
    if (!json_array_size(json_object_get(j, "data")))
        printf("the outbox is empty\n");
}

int cmd_outbox_list(cli *c, err_t *e)
{
    const char *status = cli_opt(c, "status"), *cursor = cli_opt(c, "cursor");
    int n = 50, rc = cli_limit(c, 50, 500, &n, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    if ((rc = access_whole(&c->who, entity_by_name("interactions"), OP_LIST, e)))
        return rc;
    strbuf out = STRBUF_INIT;
    return cli_print_report(c, outbox_list(c->db, c->who.workspace_id, status, n, cursor, &out, e), &out, show_outbox);
}

int cmd_outbox_approve(cli *c, err_t *e)
{
    int rc = c->nargs != 1 ? err_set(e, E_USAGE, "id", "usage: rapport outbox approve MESSAGE_ID") : cli_check_unused(c, e);
    if (rc == 0)
        rc = access_whole(&c->who, entity_by_name("interactions"), OP_CREATE, e);
    if (rc == 0)
        rc = outbox_approve(c->db, &c->who, c->args[0], e);
    if (rc == 0 && !c->json)
        printf("%s is queued to send\n", c->args[0]);
    else if (rc == 0)
        printf("{\"id\":\"%s\",\"status\":\"queued\"}\n", c->args[0]);
    return rc;
}

static void show_settings(json_t *j)
{
    printf("email:        %s%s%s\n", json_is_true(json_object_get(j, "email_enabled")) ? "on (" : "off",
           json_is_true(json_object_get(j, "email_enabled")) ? cli_str(j, "source") : "",
           json_is_true(json_object_get(j, "email_enabled")) ? " settings)" : "");
    printf("smtp_url:     %s%s\n", *cli_str(j, "smtp_url") ? cli_str(j, "smtp_url") : "(the server's default)",
           json_is_true(json_object_get(j, "smtp_password_set")) ? "  (password stored, sealed)" : "");
    printf("mail_from:    %s\n", *cli_str(j, "mail_from") ? cli_str(j, "mail_from") : "(the server's default)");
    json_t *def = json_object_get(j, "server_default");
    printf("server:       %s from %s\n", *cli_str(def, "smtp_url") ? cli_str(def, "smtp_url") : "(none)",
           *cli_str(def, "mail_from") ? cli_str(def, "mail_from") : "(none)");
    const char *name;
    json_t *a;
    printf("automations:\n");
    json_object_foreach(json_object_get(j, "automations"), name, a) {
        printf("  %-22s %-3s  %s\n", name, json_is_true(json_object_get(a, "enabled")) ? "on" : "off",
               cli_str(a, "does"));
    }
}

/* rapport email settings [--smtp-url URL] [--smtp-password P] [--mail-from ADDR] [--on NAME] [--off NAME]
 * [--automations JSON]: shows the settings, after changing what is given. */
int cmd_email_settings(cli *c, err_t *e)
{
    const char *url = cli_opt(c, "smtp_url"), *pw = cli_opt(c, "smtp_password"), *from = cli_opt(c, "mail_from"),
               *on = cli_opt(c, "on"), *off = cli_opt(c, "off"), *autos = cli_opt(c, "automations");
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    int change = url || pw || from || on || off || autos;
    if ((rc = access_check(&c->who, entity_by_name("workspaces"), change ? OP_UPDATE : OP_GET, NULL, e)))
        return rc;
    strbuf out = STRBUF_INIT;
    if (!change)
        return cli_print_report(c, mail_settings_get(c->db, c->who.workspace_id, &out, e), &out, show_settings);
    json_t *body = json_object();
    json_t *a = autos ? json_loads(autos, 0, NULL) : json_object();
    if (!json_is_object(a)) {
        json_decref(a);
        json_decref(body);
        return err_set(e, E_USAGE, "automations", "--automations wants a JSON object: {\"name\": {\"enabled\": true}}");
    }
    if (on)
        json_object_set_new(a, on, json_pack("{s:b}", "enabled", 1));
    if (off)
        json_object_set_new(a, off, json_pack("{s:b}", "enabled", 0));
    if (json_object_size(a))
        json_object_set(body, "automations", a);
    json_decref(a);
    if (url)
        json_object_set_new(body, "smtp_url", *url ? json_string(url) : json_null());
    if (pw)
        json_object_set_new(body, "smtp_password", *pw ? json_string(pw) : json_null());
    if (from)
        json_object_set_new(body, "mail_from", *from ? json_string(from) : json_null());
    rc = mail_settings_put(c->db, c->who.workspace_id, body, &out, e);
    json_decref(body);
    return cli_print_report(c, rc, &out, show_settings);
}

static void show_preview(json_t *j)
{
    printf("To: %s%s%s\nSubject: %s\n\n%s\n", cli_str(j, "to_name"), *cli_str(j, "to_name") ? " " : "",
           *cli_str(j, "to") ? cli_str(j, "to") : "(no address)", cli_str(j, "subject"), cli_str(j, "text"));
    if (json_is_true(json_object_get(j, "email_opt_out")))
        printf("(this contact opted out of automated email)\n");
}

int cmd_template_preview(cli *c, err_t *e)
{
    const char *record = cli_opt(c, "record_id");
    int rc = c->nargs != 1 ? err_set(e, E_USAGE, "id", "usage: rapport template preview TEMPLATE_ID --record-id ID")
                           : cli_check_unused(c, e);
    if (rc)
        return rc;
    json_t *body = json_object();
    if (record)
        json_object_set_new(body, "record_id", json_string(record));
    strbuf out = STRBUF_INIT;
    rc = template_preview(c->db, &c->who, c->args[0], body, &out, e);
    json_decref(body);
    return cli_print_report(c, rc, &out, show_preview);
}
