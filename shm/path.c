/* SPDX-License-Identifier: MIT */
/*
 * Resolving a segment's path so that nobody but root, us (and a reader's
 * --owner) can steer it: a symlink is followed only out of a directory
 * that no one else can write.  Otherwise a user who can write a directory
 * on the path could swap a component for a symlink to another
 * publisher's directory, and the reader would answer from the wrong
 * segment.
 *
 * openat2(RESOLVE_NO_SYMLINKS) settles the usual path, one without any
 * symlink, in one system call; a path with one (/var/run -> /run), or a
 * kernel without openat2, is walked a component at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shm/private.h"

#ifndef SYS_openat2
#define SYS_openat2		437
#endif
#define PATH_RESOLVE_NO_SYMLINKS	0x04ull
/* As Linux resolves them: this many symlinks make ELOOP. */
#define PATH_MAX_LINKS		40

/* struct open_how of <linux/openat2.h>, which not every libc ships. */
struct path_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

static int path_openat(int dirfd, const char *name, int flags)
{
	return (int)syscall(SYS_openat, (long)dirfd, (long)name, (long)flags,
			    0L);
}

/*
 * openat2() with RESOLVE_NO_SYMLINKS, or -1 with errno; ENOSYS for a
 * kernel, or a seccomp filter, that does not have it.
 */
static int path_openat2(const char *path, int flags)
{
	struct path_how how = {
		.flags = (uint64_t)(unsigned)flags,
		.resolve = PATH_RESOLVE_NO_SYMLINKS,
	};
	int fd = (int)syscall(SYS_openat2, (long)AT_FDCWD, (long)path,
			      (long)&how, (long)sizeof(how));

	/* Old container run-times filter unknown calls with EPERM. */
	if (fd < 0 && (errno == EPERM || errno == EINVAL || errno == E2BIG))
		errno = ENOSYS;
	return fd;
}

/*
 * 1 if the directory may hold a symlink we follow: owned by root, us or
 * the accepted owner, and writable by nobody else.
 */
static int path_trusted(const struct stat *st,
			const struct shmh_open_opts *opts)
{
	uid_t uid = st->st_uid;

	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return 0;
	return uid == 0 || uid == geteuid() ||
	       (opts != NULL && opts->have_owner && uid == opts->owner_uid);
}

/* An errno from the walk as a result. */
static int path_errno(void)
{
	return errno == ENOENT ? SHMH_ENOSEG : SHMH_EACCESS;
}

/* The walk's state: the directory reached and what is left to resolve. */
struct walk {
	int dirfd;
	struct stat dir;
	char rest[2 * SHMH_PATH_MAX];
	int links;
};

/* Starts the walk at "/" or ".", as path says. */
static int walk_start(struct walk *w, const char *path)
{
	if (w->dirfd >= 0)
		close(w->dirfd);
	w->dirfd = open(path[0] == '/' ? "/" : ".",
			O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0 || fstat(w->dirfd, &w->dir) != 0)
		return SHMH_ESYS;
	return SHMH_OK;
}

/*
 * A symlink at fd in the current directory: its target goes before the
 * rest of the path, if the directory is one we trust with symlinks.
 */
static int walk_link(struct walk *w, struct shmh_map *m, int fd,
		     const struct shmh_open_opts *opts, const char *rest)
{
	char target[SHMH_PATH_MAX];
	size_t n, r = strlen(rest);
	long len;

	if (!path_trusted(&w->dir, opts)) {
		m->found_uid = w->dir.st_uid;
		return SHMH_EPATH;
	}
	if (++w->links > PATH_MAX_LINKS) {
		errno = ELOOP;
		return SHMH_EACCESS;
	}
	len = syscall(SYS_readlinkat, (long)fd, (long)"", (long)target,
		      (long)sizeof(target));
	if (len < 0)
		return SHMH_ESYS;
	n = (size_t)len;
	if (n >= sizeof(target) || n + 1 + r >= sizeof(w->rest)) {
		errno = ENAMETOOLONG;
		return SHMH_EACCESS;
	}
	memmove(w->rest + n + 1, rest, r + 1);
	memcpy(w->rest, target, n);
	w->rest[n] = '/';
	return target[0] == '/' ? walk_start(w, "/") : SHMH_OK;
}

