/* SPDX-License-Identifier: MIT */
/*
 * The --listen endpoint (http.h): a listener, a fixed table of
 * connections, and a timer that closes those past their deadline.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "publisher/http.h"
#include "publisher/timer.h"
#include "report/fmt.h"
#include "shm/util.h"

/* How often open connections are looked at for their deadline. */
#define PUB_HTTP_TICK_MS	250

int pub_http_parse(const char *buf, size_t len, struct pub_http_req *r)
{
	const char *end, *sp1, *sp2, *line_end, *p;
	size_t n;

	/* The head ends at the first empty line: CRLF CRLF, or bare LFs. */
	for (end = NULL, p = buf; p + 1 < buf + len; p++) {
		if (p[0] == '\n' && p[1] == '\n') {
			end = p;
			break;
		}
		if (p + 3 < buf + len && memcmp(p, "\r\n\r\n", 4) == 0) {
			end = p;
			break;
		}
	}
	line_end = memchr(buf, '\n', len);
	if (end == NULL) {
		/* A request line that cannot be one is refused at once. */
		if (len > 0 && (buf[0] < 'A' || buf[0] > 'Z'))
			return -1;
		return 0;
	}
	if (line_end > buf && line_end[-1] == '\r')
		line_end--;
	sp1 = memchr(buf, ' ', (size_t)(line_end - buf));
	if (sp1 == NULL || sp1 == buf)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1));
	if (sp2 == NULL || sp2 == sp1 + 1)
		return -1;
	if ((size_t)(line_end - sp2 - 1) != 8 ||
	    memcmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return -1;
	for (p = buf; p < sp1; p++)
		if (*p < 'A' || *p > 'Z')
			return -1;
	n = (size_t)(sp1 - buf);
	r->method = n == 3 && memcmp(buf, "GET", 3) == 0 ? PUB_HTTP_GET :
		    n == 4 && memcmp(buf, "HEAD", 4) == 0 ? PUB_HTTP_HEAD :
		    PUB_HTTP_OTHER;
	/* The path: up to a query, printable, no space (already cut). */
	for (p = sp1 + 1, n = 0; p < sp2 && *p != '?'; p++, n++) {
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return -1;
		if (n + 1 >= sizeof(r->path))
			return -1;
		r->path[n] = *p;
	}
	r->path[n] = '\0';
	return 1;
}

