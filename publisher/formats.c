/* SPDX-License-Identifier: MIT */
/* The table of output formats, and parsing by one of them. */
#include <stdio.h>
#include <string.h>

#include "publisher/formats.h"
#include "publisher/parse_formats.h"

const struct pub_format pub_formats[] = {
	{ "lines", pub_parse_lines },
	{ "apk-list", pub_parse_apk_list },
	{ "apk-version", pub_parse_apk_version },
	{ "apt-list", pub_parse_apt_list },
	{ "apt-get", pub_parse_apt_get },
	{ "dnf", pub_parse_dnf },
	{ "yum", pub_parse_yum },
	{ "dnf-security", pub_parse_dnf_security },
	{ "dnf-updateinfo", pub_parse_dnf_updateinfo },
	{ "zypper", pub_parse_zypper },
	{ "zypper-xml", pub_parse_zypper_xml },
	{ "zypper-patches", pub_parse_zypper_patches },
	{ "zypper-patches-xml", pub_parse_zypper_patches_xml },
	{ "zypper-repos-xml", pub_parse_zypper_repos_xml },
	{ "zypper-repos-auto-xml", pub_parse_zypper_repos_auto_xml },
	{ "pacman", pub_parse_pacman },
	{ "checkupdates", pub_parse_checkupdates },
	{ NULL, NULL },
};

const struct pub_format *pub_format_find(const char *name)
{
	const struct pub_format *f;

	if (name == NULL)
		return NULL;
	for (f = pub_formats; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* r need not be initialised: it is overwritten (never freed) here. */
int pub_parse(const struct pub_format *format, const char *buf, size_t len,
	      int status, struct pub_result *r, char *err, size_t errlen)
{
	char spare[1];

	if (err == NULL || errlen == 0) {
		err = spare;
		errlen = sizeof(spare);
	}
	err[0] = '\0';
	pub_result_init(r);
	if (format == NULL || format->parse == NULL || (buf == NULL && len > 0)) {
		snprintf(err, errlen, "no format or no input");
		return -1;
	}
	if (format->parse(buf ? buf : "", len, status, r, err, errlen) != 0) {
		pub_result_free(r);
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: unreadable output",
				 format->name);
		return -1;
	}
	pub_result_finish(r);
	return 0;
}
