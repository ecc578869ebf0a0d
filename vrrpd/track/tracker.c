/* Tracker state machines (tracker.h): rise/fall counting of scripts,
 * link state, file value, process quorum. Pure: no clock reads, no I/O. */
#include "tracker.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FILE_VALUE_MAX 1000000L

void tracker_init(struct tracker *t, const struct tracker_cfg *cfg,
		  uint64_t now_us)
{
	size_t *aff = t->affected, n_aff = t->n_affected;

	/* Keep the follower list: track_set builds it before or after. */
	memset(t, 0, sizeof(*t));
	t->affected = aff;
	t->n_affected = n_aff;
	t->cfg = cfg;
	t->next_run_us = now_us;
	if (cfg->type == TRACK_SCRIPT) {
		/* keepalived: OK unless init_fail; either way the first
		 * verdict needs a full fall or rise. */
		t->ok = cfg->init != TRACK_INIT_FAILED;
		t->known = true;
	}
}

static bool set_ok(struct tracker *t, bool ok, uint64_t now_us)
{
	bool changed = !t->known || t->ok != ok;

	t->known = true;
	if (t->ok != ok)
		t->changed_us = now_us;
	t->ok = ok;
	return changed;
}

bool tracker_script_due(const struct tracker *t, uint64_t now_us)
{
	return t->cfg->type == TRACK_SCRIPT && !t->running &&
	       now_us >= t->next_run_us;
}

void tracker_script_started(struct tracker *t, uint64_t now_us)
{
	t->running = true;
	t->started_us = now_us;
	t->runs++;
	t->next_run_us = now_us + (uint64_t)t->cfg->interval_ms * 1000u;
}

void tracker_script_skip(struct tracker *t, uint64_t now_us)
{
	t->skipped++;
	t->next_run_us = now_us + (uint64_t)t->cfg->interval_ms * 1000u;
}

/* keepalived vrrp_script: a result that agrees with the current status
 * resets the streak; `fall` failures in a row (while OK) or `rise`
 * successes in a row (while failed) flip it. */
bool tracker_script_result(struct tracker *t, enum script_result r,
			   uint64_t now_us)
{
	bool success = r == SCRIPT_SUCCESS;
	unsigned need = t->ok ? t->cfg->fall : t->cfg->rise;

	t->running = false;
	t->last_result = r;
	t->has_result = true;
	if (r == SCRIPT_TIMEOUT)
		t->timeouts++;
	else if (r == SCRIPT_REFUSED)
		t->refusals++;
	if (!success)
		t->failures++;
	if (success == t->ok) {
		t->streak = 0;
		return false;
	}
	if (++t->streak < need)
		return false;
	t->streak = 0;
	return set_ok(t, success, now_us);
}

bool tracker_interface_update(struct tracker *t, bool up, uint64_t now_us)
{
	return set_ok(t, up, now_us);
}

bool tracker_file_update(struct tracker *t, bool readable, long value,
			 uint64_t now_us)
{
	bool value_changed = readable && (!t->readable || t->value != value);

	t->readable = readable;
	if (readable)
		t->value = value;
	return set_ok(t, readable, now_us) || value_changed;
}

/* keepalived vrrp_track_process: OK while quorum <= count <= quorum_max. */
bool tracker_process_update(struct tracker *t, unsigned count, uint64_t now_us)
{
	t->count = count;
	return set_ok(t, count >= t->cfg->quorum && count <= t->cfg->quorum_max,
		      now_us);
}

int tracker_file_parse(const char *buf, size_t len, long *value)
{
	size_t i = 0;
	bool neg = false;
	long v = 0;
	size_t digits = 0;

	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && (buf[i] == '-' || buf[i] == '+'))
		neg = buf[i++] == '-';
	for (; i < len && isdigit((unsigned char)buf[i]); i++, digits++) {
		if (v < FILE_VALUE_MAX)
			v = v * 10 + (buf[i] - '0');
	}
	if (digits == 0 || (i < len && !isspace((unsigned char)buf[i]) &&
			    buf[i] != '\0'))
		return -1;
	if (v > FILE_VALUE_MAX)
		v = FILE_VALUE_MAX;
	*value = neg ? -v : v;
	return 0;
}

const char *script_result_name(enum script_result r)
{
	switch (r) {
	case SCRIPT_SUCCESS:
		return "success";
	case SCRIPT_FAILURE:
		return "failure";
	case SCRIPT_TIMEOUT:
		return "timeout";
	case SCRIPT_REFUSED:
		return "refused";
	}
	return "?";
}
