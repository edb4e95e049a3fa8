/* SPDX-License-Identifier: MIT */
/*
 * Creating, opening, validating and removing the segment.  A plain name is a
 * POSIX shm object (a file under /dev/shm); a name holding '/' is a path.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shm/private.h"
#include "shm/util.h"

void shmh_map_init(struct shmh_map *m)
{
	memset(m, 0, sizeof(*m));
	m->fd = -1;
	m->dirfd = -1;
	m->lockfd = -1;
}

/* Plain copies, not snprintf(): the health check formats nothing else
 * before its verdict. */
int shmh_resolve(const char *name, char *path, size_t len)
{
	static const char dir[] = SHMH_DIR "/";
	size_t pre, n;

	if (name == NULL || name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return SHMH_ENAME;
	pre = strchr(name, '/') != NULL ? 0 : sizeof(dir) - 1;
	n = strlen(name);
	if (len <= pre || n >= len - pre)
		return SHMH_ENAME;
	memcpy(path, dir, pre);
	memcpy(path + pre, name, n + 1);
	return SHMH_OK;
}

/* Records errno and closes what is open; returns result for tail calls. */
static int shmh_fail(struct shmh_map *m, int result)
{
	int saved = errno;

	shmh_close_segment(m);
	/* Only a failed system call has an errno worth reporting. */
	m->saved_errno = (result == SHMH_EACCESS || result == SHMH_ESYS ||
			  result == SHMH_ENOSEG || result == SHMH_ECREATE ||
			  result == SHMH_ELOCK) ?
			 saved : 0;
	return result;
}

/* The refusal rules that fstat can answer. */
static int shmh_check_stat(struct shmh_map *m, const struct stat *st,
			  const struct shmh_open_opts *opts)
{
	if (!S_ISREG(st->st_mode))
		return SHMH_ENOTREG;
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return SHMH_EWRITABLE;
	m->found_uid = st->st_uid;
	if (st->st_uid != 0 && st->st_uid != geteuid() &&
	    !(opts != NULL && opts->have_owner && st->st_uid == opts->owner_uid))
		return SHMH_EOWNER;
	return SHMH_OK;
}

/*
 * The header checks, on a copy of the header.  The layout version is
 * checked before any size, so a segment of another version is named as
 * such.
 */
static int shmh_check_header(struct shmh_map *m, const struct shmh_header *h)
{
	if (memcmp(h->magic, SHMH_MAGIC, SHMH_MAGIC_LEN) != 0)
		return SHMH_EMAGIC;
	m->found_version = h->layout_version;
	if (h->layout_version != SHMH_LAYOUT_VERSION)
		return SHMH_EVERSION;
	if (h->header_size != sizeof(struct shmh_header) ||
	    h->total_size != sizeof(struct shmh_segment) ||
	    h->status_size != sizeof(struct shmh_status))
		return SHMH_EHEADER;
	return SHMH_OK;
}

/*
 * The header as the map reads it: from the mapping under the SIGBUS guard,
 * or with one pread().  A file shrunk since fstat() gives SHMH_ESIZE, not a
 * crash.
 */
static int shmh_load_header(struct shmh_map *m)
{
	struct shmh_header h;
	ssize_t n;

	if (!m->by_read) {
		if (shmh_read_header(m, &h) != SHMH_OK)
			return SHMH_ESIZE;
		return shmh_check_header(m, &h);
	}
	n = pread(m->fd, &h, sizeof(h), 0);
	if (n < 0)
		return SHMH_EACCESS;
	if ((size_t)n != sizeof(h))
		return SHMH_ESIZE;
	m->open_seq = h.seq;	/* the first snapshot's first try uses it */
	return shmh_check_header(m, &h);
}

/*
 * Maps the whole layout whatever the file's size (pages past its end raise
 * SIGBUS, which the guard turns into an answer) and installs the guard.
 */
int shmh_map_guarded(struct shmh_map *m)
{
	void *p = mmap(NULL, sizeof(struct shmh_segment), PROT_READ, MAP_SHARED,
		       m->fd, 0);

	if (p == MAP_FAILED)
		return SHMH_EACCESS;
	m->seg = p;
	m->size = sizeof(struct shmh_segment);
	if (shmh_guard_install() != SHMH_OK)
		return SHMH_ESYS;
	m->guarded = 1;
	return SHMH_OK;
}

int shmh_open_segment(struct shmh_map *m, const char *name,
		     const struct shmh_open_opts *opts)
{
	struct stat st;
	int ret;

	shmh_map_init(m);
	if (shmh_resolve(name, m->path, sizeof(m->path)) != SHMH_OK)
		return SHMH_ENAME;
	/*
	 * O_NONBLOCK: opening a planted FIFO must not hang the reader.  No
	 * O_CLOEXEC: readers do not exec, and musl would spend a system call
	 * on it.  No lock either, ever: a reader must not be able to pin the
	 * publisher.
	 */
	ret = shmh_path_open(m, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
			    opts);
	if (ret != SHMH_OK)
		return shmh_fail(m, ret);
	if (fstat(m->fd, &st) != 0)
		return shmh_fail(m, SHMH_ESYS);
	ret = shmh_check_stat(m, &st, opts);
	if (ret == SHMH_OK && (uint64_t)st.st_size < sizeof(struct shmh_header))
		ret = SHMH_ESIZE;
	m->by_read = opts != NULL && opts->by_read;
	if (ret == SHMH_OK && !m->by_read)
		ret = shmh_map_guarded(m);
	if (ret == SHMH_OK)
		ret = shmh_load_header(m);
	if (ret == SHMH_OK && (uint64_t)st.st_size != sizeof(struct shmh_segment))
		ret = SHMH_ESIZE;
	if (ret != SHMH_OK)
		return shmh_fail(m, ret);
	return SHMH_OK;
}

void shmh_close_segment(struct shmh_map *m)
{
	if (m->guarded)
		shmh_guard_remove();
	m->guarded = 0;
	if (m->seg != NULL)
		munmap(m->seg, m->size);
	if (m->fd >= 0)
		close(m->fd);
	if (m->dirfd >= 0)
		close(m->dirfd);
	if (m->lockfd >= 0)
		close(m->lockfd);
	m->seg = NULL;
	m->fd = -1;
	m->dirfd = -1;
	m->lockfd = -1;
	m->size = 0;
	m->by_read = 0;
}

/* Fills a fresh mapping: header, then both copies. */
static void shmh_fill(struct shmh_segment *seg, const struct shmh_status *initial)
{
	memset(seg, 0, sizeof(*seg));
	memcpy(seg->hdr.magic, SHMH_MAGIC, SHMH_MAGIC_LEN);
	seg->hdr.layout_version = SHMH_LAYOUT_VERSION;
	seg->hdr.header_size = sizeof(struct shmh_header);
	seg->hdr.total_size = sizeof(struct shmh_segment);
	seg->hdr.status_size = sizeof(struct shmh_status);
	seg->hdr.seq = 0;
	seg->copy[0] = *initial;
	seg->copy[1] = *initial;
}

/*
 * Creates, sizes and maps the temporary file tmp beside the segment.
 * O_EXCL|O_NOFOLLOW: whatever is planted under the name is neither
 * followed nor opened.
 */
static int shmh_build_tmp(struct shmh_map *m, const char *tmp,
			 const struct shmh_status *initial)
{
	void *p;

	m->fd = openat(m->dirfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
		       O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);
	if (m->fd < 0)
		return SHMH_ECREATE;
	/* The umask may have cleared bits; readers need 0644 exactly. */
	if (fchmod(m->fd, 0644) != 0 ||
	    ftruncate(m->fd, sizeof(struct shmh_segment)) != 0)
		return SHMH_ESYS;
	p = mmap(NULL, sizeof(struct shmh_segment), PROT_READ | PROT_WRITE,
		 MAP_SHARED, m->fd, 0);
	if (p == MAP_FAILED)
		return SHMH_ESYS;
	m->seg = p;
	m->size = sizeof(struct shmh_segment);
	m->writable = 1;
	shmh_fill(m->seg, initial);
	return SHMH_OK;
}

/* How often to look again when the name changes under us. */
#define SHMH_TAKE_TRIES 8
/* shmh_try_take()'s "look again": positive, so no SHMH_* result. */
#define SHMH_TAKE_AGAIN 1

/* The segment's name in its directory. */
static const char *shmh_base(const struct shmh_map *m)
{
	return strrchr(m->path, '/') + 1;
}

/* 1 if fd is still the file under name in the segment's directory. */
static int shmh_is_named(const struct shmh_map *m, int fd, const char *name)
{
	struct stat mine, there;

	return fstat(fd, &mine) == 0 &&
	       fstatat(m->dirfd, name, &there, AT_SYMLINK_NOFOLLOW) == 0 &&
	       mine.st_dev == there.st_dev && mine.st_ino == there.st_ino;
}

/*
 * 1 if fd is demonstrably a segment: a regular file whose whole header is
 * valid for some layout version (magic, sizes that add up) and whose size
 * is the header's.  A segment of any layout version is ours to replace;
 * anything else at the name (a typo in --segment naming someone's file) is
 * not.
 */
static int shmh_is_segment(int fd, const struct stat *st)
{
	struct shmh_header h;

	if (!S_ISREG(st->st_mode) ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return 0;
	return memcmp(h.magic, SHMH_MAGIC, SHMH_MAGIC_LEN) == 0 &&
	       h.layout_version != 0 && h.header_size == sizeof(h) &&
	       h.status_size != 0 && h.status_size % 8 == 0 &&
	       h.total_size == h.header_size + 2 * (uint64_t)h.status_size &&
	       (uint64_t)st->st_size == h.total_size;
}

/* What is under name cannot be opened: name its owner if not us. */
static int shmh_refuse_unopened(struct shmh_map *m, const char *name)
{
	int saved = errno;
	struct stat st;

	if (fstatat(m->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_uid != geteuid()) {
		m->found_uid = st.st_uid;
		return SHMH_EOWNER;
	}
	errno = saved;
	return SHMH_EACCESS;
}

/* A symlink at the name: replaced, never followed, if it is ours. */
static int shmh_take_symlink(struct shmh_map *m, const char *tmp,
			    const char *name)
{
	struct stat st;

	if (fstatat(m->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return SHMH_TAKE_AGAIN;
	if (st.st_uid != geteuid()) {
		m->found_uid = st.st_uid;
		return SHMH_EOWNER;
	}
	if (!S_ISLNK(st.st_mode))
		return SHMH_TAKE_AGAIN;
	return renameat(m->dirfd, tmp, m->dirfd, name) == 0 ? SHMH_OK :
							       SHMH_ECREATE;
}

/* An open file at the name: replaced only if it is our own segment. */
static int shmh_take_file(struct shmh_map *m, int fd, const char *tmp,
			 const char *name)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return SHMH_ESYS;
	m->found_uid = st.st_uid;
	if (st.st_uid != geteuid())
		return SHMH_EOWNER;
	if (!shmh_is_segment(fd, &st))
		return SHMH_ENOTSEG;
	if (!shmh_is_named(m, fd, name))
		return SHMH_TAKE_AGAIN;
	return renameat(m->dirfd, tmp, m->dirfd, name) == 0 ? SHMH_OK :
							       SHMH_ECREATE;
}

/*
 * One attempt to put tmp under the name: SHMH_OK, another SHMH_E*, or
 * SHMH_TAKE_AGAIN if the name changed meanwhile.  Our lock file says no
 * other publisher is live, so an old segment is a dead one's; with none,
 * link() refuses to replace one that appeared since.
 */
static int shmh_try_take(struct shmh_map *m, const char *tmp, const char *name)
{
	int fd = openat(m->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
			O_NONBLOCK | O_NOCTTY);
	int ret;

	if (fd < 0 && errno == ENOENT) {
		if (linkat(m->dirfd, tmp, m->dirfd, name, 0) == 0) {
			unlinkat(m->dirfd, tmp, 0);
			return SHMH_OK;
		}
		return errno == EEXIST ? SHMH_TAKE_AGAIN : SHMH_ECREATE;
	}
	if (fd < 0 && errno == ELOOP)
		return shmh_take_symlink(m, tmp, name);
	if (fd < 0)
		return shmh_refuse_unopened(m, name);
	ret = shmh_take_file(m, fd, tmp, name);
	close(fd);
	return ret;
}

/* Puts tmp under the name. */
static int shmh_take_name(struct shmh_map *m, const char *tmp, const char *name)
{
	int tries, ret;

	for (tries = 0; tries < SHMH_TAKE_TRIES; tries++) {
		ret = shmh_try_take(m, tmp, name);
		if (ret != SHMH_TAKE_AGAIN)
			return ret;
	}
	errno = EAGAIN;
	return SHMH_ECREATE;	/* someone keeps replacing it */
}

/* The pid a live holder wrote into the lock file, or 0. */
static pid_t shmh_lock_holder(int fd)
{
	char buf[24];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid = 0;
	ssize_t i;

	for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		pid = pid * 10 + (buf[i] - '0');
	return i > 0 && i < n && buf[i] == '\n' ? (pid_t)pid : 0;
}

/* Opens the lock file, made 0600 if missing; refuses one not ours. */
static int shmh_lock_open(struct shmh_map *m, const char *name)
{
	const int flags = O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
			  O_CLOEXEC;
	struct stat st;
	int tries;

	for (tries = 0; tries < SHMH_TAKE_TRIES; tries++) {
		m->lockfd = openat(m->dirfd, name, flags);
		if (m->lockfd >= 0 || errno != ENOENT)
			break;
		m->lockfd = openat(m->dirfd, name, flags | O_CREAT | O_EXCL,
				   0600);
		if (m->lockfd >= 0 || errno != EEXIST)
			break;
	}
	if (m->lockfd < 0) {
		m->detail = errno == ELOOP ? "is a symlink" : NULL;
		return shmh_refuse_unopened(m, name) == SHMH_EOWNER ||
		       errno == ELOOP ? SHMH_ELOCK : SHMH_ECREATE;
	}
	if (fstat(m->lockfd, &st) != 0)
		return SHMH_ESYS;
	m->found_uid = st.st_uid;
	errno = 0;
	if (!S_ISREG(st.st_mode))
		m->detail = "is not a regular file";
	else if (st.st_uid != geteuid())
		m->detail = NULL;	/* the owner says it */
	else if (st.st_nlink != 1)
		m->detail = "has other links";
	else
		return fchmod(m->lockfd, 0600) == 0 ? SHMH_OK : SHMH_ESYS;
	return SHMH_ELOCK;
}

/*
 * Takes the write lock, an open file description's: only a descriptor
 * open for writing can take it, so only a user who may write the 0600
 * file, and it dies with the last descriptor, so with a killed publisher.
 * Our pid goes in the file, for the next one to name.
 */
static int shmh_lock_take(struct shmh_map *m)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char pid[24];
	int n;

	if (fcntl(m->lockfd, F_OFD_SETLK, &fl) != 0) {
		if (errno != EAGAIN && errno != EACCES)
			return SHMH_ESYS;
		m->holder_pid = shmh_lock_holder(m->lockfd);
		return SHMH_EINUSE;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(m->lockfd, 0) != 0 ||
	    pwrite(m->lockfd, pid, (size_t)n, 0) != n)
		return SHMH_ESYS;
	return SHMH_OK;
}

/* The lock file NAME.lock beside the segment, locked. */
static int shmh_lock(struct shmh_map *m, const char *base)
{
	char name[NAME_MAX + 1];
	int n = snprintf(name, sizeof(name), "%s.lock", base);
	int ret;

	if (n < 0 || (size_t)n >= sizeof(name))
		return SHMH_ENAME;
	ret = shmh_lock_open(m, name);
	return ret == SHMH_OK ? shmh_lock_take(m) : ret;
}

/*
 * A temporary name of our own: pid and time, for publishers in two
 * containers sharing a volume may have the same pid; a name taken is
 * tried again with a later time.
 */
static int shmh_tmp_build(struct shmh_map *m, const char *base, char *tmp,
			 size_t len, const struct shmh_status *initial)
{
	int tries, n, ret = SHMH_ECREATE;

	for (tries = 0; tries < SHMH_TAKE_TRIES; tries++) {
		n = snprintf(tmp, len, ".%s.tmp%ld.%lx", base, (long)getpid(),
			     (unsigned long)(shmh_now_mono_ns() & 0xffffffff));
		if (n < 0 || (size_t)n >= len) {
			tmp[0] = '\0';
			return SHMH_ENAME;
		}
		ret = shmh_build_tmp(m, tmp, initial);
		if (ret != SHMH_ECREATE || errno != EEXIST)
			break;
	}
	if (ret == SHMH_ECREATE)
		tmp[0] = '\0';	/* not ours to remove */
	return ret;
}

int shmh_create_segment(struct shmh_map *m, const char *name,
		       const struct shmh_status *initial)
{
	char tmp[NAME_MAX + 1] = "";
	const char *base;
	int ret;

	shmh_map_init(m);
	if (shmh_resolve(name, m->path, sizeof(m->path)) != SHMH_OK)
		return SHMH_ENAME;
	ret = shmh_path_split(m, NULL, &base);
	if (ret == SHMH_ENOSEG)
		ret = SHMH_ECREATE;	/* the directory is missing */
	if (ret == SHMH_OK)
		ret = shmh_lock(m, base);
	if (ret == SHMH_OK)
		ret = shmh_tmp_build(m, base, tmp, sizeof(tmp), initial);
	if (ret == SHMH_OK)
		ret = shmh_take_name(m, tmp, base);
	if (ret != SHMH_OK) {
		int saved = errno;

		if (tmp[0] != '\0')
			unlinkat(m->dirfd, tmp, 0);
		errno = saved;
		return shmh_fail(m, ret);
	}
	return SHMH_OK;
}

void shmh_describe(const struct shmh_map *m, int result, char *buf,
		  size_t len)
{
	const char *what = shmh_strerror(result);
	unsigned uid = (unsigned)m->found_uid;

	if (result == SHMH_EINUSE && m->holder_pid > 0)
		snprintf(buf, len, "%s (pid %ld holds %s.lock)", what,
			 (long)m->holder_pid, m->path);
	else if (result == SHMH_EOWNER)
		snprintf(buf, len, "%s (uid %u); not replaced", what, uid);
	else if (result == SHMH_EPATH)
		snprintf(buf, len, "%s (owned by uid %u)", what, uid);
	else if (result == SHMH_ELOCK && m->detail != NULL)
		snprintf(buf, len, "%s.lock %s", m->path, m->detail);
	else if (result == SHMH_ELOCK)
		snprintf(buf, len, "%s.lock is owned by uid %u, not us",
			 m->path, uid);
	else
		snprintf(buf, len, "%s%s%s", what, m->saved_errno ? ": " : "",
			 m->saved_errno ? strerror(m->saved_errno) : "");
}

int shmh_still_named(const struct shmh_map *m)
{
	return m->fd >= 0 && m->dirfd >= 0 &&
	       shmh_is_named(m, m->fd, shmh_base(m));
}

int shmh_unlink_segment(struct shmh_map *m)
{
	struct stat mine, there;

	if (m->fd < 0 || m->dirfd < 0 || fstat(m->fd, &mine) != 0)
		return SHMH_ESYS;
	/* Only remove the name if it still refers to our file. */
	if (fstatat(m->dirfd, shmh_base(m), &there, AT_SYMLINK_NOFOLLOW) != 0)
		return SHMH_ENOSEG;
	if (mine.st_dev != there.st_dev || mine.st_ino != there.st_ino)
		return SHMH_EINUSE;
	if (unlinkat(m->dirfd, shmh_base(m), 0) != 0)
		return SHMH_ESYS;
	return SHMH_OK;
}

const char *shmh_strerror(int result)
{
	switch (result) {
	case SHMH_OK:		return "ok";
	case SHMH_ENOSEG:	return "no such segment";
	case SHMH_EACCESS:	return "cannot open or map";
	case SHMH_ENOTREG:	return "not a regular file";
	case SHMH_EWRITABLE:	return "writable by group or other";
	case SHMH_EOWNER:	return "owned by another user";
	case SHMH_ESIZE:		return "wrong size";
	case SHMH_EMAGIC:	return "not a shmhealth segment (bad magic)";
	case SHMH_EVERSION:	return "other layout version";
	case SHMH_EHEADER:	return "header sizes do not match the layout";
	case SHMH_EBUSY:		return "no consistent snapshot (writer too busy)";
	case SHMH_ETRUNC:	return "truncated while being read";
	case SHMH_ENAME:		return "invalid segment name";
	case SHMH_EINUSE:	return "in use by a running publisher";
	case SHMH_ESYS:		return "system error";
	case SHMH_ENOTSEG:	return "exists and is not a shmhealth segment";
	case SHMH_ECREATE:	return "cannot create";
	case SHMH_EPATH:		return "symlink on its path in a directory "
				       "others can write";
	case SHMH_ELOCK:		return "lock file is not ours";
	default:		return "unknown error";
	}
}
