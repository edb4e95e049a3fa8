/* SPDX-License-Identifier: MIT */
/*
 * The plan of an update check: which backend (or command), its steps with
 * their argv filled in, and the private cache directory they use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publisher/log.h"
#include "publisher/plan.h"

/*
 * Makes dir if missing and checks it is a directory, not a link.  The cache
 * dir itself (owned) must also be ours and writable by no one else: a
 * planted directory or link in a shared /tmp must not receive our package
 * index.  Below it nobody else can plant anything.  Every directory of ours
 * is 0755, readable by all (package indexes are public): as root, apt-get
 * downloads as its _apt user into a partial/ directory it hands to that
 * user, and _apt must be able to reach it, or apt downloads as root.  The
 * partial/ directories, once apt has them, are _apt's: those need only be
 * directories.
 */
static int pub_private_dir(const char *dir, int owned)
{
	struct stat st;
	int fd;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		pub_log("cache dir %s: %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) != 0) {
		pub_log("cache dir %s: %s", dir, strerror(errno));
		return -1;
	}
	if (owned && (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
		      (st.st_mode & 022) != 0)) {
		pub_log("cache dir %s: not a directory of uid %u that only it "
			"can write; refusing it (see --cache-dir)", dir,
			(unsigned)geteuid());
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		pub_log("cache dir %s: not a directory", dir);
		return -1;
	}
	/* One made 0700 (by an older version, or by hand): open it up. */
	if (st.st_uid == geteuid() && (st.st_mode & 0555) != 0555 &&
	    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		if (fchmod(fd, (st.st_mode & 07777 & ~022u) | 0555) != 0)
			pub_log("cache dir %s: %s", dir, strerror(errno));
		close(fd);
	}
	return 0;
}

/* Makes each component of rel under base, as pub_private_dir does. */
static int pub_private_subdirs(const char *base, const char *rel)
{
	char path[PUB_PATH_MAX];
	const char *p = rel;

	for (;;) {
		p = strchr(p, '/');
		if (snprintf(path, sizeof(path), "%s/%.*s", base,
			     p ? (int)(p - rel) : (int)strlen(rel), rel) >=
		    (int)sizeof(path))
			return -1;
		if (pub_private_dir(path, 0) != 0)
			return -1;
		if (p == NULL)
			return 0;
		p++;
	}
}

/*
 * Writes b's configuration file under the cache dir, which only we can
 * write: a temporary name, then rename, so a manager never reads half.
 */
static int pub_cache_file(const char *cache_dir, const struct pub_backend *b)
{
	char path[PUB_PATH_MAX], tmp[PUB_PATH_MAX + 8];
	size_t len = strlen(b->conf_text);
	int fd, ok;

	if (snprintf(path, sizeof(path), "%s/%s", cache_dir, b->conf_path) >=
	    (int)sizeof(path))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		pub_log("cache dir: cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	ok = write(fd, b->conf_text, len) == (ssize_t)len;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		pub_log("cache dir: cannot write %s: %s", path, strerror(errno));
		(void)unlink(tmp);
		return -1;
	}
	return 0;
}

static int pub_cache_setup(char *cache_dir, size_t size, const char *given,
			   const struct pub_backend *b)
{
	const char *const *sub;
	char link[PUB_PATH_MAX];

	int n;

	if (given != NULL)
		n = snprintf(cache_dir, size, "%s", given);
	else
		n = snprintf(cache_dir, size, "%s/shmhealth-%u", access("/var/tmp", W_OK) == 0 ?
			     "/var/tmp" : "/tmp", (unsigned)geteuid());
	/* Room for the longest subdirectory and file name apt makes. */
	if (n <= 0 || (size_t)n >= size - 256) {
		pub_log("cache dir %s: empty or too long", cache_dir);
		return -1;
	}
	if (pub_private_dir(cache_dir, 1) != 0)
		return -1;
	for (sub = b->cache_subdirs; sub != NULL && *sub != NULL; sub++)
		if (pub_private_subdirs(cache_dir, *sub) != 0)
			return -1;
	if (b->conf_path != NULL && pub_cache_file(cache_dir, b) != 0)
		return -1;
	if (b->link_path == NULL)
		return 0;
	if (snprintf(link, sizeof(link), "%s/%s", cache_dir, b->link_path) >=
	    (int)sizeof(link))
		return -1;
	if (symlink(b->link_target, link) != 0 && errno != EEXIST) {
		pub_log("cache dir: cannot link %s: %s", link, strerror(errno));
		return -1;
	}
	return 0;
}

