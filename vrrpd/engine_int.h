/* The engine's state, shared by engine.c (lifecycle, events, the apply of
 * a whole tree) and engine_edit.c (the apply of one instance). Nothing
 * else includes this. */
#ifndef VRRPD_ENGINE_INT_H
#define VRRPD_ENGINE_INT_H

#include "engine.h"
#include "engine_track.h"
#include "loop.h"

struct nlw;
struct nft_accept;
struct vtab;

struct subscriber {
	engine_state_cb cb;
	void *arg;
};

struct engine {
	struct loop *loop;
	struct model *model;
	struct nlw *nl;
	struct nft_accept *nft;      /* NULL: accept mode not enforced */
	struct vtab *socks;
	struct eng_track *track;     /* trackers, notify scripts, sync groups */
	engine_tracker_cb tracker_cb;
	void *tracker_arg;
	struct instance_env env;     /* what every instance reaches */
	struct lyd_node *tree;
	struct vrrpd_config cfg;
	struct instance **inst;
	size_t ninst;
	uint64_t serials;            /* creation order of instances */
	struct subscriber *subs;     /* the state-change hook's subscribers */
	size_t nsubs, cap_subs;
	uint64_t drops[VRRP_DROP__MAX];
	uint64_t generation;
	struct loop_timer announce_more; /* when the next repeat copy is due */
	unsigned publishing;         /* depth of nested state-change hooks */
	unsigned takeovers;          /* transitions to MASTER since the last flush */
	uint64_t last_takeover_us;   /* the latest transition to MASTER */
};

/* Takeovers per flush within one loop turn (see env_publish). */
#define ENGINE_TAKEOVER_CHUNK 32
/* Repeat announcements wait until no instance has become master for this
 * long (see flush_queued). */
#define ENGINE_REPEAT_HOLD_US 5000u

#endif
