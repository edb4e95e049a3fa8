/* SPDX-License-Identifier: MIT */
/*
 * Check suite for the --listen request parser (publisher/http.c): whole
 * heads and their parts, methods, paths and queries, and what cannot be a
 * request.
 */
#include <check.h>
#include <string.h>

#include "publisher/http.h"

static int parse(const char *s, struct pub_http_req *r)
{
	return pub_http_parse(s, strlen(s), r);
}

START_TEST(whole_heads)
{
	struct pub_http_req r;

	ck_assert_int_eq(parse("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", &r), 1);
	ck_assert_int_eq(r.method, PUB_HTTP_GET);
	ck_assert_str_eq(r.path, "/healthz");
	ck_assert_int_eq(parse("HEAD /metrics?x=1&y HTTP/1.0\n\n", &r), 1);
	ck_assert_int_eq(r.method, PUB_HTTP_HEAD);
	ck_assert_str_eq(r.path, "/metrics");
	ck_assert_int_eq(parse("POST /healthz HTTP/1.1\r\n\r\nbody", &r), 1);
	ck_assert_int_eq(r.method, PUB_HTTP_OTHER);
	ck_assert_int_eq(parse("GET * HTTP/1.1\r\n\r\n", &r), 1);
	ck_assert_str_eq(r.path, "*");
	/* The absolute form, a proxy's, names the same path. */
	ck_assert_int_eq(parse("GET http://pod:9100/healthz?a HTTP/1.1\r\n\r\n", &r), 1);
	ck_assert_str_eq(r.path, "/healthz");
	ck_assert_int_eq(parse("GET HTTP://pod HTTP/1.1\r\n\r\n", &r), 1);
	ck_assert_str_eq(r.path, "/");
	/* Empty lines before the request line are skipped; alone, they are
	 * not yet a request. */
	ck_assert_int_eq(parse("\r\n\nGET /metrics HTTP/1.1\r\n\r\n", &r), 1);
	ck_assert_str_eq(r.path, "/metrics");
	ck_assert_int_eq(parse("\r\n\r\n", &r), 0);
}
END_TEST

START_TEST(partial_heads)
{
	static const char head[] = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
	struct pub_http_req r;
	size_t n;

	for (n = 0; n < sizeof(head) - 1; n++)
		ck_assert_msg(pub_http_parse(head, n, &r) == 0,
			      "%zu bytes: not yet whole", n);
	ck_assert_int_eq(pub_http_parse(head, sizeof(head) - 1, &r), 1);
}
END_TEST

START_TEST(not_requests)
{
	static const char *const bad[] = {
		"\x16\x03\x01\x02",			/* TLS, at once */
		"get /healthz HTTP/1.1\r\n\r\n",	/* lower case */
		"GET /healthz\r\n\r\n",			/* HTTP/0.9 */
		"GET /healthz HTTP/2.0\r\n\r\n",
		"GET /healthz HTTP/1.1 x\r\n\r\n",
		"GET  /healthz HTTP/1.1\r\n\r\n",	/* empty target */
		" GET /healthz HTTP/1.1\r\n\r\n",
		"GET /a\x01z HTTP/1.1\r\n\r\n",		/* a control */
		"GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n",	/* not ASCII */
	};
	struct pub_http_req r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i], &r) == -1, "case %zu", i);
}
END_TEST

/* A path past the room for one is refused, not cut to another path. */
START_TEST(long_path)
{
	char req[256];
	struct pub_http_req r;

	memset(req, 0, sizeof(req));
	strcpy(req, "GET /");
	memset(req + 5, 'a', sizeof(r.path) - 2);
	strcat(req, " HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(parse(req, &r), 1);
	ck_assert_uint_eq(strlen(r.path), sizeof(r.path) - 1);
	memset(req, 0, sizeof(req));
	strcpy(req, "GET /");
	memset(req + 5, 'a', sizeof(r.path) - 1);
	strcat(req, " HTTP/1.1\r\n\r\n");
	ck_assert_int_eq(parse(req, &r), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("http");
	TCase *t = tcase_create("parse");
	SRunner *sr;
	int failed;

	tcase_add_test(t, whole_heads);
	tcase_add_test(t, partial_heads);
	tcase_add_test(t, not_requests);
	tcase_add_test(t, long_path);
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
