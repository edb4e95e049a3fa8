/* SPDX-License-Identifier: MIT */
/*
 * The publisher's log, on standard error, that never blocks the event loop.
 * A pipe, FIFO or socket nobody reads would stop the heartbeat in write(2):
 * such a stderr is written without blocking (a pipe reopened with
 * O_NONBLOCK, which leaves the file description that other processes share
 * as it is; a socket with MSG_DONTWAIT), what it cannot take waits in a
 * bounded buffer that the loop flushes when it is writable, and what does
 * not fit is counted and said once room returns.  Each line is one write,
 * so lines from several processes never mix.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publisher/log.h"
#include "report/buf.h"
#include "shm/util.h"

#define PUB_LOG_LINE	1024

enum pub_log_mode {
	PUB_LOG_UNSET,
	PUB_LOG_DIRECT,		/* a file or terminal: plain writes */
	PUB_LOG_PIPE,		/* our own O_NONBLOCK descriptor */
	PUB_LOG_POLLED,		/* a pipe we could not reopen: poll first */
	PUB_LOG_SOCKET,		/* send(MSG_DONTWAIT) */
};

static struct {
	enum pub_log_mode mode;
	int fd;
	char buf[PUB_LOG_BUFFER];
	size_t off, len;	/* unwritten bytes: buf[off, len) */
	unsigned long dropped;	/* lines lost since the buffer filled */
} pub_lg = { .fd = -1 };

void pub_log_init(void)
{
	struct stat sb;

	if (pub_lg.fd > 2)
		close(pub_lg.fd);
	pub_lg.off = pub_lg.len = 0;
	pub_lg.dropped = 0;
	pub_lg.fd = 2;
	pub_lg.mode = PUB_LOG_DIRECT;
	if (fstat(2, &sb) != 0)
		return;
	if (S_ISSOCK(sb.st_mode)) {
		pub_lg.mode = PUB_LOG_SOCKET;
	} else if (S_ISFIFO(sb.st_mode) || isatty(2)) {
		/* A new file description of the same pipe or terminal (one
		 * stopped by ^S takes nothing): O_NONBLOCK on fd 2's own
		 * would reach every process sharing it. */
		pub_lg.fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK |
				 O_NOCTTY | O_CLOEXEC);
		pub_lg.mode = pub_lg.fd >= 0 ? PUB_LOG_PIPE : PUB_LOG_POLLED;
		if (pub_lg.fd < 0)
			pub_lg.fd = 2;
	}
}

