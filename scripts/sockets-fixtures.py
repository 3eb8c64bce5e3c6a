#!/usr/bin/env python3
"""
Socket scenarios for test/fixtures/sockets (run by scripts/sockets-fixtures.sh inside two network
namespaces; see that script). Every role exits by itself after LIFETIME seconds, so nothing is left
running; the only traffic is between the two namespaces the shell script creates.

  server: port 8080 listens with backlog 2 and never accepts (accept queue fills: LISTEN Recv-Q at
          its limit); port 8081 listens with backlog 8 and never accepts (the client's final ACKs
          are dropped by nft: SYN_RECV piles up); port 9000 accepts and never closes (CLOSE_WAIT
          here, FIN_WAIT2 on the client); port 9001 accepts, reads to EOF and closes (the client
          closes first: TIME_WAIT on the client); port 9002 accepts and never reads (Recv-Q grows
          here, Send-Q on the client; the client then closes one: FIN_WAIT1 with data queued); port
          9003 accepts and writes to clients that never read, then at 8 s closes them all, as a
          server that shuts down (FIN_WAIT1 piles up here: the FINs wait behind unsent data).
  client: the connections to those ports, and one to 10.99.0.1:9999 whose SYNs nft drops (SYN_SENT).
"""
import socket, sys, threading, time

SERVER = '10.99.0.1'
LIFETIME = 25.0  # seconds: the shell script takes its snapshots between 4 s and 9 s
keep = []


def listener(port, backlog, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((SERVER, port))
    s.listen(backlog)
    keep.append(s)
    return s


def accept_forever(s, then):
    s.settimeout(0.5)
    end = time.time() + LIFETIME
    while time.time() < end:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        keep.append(c)
        threading.Thread(target=then, args=(c,), daemon=True).start()


def never_close(c):
    pass  # kept open in `keep`: the peer's FIN leaves it in CLOSE_WAIT


def read_then_close(c):
    c.settimeout(5)
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass
    c.close()


def never_read(c):
    pass


def write_then_shut_down(s):
    conns = []
    s.settimeout(0.5)
    end = time.time() + 6
    while time.time() < end:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        c.setblocking(False)
        conns.append(c)
    chunk = b'y' * 8192
    end = time.time() + 2
    while time.time() < end:
        for c in conns:
            try:
                c.send(chunk)
            except (BlockingIOError, OSError):
                pass
        time.sleep(0.05)
    for c in conns:
        c.close()             # the shutdown: FIN_WAIT1 behind the unsent data


def server():
    listener(8080, 2)
    listener(8081, 8)
    s9003 = listener(9003, 16)
    threading.Thread(target=write_then_shut_down, args=(s9003,), daemon=True).start()
    for port, then, rcv in ((9000, never_close, None), (9001, read_then_close, None), (9002, never_read, 4096)):
        s = listener(port, 16, rcv)
        threading.Thread(target=accept_forever, args=(s, then), daemon=True).start()
    time.sleep(LIFETIME)


def connect_nb(port):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setblocking(False)
    try:
        c.connect((SERVER, port))
    except BlockingIOError:
        pass
    keep.append(c)
    return c


def client():
    for _ in range(6):
        connect_nb(8080)      # 3 fill the accept queue (backlog 2 + 1), the rest wait
    for _ in range(12):
        connect_nb(8081)      # final ACKs dropped: SYN_RECV on the server
    connect_nb(9999)          # SYNs dropped: SYN_SENT
    time.sleep(0.5)
    for _ in range(4):        # peer that never closes: we close, the server does not
        c = socket.create_connection((SERVER, 9000))
        c.sendall(b'hello\n')
        c.shutdown(socket.SHUT_WR)
        keep.append(c)
    for _ in range(30):       # active closes: TIME_WAIT here
        c = socket.create_connection((SERVER, 9001))
        c.sendall(b'GET / HTTP/1.0\r\n\r\n')
        c.close()
    for _ in range(4):        # clients that never read what port 9003 sends
        c = socket.create_connection((SERVER, 9003))
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        keep.append(c)
    writers = []
    for _ in range(2):        # a reader that never reads
        c = socket.create_connection((SERVER, 9002))
        c.setblocking(False)
        keep.append(c)
        writers.append(c)
    end = time.time() + 10    # keep writing for 10 s (Send-Q grows), then close one with data queued
    chunk = b'x' * 8192
    while time.time() < end:
        for c in writers:
            try:
                c.send(chunk)
            except (BlockingIOError, OSError):
                pass
        time.sleep(0.05)
    writers[0].close()        # FIN after unsent data: FIN_WAIT1
    time.sleep(LIFETIME - 12)


if __name__ == '__main__':
    {'server': server, 'client': client}[sys.argv[1]]()