/* Resolves one component (the first of w->rest); SHMH_OK moves on. */
static int walk_step(struct walk *w, struct shmh_map *m,
		     const struct shmh_open_opts *opts)
{
	char *name = w->rest, *end;
	struct stat st;
	int fd, ret;

	while (*name == '/')
		name++;
	end = strchr(name, '/');
	if (end != NULL)
		*end++ = '\0';
	else
		end = name + strlen(name);
	fd = path_openat(w->dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return path_errno();
	if (fstat(fd, &st) != 0) {
		close(fd);
		return SHMH_ESYS;
	}
	if (S_ISLNK(st.st_mode)) {
		ret = walk_link(w, m, fd, opts, end);
		close(fd);
		return ret;
	}
	memmove(w->rest, end, strlen(end) + 1);
	if (!S_ISDIR(st.st_mode)) {
		close(fd);
		errno = ENOTDIR;
		return SHMH_EACCESS;
	}
	close(w->dirfd);
	w->dirfd = fd;
	w->dir = st;
	return SHMH_OK;
}

/* 1 while w->rest holds a component. */
static int walk_more(const struct walk *w)
{
	const char *p = w->rest;

	while (*p == '/')
		p++;
	return *p != '\0';
}

int shmh_path_dir(struct shmh_map *m, const char *dir,
		 const struct shmh_open_opts *opts)
{
	struct walk w = { .dirfd = -1 };
	size_t n = strlen(dir);
	int ret;

	m->dirfd = path_openat2(n > 0 ? dir : ".",
				O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (m->dirfd >= 0)
		return SHMH_OK;
	if (errno != ELOOP && errno != ENOSYS)
		return path_errno();
	if (n >= sizeof(w.rest))
		return SHMH_ENAME;
	memcpy(w.rest, dir, n + 1);
	ret = walk_start(&w, dir);
	while (ret == SHMH_OK && walk_more(&w))
		ret = walk_step(&w, m, opts);
	if (ret != SHMH_OK) {
		if (w.dirfd >= 0)
			close(w.dirfd);
		return ret;
	}
	m->dirfd = w.dirfd;
	return SHMH_OK;
}

/* The offset of path's last component, or -1 if it has none. */
static long path_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;

	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return -1;
	return base - path;
}

int shmh_path_split(struct shmh_map *m, const struct shmh_open_opts *opts,
		   const char **base)
{
	char dir[SHMH_PATH_MAX];
	long off = path_base(m->path);

	if (off < 0)
		return SHMH_ENAME;
	*base = m->path + off;
	/* "/x": the root; "x": here. */
	memcpy(dir, m->path, (size_t)off);
	dir[off > 1 ? off - 1 : off] = '\0';
	return shmh_path_dir(m, dir, opts);
}

/* A failed open of the segment itself as a result; errno kept. */
static int path_open_errno(void)
{
	if (errno == ENOENT)
		return SHMH_ENOSEG;
	return errno == ELOOP ? SHMH_ENOTREG : SHMH_EACCESS;
}

int shmh_path_open(struct shmh_map *m, int flags,
		  const struct shmh_open_opts *opts)
{
	const char *base;
	int ret, saved;

	m->fd = path_openat2(m->path, flags);
	if (m->fd >= 0)
		return SHMH_OK;
	if (errno != ELOOP && errno != ENOSYS)
		return path_open_errno();
	ret = shmh_path_split(m, opts, &base);
	if (ret != SHMH_OK)
		return ret;
	m->fd = path_openat(m->dirfd, base, flags | O_NOFOLLOW);
	saved = errno;
	close(m->dirfd);
	m->dirfd = -1;
	errno = saved;
	return m->fd >= 0 ? SHMH_OK : path_open_errno();
}
