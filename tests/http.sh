#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --listen: /healthz and /metrics from a real publisher, judged as
# shm-reader judges (same line, same metrics, promtool's check), the
# errors at start, and hostile clients: many slow connections, oversized
# heads, clients that never read, half-closed sockets, a connection flood.
# Through them the heartbeat keeps its period, a probe's request is still
# answered, and the publisher's descriptors and memory stay flat.  Needs
# curl, python3 and promtool (Debian: curl, python3, prometheus).  Ends with
# "http: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

for tool in curl python3 promtool; do
	command -v "$tool" >/dev/null || { bad "$tool installed"; done_tests http; exit; }
done

# port_of LOG: the port a publisher said it listens on.
port_of() { sed -nE 's/.*listening on .*:([0-9]+) for .*/\1/p' "$1" | tail -n 1; }
# get URL...: "CODE" then the body, by curl.
get() { curl -s -o "$T/body" -w '%{http_code}' --max-time 5 "$@"; }
hb_count() { "$RDR" --format json --segment "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["publisher"]["heartbeat_count"])'; }
fds_of() { ls "/proc/$1/fd" | wc -l; }
rss_of() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

printf 'libc6 2.36-9 2.36-10\nopenssl 3.0.1 3.0.2\n' >"$T/two"

# --- errors at start ------------------------------------------------------
NOT="not A.B.C.D:PORT, \[IPV6\]:PORT or :PORT"
expect "--listen without a port" 1 "^shm-publisher\[[0-9]+\]: --listen 127.0.0.1: $NOT" "$PUB" --segment "$T/e" --listen 127.0.0.1 --update-command "cat $T/two"
for a in localhost:80 127.0.0.1:99999 ::1:80 127.1:80 0:80 '[]:80' '[1.2.3.4]:80' '[::1]' 127.0.0.1:-1; do
	expect "--listen $a is refused" 1 "--listen .*: $NOT" "$PUB" --segment "$T/e" --listen "$a" --update-command "cat $T/two"
done
long=$(printf '1%.0s' $(seq 300))
out=$("$PUB" --segment "$T/e" --listen "$long:80" --update-command true 2>&1)
[ "$(wc -l <<<"$out")" -eq 1 ] && [ "${#out}" -lt 200 ] && grep -q "$NOT" <<<"$out" &&
	ok "a 300-byte --listen: one short line that still says why" || bad "a 300-byte --listen: one short line that still says why" "$out"
expect "--listen and --once exclude each other" 1 "--listen and --once exclude each other" "$PUB" --once --listen 127.0.0.1:0 --update-command "cat $T/two"
expect "SHMHEALTH_LISTEN is read" 1 "--listen nope: $NOT" env SHMHEALTH_LISTEN=nope "$PUB" --segment "$T/e" --update-command "cat $T/two"
check "... and no segment was made by a publisher that could not listen" "$([ ! -e "$T/e" ]; echo $?)"

# --- answers --------------------------------------------------------------
LOG=$T/a.log start_pub --segment "$T/a" --heartbeat 200ms --listen 127.0.0.1:0 --update-command "cat $T/two"
A=$PID
until_log 5 'listening on 127.0.0.1:[0-9]+ ' "$T/a.log" && PA=$(port_of "$T/a.log")
until_reader 5 1 '^Update\(s\) 2 available' --segment "$T/a" || bad "publisher a checked" "$LAST"
U=http://127.0.0.1:${PA:-1}

code=$(get "$U/healthz")
want=$("$RDR" --segment "$T/a" | head -n 1)
[ "$code" = 503 ] && [ "$(cat "$T/body")" = "$want" ] &&
	ok "GET /healthz: 503 and shm-reader's line" ||
	bad "GET /healthz: 503 and shm-reader's line" "$code: $(cat "$T/body") / $want"
hdr=$(curl -sI --max-time 5 "$U/healthz")
grep -q '^HTTP/1.1 503 ' <<<"$hdr" && grep -qi '^Content-Length: [1-9]' <<<"$hdr" &&
	ok "HEAD /healthz: 503, the length, no body" || bad "HEAD /healthz: 503, the length, no body" "$hdr"
code=$(get -D "$T/mhdr" "$U/metrics")
[ "$code" = 200 ] && grep -qi '^Content-Type: text/plain; version=0.0.4' "$T/mhdr" &&
	ok "GET /metrics: 200, exposition format 0.0.4" || bad "GET /metrics: 200, exposition format 0.0.4" "$code: $(cat "$T/mhdr")"
promtool check metrics <"$T/body" >"$T/promtool.out" 2>&1 &&
	ok "/metrics passes promtool check metrics" || bad "/metrics passes promtool check metrics" "$(head -c 300 "$T/promtool.out")"
series() { grep -v '^#' | sed -E 's/[ {].*//' | sort -u; }
[ "$(series <"$T/body")" = "$("$RDR" --format prometheus --segment "$T/a" | series)" ] &&
	ok "/metrics has the series shm-reader --format prometheus has" ||
	bad "/metrics has the series shm-reader --format prometheus has" "$(diff <(series <"$T/body") <("$RDR" --format prometheus --segment "$T/a" | series))"
grep -q '^shmhealth_updates_pending{manager="command"} 2$' "$T/body" && grep -q '^shmhealth_healthy 0$' "$T/body" &&
	ok "/metrics: 2 pending, unhealthy" || bad "/metrics: 2 pending, unhealthy" "$(grep -E 'pending|healthy' "$T/body")"
code=$(get "$U/nope")
[ "$code" = 404 ] && ok "another path: 404" || bad "another path: 404" "$code"
code=$(get "$U/healthz?verbose=1")
[ "$code" = 503 ] && ok "a query is not part of the path" || bad "a query is not part of the path" "$code"
code=$(get -X POST -D "$T/phdr" "$U/healthz")
[ "$code" = 405 ] && grep -qi '^Allow: GET, HEAD' "$T/phdr" &&
	ok "POST: 405 with Allow" || bad "POST: 405 with Allow" "$code: $(cat "$T/phdr")"

cat >"$T/client.py" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s
def read_all(s):
    out = b""
    while True:
        try:
            b = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not b:
            break
        out += b
    return out
def status(resp):
    return resp.split(b" ", 2)[1].decode() if resp.startswith(b"HTTP/1.1 ") else "none:" + repr(resp[:40])
mode = sys.argv[2]
if mode == "raw":
    s = conn(); s.sendall(sys.argv[3].encode("latin-1").decode("unicode_escape").encode("latin-1"))
    print(status(read_all(s)))
elif mode == "big-head":
    s = conn(); s.sendall(b"GET /healthz HTTP/1.1\r\nX-Pad: " + b"a" * 3000 + b"\r\n\r\n")
    print(status(read_all(s)))
elif mode == "half-close":
    s = conn(); s.sendall(b"GET /healthz HTTP/1.1\r\n\r\n"); s.shutdown(socket.SHUT_WR)
    print(status(read_all(s)))
elif mode == "trickle":
    s = conn()
    for ch in b"GET /healthz HTTP/1.1\r\n\r\n":
        s.send(bytes([ch])); time.sleep(0.02)
    print(status(read_all(s)))
elif mode == "slowloris":
    # N connections that send a byte now and then and never finish, for
    # SECONDS; prints how many the publisher closed.
    n, secs = int(sys.argv[3]), float(sys.argv[4])
    socks = []
    for i in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.send(b"GET /heal"); socks.append(s)
        except OSError:
            pass
    end = time.time() + secs
    while time.time() < end:
        for s in socks:
            try:
                s.send(b"a")
            except OSError:
                pass
        time.sleep(0.5)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            closed += s.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
        s.close()
    print(closed)
elif mode == "no-read":
    # N requests whose answers are never read, held open SECONDS.
    n, secs = int(sys.argv[3]), float(sys.argv[4])
    socks = []
    for i in range(n):
        s = conn(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.sendall(b"GET /metrics HTTP/1.1\r\n\r\n"); socks.append(s)
    time.sleep(secs)
    for s in socks:
        s.close()
    print("held")
elif mode == "hold":
    # N connections opened as fast as can be and never used, for SECONDS.
    n, secs = int(sys.argv[3]), float(sys.argv[4])
    socks, end = [], time.time() + secs
    while time.time() < end:
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=1))
        except OSError:
            pass
        if len(socks) >= n:
            socks.pop(0).close()
    for s in socks:
        s.close()
    print("held")
