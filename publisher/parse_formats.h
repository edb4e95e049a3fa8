/* SPDX-License-Identifier: MIT */
/*
 * The parser of each output format, for the table in parse.c.  Each is a
 * pub_parse_fn (see parse.h): use them through pub_format_find/pub_parse.
 */
#ifndef SHMHEALTH_PARSE_FORMATS_H
#define SHMHEALTH_PARSE_FORMATS_H

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

#endif
