#!/usr/bin/env python3
"""
The two closing states the other socket fixtures do not catch (run by
scripts/sockets-closing-fixture.sh in two network namespaces; every role exits by itself).

  port 9100, LAST_ACK: the client closes first; the server closes once it has read the FIN. The
             client's final ACK (a pure ACK) is dropped by nft, so the server waits in LAST_ACK.
  port 9101, CLOSING (a simultaneous close): nft drops the client's FIN, so the server, which
             closes 0.5 s later, has not seen it; the client gets the server's FIN while its own is
             still unacknowledged: CLOSING, until its FIN gets through (never, here).
"""
import socket, sys, threading, time

SERVER = '10.98.0.1'
LIFETIME = 12.0


def server():
    conns = {}
    ls = {}
    for port in (9100, 9101):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((SERVER, port))
        s.listen(4)
        ls[port] = s
    for port, s in ls.items():
        c, _ = s.accept()
        conns[port] = c

    def last_ack(c):
        c.settimeout(8)
        try:
            while c.recv(4096):
                pass
        except OSError:
            pass
        time.sleep(0.5)
        c.close()             # FIN after the client's: LAST_ACK until the (dropped) ACK

    threading.Thread(target=last_ack, args=(conns[9100],), daemon=True).start()
    time.sleep(3.5)           # the client closed 9101 at 3 s, but its FIN was dropped
    conns[9101].close()       # our FIN crosses theirs: CLOSING on the client
    time.sleep(LIFETIME)


def client():
    t0 = time.time()
    a = socket.create_connection((SERVER, 9100))
    b = socket.create_connection((SERVER, 9101))
    time.sleep(max(0, t0 + 3.0 - time.time()))
    a.close()
    b.close()
    time.sleep(LIFETIME)


if __name__ == '__main__':
    {'server': server, 'client': client}[sys.argv[1]]()
