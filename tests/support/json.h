/* SPDX-License-Identifier: MIT */
/* The tests' own JSON syntax check. */
#ifndef SHMHEALTH_TESTS_JSON_H
#define SHMHEALTH_TESTS_JSON_H

#include <stddef.h>

/* Length of the well-formed UTF-8 character at s, 0 if ill-formed. */
size_t tst_utf8_len(const unsigned char *s);

/* 1 if s is exactly one JSON value followed by one newline. */
int tst_json_line(const char *s);

#endif
