/* Human output of vrrpctl: tables and key/value listings built from the
 * JSON results of vrrpd (keys documented in vrrpd-rpc(7)). With --json the
 * result is printed as is by render_json instead. */
#ifndef VRRPCTL_RENDER_H
#define VRRPCTL_RENDER_H

#include <stdio.h>

#include <json-c/json.h>

#include "commands.h"

/* The exact result JSON, pretty-printed, one document. */
void render_json(FILE *fp, json_object *result);
/* The human form of a command's result. */
void render_result(FILE *fp, const struct cli_parsed *p, json_object *result);
/* One line per state-change notification (monitor). */
void render_event(FILE *fp, json_object *notification);
/* An error response as one line: "MESSAGE". */
void render_error(FILE *fp, json_object *error);
/* The command list with syntax and help (help command). */
void render_help(FILE *fp);

#endif
