/* SPDX-License-Identifier: MIT */
/*
 * --listen ADDR:PORT: the verdict and the metrics over HTTP, for an
 * httpGet probe and a Prometheus scrape.  GET or HEAD /healthz answers 200
 * when healthy, 503 when not, with shm-reader's one-line verdict; GET
 * /metrics the Prometheus exposition.  One request per connection, then
 * close.
 *
 * Everything runs in the publisher's poll loop: non-blocking sockets, at
 * most PUB_HTTP_CONNS connections (a new one takes the place of the one
 * that has been reading longest, accepted in an earlier round), a request
 * answered at once when it came with its connection, a head of at most
 * PUB_HTTP_HEAD_MAX bytes, and PUB_HTTP_DEADLINE_MS for a connection's
 * whole life.  A request costs one bounded parse and one bounded format,
 * so no client, slow or hostile, delays the heartbeat or a check.
 */
#ifndef SHMHEALTH_HTTP_H
#define SHMHEALTH_HTTP_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "shm/shm.h"

#define PUB_HTTP_CONNS		64
#define PUB_HTTP_HEAD_MAX	2048
#define PUB_HTTP_DEADLINE_MS	5000
/* Room for the largest response: headers and a whole format. */
#define PUB_HTTP_OUT_MAX	4608

/* What the parser makes of a request head. */
enum pub_http_method { PUB_HTTP_GET = 1, PUB_HTTP_HEAD, PUB_HTTP_OTHER };

struct pub_http_req {
	enum pub_http_method method;
	char path[64];		/* the target up to '?', NUL-terminated */
};

/*
 * Parses the request head in buf[0..len).  Returns 1 with *r filled once
 * the head is whole (it ends in an empty line), 0 if more bytes are
 * needed, -1 if it cannot be a request (400).  Only the request line is
 * read: "METHOD SP TARGET SP HTTP/1.x"; header fields are skipped.
 */
int pub_http_parse(const char *buf, size_t len, struct pub_http_req *r);

struct pub_http_conn {
	int fd;			/* -1: a free slot */
	int64_t deadline_ns;	/* closed at this monotonic time */
	unsigned round;		/* the accept round it came in */
	size_t in_len;
	size_t out_len, out_off;	/* out_len 0: still reading */
	char in[PUB_HTTP_HEAD_MAX];
	char out[PUB_HTTP_OUT_MAX];
};

struct pub_http {
	int listen_fd;		/* -1: not listening */
	int timer_fd;		/* ticks while a connection is open */
	int paused;		/* out of descriptors: accept at the tick */
	unsigned round;		/* accept rounds so far */
	struct pub_http_conn c[PUB_HTTP_CONNS];
};

/* How many pollfds pub_http_fds() fills: the listener, the timer and each
 * connection. */
#define PUB_HTTP_NFDS	(2 + PUB_HTTP_CONNS)

/* Not listening; pub_http_close() is safe on it. */
void pub_http_init(struct pub_http *h);

/*
 * Listens on addr, "A.B.C.D:PORT", "[IPv6]:PORT",
 * or ":PORT" for every address.  Returns 0, or -1 with a one-line reason
 * in err.  *bound gets the address actually bound ("127.0.0.1:9100").
 */
int pub_http_listen(struct pub_http *h, const char *addr, char *bound,
		    size_t boundlen, char *err, size_t errlen);

/* Fills p[0..PUB_HTTP_NFDS) with what to poll; fd -1 for none. */
void pub_http_fds(const struct pub_http *h, struct pollfd *p);

/*
 * Handles what poll() found in p (as pub_http_fds() filled it): accepts,
 * reads, answers from st (segment names it in the answers), writes,
 * closes what is done or past its deadline.
 */
void pub_http_events(struct pub_http *h, const struct pollfd *p,
		     const struct shmh_status *st, const char *segment);

/* Closes the listener and every connection. */
void pub_http_close(struct pub_http *h);

#endif
