/* Notify arguments and FIFO lines (notify.h). */
#include "notify.h"

#include <stdio.h>

#include "script_security.h"

const char *notify_kind_word(enum notify_kind k)
{
	return k == NOTIFY_GROUP ? "GROUP" : "INSTANCE";
}

const char *notify_state_word(enum notify_state s)
{
	switch (s) {
	case NOTIFY_ST_MASTER:
		return "MASTER";
	case NOTIFY_ST_BACKUP:
		return "BACKUP";
	case NOTIFY_ST_FAULT:
		return "FAULT";
	case NOTIFY_ST_STOP:
		return "STOP";
	case NOTIFY_ST_MASTER_RX_LOWER_PRI:
		return "MASTER_RX_LOWER_PRI";
	case NOTIFY_ST_MASTER_PRIORITY:
		return "MASTER_PRIORITY";
	case NOTIFY_ST_BACKUP_PRIORITY:
		return "BACKUP_PRIORITY";
	}
	return "{UNKNOWN}";  /* keepalived's word for it */
}

int notify_event_of_state(enum notify_state s)
{
	switch (s) {
	case NOTIFY_ST_MASTER:
		return NOTIFY_MASTER;
	case NOTIFY_ST_BACKUP:
		return NOTIFY_BACKUP;
	case NOTIFY_ST_FAULT:
		return NOTIFY_FAULT;
	case NOTIFY_ST_STOP:
		return NOTIFY_STOP;
	default:
		return -1;
	}
}

void notify_generic_args(struct notify_args *a, enum notify_kind k,
			 const char *name, enum notify_state s,
			 unsigned priority)
{
	/* keepalived: send_group_notifies() passes priority 0 for a group. */
	snprintf(a->prio, sizeof(a->prio), "%u",
		 k == NOTIFY_GROUP ? 0 : priority % 256);
	a->v[0] = notify_kind_word(k);
	a->v[1] = name;
	a->v[2] = notify_state_word(s);
	a->v[3] = a->prio;
}

char **notify_script_argv(const struct notify_cfg *nc, enum notify_event ev,
			  enum notify_kind k, const char *name,
			  enum notify_state s, unsigned priority,
			  bool *configured)
{
	const struct script_cmd_cfg *cmd;
	struct notify_args a;

	*configured = false;
	if ((unsigned)ev >= NOTIFY_EVENT_COUNT)
		return NULL;
	cmd = &nc->script[ev];
	if (cmd->argc == 0)
		return NULL;
	*configured = true;
	if (ev != NOTIFY_ANY)
		return script_argv(cmd, NULL, 0);
	notify_generic_args(&a, k, name, s, priority);
	return script_argv(cmd, a.v, 4);
}

int notify_fifo_line(char *buf, size_t len, enum notify_kind k,
		     const char *name, enum notify_state s, unsigned priority)
{
	int n = snprintf(buf, len, "%s \"%s\" %s %u\n", notify_kind_word(k),
			 name, notify_state_word(s),
			 k == NOTIFY_GROUP ? 0 : priority % 256);

	return n < 0 || (size_t)n >= len ? -1 : n;
}
