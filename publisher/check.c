/* SPDX-License-Identifier: MIT */
/*
 * The update check's life: run its steps one after the other (refresh,
 * list, security), and when the last ends record the result in the status
 * (or keep the last good one and record the error), then schedule the next.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "publisher/check.h"
#include "publisher/index.h"
#include "publisher/log.h"
#include "publisher/result.h"
#include "publisher/timer.h"
#include "shm/util.h"

/* A uniformly spread extra delay in [0, max_ms]. */
static uint64_t pub_jitter(uint64_t max_ms)
{
	uint64_t r = 0;

	if (max_ms == 0)
		return 0;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint64_t)shmh_now_mono_ns() * 6364136223846793005ull;
	return r % (max_ms + 1);
}

static void pub_schedule(struct pub_check *ck, int ok)
{
	const struct pub_options *o = ck->opt;
	uint64_t ms;

	if (ok)
		ms = o->interval_ms + pub_jitter(o->jitter_ms);
	else
		ms = o->retry_ms < o->interval_ms ? o->retry_ms : o->interval_ms;
	pub_timer_arm(ck->job.timer_fd, ms, 0);
	pub_log("next update check in %llus", (unsigned long long)(ms / 1000));
}

/* FNV-1a over the sorted names: tells a new pending set from the same one. */
static uint64_t pub_hash_result(const struct pub_result *r)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < r->npkgs; i++) {
		for (const char *p = r->pkgs[i].name; ; p++) {
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
			if (*p == '\0')
				break;
		}
	}
	return h;
}

/* Appends name to the space-separated list in buf (size bytes, used so
 * far).  Returns 0, or -1 when it does not fit. */
static int pub_append(char *buf, size_t size, size_t *used, const char *name)
{
	size_t n = strlen(name), sep = *used ? 1 : 0;

	if (*used + sep + n + 1 > size)
		return -1;
	if (sep)
		buf[(*used)++] = ' ';
	memcpy(buf + *used, name, n);
	*used += n;
	buf[*used] = '\0';
	return 0;
}

/* Stores the pending names, as many as fit; counts the rest.  Returns how
 * many were stored. */
static size_t pub_store_names(struct shmh_check *u, const struct pub_result *r)
{
	size_t used = 0, i;

	memset(u->names, 0, sizeof(u->names));
	u->names_omitted = 0;
	for (i = 0; i < r->npkgs; i++) {
		if (pub_append(u->names, sizeof(u->names), &used,
			       r->pkgs[i].name) != 0) {
			u->names_omitted = (uint32_t)(r->npkgs - i);
			break;
		}
	}
	return i;
}

