#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Read a shmhealth segment as doc/layout.md describes it, and print some
of its fields as one JSON object.

    read_segment.py [NAME|PATH] [--owner UID]

NAME is a file under /dev/shm (default: shmhealth); a value holding "/"
is a path.  Exits 0 after printing, or 1 with the reason on standard
error when the segment is missing or refused.  Only the standard library
is used; the file is opened read-only and read with pread(2), never
mapped, written or locked.
"""

import errno
import json
import os
import stat
import struct
import sys
import time

MAGIC = b"SHMHLTH1"
VERSION = 2
HEADER_SIZE = 64
STATUS_SIZE = 10688
TOTAL_SIZE = HEADER_SIZE + 2 * STATUS_SIZE  # 21440
SEQ_OFFSET = 32
TRIES = 1000
STATES = {1: "starting", 2: "running", 3: "stopping", 4: "stopped"}
FLAG_OFF, FLAG_SYSTEM_INDEX = 1, 2

# "=": the host's byte order, standard sizes, no implicit padding.
HEADER = struct.Struct("=8sIIQIIQ24x")
STATUS = struct.Struct("=iIQqqqqII")  # pid .. nprobes, at 0
POLICY = struct.Struct("=IIIIqqII")  # at 56
CHECK = struct.Struct("=16s8q4Ii3I240s2048s4096s")  # at 96, up to the lists
NAMES = struct.Struct("=II504s")  # the lists, at 6592 + 512 * k
PROBE = struct.Struct("=32s4qiIII176s")  # at 8640 + 256 * i
SEQ = struct.Struct("=Q")


class Refused(Exception):
    pass


def resolve(name):
    if name in ("", ".", ".."):
        raise Refused("invalid segment name")
    path = name if "/" in name else "/dev/shm/" + name
    if len(path.encode()) > 511:
        raise Refused("invalid segment name")
    return path


def open_segment(path, owner):
    """Opens path and applies the refusal rules; returns the descriptor."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
    try:
        fd = os.open(path, flags | os.O_CLOEXEC)
    except FileNotFoundError:
        raise Refused("no segment")
    except OSError as e:
        if e.errno == errno.ELOOP:  # a symlink at the name
            raise Refused("not a regular file")
        raise Refused("cannot open: " + e.strerror)
    try:
        check_file(fd, owner)
    except Exception:
        os.close(fd)
        raise
    return fd


def check_file(fd, owner):
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise Refused("not a regular file")
    if st.st_mode & 0o022:
        raise Refused("writable by group or other")
    if st.st_uid not in (0, os.geteuid(), owner):
        raise Refused("owned by uid %d" % st.st_uid)
    head = os.pread(fd, HEADER_SIZE, 0)
    if len(head) < HEADER_SIZE:
        raise Refused("wrong size")
    magic, version, hsize, total, ssize, _, _ = HEADER.unpack(head)
    if magic != MAGIC:
        raise Refused("not a shmhealth segment (bad magic)")
    if version != VERSION:
        raise Refused("layout version %d, this reader reads %d"
                      % (version, VERSION))
    if (hsize, total, ssize) != (HEADER_SIZE, TOTAL_SIZE, STATUS_SIZE):
        raise Refused("header sizes do not match the layout")
    if st.st_size != TOTAL_SIZE:
        raise Refused("wrong size")


def pread_all(fd, size, offset):
    data = os.pread(fd, size, offset)
    if len(data) != size:
        raise Refused("truncated while being read")
    return data


def snapshot(fd):
    """The latch: seq, the copy it names, seq again; equal, or try again.
    Each read is its own system call, so the three are done in order."""
    for _ in range(TRIES):
        (seq,) = SEQ.unpack(pread_all(fd, 8, SEQ_OFFSET))
        copy = pread_all(fd, STATUS_SIZE, HEADER_SIZE + (seq & 1) * STATUS_SIZE)
        (again,) = SEQ.unpack(pread_all(fd, 8, SEQ_OFFSET))
        if again == seq:
            return seq, copy
        time.sleep(0.0001)
    raise Refused("no consistent snapshot (writer too busy)")


def text(raw, field):
    """A NUL-terminated UTF-8 string; one without its NUL is invalid."""
    end = raw.find(b"\0")
    if end < 0:
        raise Refused("invalid segment: unterminated " + field)
    return raw[:end].decode("utf-8", "replace")


def names(s):
    """A name list: any byte up to a space separates names."""
    return "".join(c if c > " " else " " for c in s).split()


def wall(mono, wall_s):
    return wall_s if mono != 0 else None


CENTURY_NS = 100 * 366 * 24 * 3600 * 10**9


def check_time(field, mono, now, may_predate_boot=False):
    if mono < (-CENTURY_NS if may_predate_boot else 0):
        raise Refused("invalid segment: %s time out of range" % field)
    if mono - now > 1000000000:
        raise Refused("invalid segment: %s in the future" % field)


