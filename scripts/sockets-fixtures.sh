#!/bin/sh
# Makes the real netstat / ss / lsof outputs of test/fixtures/sockets (needs root, ip, nft, ss,
# netstat from net-tools, lsof, python3). Two network namespaces joined by a veth pair; the only
# traffic is between them, the scenario processes (scripts/sockets-fixtures.py) exit by
# themselves after 25 s, and the namespaces are deleted at the end.
#   sh scripts/sockets-fixtures.sh [OUTDIR]        (default test/fixtures/sockets)
set -eu
OUT=${1:-test/fixtures/sockets}
HERE=$(dirname "$0")
S=cl-sock-srv C=cl-sock-cli
cleanup() { ip netns del $S 2>/dev/null || true; ip netns del $C 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $S
ip netns add $C
ip link add cl-veth-s type veth peer name cl-veth-c
ip link set cl-veth-s netns $S
ip link set cl-veth-c netns $C
ip -n $S addr add 10.99.0.1/24 dev cl-veth-s
ip -n $C addr add 10.99.0.2/24 dev cl-veth-c
ip -n $S link set lo up; ip -n $S link set cl-veth-s up
ip -n $C link set lo up; ip -n $C link set cl-veth-c up
# the client's final ACKs (and any RST) towards port 8081 vanish: half-open connections pile up
ip netns exec $C nft -f - <<'NFT'
table inet clfix {
  chain out {
    type filter hook output priority 0;
    tcp dport 8081 tcp flags & (syn) != syn drop
  }
}
NFT
# nothing answers on 9999: the client stays in SYN_SENT
ip netns exec $S nft add table inet clfix
ip netns exec $S nft add chain inet clfix in '{ type filter hook input priority 0; }'
ip netns exec $S nft add rule inet clfix in tcp dport 9999 drop

ip netns exec $S python3 "$HERE/sockets-fixtures.py" server &
SP=$!
sleep 1
ip netns exec $C python3 "$HERE/sockets-fixtures.py" client &
CP=$!
sleep 4

snap() { # snap NS SIDE NAME COMMAND...
  ns=$1; side=$2; name=$3; shift 3
  f="$OUT/$side-$name.txt"
  { printf '$ %s\n' "$*"; ip netns exec "$ns" sh -c "$*"; } > "$f" 2>&1 || true
}
for pair in "$S server" "$C client"; do
  set -- $pair
  snap $1 $2 netstat-nat 'netstat -nat'
  snap $1 $2 netstat-antp 'netstat -antp'
  snap $1 $2 netstat-tulpn 'netstat -tulpn'
  snap $1 $2 netstat-an 'netstat -an'
  snap $1 $2 ss-tan 'ss -tan'
  snap $1 $2 ss-tanp 'ss -tanp'
  snap $1 $2 ss-tani 'ss -tani'
  snap $1 $2 ss-tinm 'ss -tinm'
  snap $1 $2 ss-s 'ss -s'
  snap $1 $2 awk-count "netstat -n | awk '/^tcp/ {++S[\$NF]} END {for(a in S) print a, S[a]}'"
  snap $1 $2 uniq-count "netstat -nat | awk '{print \$6}' | sort | uniq -c | sort -rn"
  snap $1 $2 lsof "lsof -i -n -P -a -p $SP,$CP"
done
snap $S server ss-state-close-wait 'ss -tn state close-wait'
snap $S server grep-9002 'netstat -nat | grep 9002'
# two snapshots of the same side, 3 s apart: the never-read connections' queues grow
{ snap $C client snapshots-1 'netstat -nat'; sleep 3; snap $C client snapshots-2 'netstat -nat'; \
  cat "$OUT/client-snapshots-1.txt" "$OUT/client-snapshots-2.txt" > "$OUT/client-two-snapshots.txt"; \
  rm "$OUT/client-snapshots-1.txt" "$OUT/client-snapshots-2.txt"; }
# later (about 14 s after the start): port 9003's server has shut down (FIN_WAIT1 with data queued),
# the client has closed one never-read connection (FIN_WAIT1 behind its Send-Q)
sleep 3
snap $S server late-netstat-antp 'netstat -antp'
snap $S server late-ss-tan 'ss -tan'
snap $C client late-netstat-nat 'netstat -nat'
wait $SP $CP || true
