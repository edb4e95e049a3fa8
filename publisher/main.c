/* SPDX-License-Identifier: MIT */
/*
 * shm-publisher: lists pending OS package updates in the background and
 * publishes them, with a heartbeat, in a shared-memory segment.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "publisher/cmd_parse.h"
#include "publisher/daemon.h"
#include "publisher/log.h"
#include "publisher/loop.h"
#include "publisher/plan.h"
#include "publisher/textfile.h"
#include "publisher/wrap.h"
#include "shm/util.h"

/* The health policy the reader applies unless told otherwise. */
static void pub_policy(struct shmh_policy *p, const struct pub_options *o)
{
	memset(p, 0, sizeof(*p));
	p->on_updates = strcmp(o->on_updates, "report") == 0 ?
			SHMH_ON_UPDATES_REPORT : SHMH_ON_UPDATES_FAIL;
	p->security_only = o->security_only != 0;
	p->min_updates = (uint32_t)o->min_updates;
	p->max_failures = (uint32_t)o->max_failures;
	p->grace_s = (int64_t)(o->grace_ms / 1000);
	/* By default two missed rounds, each with its worst jitter and timeout. */
	if (o->max_check_age_ms == PUB_DEFAULT_AGE)
		p->max_success_age_s = (int64_t)(2 * (o->interval_ms +
				       o->jitter_ms + o->timeout_ms) / 1000);
	else
		p->max_success_age_s = (int64_t)(o->max_check_age_ms / 1000);
	p->starting_healthy = strcmp(o->starting, "healthy") == 0;
}

/* Milliseconds as whole seconds, rounded up, at most UINT32_MAX. */
static uint32_t pub_secs_up(uint64_t ms)
{
	uint64_t s = ms / 1000 + (ms % 1000 != 0);

	return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

static void pub_status_init(struct pub_loop *l, const struct pub_options *o)
{
	struct shmh_status *st = &l->st;

	memset(st, 0, sizeof(*st));
	l->opt = o;
	st->pid = (int32_t)getpid();
	st->state = SHMH_STATE_RUNNING;
	st->started_mono_ns = shmh_now_mono_ns();
	st->started_wall = shmh_now_wall();
	st->heartbeat_interval_ms = (uint32_t)l->opt->heartbeat_ms;
	st->update.security = SHMH_SECURITY_UNKNOWN;
	/* Tells readers when a first check still running is overdue. */
	st->update.timeout_s = pub_secs_up(o->timeout_ms);
	pub_policy(&st->policy, o);
}

/* Builds the segment and makes it visible under its name. */
static int pub_segment_start(struct pub_loop *l)
{
	char why[SHMH_PATH_MAX + 128];
	int r;

	/* After --daemon this is another process than the one that began. */
	l->st.pid = (int32_t)getpid();
	pub_publish(l);	/* fills the heartbeat time */
	r = shmh_create_segment(&l->map, l->opt->segment, &l->st);
	if (r != SHMH_OK) {
		shmh_describe(&l->map, r, why, sizeof(why));
		pub_log("segment %s: %s", l->map.path[0] ? l->map.path :
			l->opt->segment, why);
		return -1;
	}
	pub_log("segment %s live, checking updates with %s", l->map.path,
		l->st.update.backend);
	return 0;
}

/* --listen, bound before the segment is made: a taken port stops the
 * start with the reason, rather than leaving a publisher nobody can ask. */
static int pub_listen(struct pub_loop *l, const char *addr)
{
	char bound[96], err[256];

	if (addr == NULL)
		return 0;
	if (pub_http_listen(&l->http, addr, bound, sizeof(bound), err,
			    sizeof(err)) != 0) {
		pub_log("%s", err);
		return -1;
	}
	pub_log("listening on %s for /healthz and /metrics", bound);
	return 0;
}

/* Sets up, detaches if asked, publishes, loops.  Returns the exit status. */
static int pub_run(struct pub_loop *l, const struct pub_options *opt)
{
	pub_status_init(l, opt);
	if (pub_loop_init(l, opt) != 0 ||
	    pub_plan_prepare(&l->check.plan, opt, &l->st.update) != 0 ||
	    pub_textfile_check(opt->textfile) != 0 ||
	    pub_listen(l, opt->listen) != 0)
		return 1;
	if (opt->daemon && pub_daemonize(&l->ready_fd) != 0) {
		fprintf(stderr, "shm-publisher: cannot detach: %s\n",
			strerror(errno));
		return 1;
	}
	if (!opt->once && pub_segment_start(l) != 0)
		return 1;
	pub_daemon_ready(&l->ready_fd);
	if (opt->wrap_argv != NULL &&
	    (l->wrap_pid = pub_wrap_start(opt->wrap_argv)) < 0)
		return 1;
	if (pub_loop_run(l) != 0)
		return 1;
	return l->exit_status;
}

/*
 * Descriptors 0 to 2 closed by the caller would be reused by our own (the
 * signalfd, say) and then overwritten by --daemon's /dev/null or read as
 * input: give each closed one /dev/null first.
 */
static void pub_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDWR) != fd)
			_exit(1);
}

int main(int argc, char **argv)
{
	struct pub_options opt;
	struct pub_loop l;
	int r;

	pub_std_fds();
	if (argc > 1 && strcmp(argv[1], "parse") == 0)
		return pub_cmd_parse(argc - 1, argv + 1);
	r = pub_options_parse(&opt, argc, argv);
	if (r != 0)
		return r > 0 ? 0 : 1;
	memset(&l, 0, sizeof(l));
	/* --once succeeds only by a check that ends well (not by SIGTERM). */
	l.exit_status = opt.once ? 1 : 0;
	r = pub_run(&l, &opt);
	pub_loop_free(&l);
	/* What stderr has not taken yet: a moment, not a wait. */
	pub_log_drain(100);
	return r;
}
