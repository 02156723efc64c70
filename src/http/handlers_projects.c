/* handlers_projects: a project's scope report (GET /api/v1/projects/{id}/scope). */
#include "core/practice/project_scope.h"
#include "http/http.h"

int handle_project_scope(http_request *r, err_t *e) { return project_scope(r->db, &r->who, r->segv[3], &r->out, e); }
