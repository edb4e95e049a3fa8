/* SPDX-License-Identifier: MIT */
/*
 * The update check's life: pick the command, start it, and when it ends
 * parse its output into the status (or keep the last good result and record
 * the error), then schedule the next one.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "publisher/backend.h"
#include "publisher/loop.h"

static int pub_set_backend(struct pub_loop *l, const char *name)
{
	snprintf(l->st.update.backend, sizeof(l->st.update.backend), "%s", name);
	return 0;
}

int pub_check_prepare(struct pub_loop *l)
{
	const struct pub_options *o = l->opt;
	const struct pub_backend *b;
	char names[128];

	if (o->update_command != NULL) {
		l->fmt = pub_format_find(o->update_format);
		if (pub_command_new(&l->cmd, o->update_command) != 0) {
			pub_log("--update-command: empty command");
			return -1;
		}
		return pub_set_backend(l, "command");
	}
	if (strcmp(o->manager, "none") == 0)
		return pub_set_backend(l, "none");
	b = strcmp(o->manager, "auto") == 0 ? pub_backend_detect() :
	    pub_backend_find(o->manager);
	if (b == NULL) {
		pub_backend_names(names, sizeof(names));
		pub_log("no supported package manager found in PATH (%s); "
			"use --update-command or --manager none", names);
		return -1;
	}
	if (!pub_in_path(b->probe)) {
		pub_log("--manager %s: %s not found in PATH", b->name, b->probe);
		return -1;
	}
	l->fmt = pub_format_find(b->format);
	l->env = pub_backend_env;
	if (pub_command_from_argv(&l->cmd, b->argv) != 0)
		return -1;
	return pub_set_backend(l, b->name);
}

/* A uniformly spread extra delay in [0, max_ms]. */
static uint64_t pub_jitter(uint64_t max_ms)
{
	uint64_t r = 0;

	if (max_ms == 0)
		return 0;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint64_t)shm_now_mono_ns() * 6364136223846793005ull;
	return r % (max_ms + 1);
}

static void pub_schedule(struct pub_loop *l, int ok)
{
	const struct pub_options *o = l->opt;
	uint64_t ms;

	if (ok)
		ms = o->interval_ms + pub_jitter(o->jitter_ms);
	else
		ms = o->retry_ms < o->interval_ms ? o->retry_ms : o->interval_ms;
	pub_timer_arm(l->check_fd, ms, 0);
	pub_log("next update check in %llus", (unsigned long long)(ms / 1000));
}

