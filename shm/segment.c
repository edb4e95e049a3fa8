/* SPDX-License-Identifier: MIT */
/*
 * Creating, opening, validating and removing the segment.  A plain name is a
 * POSIX shm object (a file under /dev/shm); a name holding '/' is a path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shm/shm.h"

void shm_map_init(struct shm_map *m)
{
	memset(m, 0, sizeof(*m));
	m->fd = -1;
	m->dirfd = -1;
}

/* Plain copies, not snprintf(): the health check formats nothing else
 * before its verdict. */
int shm_resolve(const char *name, char *path, size_t len)
{
	static const char dir[] = SHM_DIR "/";
	size_t pre, n;

	if (name == NULL || name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return SHM_ENAME;
	pre = strchr(name, '/') != NULL ? 0 : sizeof(dir) - 1;
	n = strlen(name);
	if (len <= pre || n >= len - pre)
		return SHM_ENAME;
	memcpy(path, dir, pre);
	memcpy(path + pre, name, n + 1);
	return SHM_OK;
}

/* Records errno and closes what is open; returns result for tail calls. */
static int shm_fail(struct shm_map *m, int result)
{
	int saved = errno;

	shm_close_segment(m);
	/* Only a failed system call has an errno worth reporting. */
	m->saved_errno = (result == SHM_EACCESS || result == SHM_ESYS ||
			  result == SHM_ENOSEG || result == SHM_ECREATE) ?
			 saved : 0;
	return result;
}

/* The refusal rules that fstat can answer. */
static int shm_check_stat(struct shm_map *m, const struct stat *st,
			  const struct shm_open_opts *opts)
{
	if (!S_ISREG(st->st_mode))
		return SHM_ENOTREG;
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return SHM_EWRITABLE;
	m->found_uid = st->st_uid;
	if (st->st_uid != 0 && st->st_uid != geteuid() &&
	    !(opts != NULL && opts->have_owner && st->st_uid == opts->owner_uid))
		return SHM_EOWNER;
	return SHM_OK;
}

/*
 * The header checks, on a copy of the header.  The layout version is
 * checked before any size, so a segment of another version is named as
 * such.
 */
static int shm_check_header(struct shm_map *m, const struct shm_header *h)
{
	if (memcmp(h->magic, SHM_MAGIC, SHM_MAGIC_LEN) != 0)
		return SHM_EMAGIC;
	m->found_version = h->layout_version;
	if (h->layout_version != SHM_LAYOUT_VERSION)
		return SHM_EVERSION;
	if (h->header_size != sizeof(struct shm_header) ||
	    h->total_size != sizeof(struct shm_segment) ||
	    h->status_size != sizeof(struct shm_status))
		return SHM_EHEADER;
	return SHM_OK;
}

/*
 * The header as the map reads it: from the mapping under the SIGBUS guard,
 * or with one pread().  A file shrunk since fstat() gives SHM_ESIZE, not a
 * crash.
 */
static int shm_load_header(struct shm_map *m)
{
	struct shm_header h;
	ssize_t n;

	if (!m->by_read) {
		if (shm_read_header(m, &h) != SHM_OK)
			return SHM_ESIZE;
		return shm_check_header(m, &h);
	}
	n = pread(m->fd, &h, sizeof(h), 0);
	if (n < 0)
		return SHM_EACCESS;
	if ((size_t)n != sizeof(h))
		return SHM_ESIZE;
	m->open_seq = h.seq;	/* the first snapshot's first try uses it */
	return shm_check_header(m, &h);
}

/*
 * Maps the whole layout whatever the file's size (pages past its end raise
 * SIGBUS, which the guard turns into an answer) and installs the guard.
 */
int shm_map_guarded(struct shm_map *m)
{
	void *p = mmap(NULL, sizeof(struct shm_segment), PROT_READ, MAP_SHARED,
		       m->fd, 0);

	if (p == MAP_FAILED)
		return SHM_EACCESS;
	m->seg = p;
	m->size = sizeof(struct shm_segment);
	if (shm_guard_install() != SHM_OK)
		return SHM_ESYS;
	m->guarded = 1;
	return SHM_OK;
}

int shm_open_segment(struct shm_map *m, const char *name,
		     const struct shm_open_opts *opts)
{
	struct stat st;
	int ret;

	shm_map_init(m);
	if (shm_resolve(name, m->path, sizeof(m->path)) != SHM_OK)
		return SHM_ENAME;
	/*
	 * O_NONBLOCK: opening a planted FIFO must not hang the reader.  No
	 * O_CLOEXEC: readers do not exec, and musl would spend a system call
	 * on it.
	 */
	ret = shm_path_open(m, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
			    opts);
	if (ret != SHM_OK)
		return shm_fail(m, ret);
	if (fstat(m->fd, &st) != 0)
		return shm_fail(m, SHM_ESYS);
	ret = shm_check_stat(m, &st, opts);
	if (ret == SHM_OK && (uint64_t)st.st_size < sizeof(struct shm_header))
		ret = SHM_ESIZE;
	m->by_read = opts != NULL && opts->by_read;
	if (ret == SHM_OK && !m->by_read)
		ret = shm_map_guarded(m);
	if (ret == SHM_OK)
		ret = shm_load_header(m);
	if (ret == SHM_OK && (uint64_t)st.st_size != sizeof(struct shm_segment))
		ret = SHM_ESIZE;
	if (ret != SHM_OK)
		return shm_fail(m, ret);
	return SHM_OK;
}

void shm_close_segment(struct shm_map *m)
{
	if (m->guarded)
		shm_guard_remove();
	m->guarded = 0;
	if (m->seg != NULL)
		munmap(m->seg, m->size);
	if (m->fd >= 0)
		close(m->fd);
	if (m->dirfd >= 0)
		close(m->dirfd);
	m->seg = NULL;
	m->fd = -1;
	m->dirfd = -1;
	m->size = 0;
	m->by_read = 0;
}

/* Fills a fresh mapping: header, then both copies. */
static void shm_fill(struct shm_segment *seg, const struct shm_status *initial)
{
	memset(seg, 0, sizeof(*seg));
	memcpy(seg->hdr.magic, SHM_MAGIC, SHM_MAGIC_LEN);
	seg->hdr.layout_version = SHM_LAYOUT_VERSION;
	seg->hdr.header_size = sizeof(struct shm_header);
	seg->hdr.total_size = sizeof(struct shm_segment);
	seg->hdr.status_size = sizeof(struct shm_status);
	seg->hdr.seq = 0;
	seg->copy[0] = *initial;
	seg->copy[1] = *initial;
}

/* Creates, sizes, locks and maps the temporary file. */
static int shm_build_tmp(struct shm_map *m, const char *tmp,
			 const struct shm_status *initial)
{
	void *p;

	m->fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     0644);
	if (m->fd < 0)
		return SHM_ECREATE;
	/* The umask may have cleared bits; readers need 0644 exactly. */
	if (fchmod(m->fd, 0644) != 0 || flock(m->fd, LOCK_EX | LOCK_NB) != 0 ||
	    ftruncate(m->fd, sizeof(struct shm_segment)) != 0)
		return SHM_ESYS;
	p = mmap(NULL, sizeof(struct shm_segment), PROT_READ | PROT_WRITE,
		 MAP_SHARED, m->fd, 0);
	if (p == MAP_FAILED)
		return SHM_ESYS;
	m->seg = p;
	m->size = sizeof(struct shm_segment);
	m->writable = 1;
	shm_fill(m->seg, initial);
	return SHM_OK;
}

