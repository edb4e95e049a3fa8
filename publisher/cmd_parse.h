/* SPDX-License-Identifier: MIT */
/*
 * The "parse" subcommand: shm-publisher parse FORMAT [--status N] [FILE].
 */
#ifndef SHMHEALTH_CMD_PARSE_H
#define SHMHEALTH_CMD_PARSE_H

/*
 * Parses a captured command output (FILE, or stdin when absent or "-") as
 * FORMAT with exit status N (default 0) and prints the result to stdout.
 * argv[0] is "parse".  Returns the exit status: 0, or 1 after printing one
 * "error: ..." line to stderr (bad usage, unreadable input, or an output or
 * status that means the command failed).
 */
int pub_cmd_parse(int argc, char **argv);

#endif