elif mode == "flood":
    # N connections opened and closed at once, some sending nothing.
    n = int(sys.argv[3])
    for i in range(n):
        s = conn()
        if i % 2:
            s.sendall(b"GET /healthz HTTP/1.1\r\n\r\n")
        s.close()
    print("flooded")
PY
cl() { python3 "$T/client.py" "${PA:-1}" "$@" 2>&1; }
[ "$(cl raw 'garbage\r\n\r\n')" = 400 ] && ok "garbage: 400" || bad "garbage: 400" "$(cl raw 'garbage\r\n\r\n')"
[ "$(cl raw '\x16\x03\x01\x02\x00\x01')" = 400 ] && ok "a TLS hello: 400 at once" || bad "a TLS hello: 400 at once"
[ "$(cl raw 'GET /healthz HTTP/2.0\r\n\r\n')" = 400 ] && ok "HTTP/2.0: 400" || bad "HTTP/2.0: 400"
[ "$(cl big-head)" = 431 ] && ok "a head over 2 KiB: 431" || bad "a head over 2 KiB: 431" "$(cl big-head)"
[ "$(cl half-close)" = 503 ] && ok "a half-closed client still gets its answer" || bad "a half-closed client still gets its answer" "$(cl half-close)"
[ "$(cl trickle)" = 503 ] && ok "a request sent a byte at a time is answered" || bad "a request sent a byte at a time is answered" "$(cl trickle)"