void pub_check_start(struct pub_loop *l)
{
	if (l->cmd.argv == NULL) {	/* --manager none: nothing to run */
		l->st.update.last_attempt_mono_ns = shm_now_mono_ns();
		l->st.update.last_attempt_wall = shm_now_wall();
		l->st.update.last_success_mono_ns = l->st.update.last_attempt_mono_ns;
		l->st.update.last_success_wall = l->st.update.last_attempt_wall;
		pub_publish(l);
		pub_schedule(l, 1);
		return;
	}
	if (pub_spawn(&l->child, l->cmd.argv, l->env, l->opt->max_output) != 0) {
		pub_log("cannot start update check: %s", strerror(errno));
		pub_schedule(l, 0);
		return;
	}
	pub_timer_arm(l->kill_fd, l->opt->timeout_ms, 0);
	l->st.update.running = 1;
	pub_publish(l);
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

/* Stores the names, space-separated, as many as fit; counts the rest. */
static void pub_store_names(struct shm_check *u, const struct pub_result *r)
{
	size_t used = 0, i;

	memset(u->names, 0, sizeof(u->names));
	u->names_omitted = 0;
	for (i = 0; i < r->npkgs; i++) {
		const char *name = r->pkgs[i].name;
		size_t n = strlen(name), sep = used ? 1 : 0;

		if (used + sep + n + 1 > sizeof(u->names)) {
			u->names_omitted = (uint32_t)(r->npkgs - i);
			break;
		}
		if (sep)
			u->names[used++] = ' ';
		memcpy(u->names + used, name, n);
		used += n;
	}
}

static void pub_record_success(struct pub_loop *l, const struct pub_result *r)
{
	struct shm_check *u = &l->st.update;
	uint64_t hash = pub_hash_result(r);

	u->last_success_mono_ns = u->last_attempt_mono_ns;
	u->last_success_wall = u->last_attempt_wall;
	u->consecutive_failures = 0;
	u->error[0] = '\0';
	/* The grace period runs from when this exact set was first seen. */
	if (r->updates == 0) {
		u->pending_since_mono_ns = 0;
		u->pending_since_wall = 0;
	} else if (u->pending == 0 || hash != l->pending_hash) {
		u->pending_since_mono_ns = u->last_attempt_mono_ns;
		u->pending_since_wall = u->last_attempt_wall;
	}
	l->pending_hash = hash;
	u->pending = r->updates;
	u->security = r->security < 0 ? SHM_SECURITY_UNKNOWN : r->security;
	pub_store_names(u, r);
	if (r->security < 0)
		pub_log("update check: %u pending, security unknown", r->updates);
	else
		pub_log("update check: %u pending, %d security", r->updates,
			r->security);
}

static void pub_record_failure(struct pub_loop *l, const char *why)
{
	struct shm_check *u = &l->st.update;

	u->consecutive_failures++;
	snprintf(u->error, sizeof(u->error), "%s", why);
	pub_log("update check failed (%u in a row): %s",
		u->consecutive_failures, why);
}

/* Works out why a run failed, or parses its output.  0 on success. */
static int pub_judge(struct pub_loop *l, struct pub_result *r, char *why,
		     size_t len)
{
	struct pub_child *c = &l->child;
	char perr[128], eline[100];

	pub_first_line(eline, sizeof(eline), c->err);
	if (c->timed_out) {
		snprintf(why, len, "timed out after %llus",
			 (unsigned long long)(l->opt->timeout_ms / 1000));
		return -1;
	}
	if (c->overflow) {
		snprintf(why, len, "output larger than %llu bytes",
			 (unsigned long long)c->max_out);
		return -1;
	}
	if (pub_parse(l->fmt, c->out, c->out_len, pub_child_status(c), r,
		      perr, sizeof(perr)) == 0)
		return 0;
	snprintf(why, len, "%s%s%s", perr, eline[0] ? ": " : "", eline);
	return -1;
}

void pub_check_finish(struct pub_loop *l)
{
	struct pub_result r;
	char why[SHM_ERROR_LEN];
	int ok;

	pub_timer_arm(l->kill_fd, 0, 0);
	pub_result_init(&r);
	l->st.update.running = 0;
	l->st.update.checks++;
	l->st.update.last_attempt_mono_ns = shm_now_mono_ns();
	l->st.update.last_attempt_wall = shm_now_wall();
	ok = pub_judge(l, &r, why, sizeof(why)) == 0;
	if (ok)
		pub_record_success(l, &r);
	else
		pub_record_failure(l, why);
	pub_child_free(&l->child);
	pub_publish(l);
	if (l->opt->once) {
		if (ok)
			pub_result_print(&r, stdout);
		else
			fprintf(stderr, "error: %s\n", why);
		l->exit_status = ok ? 0 : 1;
		l->stop = 1;
	} else {
		pub_schedule(l, ok);
	}
	pub_result_free(&r);
}

/* On stop: a running check is killed with its group and reaped. */
void pub_check_abort(struct pub_loop *l)
{
	int ws;

	if (l->child.pid == 0)
		return;
	pub_child_kill(&l->child);
	while (waitpid(l->child.pid, &ws, 0) < 0 && errno == EINTR)
		;
	pub_child_reaped(&l->child, ws);
	pub_child_free(&l->child);
	l->st.update.running = 0;
}
