"""Slow clients and the connection cap (issue 22, api.connections), against real servers on loopback:
requests not sent in time are closed while others are answered, and past the cap the connections
that waited longest on their clients make room, or a new one is refused when all are busy."""

from __future__ import annotations

import asyncio
import http.client
import socket
import subprocess
import sys
import time
from types import SimpleNamespace
from urllib.parse import quote

import httpx
import pytest
from otkg.api.connections import HttpProtocol
from uvicorn.config import Config
from uvicorn.server import ServerState

from .conftest import server_process
from .test_limits import CARTESIAN

PARTIAL_HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
BOUND_S = 20  # only so that a broken server fails the test instead of hanging it


@pytest.fixture(scope="module")
def timed(build_dir, tmp_path_factory):
    """`otkg serve` (so its wiring is tested) with 1 s for a request head and for a whole request."""
    log = tmp_path_factory.mktemp("timed") / "stderr.log"
    command = [sys.executable, "-m", "otkg.api.cli", "serve", "--workers", "1"]
    with server_process(command, log, build_dir=build_dir, header_timeout=1, request_timeout=1) as port:
        yield port, log


@pytest.fixture(scope="module")
def capped(build_dir, tmp_path_factory):
    """uvicorn run directly with the protocol, at most 4 connections, and timeouts long enough that
    nothing here is closed by them (uvicorn's own keep-alive timeout too)."""
    log = tmp_path_factory.mktemp("capped") / "stderr.log"
    command = [
        *(sys.executable, "-m", "uvicorn", "otkg.api.main:create_app", "--factory"),
        *("--http", "otkg.api.connections:HttpProtocol", "--timeout-keep-alive", "120"),
    ]
    settings = dict(max_connections=4, header_timeout=120, request_timeout=120, query_deadline=4)
    with server_process(command, log, build_dir=build_dir, client_budget_s=1000, **settings) as port:
        yield port


def connect(port: int, data: bytes = b"") -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=BOUND_S)
    s.sendall(data)
    return s