/* How often to look again when the name changes under us. */
#define SHM_TAKE_TRIES 8
/* shm_try_take()'s "look again": positive, so no SHM_* result. */
#define SHM_TAKE_AGAIN 1

/* 1 if fd is still the file under path. */
static int shm_is_named(int fd, const char *path)
{
	struct stat mine, there;

	return fstat(fd, &mine) == 0 && lstat(path, &there) == 0 &&
	       mine.st_dev == there.st_dev && mine.st_ino == there.st_ino;
}

/*
 * One attempt to put tmp under path: SHM_OK, SHM_EINUSE, another SHM_E*, or
 * SHM_TAKE_AGAIN if the name changed meanwhile.  The old segment's lock is
 * taken and held across the rename, and checked to still be on the file
 * under the name, so of two publishers starting together one gets
 * SHM_EINUSE; with no old segment, link() refuses to replace one that
 * appeared since.  The kernel drops a dead holder's lock, so a crashed
 * publisher never blocks its successor.
 */
/*
 * 1 if fd is a regular file that starts with our magic: a segment, of any
 * layout version, is ours to replace; anything else at the name (a typo in
 * --segment naming someone's file) is not.
 */
static int shm_is_segment(int fd)
{
	char magic[SHM_MAGIC_LEN];
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
	       memcmp(magic, SHM_MAGIC, SHM_MAGIC_LEN) == 0;
}