/* Copies argv with "@CACHE@" replaced, under fakeroot if asked. */
static int pub_fill_argv(const char *cache_dir, struct pub_command *c,
			 const struct pub_step *s)
{
	const char *argv[32];
	char buf[16][PUB_PATH_MAX];
	size_t i, n = 0, nb = 0;

	if (s->needs_root && geteuid() != 0)
		argv[n++] = "fakeroot";
	for (i = 0; s->argv[i] != NULL && n + 1 < 32; i++) {
		const char *at = strstr(s->argv[i], "@CACHE@");

		if (at == NULL) {
			argv[n++] = s->argv[i];
			continue;
		}
		if (nb == 16)
			return -1;
		if (snprintf(buf[nb], sizeof(buf[nb]), "%.*s%s%s",
			     (int)(at - s->argv[i]), s->argv[i], cache_dir,
			     at + strlen("@CACHE@")) >= (int)sizeof(buf[nb]))
			return -1;
		argv[n++] = buf[nb++];
	}
	argv[n] = NULL;
	return pub_command_from_argv(c, argv);
}

static int pub_plan_backend(struct pub_plan *p, const struct pub_options *o,
			    const struct pub_backend *b)
{
	const struct pub_step *s = o->no_refresh ? b->system_steps :
				   b->private_steps;

	/* apk --no-cache keeps nothing: no directory is made for it. */
	if (!o->no_refresh && b->cache_subdirs != NULL &&
	    pub_cache_setup(p->cache_dir, sizeof(p->cache_dir), o->cache_dir,
			    b) != 0)
		return -1;
	for (; s->argv != NULL && p->nsteps < PUB_STEPS_MAX; s++) {
		/* What only root may run is left out, not failed: the steps
		 * that remain still make a check, guarding what it cannot
		 * see with steps of their own. */
		if ((s->root_only > 0 && geteuid() != 0) ||
		    (s->root_only < 0 && geteuid() == 0))
			continue;
		if (s->needs_root && geteuid() != 0 && !pub_in_path("fakeroot")) {
			pub_log("--manager %s: refreshing a private index needs "
				"root or fakeroot; or use --no-refresh", b->name);
			return -1;
		}
		if (pub_fill_argv(p->cache_dir, &p->cmd[p->nsteps], s) != 0)
			return -1;
		p->step[p->nsteps] = s;
		p->fmt[p->nsteps] = s->format ? pub_format_find(s->format) : NULL;
		p->nsteps++;
	}
	return 0;
}

static void pub_set_backend(struct shmh_check *u, const char *name)
{
	snprintf(u->backend, sizeof(u->backend), "%s", name);
}

/* --update-command: one listing step in the user's format. */
static int pub_plan_command(struct pub_plan *p, const struct pub_options *o,
			    struct shmh_check *u)
{
	static const struct pub_step cmd_step = {
		PUB_STEP_LIST, NULL, NULL, 0, 0, 0, 0, NULL, NULL };

	if (pub_command_new(&p->cmd[0], o->update_command) != 0) {
		pub_log("--update-command: empty command");
		return -1;
	}
	p->step[0] = &cmd_step;
	p->fmt[0] = pub_format_find(o->update_format);
	p->nsteps = 1;
	pub_set_backend(u, "command");
	return 0;
}

int pub_plan_prepare(struct pub_plan *p, const struct pub_options *o,
		     struct shmh_check *u)
{
	const struct pub_backend *b;
	char names[128];

	if (o->update_command != NULL)
		return pub_plan_command(p, o, u);
	if (strcmp(o->manager, "none") == 0) {
		pub_set_backend(u, "none");
		u->flags |= SHMH_CHECK_OFF;
		return 0;
	}
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
	p->env = pub_backend_env;
	pub_set_backend(u, b->name);
	if (o->no_refresh)
		u->flags |= SHMH_CHECK_SYSTEM_INDEX;
	return pub_plan_backend(p, o, b);
}

void pub_plan_free(struct pub_plan *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		pub_command_free(&p->cmd[i]);
	p->nsteps = 0;
}
