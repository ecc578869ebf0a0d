/* Deadline logic of a confirmed commit (confirm.h). */
#include "confirm.h"

void confirm_arm(struct confirm *c, uint64_t now_us, uint64_t timeout_us,
		 json_object *restore, unsigned commit_no)
{
	if (!c->pending) {
		c->pending = true;
		c->restore = json_object_get(restore);
	}
	c->deadline_us = now_us + timeout_us;
	c->commit_no = commit_no;
}

void confirm_clear(struct confirm *c)
{
	json_object_put(c->restore);
	c->restore = NULL;
	c->pending = false;
	c->deadline_us = 0;
	c->commit_no = 0;
}

bool confirm_due(const struct confirm *c, uint64_t now_us)
{
	return c->pending && now_us >= c->deadline_us;
}

uint64_t confirm_left_s(const struct confirm *c, uint64_t now_us)
{
	if (!c->pending || now_us >= c->deadline_us)
		return 0;
	return (c->deadline_us - now_us + 999999) / 1000000;
}