static int shm_try_take(const char *tmp, const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	int ret;

	if (fd < 0 && errno == ENOENT) {
		if (link(tmp, path) == 0) {
			unlink(tmp);
			return SHM_OK;
		}
		return errno == EEXIST ? SHM_TAKE_AGAIN : SHM_ECREATE;
	}
	/* A symlink is replaced, never followed: the link itself is lost. */
	if (fd < 0 && errno == ELOOP)
		return rename(tmp, path) == 0 ? SHM_OK : SHM_ECREATE;
	if (fd < 0)
		return SHM_EACCESS;
	if (!shm_is_segment(fd))
		ret = SHM_ENOTSEG;
	else if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		ret = errno == EWOULDBLOCK ? SHM_EINUSE : SHM_ESYS;
	else if (!shm_is_named(fd, path))
		ret = SHM_TAKE_AGAIN;
	else
		ret = rename(tmp, path) == 0 ? SHM_OK : SHM_ECREATE;
	close(fd);
	return ret;
}

/* Puts tmp under path unless a live publisher holds the segment there. */
static int shm_take_name(const char *tmp, const char *path)
{
	int tries, ret;

	for (tries = 0; tries < SHM_TAKE_TRIES; tries++) {
		ret = shm_try_take(tmp, path);
		if (ret != SHM_TAKE_AGAIN)
			return ret;
	}
	return SHM_EINUSE;	/* someone keeps replacing it */
}

int shm_create_segment(struct shm_map *m, const char *name,
		       const struct shm_status *initial)
{
	char tmp[SHM_PATH_MAX + 32];
	const char *base;
	int n, ret;

	shm_map_init(m);
	if (shm_resolve(name, m->path, sizeof(m->path)) != SHM_OK)
		return SHM_ENAME;
	base = strrchr(m->path, '/') + 1;
	/* pid and time: publishers in two containers sharing a volume may
	 * have the same pid. */
	n = snprintf(tmp, sizeof(tmp), "%.*s.%s.tmp%ld.%lx",
		     (int)(base - m->path), m->path, base, (long)getpid(),
		     (unsigned long)(shm_now_mono_ns() & 0xffffffff));
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return SHM_ENAME;
	unlink(tmp);	/* a leftover of a crashed run with our pid */
	ret = shm_build_tmp(m, tmp, initial);
	if (ret == SHM_OK)
		ret = shm_take_name(tmp, m->path);
	if (ret != SHM_OK) {
		int saved = errno;

		unlink(tmp);
		errno = saved;
		return shm_fail(m, ret);
	}
	return SHM_OK;
}

int shm_still_named(const struct shm_map *m)
{
	return m->fd >= 0 && shm_is_named(m->fd, m->path);
}

int shm_unlink_segment(struct shm_map *m)
{
	struct stat mine, there;

	if (m->fd < 0 || fstat(m->fd, &mine) != 0)
		return SHM_ESYS;
	/* Only remove the name if it still refers to our file. */
	if (lstat(m->path, &there) != 0)
		return SHM_ENOSEG;
	if (mine.st_dev != there.st_dev || mine.st_ino != there.st_ino)
		return SHM_EINUSE;
	if (unlink(m->path) != 0)
		return SHM_ESYS;
	return SHM_OK;
}