/* One write of n bytes without blocking: bytes written, or -1 (errno). */
static ssize_t pub_log_write(const char *p, size_t n)
{
	struct pollfd pf = { .fd = pub_lg.fd, .events = POLLOUT };

	switch (pub_lg.mode) {
	case PUB_LOG_SOCKET:
		return send(pub_lg.fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	case PUB_LOG_POLLED:
		/* A line of at most PIPE_BUF bytes fits a writable pipe. */
		if (poll(&pf, 1, 0) != 1 || !(pf.revents & POLLOUT)) {
			errno = EAGAIN;
			return -1;
		}
		return write(pub_lg.fd, p, n);
	default:
		return write(pub_lg.fd, p, n);
	}
}

/* Adds n bytes to the buffer; 0, or -1 when they do not fit. */
static int pub_log_keep(const char *p, size_t n)
{
	if (pub_lg.len + n > sizeof(pub_lg.buf) && pub_lg.off > 0) {
		memmove(pub_lg.buf, pub_lg.buf + pub_lg.off,
			pub_lg.len - pub_lg.off);
		pub_lg.len -= pub_lg.off;
		pub_lg.off = 0;
	}
	if (pub_lg.len + n > sizeof(pub_lg.buf))
		return -1;
	memcpy(pub_lg.buf + pub_lg.len, p, n);
	pub_lg.len += n;
	return 0;
}

/* Writes buffered lines, one write each, until the fd would block.
 * Returns 0, or -1 when stderr is gone (what was buffered is dropped). */
static int pub_log_write_buffered(void)
{
	while (pub_lg.off < pub_lg.len) {
		const char *p = pub_lg.buf + pub_lg.off;
		const char *nl = memchr(p, '\n', pub_lg.len - pub_lg.off);
		size_t n = nl ? (size_t)(nl - p) + 1 : pub_lg.len - pub_lg.off;
		ssize_t w = pub_log_write(p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w <= 0) {
			pub_lg.off = pub_lg.len = 0;
			return -1;
		}
		pub_lg.off += (size_t)w;
	}
	pub_lg.off = pub_lg.len = 0;
	return 0;
}

/*
 * The message may quote a package name, a repository or a command's error:
 * each character a terminal could take for a control (C0, C1, DEL, bidi
 * formatting) or that is no UTF-8 becomes one '?', in place, so a line
 * stays one line and shows what it says.  Returns the new length.
 */
size_t pub_log_clean(char *s, size_t n)
{
	size_t i = 0, o = 0, used, ok;

	while (i < n) {
		ok = rpt_utf8_safe((const unsigned char *)s + i, n - i, &used);
		if (ok > 0)
			memmove(s + o, s + i, ok);
		else
			s[o] = '?';
		o += ok > 0 ? ok : 1;
		i += used;
	}
	return o;
}

/* "shm-publisher[pid]: " and the message, cut to fit, made safe,
 * newline-ended. */
static size_t pub_log_format(char *line, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static size_t pub_log_format(char *line, const char *fmt, va_list ap)
{
	int n = snprintf(line, PUB_LOG_LINE, "shm-publisher[%ld]: ",
			 (long)getpid());
	size_t len;

	vsnprintf(line + n, PUB_LOG_LINE - (size_t)n - 1, fmt, ap);
	len = (size_t)n + pub_log_clean(line + n, strlen(line + n));
	line[len++] = '\n';
	line[len] = '\0';
	return len;
}

static void pub_log_note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

void pub_log_flush(void)
{
	if (pub_lg.mode == PUB_LOG_UNSET || pub_log_write_buffered() != 0)
		return;
	/* All written: room again, and the gap is said first. */
	if (pub_lg.len == 0 && pub_lg.dropped > 0) {
		unsigned long n = pub_lg.dropped;

		pub_lg.dropped = 0;
		pub_log_note("%lu log line%s dropped (standard error was not "
			     "read)", n, n == 1 ? "" : "s");
	}
}

/* Queues a line, or writes it at once when nothing waits before it. */
static void pub_log_line(const char *line, size_t n)
{
	ssize_t w = 0;

	if (pub_lg.dropped > 0) {	/* until the gap is said */
		pub_lg.dropped++;
		return;
	}
	if (pub_lg.len == 0) {
		do
			w = pub_log_write(line, n);
		while (w < 0 && errno == EINTR);
		if (w == (ssize_t)n)
			return;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return;	/* stderr is gone: nothing to wait for */
		if (w < 0)
			w = 0;
	}
	if (pub_log_keep(line + w, n - (size_t)w) != 0)
		pub_lg.dropped = 1;
}

static void pub_log_note(const char *fmt, ...)
{
	char line[PUB_LOG_LINE];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = pub_log_format(line, fmt, ap);
	va_end(ap);
	pub_log_line(line, n);
}

void pub_log(const char *fmt, ...)
{
	char line[PUB_LOG_LINE];
	va_list ap;
	size_t n;

	if (pub_lg.mode == PUB_LOG_UNSET)
		pub_log_init();
	va_start(ap, fmt);
	n = pub_log_format(line, fmt, ap);
	va_end(ap);
	if (pub_lg.mode == PUB_LOG_DIRECT) {
		if (write(2, line, n) < 0) {
			/* nowhere to say it */
		}
		return;
	}
	pub_log_flush();
	pub_log_line(line, n);
}

int pub_log_pending_fd(void)
{
	return pub_lg.len > 0 ? pub_lg.fd : -1;
}

void pub_log_drain(int ms)
{
	struct pollfd pf;
	int64_t end = shmh_now_mono_ns() + (int64_t)ms * 1000000;
	int64_t left;

	pub_log_flush();
	while (pub_lg.len > 0 && (left = end - shmh_now_mono_ns()) > 0) {
		pf.fd = pub_lg.fd;
		pf.events = POLLOUT;
		if (poll(&pf, 1, (int)(left / 1000000) + 1) < 0 &&
		    errno != EINTR)
			return;
		pub_log_flush();
	}
}
