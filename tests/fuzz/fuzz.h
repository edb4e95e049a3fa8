/* SPDX-License-Identifier: MIT */
/*
 * The fuzz harnesses' shared part: a reader of the control bytes that pick
 * the clocks and options of a run, the reader's own path from a snapshot to
 * every output format, and the checks that each output keeps its contract
 * (report/fmt.h, report/verdict.h).  Any broken contract aborts, which libFuzzer
 * reports as a crash with the input that caused it.
 */
#ifndef SHMHEALTH_FUZZ_H
#define SHMHEALTH_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "reader/options.h"
#include "report/fmt.h"
#include "shm/shm.h"

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Control bytes, taken in order; past their end every byte reads 0. */
struct fz_ctl {
	const uint8_t *p;
	size_t n;
};

/* The next `bytes` (1 to 8) control bytes, little-endian. */
uint64_t fz_take(struct fz_ctl *c, unsigned bytes);

/* Prints "fuzz: what" and the output concerned, then aborts. */
void fz_fail(const char *what, const char *out)
	__attribute__((noreturn));

/*
 * Options as shm-reader's parser can leave them (every override within the
 * bounds it parses), chosen by the control bytes; none when they say so.
 */
void fz_options(struct rdr_options *o, struct fz_ctl *c);

/*
 * Checks the verdict of r and every format of it in a buffer of
 * RPT_FORMAT_MAX, and one format, chosen, in a buffer of a chosen length.
 */
void fz_check_report(const struct rpt_report *r, struct fz_ctl *c);

/*
 * Judges st as shm-reader does and checks the report, twice: at the latest
 * time the snapshot holds with the published policy, then at a clock
 * (later, a little earlier, any, or the real one) and with options
 * (published, or overrides and max age) the control bytes choose.
 */
void fz_judge(const struct shmh_status *st, const char *label,
	      struct fz_ctl *c);

/* Per-format checks: NULL if out[0..n) is well formed, else why not. */
const char *fz_text_bad(const char *out, size_t n);
const char *fz_json_bad(const char *out, size_t n, int healthy);
const char *fz_prom_bad(const char *out, size_t n, int healthy);
const char *fz_nagios_bad(const char *out, size_t n, int state);

#endif
