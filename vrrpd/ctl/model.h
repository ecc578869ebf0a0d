/* The YANG model: libyang context with yang/vrrpd.yang compiled in, parsing
 * and validating configuration (RFC 7951 JSON), and decoding a validated
 * tree into struct vrrpd_config. Nothing outside this file touches libyang
 * data trees for configuration. */
#ifndef VRRPD_MODEL_H
#define VRRPD_MODEL_H

#include <stddef.h>

#include "config.h"

struct lyd_node;
struct ly_ctx;

struct model_error {
	char path[512];   /* YANG data path, e.g. /vrrpd:vrrpd/instance[name='VI_1']/vrid */
	char msg[512];    /* libyang's reason */
};

struct model;

/* Create the libyang context and load the compiled-in vrrpd module. */
struct model *model_new(struct model_error *err);
void model_free(struct model *m);
struct ly_ctx *model_ctx(struct model *m);

/* Parse + validate a JSON configuration text. On success *tree holds the
 * validated data tree (with defaults) and 0 is returned. On failure -1,
 * err filled, *tree NULL. Only config nodes are accepted. An empty text or
 * "{}" is a valid empty configuration. */
int model_parse_json(struct model *m, const char *json, struct lyd_node **tree,
		     struct model_error *err);
int model_parse_file(struct model *m, const char *path, struct lyd_node **tree,
		     struct model_error *err);

/* err from libyang's last error after a parse of json or a validation of
 * tree (either may be NULL): the data path and the reason, as
 * model_parse_json() reports them. */
void model_error_from_ly(struct model *m, const char *json,
			 const struct lyd_node *tree, struct model_error *err);

/* Decode a validated tree into plain C config (resolving defaults such as
 * the multicast group from the global default). Returns 0 or -1 + err. */
int model_tree_to_config(const struct lyd_node *tree, struct vrrpd_config *out,
			 struct model_error *err);

/* Decode one instance list entry (a change of one instance) with the
 * globals and trackers of running. 0, or -1 + err (out released). */
int model_instance_to_config(const struct lyd_node *inst,
			     const struct vrrpd_config *running,
			     struct instance_cfg *out, struct model_error *err);

/* Serialize a config tree as RFC 7951 JSON (malloc'd string; caller frees). */
char *model_tree_to_json(const struct lyd_node *tree);
void model_tree_free(struct lyd_node *tree);

#endif
