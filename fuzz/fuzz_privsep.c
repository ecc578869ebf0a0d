/* libFuzzer harness for what the privileged parent reads from the worker
 * (vrrpd/privsep/): a datagram as it arrives on a channel, decoded by
 * ps_msg.c, a script request then judged by ps_policy.c against the
 * scripts of a fixed startup configuration.
 *
 * Properties checked: every decoder either accepts or gives a reason; an
 * accepted request has 1..PS_ARGC_MAX NUL-terminated words, the first
 * non-empty, encodes to exactly the bytes it came from (the format has one
 * spelling) and decodes to the same; a request the policy allows names a
 * configured program by its absolute path; with no policy nothing is
 * allowed.
 *
 * Input: the datagram itself. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_util.h"
#include "model.h"
#include "privsep.h"

static struct ps_policy *policy;

/* The policy of the unit tests (tests/unit/test_privsep.c). */
static const char startup[] =
	"{\"vrrpd:vrrpd\": {"
	" \"global\": {\"script-user\": \"nobody\", \"enable-script-security\": false},"
	" \"track\": {\"script\": ["
	"  {\"name\": \"chk\", \"command\": [\"/bin/true\", \"-x\"]},"
	"  {\"name\": \"sh\", \"command\": [\"/bin/echo hi\"], \"shell\": true}]},"
	" \"instance\": [{\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 1,"
	"  \"virtual-address\": [{\"address\": \"10.0.0.1\"}],"
	"  \"notify\": {\"script\": ["
	"   {\"event\": \"any\", \"command\": [\"/bin/sh\", \"-c\", \"echo\"]}]}}]}}";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct model_error me;
	struct lyd_node *tree = NULL;
	struct vrrpd_config cfg;
	struct model *m = model_new(&me);
	char err[128];

	(void)argc;
	(void)argv;
	if (!m || model_parse_json(m, startup, &tree, &me) < 0 ||
	    model_tree_to_config(tree, &cfg, &me) < 0) {
		fprintf(stderr, "fuzz_privsep: %s\n", me.msg);
		abort();
	}
	policy = ps_policy_new(&cfg, err, sizeof(err));
	if (!policy)
		abort();
	vrrpd_config_free(&cfg);
	model_tree_free(tree);
	model_free(m);
	return 0;
}

static void check_run(const uint8_t *data, size_t size, struct ps_run *r)
{
	static unsigned char again[PS_MSG_MAX];
	struct ps_allowed a;
	struct ps_run r2;
	char why[512];
	ssize_t n;

	if (r->argc == 0 || r->argc > PS_ARGC_MAX || !r->argv[0][0] ||
	    r->argv[r->argc] != NULL)
		abort();
	n = ps_run_encode(again, sizeof(again), r);
	if (n < 0 || (size_t)n != size || memcmp(again, data, size) != 0)
		abort();
	if (ps_run_decode(again, (size_t)n, &r2, why, sizeof(why)) < 0 ||
	    r2.argc != r->argc || strcmp(r2.argv[r2.argc - 1], r->argv[r->argc - 1]))
		abort();
	if (ps_policy_check(NULL, r, &a, why, sizeof(why)) == 0)
		abort();
	if (ps_policy_check(policy, r, &a, why, sizeof(why)) == 0 &&
	    (r->argv[0][0] != '/' || !a.cmd ||
	     (strcmp(r->argv[0], "/bin/true") && strcmp(r->argv[0], "/bin/sh"))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf;
	char why[256];
	struct ps_run r;
	struct ps_done d;
	enum ps_reload_kind k;
	const char *s;
	bool ok;

	if (size > PS_MSG_MAX)
		return 0;
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	/* each decoder on its own copy: decoding writes nothing, but strings
	 * point into the buffer */
	memcpy(buf, data, size);
	why[0] = '\0';
	if (ps_run_decode(buf, size, &r, why, sizeof(why)) == 0)
		check_run(data, size, &r);
	else if (!why[0])
		abort();
	memcpy(buf, data, size);
	why[0] = '\0';
	if (ps_done_decode(buf, size, &d, why, sizeof(why)) == 0) {
		if (d.err_len > 4096 || d.err[d.err_len] != '\0')
			abort();
	} else if (!why[0]) {
		abort();
	}
	memcpy(buf, data, size);
	if (ps_save_decode(buf, size, &s, why, sizeof(why)) == 0 && s[0] != '/')
		abort();
	memcpy(buf, data, size);
	ps_save_reply_decode(buf, size, &ok, &s, why, sizeof(why));
	ps_reload_decode(buf, size, &k, why, sizeof(why));
	(void)ps_msg_type(buf, size);
	free(buf);
	return 0;
}
