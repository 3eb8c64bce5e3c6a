#!/usr/bin/env python3
"""Programs of the kernel performance scenarios (scripts/perf-scenarios.sh runs them in network
namespaces). Python because it sets what Node cannot: TCP_CONGESTION per socket (this machine
defaults to BBR; the scenarios want classic cubic behaviour), SO_SNDBUF / SO_RCVBUF before
connect/listen, TCP_NODELAY, SO_MAX_PACING_RATE (which turns TCP's internal pacing on), and a TUN
device for a fixed delay (tc netem is not in this kernel).

  delay MS                     TUN device "cltun": every packet read is written back MS ms later
  server PORT MODE [opts]      receiver: MODE sink | slow | rr
  client HOST PORT MODE [opts] sender:   MODE bulk | trickle | nagle

Every program stops by itself (the longest scenario, sndbuf, runs about 5 s).
"""
import argparse
import collections
import fcntl
import os
import select
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
SO_MAX_PACING_RATE = 47  # asm-generic/socket.h; Python's socket module does not name it


def delay(ms, seconds):
    """Fixed delay: packets routed into cltun come back out of it ms later, in order."""
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', b'cltun', IFF_TUN | IFF_NO_PI))
    print('ready', flush=True)
    q = collections.deque()
    d = ms / 1000.0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        now = time.monotonic()
        timeout = max(0.0, q[0][0] - now) if q else 0.1
        r, _, _ = select.select([fd], [], [], timeout)
        now = time.monotonic()
        if r:
            for _ in range(256):
                try:
                    q.append((now + d, os.read(fd, 65536)))
                except BlockingIOError:
                    break
        while q and q[0][0] <= now:
            try:
                os.write(fd, q.popleft()[1])
            except OSError:
                pass


def tcp_socket(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, a.cc.encode())
    if a.sndbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, a.sndbuf)
    if a.rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    if a.nodelay:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if a.pacing:
        s.setsockopt(socket.SOL_SOCKET, SO_MAX_PACING_RATE, a.pacing)
    return s


def drain_unacked(s, limit=3.0):
    """Wait until everything sent is acknowledged (tcpi_unacked, byte 24 of tcp_info, is 0), then
    a little more: the ss poller's last sample then holds the final busy / limited counters."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        if struct.unpack_from('I', info, 24)[0] == 0:
            break
        time.sleep(0.005)
    time.sleep(0.3)


def server(a):
    ls = tcp_socket(a)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('0.0.0.0', a.port))
    ls.listen(4)
    print('ready', flush=True)
    c, _ = ls.accept()
    if a.mode == 'sink':
        while c.recv(1 << 16):
            pass
    elif a.mode == 'slow':
        # a slow reader: a.chunk bytes every a.every ms
        while True:
            b = c.recv(a.chunk)
            if not b:
                break
            time.sleep(a.every / 1000.0)
    elif a.mode == 'rr':
        # request/response: a request is a.req bytes, the answer a.resp bytes, after a.think ms
        buf = b''
        while True:
            b = c.recv(4096)
            if not b:
                break
            buf += b
            while len(buf) >= a.req:
                buf = buf[a.req:]
                if a.think:
                    time.sleep(a.think / 1000.0)
                c.sendall(b'r' * a.resp)
    c.close()


def client(a):
    s = tcp_socket(a)
    s.connect((a.host, a.port))
    if a.mode == 'bulk':
        block = b'x' * a.write
        left = a.bytes
        while left > 0:
            n = s.send(block[:min(left, len(block))])
            left -= n
    elif a.mode == 'trickle':
        # an application writing little and often
        for _ in range(a.count):
            s.sendall(b't' * a.size)
            time.sleep(a.every / 1000.0)
    elif a.mode == 'nagle':
        # write-write-read: a request in two small writes (header, body), then wait for the answer
        head = a.req // 3
        for _ in range(a.count):
            s.sendall(b'h' * head)
            s.sendall(b'b' * (a.req - head))
            got = 0
            while got < a.resp:
                b = s.recv(4096)
                if not b:
                    break
                got += len(b)
    drain_unacked(s)
    s.shutdown(socket.SHUT_WR)
    while s.recv(4096):
        pass
    s.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('role', choices=['delay', 'server', 'client'])
    p.add_argument('rest', nargs='*')
    p.add_argument('--cc', default='cubic')
    p.add_argument('--sndbuf', type=int, default=0)
    p.add_argument('--rcvbuf', type=int, default=0)
    p.add_argument('--nodelay', action='store_true')
    p.add_argument('--pacing', type=int, default=0)
    p.add_argument('--bytes', type=int, default=2_000_000)
    p.add_argument('--chunk', type=int, default=4096)
    p.add_argument('--write', type=int, default=65536)
    p.add_argument('--every', type=float, default=10)
    p.add_argument('--count', type=int, default=100)
    p.add_argument('--size', type=int, default=100)
    p.add_argument('--req', type=int, default=300)
    p.add_argument('--resp', type=int, default=100)
    p.add_argument('--think', type=float, default=0)
    p.add_argument('--seconds', type=float, default=20)
    a = p.parse_args()
    if a.role == 'delay':
        delay(float(a.rest[0]), a.seconds)
    elif a.role == 'server':
        a.port, a.mode = int(a.rest[0]), a.rest[1]
        server(a)
    else:
        a.host, a.port, a.mode = a.rest[0], int(a.rest[1]), a.rest[2]
        client(a)


if __name__ == '__main__':
    sys.exit(main())
