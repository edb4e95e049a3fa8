/* SPDX-License-Identifier: MIT */
/*
 * --textfile DIR: the Prometheus exposition of the current status, written
 * to DIR/shmhealth.prom for node_exporter's textfile collector after every
 * check and probe run.  It is the reader's own formatter on our in-memory
 * status, so the file and `shm-reader --format prometheus` never differ.
 * Written to a temporary file in DIR and renamed, so the collector never
 * reads half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publisher/loop.h"
#include "reader/fmt.h"
#include "reader/options.h"

static int pub_write_all(int fd, const char *buf, size_t len)
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

void pub_textfile_write(struct pub_loop *l)
{
	static struct rdr_report r;
	static char text[RDR_TEXT_MAX];	/* 4 KiB: not on every stack */
	char buf[RDR_FORMAT_MAX], tmp[PUB_PATH_MAX], path[PUB_PATH_MAX];
	struct rdr_options o;
	size_t n;
	int fd;

	if (l->opt->textfile == NULL)
		return;
	if (snprintf(path, sizeof(path), "%s/shmhealth.prom",
		     l->opt->textfile) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.shmhealth.prom.%ld",
		     l->opt->textfile, (long)getpid()) >= (int)sizeof(tmp)) {
		pub_log("--textfile %s: path too long", l->opt->textfile);
		return;
	}
	rdr_options_init(&o);
	rdr_verdict_room(&r.verdict, text, sizeof(text));
	rdr_report_build(&r, l->map.path[0] ? l->map.path : l->opt->segment,
			 &l->st, shm_now_mono_ns(), &o);
	n = rdr_format(RDR_FMT_PROMETHEUS, &r, buf, sizeof(buf));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		pub_log("--textfile %s: %s", tmp, strerror(errno));
		return;
	}
	if (pub_write_all(fd, buf, n) != 0 || fsync(fd) != 0) {
		pub_log("--textfile %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		pub_log("--textfile %s: %s", path, strerror(errno));
		unlink(tmp);
	}
}

int pub_textfile_check(const char *dir)
{
	struct stat st;

	if (dir == NULL)
		return 0;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    access(dir, W_OK) != 0) {
		pub_log("--textfile %s: not a directory we can write", dir);
		return -1;
	}
	return 0;
}