/* A version as the segment's versions lines can hold it, or "-". */
static const char *pub_version(const char *v)
{
	const char *p;

	if (v == NULL || *v == '\0' || strlen(v) > 128)
		return "-";
	for (p = v; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return "-";
	return v;
}

/* "INSTALLED CANDIDATE" of each stored name, in order, whole lines. */
static void pub_store_versions(struct shmh_check *u, const struct pub_result *r,
			       size_t stored)
{
	size_t used = 0, i;

	memset(u->versions, 0, sizeof(u->versions));
	for (i = 0; i < stored; i++) {
		size_t room = sizeof(u->versions) - used;
		int n = snprintf(u->versions + used, room, "%s %s\n",
				 pub_version(r->pkgs[i].installed),
				 pub_version(r->pkgs[i].candidate));

		if (n < 0 || (size_t)n >= room) {
			u->versions[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
}

/* The names of v (n of them) that are kept for why, or with why < 0 the
 * security updates, into l: counted, and listed as far as they fit. */
static void pub_store_list(struct shmh_names *l, const struct pub_pkg *v,
			   size_t n, int why)
{
	size_t used = 0, i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n; i++) {
		if (why >= 0 ? v[i].kept != why : !v[i].security)
			continue;
		l->count++;
		if (l->omitted > 0 || pub_append(l->names, sizeof(l->names),
						 &used, v[i].name) != 0)
			l->omitted++;
	}
}

static void pub_record_success(struct pub_check *ck, const struct pub_result *r)
{
	struct shmh_check *u = ck->u;
	uint64_t hash = pub_hash_result(r);

	u->last_success_mono_ns = u->last_attempt_mono_ns;
	u->last_success_wall = u->last_attempt_wall;
	u->index_mono_ns = ck->index_mono_ns;
	u->index_wall = ck->index_wall;
	u->consecutive_failures = 0;
	u->error[0] = '\0';
	/* The grace period runs from when this exact set was first seen. */
	if (r->updates == 0) {
		u->pending_since_mono_ns = 0;
		u->pending_since_wall = 0;
	} else if (u->pending == 0 || hash != ck->pending_hash) {
		u->pending_since_mono_ns = u->last_attempt_mono_ns;
		u->pending_since_wall = u->last_attempt_wall;
	}
	ck->pending_hash = hash;
	u->pending = r->updates;
	u->security = r->security < 0 ? SHMH_SECURITY_UNKNOWN : r->security;
	pub_store_versions(u, r, pub_store_names(u, r));
	pub_store_list(&u->security_names, r->pkgs, r->npkgs, -1);
	pub_store_list(&u->held, r->kept, r->nkept, PUB_HELD);
	pub_store_list(&u->phased, r->kept, r->nkept, PUB_PHASED);
	pub_store_list(&u->blocked, r->kept, r->nkept, PUB_BLOCKED);
	if (r->security < 0)
		pub_log("update check: %u pending, security unknown; "
			"%u held, %u phased, %u blocked", r->updates,
			u->held.count, u->phased.count, u->blocked.count);
	else
		pub_log("update check: %u pending, %d security; "
			"%u held, %u phased, %u blocked", r->updates,
			r->security, u->held.count, u->phased.count,
			u->blocked.count);
}

static void pub_record_failure(struct pub_check *ck, const char *why)
{
	struct shmh_check *u = ck->u;

	u->consecutive_failures++;
	snprintf(u->error, sizeof(u->error), "%s", why);
	pub_log("update check failed (%u in a row): %s",
		u->consecutive_failures, why);
}

/* Says how many recheck signals the check that ended ignored, if more
 * than the one already logged, and starts counting again. */
static void pub_rechecks_said(struct pub_check *ck)
{
	if (ck->rechecks_ignored > 1)
		pub_log("%u more recheck signals ignored while the check ran",
			ck->rechecks_ignored - 1);
	ck->rechecks_ignored = 0;
}

/* Ends the check: records the result or the error; the loop publishes it,
 * then has it reported (--once) or the next scheduled (pub_check_finish). */
static int pub_check_end(struct pub_check *ck, const char *why)
{
	ck->failed = why != NULL;
	pub_timer_arm(ck->job.kill_fd, 0, 0);
	pub_rechecks_said(ck);
	ck->u->running = 0;
	ck->u->checks++;
	ck->u->last_attempt_mono_ns = shmh_now_mono_ns();
	ck->u->last_attempt_wall = shmh_now_wall();
	if (!ck->failed) {
		/* Kept back, and neither held nor phased: not installable. */
		pub_result_settle(&ck->found);
		pub_record_success(ck, &ck->found);
	} else {
		pub_record_failure(ck, why);
	}
	return PUB_CHECK_PUBLISH | PUB_CHECK_ENDED;
}

int pub_check_finish(struct pub_check *ck)
{
	int status = -1;

	if (ck->opt->once) {
		if (!ck->failed)
			pub_result_print(&ck->found, stdout);
		else
			fprintf(stderr, "error: %s\n", ck->u->error);
		status = ck->failed ? 1 : 0;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "error: standard output: %s\n",
				strerror(errno));
			status = 1;
		}
	} else {
		pub_schedule(ck, !ck->failed);
	}
	pub_result_free(&ck->found);
	return status;
}

/* Starts step ck->cur.  Returns 0, or -1 with why set. */
static int pub_step_start(struct pub_check *ck, char *why, size_t len)
{
	char *const *argv = ck->plan.cmd[ck->cur].argv;

	if (pub_spawn(&ck->job.child, argv, ck->plan.env, ck->opt->max_output,
		      &ck->opt->limits) == 0)
		return 0;
	snprintf(why, len, "cannot start %s: %s", argv[0], strerror(errno));
	return -1;
}

int pub_check_init(struct pub_check *ck, const struct pub_options *opt,
		   struct shmh_check *u)
{
	memset(ck, 0, sizeof(*ck));
	ck->opt = opt;
	ck->u = u;
	return pub_job_init(&ck->job);
}

int pub_check_start(struct pub_check *ck)
{
	char why[SHMH_ERROR_LEN];

	/* --manager none: no check, and nothing published as if there were. */
	if (ck->plan.nsteps == 0)
		return 0;
	pub_result_init(&ck->found);
	ck->cur = 0;
	ck->security_failed = 0;
	ck->index_mono_ns = 0;
	ck->index_wall = 0;
	if (pub_step_start(ck, why, sizeof(why)) != 0)
		return pub_check_end(ck, why);
	/* One timeout covers the whole check, every step included. */
	pub_timer_arm(ck->job.kill_fd, ck->opt->timeout_ms, 0);
	ck->u->running = 1;
	return PUB_CHECK_PUBLISH;
}

int pub_check_recheck(struct pub_check *ck, int sig)
{
	if (ck->job.child.pid == 0)
		return pub_check_start(ck);
	if (ck->rechecks_ignored++ == 0)
		pub_log("%s: a check is already running", strsignal(sig));
	return 0;
}

/* The index is as fresh as now: a refresh just succeeded. */
static void pub_index_now(struct pub_check *ck)
{
	ck->index_mono_ns = shmh_now_mono_ns();
	ck->index_wall = shmh_now_wall();
}

/* A refresh or index listing that exited non-zero: name the first
 * repository that failed, and say how many downloads failed in all. */
static int pub_refresh_failed(const struct pub_step *s,
			      const struct pub_child *c, const char *prog,
			      int status, const char *eline, char *why,
			      size_t len)
{
	char first[160] = "", more[48] = "", oline[160];
	unsigned nerr = 0;

	if (s->fetch_errors != NULL)
		nerr = s->fetch_errors(c->out, c->out_len, first, sizeof(first));
	/* Some say why on stdout only ("There are no enabled repositories
	 * defined."). */
	if (eline[0] == '\0') {
		pub_quote(c->out, c->out_len, oline, sizeof(oline));
		eline = oline;
	}

	if (nerr > 1)
		snprintf(more, sizeof(more), " (%u downloads failed)", nerr);
	if (first[0] != '\0')
		snprintf(why, len, "%s: exit status %d: cannot fetch %s%s",
			 prog, status, first, more);
	else
		snprintf(why, len, "%s: exit status %d%s%s", prog, status,
			 eline[0] ? ": " : "", eline);
	return -1;
}

/* The index listing: every configured repository has its index.  With
 * the system's index, its age is when it was last modified. */
static int pub_judge_index(struct pub_check *ck, const struct pub_child *c,
			   char *why, size_t len)
{
	struct pub_index ix;
	int64_t now_wall, now_mono;

	if (pub_index_check(c->out, c->out_len, &ix, why, len) != 0)
		return -1;
	if (!(ck->u->flags & SHMH_CHECK_SYSTEM_INDEX))
		return 0;
	now_wall = shmh_now_wall();
	now_mono = shmh_now_mono_ns();
	ck->index_wall = ix.newest < now_wall ? ix.newest : now_wall;
	/* The same instant on the monotonic clock: before boot, for an image
	 * built before the machine started, is negative (0 means unknown). */
	ck->index_mono_ns = now_mono - (now_wall - ck->index_wall) * 1000000000LL;
	if (ck->index_mono_ns == 0)
		ck->index_mono_ns = -1;
	return 0;
}

/* What a parsed step's result does to the check's. */
static void pub_take(struct pub_check *ck, const struct pub_step *s,
		     struct pub_result *r)
{
	switch (s->role) {
	case PUB_STEP_LIST:
		ck->found = *r;
		pub_result_ignore(&ck->found, ck->opt->ignore.items,
				  ck->opt->ignore.n);
		/* A manager that fetches its index as it lists (a command
		 * has no index of ours to date). */
		if (ck->index_mono_ns == 0 && !ck->opt->no_refresh &&
		    ck->opt->update_command == NULL)
			pub_index_now(ck);
		return;
	case PUB_STEP_SECURITY:
		pub_result_mark_security(&ck->found, r, s->counts_patches);
		break;
	case PUB_STEP_PHASED:
		pub_result_mark_kept(&ck->found, r, PUB_PHASED);
		break;
	case PUB_STEP_HOLDS:
		pub_result_mark_kept(&ck->found, r, PUB_HELD);
		break;
	default:
		break;
	}
	pub_result_free(r);
}

/*
 * Judges the step that just ended.  Returns 0 to go on, or -1 with why set
 * when the check has failed.
 */
static int pub_judge(struct pub_check *ck, char *why, size_t len)
{
	struct pub_child *c = &ck->job.child;
	const struct pub_step *s = ck->plan.step[ck->cur];
	const char *prog = ck->plan.cmd[ck->cur].argv[0];
	/* A command of the user's may run under /bin/sh: not a name to give. */
	const char *who = ck->opt->update_command != NULL ? "update command" :
			  prog;
	struct pub_result r;
	char perr[128], eline[160], dur[32];
	int status = pub_child_status(c);

	pub_quote(c->err, c->err_len, eline, sizeof(eline));
	if (c->timed_out)
		return snprintf(why, len, "timed out after %s",
				pub_fmt_ms(ck->opt->timeout_ms, dur)), -1;
	if (c->overflow)
		return snprintf(why, len, "%s: output larger than %llu bytes",
				who, (unsigned long long)c->max_out), -1;
	if (c->oom_killed)
		return snprintf(why, len, "%s: killed by the kernel's OOM killer "
				"(out of memory)", who), -1;
	/* Where the exit status cannot tell "none" from a failure, stderr
	 * does (the backend's data says how). */
	if (pub_step_fails_on(s, c->err) != NULL)
		return snprintf(why, len, "%s: %s", prog, eline), -1;
	if (s->role == PUB_STEP_REFRESH || s->role == PUB_STEP_INDEX) {
		if (status != 0)
			return pub_refresh_failed(s, c, prog, status, eline,
						  why, len);
		if (s->role == PUB_STEP_INDEX)
			return pub_judge_index(ck, c, why, len);
		/* With the system's index, a step here only checks it. */
		if (!(ck->u->flags & SHMH_CHECK_SYSTEM_INDEX))
			pub_index_now(ck);
		return 0;
	}
	if (pub_parse(ck->plan.fmt[ck->cur], c->out, c->out_len, status, &r,
		      perr, sizeof(perr)) != 0) {
		if (s->role == PUB_STEP_SECURITY) {
			ck->security_failed = 1;	/* security stays unknown */
			pub_log("security listing failed: %s", perr);
			return 0;
		}
		return snprintf(why, len, "%s%s%.100s", perr, eline[0] ? ": " : "",
				eline), -1;
	}
	pub_take(ck, s, &r);
	return 0;
}

/* The next step to run after ck->cur, skipping the ones not needed. */
static size_t pub_next_step(const struct pub_check *ck)
{
	size_t i = ck->cur + 1;

	while (i < ck->plan.nsteps && ck->plan.step[i]->if_kept &&
	       ck->found.nkept == 0)
		i++;
	return i;
}

int pub_check_step_done(struct pub_check *ck)
{
	char why[SHMH_ERROR_LEN];
	int r = pub_judge(ck, why, sizeof(why));

	pub_child_free(&ck->job.child);
	if (r == 0 && (ck->cur = pub_next_step(ck)) < ck->plan.nsteps &&
	    (r = pub_step_start(ck, why, sizeof(why))) == 0)
		return 0;
	return pub_check_end(ck, r == 0 ? NULL : why);
}

void pub_check_abort(struct pub_check *ck)
{
	if (ck->job.child.pid == 0)
		return;
	pub_job_abort(&ck->job);
	pub_result_free(&ck->found);
	ck->u->running = 0;
	pub_rechecks_said(ck);
}

void pub_check_free(struct pub_check *ck)
{
	pub_job_close(&ck->job);
	pub_plan_free(&ck->plan);
}