# --- hostile clients: the heartbeat, a probe, descriptors, memory ----------
# A warm-up of every kind first, so that what is measured after is flat.
cl flood 300 >/dev/null
sleep 0.5
fd0=$(fds_of "$A") rss0=$(rss_of "$A") hb0=$(hb_count "$T/a") t0=$(date +%s.%N)
cl slowloris 40 6 >"$T/slow.out" &
slow=$!
sleep 1
# A probe's request, sent whole, is answered while 40 trickle.
code=$(get "$U/healthz")
[ "$code" = 503 ] && ok "40 slow connections: /healthz still answers" || bad "40 slow connections: /healthz still answers" "$code"
cl no-read 30 2 >/dev/null
cl flood 300 >/dev/null
wait "$slow"
# Connections opened as fast as a client can, never used: a probe's
# request, sent with its connection, is still answered every time.
cl hold 200 4 >/dev/null &
hold=$!
sleep 0.5
codes=$(for i in 1 2 3 4 5 6; do get "$U/healthz"; echo; sleep 0.3; done | sort | uniq -c | tr -s ' ')
wait "$hold"
[ "$codes" = " 6 503" ] && ok "a flood of idle connections: every probe answered" ||
	bad "a flood of idle connections: every probe answered" "$codes"
hb1=$(hb_count "$T/a") t1=$(date +%s.%N)
beats=$(awk -v a="$hb0" -v b="$hb1" 'BEGIN { print b - a }')
want=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) / 0.2 * 0.8 }')
[ "$beats" -ge "$want" ] && ok "the heartbeat kept its period ($beats beats, at least $want)" ||
	bad "the heartbeat kept its period" "$beats beats in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')s, want $want"
[ "$(cat "$T/slow.out")" -ge 1 ] && ok "slow connections were closed by the publisher" ||
	bad "slow connections were closed by the publisher" "$(cat "$T/slow.out")"