static void conn_close(struct pub_http_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void pub_http_init(struct pub_http *h)
{
	size_t i;

	h->listen_fd = h->timer_fd = -1;
	h->served = h->refused = 0;
	for (i = 0; i < PUB_HTTP_CONNS; i++)
		h->c[i].fd = -1;
}

/* Splits "HOST:PORT", "[V6]:PORT" or ":PORT"; host "" means any. */
static int split_addr(const char *addr, char *host, size_t hostlen,
		      const char **port)
{
	const char *colon;
	size_t n;

	if (addr[0] == '[') {
		const char *close_br = strchr(addr, ']');

		if (close_br == NULL || close_br[1] != ':')
			return -1;
		n = (size_t)(close_br - addr - 1);
		addr++;
		colon = close_br + 1;
	} else {
		colon = strrchr(addr, ':');
		if (colon == NULL || memchr(addr, ':', (size_t)(colon - addr)))
			return -1;	/* an IPv6 literal needs brackets */
		n = (size_t)(colon - addr);
	}
	if (n >= hostlen || colon[1] == '\0')
		return -1;
	memcpy(host, addr, n);
	host[n] = '\0';
	*port = colon + 1;
	for (const char *p = *port; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return 0;
}

/* A non-blocking listening socket on sa, or -1 with errno set. */
static int open_listener(const struct sockaddr *sa, socklen_t len)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0), on = 1, off = 0, err;

	if (fd < 0)
		return -1;
	/* IPv6's any address takes IPv4 too, where the system lets it. */
	if (sa->sa_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
				 sizeof(off));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0 &&
	    bind(fd, sa, len) == 0 && listen(fd, 64) == 0)
		return fd;
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int pub_http_listen(struct pub_http *h, const char *addr, char *bound,
		    size_t boundlen, char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[64], hbuf[64], pbuf[8];
	const char *port;
	long portnum;
	int fd, rc;

	if (split_addr(addr, host, sizeof(host), &port) != 0 ||
	    strlen(port) > 5 || (portnum = strtol(port, NULL, 10)) > 65535) {
		snprintf(err, errlen, "--listen %s: not HOST:PORT, [IPV6]:PORT "
			 "or :PORT", addr);
		return -1;
	}
	if (host[0] == '\0') {
		struct sockaddr_in6 any6 = {
			.sin6_family = AF_INET6,
			.sin6_port = htons((uint16_t)portnum),
			.sin6_addr = IN6ADDR_ANY_INIT,
		};
		struct sockaddr_in any4 = {
			.sin_family = AF_INET,
			.sin_port = htons((uint16_t)portnum),
			.sin_addr.s_addr = htonl(INADDR_ANY),
		};

		fd = open_listener((struct sockaddr *)&any6, sizeof(any6));
		if (fd < 0 && errno == EAFNOSUPPORT)
			fd = open_listener((struct sockaddr *)&any4,
					   sizeof(any4));
	} else {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
		rc = getaddrinfo(host, port, &hints, &ai);
		if (rc != 0) {
			snprintf(err, errlen, "--listen %s: %s is not an IPv4 "
				 "or IPv6 address", addr, host);
			return -1;
		}
		fd = open_listener(ai->ai_addr, ai->ai_addrlen);
		freeaddrinfo(ai);
	}
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, sl, hbuf, sizeof(hbuf), pbuf,
			sizeof(pbuf), NI_NUMERICHOST | NI_NUMERICSERV) != 0 ||
	    (h->timer_fd = pub_timer_new()) < 0) {
		snprintf(err, errlen, "--listen %s: cannot listen: %s", addr,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	h->listen_fd = fd;
	snprintf(bound, boundlen, strchr(hbuf, ':') ? "[%s]:%s" : "%s:%s",
		 hbuf, pbuf);
	return 0;
}

static size_t open_conns(const struct pub_http *h)
{
	size_t i, n = 0;

	for (i = 0; i < PUB_HTTP_CONNS; i++)
		n += h->c[i].fd >= 0;
	return n;
}

void pub_http_fds(const struct pub_http *h, struct pollfd *p)
{
	size_t i;

	p[0].fd = h->listen_fd;
	p[0].events = POLLIN;
	p[1].fd = h->timer_fd;
	p[1].events = POLLIN;
	for (i = 0; i < PUB_HTTP_CONNS; i++) {
		const struct pub_http_conn *c = &h->c[i];

		p[2 + i].fd = c->fd;
		p[2 + i].events = c->out_len ? POLLOUT : POLLIN;
	}
}

static void answer(struct pub_http_conn *c, int code, const char *reason,
		   const char *ctype, const char *body, size_t blen, int head,
		   const char *extra)
{
	int n = snprintf(c->out, sizeof(c->out),
			 "HTTP/1.1 %d %s\r\n"
			 "Content-Type: %s\r\n"
			 "Content-Length: %zu\r\n"
			 "Cache-Control: no-store\r\n"
			 "%s"
			 "Connection: close\r\n\r\n",
			 code, reason, ctype, blen, extra);

	if (n < 0 || (size_t)n >= sizeof(c->out)) {
		c->out_len = 0;
		return;
	}
	if (!head) {
		if (blen > sizeof(c->out) - (size_t)n)
			blen = sizeof(c->out) - (size_t)n;
		memcpy(c->out + n, body, blen);
		n += (int)blen;
	}
	c->out_len = (size_t)n;
	c->out_off = 0;
}

#define TEXT_PLAIN	"text/plain; charset=utf-8"

/* The answer to a whole request head. */
static void respond(struct pub_http_conn *c, const struct pub_http_req *rq,
		    const struct shmh_status *st, const char *segment)
{
	static struct rpt_report r;
	static char text[RPT_TEXT_MAX];
	char body[RPT_FORMAT_MAX];
	const struct rpt_judge o = { 0 };	/* the published policy */
	int head = rq->method == PUB_HTTP_HEAD;
	size_t n;

	if (strcmp(rq->path, "/healthz") != 0 &&
	    strcmp(rq->path, "/metrics") != 0) {
		answer(c, 404, "Not Found", TEXT_PLAIN, "not found\n", 10, head,
		       "");
		return;
	}
	if (rq->method == PUB_HTTP_OTHER) {
		answer(c, 405, "Method Not Allowed", TEXT_PLAIN,
		       "only GET and HEAD\n", 18, 0, "Allow: GET, HEAD\r\n");
		return;
	}
	rpt_verdict_room(&r.verdict, text, sizeof(text));
	rpt_build(&r, segment, st, shmh_now_mono_ns(), &o);
	if (rq->path[1] == 'm') {
		n = rpt_format(RPT_FMT_PROMETHEUS, &r, body, sizeof(body));
		answer(c, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
		       body, n, head, "");
		return;
	}
	/* The verdict's first line, as shm-reader's first line says it. */
	n = strcspn(r.verdict.text, "\n");
	memcpy(body, r.verdict.text, n);
	body[n++] = '\n';
	if (r.verdict.healthy)
		answer(c, 200, "OK", TEXT_PLAIN, body, n, head, "");
	else
		answer(c, 503, "Service Unavailable", TEXT_PLAIN, body, n,
		       head, "");
}

/*
 * A slot for a new connection: a free one, or else the one that has been
 * reading longest, closed.  Clients that trickle their request (slowloris)
 * so give way to the next one, and a probe's request, sent whole, is
 * answered at once however many of them hold on.  -1 if every slot is
 * writing an answer.
 */
static struct pub_http_conn *slot_for_new(struct pub_http *h)
{
	struct pub_http_conn *oldest = NULL;
	size_t i;

	for (i = 0; i < PUB_HTTP_CONNS; i++) {
		struct pub_http_conn *c = &h->c[i];

		if (c->fd < 0)
			return c;
		if (c->out_len == 0 &&
		    (oldest == NULL || c->deadline_ns < oldest->deadline_ns))
			oldest = c;
	}
	if (oldest != NULL) {
		h->refused++;
		conn_close(oldest);
	}
	return oldest;
}

static void on_accept(struct pub_http *h)
{
	struct pub_http_conn *c;
	size_t i;
	int fd;

	/* A bounded number a round: a flood of connections must not keep
	 * the loop from the heartbeat. */
	for (i = 0; i < PUB_HTTP_CONNS; i++) {
		fd = accept4(h->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			break;	/* EAGAIN: no more waiting */
		c = slot_for_new(h);
		if (c == NULL) {
			h->refused++;
			close(fd);
			continue;
		}
		c->fd = fd;
		c->deadline_ns = shmh_now_mono_ns() +
				 (int64_t)PUB_HTTP_DEADLINE_MS * 1000000;
		c->in_len = c->out_len = c->out_off = 0;
	}
	if (open_conns(h) > 0)
		pub_timer_arm(h->timer_fd, PUB_HTTP_TICK_MS, 1);
}

static void on_read(struct pub_http_conn *c, const struct shmh_status *st,
		    const char *segment)
{
	struct pub_http_req rq;
	ssize_t n;
	int rc;

	n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len,
		 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);	/* closed before a whole request, or reset */
		return;
	}
	c->in_len += (size_t)n;
	rc = pub_http_parse(c->in, c->in_len, &rq);
	if (rc > 0)
		respond(c, &rq, st, segment);
	else if (rc < 0)
		answer(c, 400, "Bad Request", TEXT_PLAIN, "bad request\n", 12, 0,
		       "");
	else if (c->in_len == sizeof(c->in))
		answer(c, 431, "Request Header Fields Too Large", TEXT_PLAIN,
		       "request head too large\n", 23, 0, "");
	/* Nothing more is read: what it sends after its head is ignored,
	 * and closing unread data may reset the connection, which is
	 * what a client that sends more than it should earns. */
}

