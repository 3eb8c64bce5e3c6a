#!/usr/bin/env python3
"""
The scenario of scripts/sockets-ss-s-fixture.sh (run inside its network namespace): many TIME_WAIT
and many orphaned sockets at one instant, for a real `ss -s` with notable counts. Exits by itself
after LIFETIME seconds.
"""
import socket, threading, time

LIFETIME = 20.0
TIME_WAITS = 600  # above the diagnosis's TIME_WAIT threshold (500)
ORPHANS = 120  # above its orphan threshold (100)
keep = []


def serve(port, handle):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', port))
    s.listen(1024)
    keep.append(s)

    def loop():
        while True:
            c, _ = s.accept()
            handle(c)

    threading.Thread(target=loop, daemon=True).start()


def read_then_close(c):
    def run():
        while c.recv(4096):
            pass
        c.close()

    threading.Thread(target=run, daemon=True).start()


def write_then_close(c):
    # fill the send queue towards a client that never reads, then close: the socket has no
    # descriptor any more (an orphan) and stays in FIN_WAIT1 behind its unsent data
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    c.setblocking(False)
    try:
        while True:
            c.send(b'x' * 65536)
    except BlockingIOError:
        pass
    c.close()


serve(7000, read_then_close)
serve(7001, write_then_close)
for _ in range(TIME_WAITS):
    c = socket.create_connection(('127.0.0.1', 7000))
    c.close()  # the client closes first: TIME_WAIT on its side
for _ in range(ORPHANS):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.connect(('127.0.0.1', 7001))
    keep.append(c)  # never read
time.sleep(LIFETIME)