# The deadline (5 s) has passed for every connection of the attack.
sleep 5.5
fd1=$(fds_of "$A") rss1=$(rss_of "$A")
[ "$fd1" -le "$fd0" ] && ok "descriptors back to $fd0 after the attack" || bad "descriptors back to $fd0 after the attack" "now $fd1: $(ls -l "/proc/$A/fd" | tail -n 5)"
[ "$rss1" -le $((rss0 + 256)) ] && ok "RSS flat through the attack ($rss0 -> $rss1 KiB)" ||
	bad "RSS flat through the attack" "$rss0 -> $rss1 KiB"
code=$(get "$U/healthz")
[ "$code" = 503 ] && ok "and it answers as before" || bad "and it answers as before" "$code"

# --- the open files limit -------------------------------------------------
expect "a hard open-files limit too low for --listen: a clear error at start" 1 \
	'open files limited to 48 \(ulimit -n\); this setup needs [0-9]+' \
	bash -c 'ulimit -n 48; exec "$@"' sh "$PUB" --segment "$T/e" --listen 127.0.0.1:0 --update-command true
# A soft one is raised as far as needed: idle connections then fill the
# table, not the descriptors, the longest idle makes room for the next,
# and nothing spins.
(ulimit -S -n 48; exec "$PUB" --segment "$T/d" --heartbeat 200ms --listen 127.0.0.1:0 --update-command "cat $T/two" 2>>"$T/d.log") &
D=$!
pids+=("$D")
until_log 5 'listening on 127.0.0.1:[0-9]+ ' "$T/d.log" && PD=$(port_of "$T/d.log")
until_log 5 'update check: 2 pending' "$T/d.log"
python3 "$T/client.py" "${PD:-1}" hold 80 5 >/dev/null &
hold=$!
sleep 1
code=$(get "http://127.0.0.1:${PD:-1}/healthz")
sleep 1
expect "a flood with few descriptors: the heartbeat holds (600 ms)" 1 '^Update\(s\) 2 available' "$RDR" --segment "$T/d" --max-age 600ms
wait "$hold"
[ "$code" = 503 ] && ok "a flood with few descriptors: a probe is still answered" || bad "a flood with few descriptors: a probe is still answered" "$code"
kill -TERM "$D"; wait "$D"
# Without --listen, a low descriptor limit is no reason to spin either.
(ulimit -n 20; exec "$PUB" --segment "$T/f" --heartbeat 200ms --update-command true 2>>"$T/f.log") &
F=$!
pids+=("$F")
until_reader 5 0 '^ok' --segment "$T/f" && sleep 1 &&
	expect "ulimit -n 20: the publisher beats on" 0 '^ok' "$RDR" --segment "$T/f" --max-age 600ms ||
	bad "ulimit -n 20: the publisher beats on" "$LAST; $(tail -n 3 "$T/f.log")"
kill -TERM "$F"; wait "$F"
check "... and stops on SIGTERM" "$?"

# --- a port taken, a healthy publisher, IPv6, any address -----------------
expect "a port in use: a clear error at start" 1 "--listen 127.0.0.1:$PA: cannot listen: Address already in use" \
	"$PUB" --segment "$T/e" --listen "127.0.0.1:$PA" --update-command "cat $T/two"
LOG=$T/b.log start_pub --segment "$T/b" --heartbeat 200ms --listen '[::1]:0' --update-command true
B=$PID
until_log 5 'listening on \[::1\]:[0-9]+ ' "$T/b.log" && PB=$(port_of "$T/b.log")
until_reader 5 0 '^ok' --segment "$T/b" || bad "publisher b checked" "$LAST"
code=$(get "http://[::1]:${PB:-1}/healthz")
[ "$code" = 200 ] && [ "$(cat "$T/body")" = "$("$RDR" --segment "$T/b" | head -n 1)" ] &&
	ok "[::1]: a healthy publisher's /healthz is 200 with its line" ||
	bad "[::1]: a healthy publisher's /healthz is 200 with its line" "$code: $(cat "$T/body")"