def until_closed(s: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a reset counts as a close)."""
    got = b""
    try:
        while chunk := s.recv(65536):
            got += chunk
    except ConnectionResetError:
        pass
    s.close()
    return got


def status(raw: bytes) -> int:
    """The status of the one whole answer a closed connection carried (its length checked)."""
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    fields = dict(line.lower().split(b": ", 1) for line in lines[1:])
    assert fields[b"connection"] == b"close" and int(fields[b"content-length"]) == len(body)
    return int(lines[0].split()[1])


def is_open(s: socket.socket) -> bool:
    """Whether the server has neither answered nor closed this connection (yet): a peek, so that
    until_closed still reads whatever came."""
    s.setblocking(False)
    try:
        s.recv(1, socket.MSG_PEEK)
        return False
    except BlockingIOError:
        return True
    except ConnectionResetError:
        return False
    finally:
        s.settimeout(BOUND_S)


def hang_up(s: socket.socket) -> None:
    """Close, and wait for the server's close in turn: the next test then starts with none of
    these connections counted against the cap."""
    s.shutdown(socket.SHUT_WR)
    until_closed(s)


def get(port: int) -> int:
    """GET / on a new connection that the server closes after answering (so it is not counted
    against the cap once this returns)."""
    url = f"http://127.0.0.1:{port}/"
    return httpx.get(url, headers={"connection": "close"}, timeout=BOUND_S).status_code


def test_requests_not_sent_in_time_are_closed_while_others_are_answered(timed):
    port, _ = timed
    slow = [connect(port, PARTIAL_HEAD) for _ in range(5)]
    silent = connect(port)  # sends nothing at all
    assert get(port) == 200
    for s in slow:
        assert status(until_closed(s)) == 408
    assert until_closed(silent) == b""  # no request begun: closed without an answer


def test_the_next_request_on_a_kept_alive_connection_is_timed_too(timed):
    port, _ = timed
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=BOUND_S)
    conn.request("GET", "/")
    assert conn.getresponse().read() and conn.sock is not None
    sock = conn.sock
    sock.sendall(PARTIAL_HEAD)
    for _ in range(3 * 5):  # a byte every 0.2 s: always sending, never done
        time.sleep(0.2)
        try:
            sock.sendall(b"x")
        except OSError:
            break
    assert status(until_closed(sock)) == 408


def test_a_trickled_body_is_closed_while_a_whole_one_is_answered(timed):
    port, log = timed
    query = f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT 1{' ' * 200}".encode()
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        f"Content-Length: {len(query)}\r\n\r\n"
    ).encode()
    slow = connect(port, head + query[:10])
    whole = httpx.post(
        f"http://127.0.0.1:{port}/sparql",
        content=query,
        headers={"content-type": "application/sparql-query", "accept": "text/csv"},
        timeout=BOUND_S,
    )
    assert whole.status_code == 200 and whole.text.startswith("s\r\n")
    for byte in query[10:40]:  # a byte every 0.2 s: always sending, never done
        time.sleep(0.2)
        try:
            slow.sendall(bytes([byte]))
        except OSError:
            break
    assert status(until_closed(slow)) == 408
    # The app saw its client leave mid-body: no error answer, no traceback in the log.
    assert get(port) == 200
    text = log.read_text(errors="replace")
    assert "Exception in ASGI application" not in text and "unexpected error" not in text


def test_a_head_over_the_cap_is_431_while_a_long_url_under_it_is_still_414(timed):
    port, _ = timed
    huge = connect(port, PARTIAL_HEAD)
    try:
        for _ in range(64):  # 4 MiB of one header field, far past the 96 KiB cap
            huge.sendall(b"a" * 65536)
    except OSError:
        pass  # closed while sending: the answer may still be there to read
    assert status(until_closed(huge)) == 431
    # 40,000 bytes of URL: over OTKG_MAX_URL_LENGTH, under the head cap, so the app explains it.
    r = httpx.get(f"http://127.0.0.1:{port}/sparql?query={'x' * 40000}", timeout=BOUND_S)
    assert r.status_code == 414 and r.json()["title"] == "URI too long"
    # A body is no part of the head, however long: this one is the app's to refuse (64 KB queries).
    r = httpx.post(
        f"http://127.0.0.1:{port}/sparql",
        content=b"ASK {}" + b" " * 2_000_000,
        headers={"content-type": "application/sparql-query"},
        timeout=BOUND_S,
    )
    assert r.status_code == 413


def test_idle_kept_alive_connections_count_and_the_longest_idle_makes_room(capped):
    idle = []
    for _ in range(4):
        conn = http.client.HTTPConnection("127.0.0.1", capped, timeout=BOUND_S)
        conn.request("GET", "/")
        conn.getresponse().read()
        idle.append(conn)
    assert get(capped) == 200  # a fifth connection
    socks = [c.sock for c in idle if c.sock is not None]
    # One idle connection made room (which one is left to the in-process test: these four may
    # have been answered within the same tick of the server's clock).
    still_open = [s for s in socks if is_open(s)]
    assert len(socks) == 4 and len(still_open) == 3
    (closed,) = set(socks) - set(still_open)
    assert until_closed(closed) == b""  # idle: closed without an answer
    for s in still_open:
        hang_up(s)


def test_past_the_cap_the_slowest_heads_make_room_for_an_honest_client(capped):
    slow = [connect(capped, PARTIAL_HEAD) for _ in range(4)]
    assert get(capped) == 200
    still_open = [s for s in slow if is_open(s)]
    assert len(still_open) == 3
    (closed,) = set(slow) - set(still_open)
    assert status(until_closed(closed)) == 503  # it had begun a request: told why
    for s in still_open:
        hang_up(s)


def test_past_the_cap_a_new_connection_is_refused_while_all_are_being_answered(capped):
    """Four runaway queries (4 s deadline) keep every connection busy; a fifth is answered 503 and
    closed at once, and once the four are gone the server answers again."""
    busy = []
    for n in range(4):
        target = "/sparql?query=" + quote(f"{CARTESIAN} LIMIT {n + 1}")
        busy.append(connect(capped, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()))
    time.sleep(1)  # for the server to read the four requests (it is otherwise idle)
    refused = until_closed(connect(capped, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
    assert status(refused) == 503 and refused.endswith(b"too many open connections\n")
    for s in busy:
        s.close()
    deadline = time.monotonic() + BOUND_S
    while True:
        try:
            if get(capped) == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not answer after the busy clients left"
        time.sleep(0.2)


class FakeTransport:
    def __init__(self) -> None:
        self.sent, self.closed, self.protocol = b"", False, None

    def write(self, data: bytes) -> None:
        self.sent += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: object = None) -> object:
        return default

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    # The requests' app tasks never ran: end them.
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    loop.close()


def reading(loop, max_head_bytes: int) -> tuple[HttpProtocol, FakeTransport]:
    """A connection in process, over an app that never answers (nothing runs the loop)."""
    protocol = HttpProtocol(Config(app=lambda scope, receive, send: None), ServerState(), {}, _loop=loop)
    protocol.max_head_bytes = max_head_bytes
    transport = FakeTransport()
    protocol.connection_made(transport)
    return protocol, transport


def test_a_head_is_measured_across_reads_and_only_its_own_bytes(loop):
    protocol, transport = reading(loop, 1000)
    protocol.data_received(PARTIAL_HEAD)
    for _ in range(4):
        protocol.data_received(b"a" * 200)
    assert not transport.closed  # 40 + 800 bytes
    protocol.data_received(b"a" * 200)
    assert transport.closed and status(transport.sent) == 431
    # A first read over the cap is refused at once.
    protocol, transport = reading(loop, 1000)
    protocol.data_received(PARTIAL_HEAD + b"a" * 1000)
    assert transport.closed and status(transport.sent) == 431
    # A whole request with a 5,000-byte body, then a pipelined head begun, in one read: the
    # body is no part of that head.
    protocol, transport = reading(loop, 1000)
    body = b"x" * 5000
    post = b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + body
    protocol.data_received(post + PARTIAL_HEAD)
    assert not transport.closed and protocol.head_bytes == 0


def test_at_the_cap_the_longest_waiting_connections_go_first_and_busy_ones_stay(loop):
    """make_room in process, with each connection's wait start set by hand."""
    config, state = Config(app=lambda scope, receive, send: None), ServerState()

    def connect_at(since: float) -> tuple[HttpProtocol, FakeTransport]:
        protocol, transport = HttpProtocol(config, state, {}, _loop=loop), FakeTransport()
        protocol.max_connections = 3
        protocol.connection_made(transport)
        protocol.since = since
        return protocol, transport

    begun, idle, newer = connect_at(5.0), connect_at(2.0), connect_at(9.0)
    begun[0].scope = {}  # a request head begun
    assert state.connections == {begun[0], idle[0], newer[0]}
    fourth = connect_at(10.0)  # evicts the one waiting since 2.0: idle, so told nothing
    assert idle[1].closed and idle[1].sent == b""
    assert state.connections == {begun[0], newer[0], fourth[0]}
    fifth = connect_at(11.0)  # then the one waiting since 5.0, which had begun: told why
    assert begun[1].closed and status(begun[1].sent) == 503
    # While every connection is being answered (none waits on its client), a new one is refused.
    for protocol in state.connections:
        protocol.cycle = SimpleNamespace(response_complete=False, more_body=False)
    refused = connect_at(12.0)
    assert refused[1].closed and status(refused[1].sent) == 503
    assert state.connections == {newer[0], fourth[0], fifth[0]}
    assert not any(t.closed for _, t in (newer, fourth, fifth))


OPEN_FILES = """
import resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (512, int(sys.argv[1])))
from otkg.api.connections import open_files_for
print(open_files_for(1000), resource.getrlimit(resource.RLIMIT_NOFILE)[0])
"""


@pytest.mark.parametrize("hard", [4096, 512])
def test_the_open_file_limit_is_raised_to_fit_the_cap_or_the_cap_lowered_to_fit_it(hard):
    """In a process of its own, started with a soft limit of 512 open files (a cap over it would
    fail with EMFILE before it held)."""
    out = subprocess.run(
        [sys.executable, "-c", OPEN_FILES, str(hard)], capture_output=True, text=True, check=True
    )
    cap, soft = map(int, out.stdout.split())
    if hard == 4096:
        assert cap == 1000 and 1000 + 256 < soft <= hard
    else:
        assert 0 < cap < 512 - 256 and soft == 512 and "lowered" in out.stderr
