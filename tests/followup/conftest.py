"""Shared by the follow-up tests: a local server that counts connection attempts, and the probes that try to make
the PDF renderer fetch or read something."""

import socket
import threading

import pytest


class ConnectionCounter:
    """A TCP server on a free port of 127.0.0.1 that accepts and counts connections (and answers nothing)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.count = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def counter():
    server = ConnectionCounter()
    yield server
    server.close()


def probes(port: int) -> str:
    return (
        '<img src="file:///etc/passwd">\n'
        '<link rel="attachment" href="file:///etc/passwd">\n'
        '<img src="http://127.0.0.1:9/x.png">\n'
        f'<img src="http://127.0.0.1:{port}/x.png">\n'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
    )