LOG=$T/c.log start_pub --segment "$T/c" --heartbeat 200ms --listen :0 --update-command true
C=$PID
until_log 5 'listening on .*:[0-9]+ ' "$T/c.log" && PC=$(port_of "$T/c.log")
code=$(get "http://127.0.0.1:${PC:-1}/healthz")
code6=$(get "http://[::1]:${PC:-1}/healthz")
[ "$code" = 200 ] && [ "$code6" = 200 ] && ok ":PORT listens on IPv4 and IPv6" || bad ":PORT listens on IPv4 and IPv6" "$code $code6: $(cat "$T/c.log")"
# --- examples/k8s-pod-http.yaml: its probes against its own settings ------
cat >"$T/k8s.py" <<'PY'
import sys, yaml
pod = yaml.safe_load(open(sys.argv[1]))
def need(c, what):
    if not c:
        sys.exit("k8s-pod-http.yaml: " + what)
need(pod["apiVersion"] == "v1" and pod["kind"] == "Pod", "a v1 Pod")
c = pod["spec"]["containers"][0]
env = {e["name"]: e["value"] for e in c.get("env", [])}
ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
listen = env.get("SHMHEALTH_LISTEN", "")
need(listen.startswith(":"), "SHMHEALTH_LISTEN on every address")
port = int(listen[1:])
need(env.get("SHMHEALTH_ON_UPDATES") == "report", "SHMHEALTH_ON_UPDATES=report")
ann = pod["metadata"].get("annotations", {})
need(ann.get("prometheus.io/scrape") == "true", "the scrape annotation")
need(int(ann.get("prometheus.io/port", 0)) == port, "the scraped port is the one listened on")
for kind in ("livenessProbe", "readinessProbe"):
    g = c[kind]["httpGet"]
    need(ports.get(g["port"]) == port, kind + " on the port listened on")
    print(kind, g["path"])
print("metrics", ann.get("prometheus.io/path", "/metrics"))
print("env", " ".join(k + "=" + v for k, v in env.items() if k != "SHMHEALTH_LISTEN"))
PY
if out=$(python3 "$T/k8s.py" examples/k8s-pod-http.yaml 2>&1); then
	ok "examples/k8s-pod-http.yaml: httpGet probes and the scrape on the port listened on, report policy"
	# Its settings on a publisher with two pending updates: both probes
	# pass (updates do not restart a pod), the metrics say 2.
	read -r -a kenv <<<"$(sed -n 's/^env //p' <<<"$out")"
	# (Its port, 9100, may be taken here: the test listens on a free one.)
	env "${kenv[@]}" "$PUB" --segment "$T/k" --heartbeat 200ms --listen 127.0.0.1:0 --update-command "cat $T/two" 2>>"$T/k.log" &
	K=$!
	pids+=("$K")
	until_log 5 'update check: 2 pending' "$T/k.log"
	PK=$(port_of "$T/k.log")
	while read -r probe path; do
		code=$(get "http://127.0.0.1:${PK:-1}$path")
		[ "$code" = 200 ] && grep -q '^Update(s) 2 available' "$T/body" &&
			ok "k8s $probe GET $path with 2 pending: 200, names them" ||
			bad "k8s $probe GET $path with 2 pending: 200, names them" "$code: $(cat "$T/body")"
	done < <(grep -E '^(livenessProbe|readinessProbe) ' <<<"$out")
	code=$(get "http://127.0.0.1:${PK:-1}$(sed -n 's/^metrics //p' <<<"$out")")
	[ "$code" = 200 ] && grep -q '^shmhealth_updates_pending{manager="command"} 2$' "$T/body" &&
		ok "k8s scrape path: the metrics say 2 pending" || bad "k8s scrape path: the metrics say 2 pending" "$code"
	kill -TERM "$K"; wait "$K"
else
	bad "examples/k8s-pod-http.yaml parses with the promised probes" "$out"
fi

kill -TERM "$A"; wait "$A"
check "SIGTERM: the listening publisher exits 0" "$?"
kill -TERM "$B" "$C"; wait "$B" "$C"

done_tests http
