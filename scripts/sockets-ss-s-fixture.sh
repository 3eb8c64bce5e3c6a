#!/bin/sh
# Makes test/fixtures/sockets/busy-ss-s.txt (a real `ss -s` whose timewait and orphaned counts are
# notable) and busy-awk-count.txt (the same moment counted per state); needs root, ip, ss, python3.
# One network namespace, loopback only, deleted at the end;
# the scenario (scripts/sockets-ss-s-fixture.py) exits by itself after 20 s:
#   600 connections to 127.0.0.1:7000 closed by the client first: 600 TIME_WAIT (60 s each);
#   120 connections to 127.0.0.1:7001 whose server writes to a client that never reads, then
#   close()s: 120 orphans (no file descriptor left, FIN_WAIT1 behind the unsent data).
#   sh scripts/sockets-ss-s-fixture.sh [OUTDIR]        (default test/fixtures/sockets)
set -eu
OUT=${1:-test/fixtures/sockets}
HERE=$(dirname "$0")
N=cl-sock-busy
cleanup() { ip netns del $N 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $N
ip -n $N link set lo up
ip netns exec $N python3 "$HERE/sockets-ss-s-fixture.py" &
P=$!
sleep 6
{ printf '$ %s\n' 'ss -s'; ip netns exec $N ss -s; } > "$OUT/busy-ss-s.txt" 2>&1
# the same moment counted socket by socket, to check ss -s against (awk counts the state column)
{ printf '$ %s\n' "ss -tan | awk 'NR>1 {++S[\$1]} END {for(a in S) print a, S[a]}'"; \
  ip netns exec $N sh -c "ss -tan | awk 'NR>1 {++S[\$1]} END {for(a in S) print a, S[a]}'"; } > "$OUT/busy-awk-count.txt" 2>&1
wait $P || true