def decode(copy):
    """The copy's fields, checked as doc/layout.md's "What to refuse" says."""
    (pid, state, hb_count, hb_mono, hb_wall, st_mono, st_wall, interval,
     nprobes) = STATUS.unpack_from(copy, 0)
    (on_updates, security_only, min_updates, max_failures, grace_s,
     max_age_s, starting_healthy, _) = POLICY.unpack_from(copy, 56)
    c = CHECK.unpack_from(copy, 96)
    backend = text(c[0], "update.backend")
    (att_mono, att_wall, suc_mono, suc_wall, since_mono, since_wall,
     idx_mono, idx_wall) = c[1:9]
    (running, failures, checks, pending, security, omitted, flags,
     timeout_s) = c[9:17]
    error = text(c[17], "update.error")
    pending_names = names(text(c[18], "update.names"))
    text(c[19], "update.versions")

    if state not in STATES:
        raise Refused("invalid segment: state %d out of range" % state)
    if not 1 <= interval <= 86400000:
        raise Refused("invalid segment: heartbeat interval out of range")
    if nprobes > 8:
        raise Refused("invalid segment: %d probes, at most 8" % nprobes)
    if (pending > 1000000 or not -1 <= security <= pending
            or omitted > pending or flags & ~(FLAG_OFF | FLAG_SYSTEM_INDEX)):
        raise Refused("invalid segment: update counts out of range")
    if (on_updates > 1 or security_only > 1 or starting_healthy > 1
            or grace_s < 0 or max_age_s < 0):
        raise Refused("invalid segment: policy out of range")

    lists = {}
    for k, key in enumerate(("security_names", "held", "phased", "blocked")):
        count, left, raw = NAMES.unpack_from(copy, 6592 + 512 * k)
        if count > 1000000 or left > count:
            raise Refused("invalid segment: update.%s out of range" % key)
        lists[key] = {"count": count, "omitted": left,
                      "names": names(text(raw, "update." + key))}
    if lists["security_names"]["count"] > pending:
        raise Refused("invalid segment: update.security_names out of range")

    probes = []
    now = time.monotonic_ns()  # CLOCK_MONOTONIC, as the publisher's
    for i in range(nprobes):
        p = PROBE.unpack_from(copy, 8640 + 256 * i)
        check_time("probes[%d].last_run" % i, p[1], now)
        check_time("probes[%d].last_success" % i, p[3], now)
        probes.append({
            "name": text(p[0], "probes[%d].name" % i),
            "last_run": wall(p[1], p[2]),
            "last_success": wall(p[3], p[4]),
            "status": p[5] if p[1] != 0 else None,
            "duration_ms": p[6],
            "consecutive_failures": p[7],
            "retries": p[8],
            "output": text(p[9], "probes[%d].output" % i),
        })
    for field, mono in (("heartbeat", hb_mono), ("started", st_mono),
                        ("update.last_attempt", att_mono),
                        ("update.last_success", suc_mono),
                        ("update.pending_since", since_mono)):
        check_time(field, mono, now)
    check_time("update.index", idx_mono, now, flags & FLAG_SYSTEM_INDEX)

    return {
        "pid": pid,
        "state": STATES[state],
        "heartbeat_count": hb_count,
        "heartbeat": wall(hb_mono, hb_wall),
        "heartbeat_age_s": (now - hb_mono) / 1e9 if hb_mono else None,
        "heartbeat_interval_ms": interval,
        "started": wall(st_mono, st_wall),
        "policy": {
            "on_updates": "report" if on_updates else "fail",
            "security_only": bool(security_only),
            "min_updates": min_updates,
            "max_failures": max_failures,
            "grace_s": grace_s,
            "max_check_age_s": max_age_s,
            "starting_healthy": bool(starting_healthy),
        },
        "update": dict({
            "backend": backend,
            "checked": not flags & FLAG_OFF,
            "running": bool(running),
            "checks": checks,
            "consecutive_failures": failures,
            "pending": pending,
            "security": None if security < 0 else security,
            "names": pending_names,
            "names_omitted": omitted,
            "last_attempt": wall(att_mono, att_wall),
            "last_success": wall(suc_mono, suc_wall),
            "pending_since": wall(since_mono, since_wall),
            "index_refreshed": wall(idx_mono, idx_wall),
            "timeout_s": timeout_s,
            "error": error,
        }, **lists),
        "probes": probes,
    }


def main(argv):
    name, owner = "shmhealth", -1
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--owner" and args:
            owner = int(args.pop(0))
        elif a.startswith("-"):
            sys.stderr.write(__doc__)
            return 1
        else:
            name = a
    path = name
    try:
        path = resolve(name)
        fd = open_segment(path, owner)
        try:
            seq, copy = snapshot(fd)
        finally:
            os.close(fd)
        out = {"segment": path, "seq": seq}
        out.update(decode(copy))
    except Refused as e:
        sys.stderr.write("read_segment: %s: %s\n" % (path, e))
        return 1
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
