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
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "publisher/http.h"
#include "publisher/timer.h"
#include "report/fmt.h"
#include "shm/util.h"

/* How often open connections are looked at for their deadline. */
#define PUB_HTTP_TICK_MS	250
/* Connections accepted a round, at most: a quarter of the table, so that
 * one has three more rounds to send its request before it can be pushed
 * out. */
#define PUB_HTTP_ACCEPTS	(PUB_HTTP_CONNS / 4)

int pub_http_parse(const char *buf, size_t len, struct pub_http_req *r)
{
	const char *end, *sp1, *sp2, *line_end, *p, *t;
	size_t n;

	/* Empty lines before the request line are skipped (RFC 9112, 2.2). */
	while (len > 0 && (buf[0] == '\r' || buf[0] == '\n')) {
		buf++;
		len--;
	}
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
	/* The target's path: that of an absolute URI too (a proxy's form,
	 * which a server must take), up to a query, printable. */
	t = sp1 + 1;
	if (sp2 - t >= 7 && strncasecmp(t, "http://", 7) == 0) {
		t = memchr(t + 7, '/', (size_t)(sp2 - t - 7));
		if (t == NULL) {
			t = "/";
			sp2 = t + 1;
		}
	}
	for (p = t, n = 0; p < sp2 && *p != '?'; p++, n++) {
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
	h->paused = 0;
	h->round = 0;
	for (i = 0; i < PUB_HTTP_CONNS; i++)
		h->c[i].fd = -1;
}

/*
 * Reads "A.B.C.D:PORT", "[V6]:PORT" or ":PORT" into *ss: dotted quads and
 * RFC 4291 text only (inet_pton), never the old shorthands ("127.1") nor
 * empty brackets, so that an address is bound only as written.
 */
static int parse_addr(const char *addr, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	const char *colon, *p;
	char host[INET6_ADDRSTRLEN];
	unsigned long port = 0;
	size_t n;
	int six;

	six = addr[0] == '[';
	if (six) {
		const char *close_br = strchr(addr, ']');

		if (close_br == NULL || close_br[1] != ':')
			return -1;
		n = (size_t)(close_br - addr - 1);
		addr++;
		colon = close_br + 1;
		if (n == 0)
			return -1;
	} else {
		colon = strchr(addr, ':');
		if (colon == NULL)
			return -1;
		n = (size_t)(colon - addr);
	}
	if (n >= sizeof(host) || colon[1] == '\0' || strlen(colon + 1) > 5)
		return -1;
	for (p = colon + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		port = port * 10 + (unsigned long)(*p - '0');
	}
	if (port > 65535)
		return -1;
	memcpy(host, addr, n);
	host[n] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (six || n == 0) {
		/* ":PORT": IPv6's any address, IPv4 too where the system lets. */
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		if (n > 0 && inet_pton(AF_INET6, host, &v6->sin6_addr) != 1)
			return -1;
		*len = sizeof(*v6);
		return 0;
	}
	v4->sin_family = AF_INET;
	v4->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &v4->sin_addr) != 1)
		return -1;
	*len = sizeof(*v4);
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
	    bind(fd, sa, len) == 0 && listen(fd, SOMAXCONN) == 0)
		return fd;
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int pub_http_listen(struct pub_http *h, const char *addr, char *bound,
		    size_t boundlen, char *err, size_t errlen)
{
	struct sockaddr_storage want, ss;
	socklen_t wl = 0, sl = sizeof(ss);
	char hbuf[INET6_ADDRSTRLEN], pbuf[8];
	int fd;

	if (parse_addr(addr, &want, &wl) != 0) {
		snprintf(err, errlen, "--listen %.80s: not A.B.C.D:PORT, "
			 "[IPV6]:PORT or :PORT", addr);
		return -1;
	}
	fd = open_listener((struct sockaddr *)&want, wl);
	if (fd < 0 && errno == EAFNOSUPPORT && want.ss_family == AF_INET6 &&
	    addr[0] == ':') {
		struct sockaddr_in any4 = {
			.sin_family = AF_INET,
			.sin_port = ((struct sockaddr_in6 *)&want)->sin6_port,
			.sin_addr.s_addr = htonl(INADDR_ANY),
		};

		fd = open_listener((struct sockaddr *)&any4, sizeof(any4));
	}
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, sl, hbuf, sizeof(hbuf), pbuf,
			sizeof(pbuf), NI_NUMERICHOST | NI_NUMERICSERV) != 0 ||
	    (h->timer_fd = pub_timer_new()) < 0) {
		snprintf(err, errlen, "--listen %.80s: cannot listen: %s", addr,
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

	/* Out of descriptors, accepting waits for the timer's tick. */
	p[0].fd = h->paused ? -1 : h->listen_fd;
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

	if (rq->method == PUB_HTTP_OTHER) {
		answer(c, 405, "Method Not Allowed", TEXT_PLAIN,
		       "only GET and HEAD\n", 18, 0, "Allow: GET, HEAD\r\n");
		return;
	}
	if (strcmp(rq->path, "/healthz") != 0 &&
	    strcmp(rq->path, "/metrics") != 0) {
		answer(c, 404, "Not Found", TEXT_PLAIN, "not found\n", 10, head,
		       "");
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

/* The reading connection accepted first, before this round, or NULL:
 * one accepted this round has not yet had the chance to be read. */
static struct pub_http_conn *oldest_reading(struct pub_http *h)
{
	struct pub_http_conn *oldest = NULL;
	size_t i;

	for (i = 0; i < PUB_HTTP_CONNS; i++) {
		struct pub_http_conn *c = &h->c[i];

		if (c->fd >= 0 && c->out_len == 0 && c->round != h->round &&
		    (oldest == NULL || c->deadline_ns < oldest->deadline_ns))
			oldest = c;
	}
	return oldest;
}

/*
 * A slot for a new connection: a free one, or else the one that has been
 * reading longest, closed.  Clients that trickle their request (slowloris)
 * so give way to the next one, and a probe's request, sent whole, is
 * answered at once however many of them hold on.  NULL if every slot is
 * writing an answer.
 */
static struct pub_http_conn *slot_for_new(struct pub_http *h)
{
	struct pub_http_conn *c;
	size_t i;

	for (i = 0; i < PUB_HTTP_CONNS; i++)
		if (h->c[i].fd < 0)
			return &h->c[i];
	c = oldest_reading(h);
	if (c != NULL)
		conn_close(c);
	return c;
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

/* Reads what c has sent and, once it is a whole request, answers. */
static void serve(struct pub_http_conn *c, const struct shmh_status *st,
		  const char *segment)
{
	on_read(c, st, segment);
	if (c->fd >= 0 && c->out_len > 0)
		on_write(c);	/* usually all of it, now */
}

static void on_accept(struct pub_http *h, const struct shmh_status *st,
		      const char *segment)
{
	struct pub_http_conn *c;
	size_t i;
	int fd;

	/* A few a round: a flood of connections must not keep the loop from
	 * the heartbeat, nor push out, before it could send, a connection
	 * accepted in the same round. */
	h->round++;
	for (i = 0; i < PUB_HTTP_ACCEPTS; i++) {
		fd = accept4(h->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				/* Out of descriptors: the longest reader
				 * makes room, or accepting waits a tick,
				 * rather than poll() spinning on it. */
				c = oldest_reading(h);
				if (c != NULL)
					conn_close(c);
				else
					h->paused = 1;
			}
			break;	/* EAGAIN: no more waiting */
		}
		c = slot_for_new(h);
		if (c == NULL) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->round = h->round;
		c->deadline_ns = shmh_now_mono_ns() +
				 (int64_t)PUB_HTTP_DEADLINE_MS * 1000000;
		c->in_len = c->out_len = c->out_off = 0;
		/* A probe sends its request with the connection: answered
		 * now, it never waits for a slot another may take. */
		serve(c, st, segment);
	}
	if (open_conns(h) > 0 || h->paused)
		pub_timer_arm(h->timer_fd, PUB_HTTP_TICK_MS, 1);
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
		if (c->out_len == 0)
			serve(c, st, segment);
		else
			on_write(c);
	}
	if (p[1].revents && pub_timer_fired(h->timer_fd)) {
		now = shmh_now_mono_ns();
		h->paused = 0;
		for (i = 0; i < PUB_HTTP_CONNS; i++)
			if (h->c[i].fd >= 0 && now >= h->c[i].deadline_ns)
				conn_close(&h->c[i]);
		if (open_conns(h) == 0)
			pub_timer_arm(h->timer_fd, 0, 0);
	}
	if (p[0].revents)
		on_accept(h, st, segment);
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
