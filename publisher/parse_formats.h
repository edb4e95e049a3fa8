/* SPDX-License-Identifier: MIT */
/*
 * What the parsers (parse_*.c) offer: the parser of each output format,
 * for the table in formats.c, each a pub_parse_fn (see parse.h) used
 * through pub_format_find/pub_parse; and the readers of other output a
 * backend names (backend.h).
 */
#ifndef SHMHEALTH_PARSE_FORMATS_H
#define SHMHEALTH_PARSE_FORMATS_H

#include <stddef.h>

#include "publisher/parse.h"

pub_parse_fn pub_parse_lines;			/* parse_lines.c */
pub_parse_fn pub_parse_apk_list;		/* parse_apk.c */
pub_parse_fn pub_parse_apk_version;
pub_parse_fn pub_parse_apt_list;		/* parse_apt.c */
pub_parse_fn pub_parse_apt_get;
pub_parse_fn pub_parse_dnf;			/* parse_rpm.c */
pub_parse_fn pub_parse_yum;
pub_parse_fn pub_parse_dnf_security;
pub_parse_fn pub_parse_dnf_updateinfo;
pub_parse_fn pub_parse_zypper;			/* parse_zypper.c */
pub_parse_fn pub_parse_zypper_patches;
pub_parse_fn pub_parse_zypper_xml;		/* parse_zypper_xml.c */
pub_parse_fn pub_parse_zypper_patches_xml;
pub_parse_fn pub_parse_zypper_repos_xml;
pub_parse_fn pub_parse_zypper_repos_auto_xml;
pub_parse_fn pub_parse_pacman;			/* parse_pacman.c */
pub_parse_fn pub_parse_checkupdates;

/*
 * apt-get update's failed downloads: "Err:N URI SUITE FILE" lines on its
 * stdout, each with its reason on the indented line below.  Returns how
 * many there are, and writes the first as "URI SUITE FILE: REASON" into
 * first (size bytes; "" when there is none), as pub_quote() quotes.
 */
unsigned pub_apt_fetch_errors(const char *buf, size_t len, char *first,
			      size_t size);

#endif
