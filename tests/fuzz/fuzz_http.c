/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness, HTTP mode: the input is what a client sends to --listen,
 * given to the request parser whole and then byte by byte, as a slow
 * client would send it.  The parser must answer alike both ways, never
 * read past what it was given, and fill a path that is short, printable
 * and NUL-terminated only for a whole head.
 */
#include <stdlib.h>
#include <string.h>

#include "publisher/http.h"
#include "tests/fuzz/fuzz.h"

static void check_req(const struct pub_http_req *r)
{
	size_t n = strnlen(r->path, sizeof(r->path));

	if (n == sizeof(r->path))
		abort();	/* not NUL-terminated */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)r->path[i] <= ' ' ||
		    (unsigned char)r->path[i] >= 0x7f || r->path[i] == '?')
			abort();
	if (r->method != PUB_HTTP_GET && r->method != PUB_HTTP_HEAD &&
	    r->method != PUB_HTTP_OTHER)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pub_http_req whole, part;
	char *buf;
	int rc, prc = 0;
	size_t len;

	if (size > PUB_HTTP_HEAD_MAX)
		size = PUB_HTTP_HEAD_MAX;
	/* An exact copy, so that ASan sees any read past its end. */
	buf = malloc(size ? size : 1);
	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	rc = pub_http_parse(buf, size, &whole);
	if (rc < -1 || rc > 1)
		abort();
	if (rc == 1)
		check_req(&whole);
	/* A byte at a time: the first answer that is not "more" is the
	 * whole one's, except that a refusal may come as soon as it can. */
	for (len = 0; len <= size; len++) {
		prc = pub_http_parse(buf, len, &part);
		if (prc != 0)
			break;
	}
	if (prc == 1 && (rc != 1 || whole.method != part.method ||
			 strcmp(whole.path, part.path) != 0))
		abort();
	if (prc == -1 && rc == 1)
		abort();
	if (prc == 0 && rc != 0)
		abort();
	free(buf);
	return 0;
}
