#!/bin/sh
# Makes test/fixtures/sockets/{server,client}-closing-*.txt: LAST_ACK and CLOSING caught by
# netstat and ss (see scripts/sockets-closing-fixture.py). Needs root, ip, nft, ss, netstat
# (net-tools), python3. Two namespaces joined by a veth pair, deleted at the end.
#   sh scripts/sockets-closing-fixture.sh [OUTDIR]        (default test/fixtures/sockets)
set -eu
OUT=${1:-test/fixtures/sockets}
HERE=$(dirname "$0")
S=cl-close-srv C=cl-close-cli
cleanup() { ip netns del $S 2>/dev/null || true; ip netns del $C 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $S
ip netns add $C
ip link add cl-cveth-s type veth peer name cl-cveth-c
ip link set cl-cveth-s netns $S
ip link set cl-cveth-c netns $C
ip -n $S addr add 10.98.0.1/24 dev cl-cveth-s
ip -n $C addr add 10.98.0.2/24 dev cl-cveth-c
ip -n $S link set lo up; ip -n $S link set cl-cveth-s up
ip -n $C link set lo up; ip -n $C link set cl-cveth-c up
# the client's FINs to 9101 vanish (CLOSING); its pure ACKs to 9100 vanish once established (LAST_ACK)
ip netns exec $C nft add table inet clclose
ip netns exec $C nft add chain inet clclose out '{ type filter hook output priority 0; }'
ip netns exec $C nft add rule inet clclose out tcp dport 9101 tcp flags '&' fin == fin drop

ip netns exec $S python3 "$HERE/sockets-closing-fixture.py" server &
SP=$!
sleep 1
ip netns exec $C python3 "$HERE/sockets-closing-fixture.py" client &
CP=$!
sleep 1.5
ip netns exec $C nft add rule inet clclose out tcp dport 9100 tcp flags '&' '(fin|syn|rst)' == 0 drop
sleep 3.5

snap() { # snap NS SIDE NAME COMMAND...
  ns=$1; side=$2; name=$3; shift 3
  f="$OUT/$side-$name.txt"
  { printf '$ %s\n' "$*"; ip netns exec "$ns" sh -c "$*"; } > "$f" 2>&1 || true
}
snap $S server closing-netstat-nat 'netstat -nat'
snap $C client closing-netstat-nat 'netstat -nat'
snap $S server closing-ss-tan 'ss -tan'
snap $C client closing-ss-tan 'ss -tan'
kill $SP $CP 2>/dev/null || true
wait $SP $CP 2>/dev/null || true
