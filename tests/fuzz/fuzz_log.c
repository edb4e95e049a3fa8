/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness, log mode: the input is text a package manager or probe
 * could print, logged as the publisher logs a command's error.  The line
 * that reaches standard error (a pipe, read back here) must be one line,
 * "shm-publisher[PID]: " and the message, at most 1024 bytes, with
 * nothing a terminal could take for a control and nothing that is not
 * UTF-8.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publisher/log.h"
#include "report/buf.h"
#include "tests/fuzz/fuzz.h"

static int rfd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int p[2], saved;

	(void)argc;
	(void)argv;
	/* The log takes its own descriptor of stderr when it starts: give it
	 * a pipe then, and libFuzzer its stderr back. */
	if (pipe2(p, O_CLOEXEC) != 0 || (saved = dup(2)) < 0 ||
	    dup2(p[1], 2) < 0)
		abort();
	pub_log_init();
	if (dup2(saved, 2) < 0)
		abort();
	close(saved);
	close(p[1]);
	rfd = p[0];
	if (fcntl(rfd, F_SETFL, O_NONBLOCK) != 0)
		abort();
	return 0;
}

/* The bytes the last pub_log() wrote, NUL-ended. */
static size_t read_line(char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n < size - 1 && (r = read(rfd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char msg[4096], out[4096];
	size_t n = size < sizeof(msg) - 1 ? size : sizeof(msg) - 1;
	size_t i, used;
	char *body;

	memcpy(msg, data, n);
	msg[n] = '\0';
	pub_log("update command: %s", msg);
	n = read_line(out, sizeof(out));
	if (n == 0 || n > 1024 || out[n - 1] != '\n')
		fz_fail("the log line is missing, too long or not ended", out);
	if (strncmp(out, "shm-publisher[", 14) != 0 ||
	    (body = strstr(out, "]: update command: ")) == NULL)
		fz_fail("the log line lost its prefix", out);
	for (i = 0; i < n - 1; i += used)
		if (rpt_utf8_safe((unsigned char *)out + i, n - 1 - i,
				  &used) == 0)
			fz_fail("the log line holds a control or bad UTF-8", out);
	return 0;
}
