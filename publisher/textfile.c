/* SPDX-License-Identifier: MIT */
/*
 * --textfile DIR: the Prometheus exposition of the current status, written
 * to DIR/shmhealth.prom for node_exporter's textfile collector after every
 * check and probe run and every heartbeat.  It is the reader's own
 * formatter on our in-memory status, so the file and
 * `shm-reader --format prometheus` never differ.
 *
 * DIR may be shared with other users (node_exporter's collector directory),
 * so nothing there is trusted: DIR is opened once at start and refused when
 * others may write it without the sticky bit; the new file is an unnamed
 * O_TMPFILE linked under a fresh random name (or, where the file system
 * lacks O_TMPFILE, created with O_EXCL under one), so no name planted in
 * advance (a FIFO, a symlink, someone's file) is ever opened; then it is
 * renamed over shmhealth.prom, so the collector never reads half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publisher/log.h"
#include "publisher/textfile.h"
#include "report/fmt.h"
#include "shm/util.h"

static const char *tf_path;	/* DIR, as given */
static int tf_dir = -1;		/* DIR, opened by pub_textfile_check() */
static int tf_errno;		/* the last error logged, so each is once */

/* Logs a failure once until a write succeeds again. */
static void tf_fail(const char *name, int err)
{
	if (err != tf_errno)
		pub_log("--textfile %s: cannot write %s: %s", tf_path, name,
			strerror(err));
	tf_errno = err;
}

static int tf_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A name no one can have guessed: ".shmhealth.prom." and 16 hex digits. */
static int tf_tmp_name(char name[40])
{
	unsigned long long r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		return -1;
	snprintf(name, 40, ".shmhealth.prom.%016llx", r);
	return 0;
}

/* Fills a new file: all of buf, mode 0644 whatever the umask, on disk
 * if asked. */
static int tf_fill(int fd, const char *buf, size_t n, int sync)
{
	if (fchmod(fd, 0644) != 0 || tf_write_all(fd, buf, n) != 0)
		return -1;
	return sync ? fsync(fd) : 0;
}

/*
 * A new file in DIR under a new random name, written to name: the
 * O_TMPFILE fd linked through /proc when fd >= 0 (returns fd), else one
 * created here, exclusively and without blocking (returns it).
 */
static int tf_name(int fd, char name[40])
{
	char proc[32];
	int tries, nfd;

	for (tries = 0; tries < 8; tries++) {
		if (tf_tmp_name(name) != 0)
			return -1;
		if (fd >= 0) {
			snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
			if (linkat(AT_FDCWD, proc, tf_dir, name,
				   AT_SYMLINK_FOLLOW) == 0)
				return fd;
		} else {
			nfd = openat(tf_dir, name, O_WRONLY | O_CREAT | O_EXCL |
				     O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
			if (nfd >= 0)
				return nfd;
		}
		if (errno != EEXIST)
			break;
	}
	name[0] = '\0';
	return -1;
}

/* Writes buf as DIR/shmhealth.prom, synced if asked.  -1 with errno set. */
static int tf_replace(const char *buf, size_t n, int sync)
{
	char name[40] = "";
	int fd, err;

	/* Unnamed until complete; no O_TMPFILE here (or no /proc to link
	 * it through): a named file, created exclusively. */
	fd = openat(tf_dir, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd >= 0 && (tf_fill(fd, buf, n, sync) != 0 || tf_name(fd, name) < 0)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		fd = tf_name(-1, name);
		if (fd < 0 || tf_fill(fd, buf, n, sync) != 0)
			goto fail;
	}
	if (renameat(tf_dir, name, tf_dir, "shmhealth.prom") != 0)
		goto fail;
	return close(fd);
fail:
	err = errno;
	if (name[0])
		unlinkat(tf_dir, name, 0);
	if (fd >= 0)
		close(fd);
	errno = err;
	return -1;
}

void pub_textfile_write(const char *segment, const struct shmh_status *st,
			int sync)
{
	static struct rpt_report r;
	static char text[RPT_TEXT_MAX];	/* 4 KiB: not on every stack */
	char buf[RPT_FORMAT_MAX];
	const struct rpt_judge o = { 0 };	/* the published policy */
	size_t n;

	if (tf_dir < 0)
		return;
	rpt_verdict_room(&r.verdict, text, sizeof(text));
	rpt_build(&r, segment, st, shmh_now_mono_ns(), &o);
	n = rpt_format(RPT_FMT_PROMETHEUS, &r, buf, sizeof(buf));
	if (tf_replace(buf, n, sync) != 0)
		tf_fail("shmhealth.prom", errno);
	else
		tf_errno = 0;
}

int pub_textfile_check(const char *dir)
{
	struct stat st, f;

	if (dir == NULL)
		return 0;
	tf_path = dir;
	tf_dir = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tf_dir < 0 || fstat(tf_dir, &st) != 0 ||
	    faccessat(tf_dir, ".", W_OK, AT_EACCESS) != 0) {
		pub_log("--textfile %s: not a directory we can write: %s", dir,
			strerror(errno));
		return -1;
	}
	/* Anyone who may write DIR could replace our file; only the sticky
	 * bit keeps them to their own names. */
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
		pub_log("--textfile %s: writable by others and not sticky "
			"(chmod +t it, or use a directory of our own)", dir);
		return -1;
	}
	/* And there, another user's shmhealth.prom could never be replaced:
	 * the collector would go on reading hers. */
	if ((st.st_mode & S_ISVTX) && geteuid() != 0 && st.st_uid != geteuid() &&
	    fstatat(tf_dir, "shmhealth.prom", &f, AT_SYMLINK_NOFOLLOW) == 0 &&
	    f.st_uid != geteuid()) {
		pub_log("--textfile %s: shmhealth.prom there belongs to uid %ld "
			"and the directory is sticky: we could not replace it",
			dir, (long)f.st_uid);
		return -1;
	}
	return 0;
}