static void on_write(struct pub_http_conn *c)
{
	ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->out_off += (size_t)n;
	if (c->out_off == c->out_len) {
		/* All said: no half-close dance, the client reads to EOF. */
		shutdown(c->fd, SHUT_WR);
		conn_close(c);
	}
}

void pub_http_events(struct pub_http *h, const struct pollfd *p,
		     const struct shmh_status *st, const char *segment)
{
	int64_t now;
	size_t i;

	if (h->listen_fd < 0)
		return;
	for (i = 0; i < PUB_HTTP_CONNS; i++) {
		struct pub_http_conn *c = &h->c[i];

		if (c->fd < 0 || p[2 + i].fd != c->fd || !p[2 + i].revents)
			continue;
		if (c->out_len == 0) {
			on_read(c, st, segment);
			if (c->fd >= 0 && c->out_len > 0) {
				h->served++;
				on_write(c);	/* usually all of it, now */
			}
		} else {
			on_write(c);
		}
	}
	if (p[1].revents && pub_timer_fired(h->timer_fd)) {
		now = shmh_now_mono_ns();
		for (i = 0; i < PUB_HTTP_CONNS; i++)
			if (h->c[i].fd >= 0 && now >= h->c[i].deadline_ns) {
				h->refused++;
				conn_close(&h->c[i]);
			}
		if (open_conns(h) == 0)
			pub_timer_arm(h->timer_fd, 0, 0);
	}
	if (p[0].revents)
		on_accept(h);
}

void pub_http_close(struct pub_http *h)
{
	size_t i;

	for (i = 0; i < PUB_HTTP_CONNS; i++)
		conn_close(&h->c[i]);
	if (h->listen_fd >= 0)
		close(h->listen_fd);
	if (h->timer_fd >= 0)
		close(h->timer_fd);
	h->listen_fd = h->timer_fd = -1;
}
