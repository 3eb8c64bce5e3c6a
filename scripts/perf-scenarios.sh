#!/bin/sh
# Makes the real-kernel performance captures of test/fixtures/perf (issue 14). Needs root, ip, tc,
# nft, ethtool, tcpdump, ss and python3 (scripts/perf-scenarios.py holds the programs).
#
# Three network namespaces: sender cl6-snd (10.66.1.1) ── veth ── router cl6-rtr ── veth ── receiver
# cl6-rcv (10.66.2.1). The router forwards everything through a TUN device whose program adds a fixed
# 10 ms each way (40 ms in sndbuf; tc netem is not in this kernel), then, towards the receiver only, through a tbf
# qdisc (the bottleneck: rate and queue; on the router, not on the capturing host, where TCP Small
# Queues would hide the queue) and nftables `numgen random` drops (loss). Offloads are off, so every
# segment on the wire is a real one. tcpdump captures in the sender's namespace (headers only,
# -s 128) while `ss -tinH` is polled there every 50 ms (each poll after a "# <epoch seconds>" line):
# the kernel's own busy / rwnd_limited / sndbuf_limited counters for the same connection.
#   sh scripts/perf-scenarios.sh [OUTDIR] [SCENARIO...]      (default test/fixtures/perf, all)
# One scenario at a time, a few seconds each: the machine's CPU is shared, and contention distorts
# the timings (a TUN program that runs late adds delay).
set -eu
OUT=${1:-test/fixtures/perf}
[ $# -gt 0 ] && shift
ALL="bloat shortq slowrecv trickle loss2 nagle nodelay sndbuf sndbuf-unpaced zerowin slowsrv synretry"
LIST=${*:-$ALL}
HERE=$(cd "$(dirname "$0")" && pwd)
# the interpreter itself (a pyenv shim would add a second of start-up to every program)
PY="$(python3 -c 'import sys; print(sys.executable)') $HERE/perf-scenarios.py"
S=cl6-snd R=cl6-rtr V=cl6-rcv
PORT=5201
mkdir -p "$OUT"

cleanup() {
  for ns in $S $R $V; do ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  sleep 0.2
  for ns in $S $R $V; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT

setup() { # setup TBF_ARGS DROP_PERCENT DELAY_MS
  qd=$1 loss=$2 dl=$3
  cleanup
  for ns in $S $R $V; do ip netns add $ns; ip -n $ns link set lo up; done
  ip link add cl6-s0 netns $S type veth peer name cl6-r0 netns $R
  ip link add cl6-r1 netns $R type veth peer name cl6-v0 netns $V
  ip -n $S addr add 10.66.1.1/24 dev cl6-s0
  ip -n $R addr add 10.66.1.2/24 dev cl6-r0
  ip -n $R addr add 10.66.2.2/24 dev cl6-r1
  ip -n $V addr add 10.66.2.1/24 dev cl6-v0
  for pair in "$S cl6-s0" "$R cl6-r0" "$R cl6-r1" "$V cl6-v0"; do
    set -- $pair
    ip -n $1 link set $2 up
    ip netns exec $1 ethtool -K $2 tso off gso off gro off >/dev/null 2>&1 || true
  done
  # skbs of at most 8 kB: TCP copies into its last skb up to the size goal without looking at the send
  # buffer, so with the default 64 kB a small SO_SNDBUF would let 64 kB more through
  ip -n $S link set cl6-s0 gso_max_size 8192
  ip -n $S route add default via 10.66.1.2
  ip -n $V route add default via 10.66.2.2
  ip netns exec $R sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  # the delay: whatever comes in on a veth goes to the TUN device (table 100), and comes back from it
  ip netns exec $R $PY delay $dl --seconds 30 > /dev/null &
  for _ in 1 2 3 4 5 6 7 8 9 10; do ip -n $R link show cltun >/dev/null 2>&1 && break; sleep 0.3; done
  ip -n $R link set cltun up
  ip netns exec $R sysctl -qw net.ipv4.conf.cltun.rp_filter=0
  ip -n $R route add default dev cltun table 100
  ip -n $R rule add iif cl6-r0 lookup 100
  ip -n $R rule add iif cl6-r1 lookup 100
  if [ -n "$qd" ]; then tc -n $R qdisc add dev cl6-r1 root tbf $qd; fi
  if [ "$loss" = syn ]; then
    # the client's first SYN is lost (every other SYN from the sender is dropped): it retries after 1 s
    ip netns exec $R nft -f - <<NFT
table inet cl6 {
  chain lossy {
    type filter hook forward priority 0;
    oif "cl6-r1" tcp dport $PORT tcp flags & (syn | ack) == syn numgen inc mod 2 == 0 drop
  }
}
NFT
  elif [ "$loss" != 0 ]; then
    ip netns exec $R nft -f - <<NFT
table inet cl6 {
  chain lossy {
    type filter hook forward priority 0;
    oif "cl6-r1" tcp dport $PORT numgen random mod 100 < $loss drop
  }
}
NFT
  fi
}

run() { # run NAME TBF_ARGS DROP_PERCENT "SERVER ARGS" "CLIENT ARGS" [DELAY_MS each way, default 10]
  name=$1 tbf=$2 drop=$3 sargs=$4 cargs=$5 delay=${6:-10}
  echo "scenario $name" >&2
  setup "$tbf" "$drop" "$delay"
  tmp=$(mktemp -d)
  ip netns exec $V $PY server $PORT $sargs > "$tmp/server.out" &
  SP=$!
  ip netns exec $S tcpdump -n -i cl6-s0 -s 128 --immediate-mode -U -w "$tmp/cap.pcap" tcp port $PORT 2> "$tmp/tcpdump.err" &
  TP=$!
  ip netns exec $S sh -c "while :; do echo \"# \$(date +%s.%N)\"; ss -tinmH dst 10.66.2.1 dport = :$PORT; sleep 0.05; done" > "$tmp/ss.txt" &
  PP=$!
  sleep 1
  ip netns exec $S $PY client 10.66.2.1 $PORT $cargs
  wait $SP || true
  sleep 0.5
  kill $PP 2>/dev/null || true
  kill -INT $TP 2>/dev/null || true
  wait $TP 2>/dev/null || true
  cp "$tmp/cap.pcap" "$OUT/$name.pcap"
  cp "$tmp/ss.txt" "$OUT/$name.ss.txt"
  {
    echo "# made by: sh scripts/perf-scenarios.sh OUTDIR $name   ($(uname -sr), $(ss -V 2>&1 | head -1))"
    echo "router: delay $delay ms each way (TUN); tbf: ${tbf:-none}; random drop towards the receiver: $drop %"
    echo "receiver (cl6-rcv 10.66.2.1): python3 scripts/perf-scenarios.py server $PORT $sargs"
    echo "sender   (cl6-snd 10.66.1.1): python3 scripts/perf-scenarios.py client 10.66.2.1 $PORT $cargs"
    echo "capture: tcpdump -n -i cl6-s0 -s 128 --immediate-mode -U -w $name.pcap tcp port $PORT   (in the sender's namespace)"
    grep -i 'packets' "$tmp/tcpdump.err" | sed 's/^/tcpdump: /' || true
    echo "ss: every 50 ms in the sender's namespace: ss -tinmH dst 10.66.2.1 dport = :$PORT"
  } > "$OUT/$name.cmd.txt"
  rm -rf "$tmp"
  cleanup
}

for sc in $LIST; do
  case $sc in
    # a bufferbloated bottleneck: 8 Mbit/s with a 1 MB queue (1 s of queueing)
    bloat) run bloat "rate 8mbit burst 10kb limit 1000kb" 0 "sink" "bulk --bytes 2500000" ;;
    # a short-queue bottleneck: 8 Mbit/s with a 15 kB queue (10 segments): it drops
    shortq) run shortq "rate 8mbit burst 10kb limit 15kb" 0 "sink" "bulk --bytes 2000000" ;;
    # a slow-reading receiver with a small buffer: SO_RCVBUF 8 kB, reads 4 kB every 10 ms
    slowrecv) run slowrecv "" 0 "slow --rcvbuf 8192 --chunk 4096 --every 10" "bulk --bytes 800000" ;;
    # an application writing little and often: 100 bytes every 10 ms
    trickle) run trickle "" 0 "sink" "trickle --size 100 --every 10 --count 200" ;;
    # 2 % random loss towards the receiver, 16 Mbit/s with a 100 kB queue
    loss2) run loss2 "rate 16mbit burst 10kb limit 100kb" 2 "sink" "bulk --bytes 2000000" ;;
    # write-write-read with Nagle on (the default) against a delayed-ACK receiver, and with TCP_NODELAY
    nagle) run nagle "" 0 "rr --req 300 --resp 100" "nagle --count 40 --req 300 --resp 100" ;;
    nodelay) run nodelay "" 0 "rr --req 300 --resp 100" "nagle --count 40 --req 300 --resp 100 --nodelay" ;;
    # a small send buffer on a long path: SO_SNDBUF 64 kB (the kernel doubles it: tb 128 kB) against an
    # 80 ms RTT (40 ms each way) and no bottleneck, so the buffer, not cwnd, caps the flight (~90 kB of
    # a ~1.7 MB window); 1 MB writes, so every wait for space comes after copying. SO_MAX_PACING_RATE
    # (1 GB/s: no cap, it only turns TCP's internal pacing on) makes the kernel count it: only a paced
    # sender still has unsent data when the writer blocks, and tcp_cwnd_validate starts the
    # sndbuf_limited chrono when that data has gone (see test/fixtures/perf/README.md)
    sndbuf) run sndbuf "" 0 "sink" "bulk --bytes 5000000 --write 1048576 --sndbuf 65536 --pacing 1000000000" 40 ;;
    # the same buffer question unpaced: SO_SNDBUF 8 kB, 64 kB writes, 20 ms RTT. The buffer caps the
    # flight (~11.6 kB while cwnd is 100+ segments) yet the kernel counts no sndbuf_limited: an unpaced
    # writer's data has all left (tcp_push_one) before it blocks. Kept as the kernel's own "0 %"
    sndbuf-unpaced) run sndbuf-unpaced "" 0 "sink" "bulk --bytes 1500000 --sndbuf 8192" ;;
    # a receiver that stops reading: 4 kB every 300 ms into an 8 kB SO_RCVBUF: zero windows
    zerowin) run zerowin "" 0 "slow --rcvbuf 8192 --chunk 4096 --every 300" "bulk --bytes 60000" ;;
    # a slow server: each answer comes 300 ms after its request
    slowsrv) run slowsrv "" 0 "rr --req 300 --resp 2000 --think 300" "nagle --count 5 --req 300 --resp 2000 --nodelay" ;;
    # a slow handshake: the first SYN is dropped, the client retries after 1 s
    synretry) run synretry "" syn "rr --req 300 --resp 100" "nagle --count 3 --req 300 --resp 100 --nodelay" ;;
    *) echo "unknown scenario $sc" >&2; exit 2 ;;
  esac
done
