"""uvicorn's httptools protocol with request timeouts and a cap on connections (issue 22).

uvicorn (0.55) times nothing until a first answer: a connection that never finishes its request
head, or trickles its body, is held for as long as the client likes, and its keep-alive timer is
cancelled by any byte, so the next request on a kept-alive connection is not timed either.
`limit_concurrency` does not help: it is checked only once a head is complete (a slow client never
gets there), and it then answers 503 to the honest clients, since it counts the held connections.
Nor is a request head's size limited: httptools keeps all of it.

Here the server's wait for a request begins when the connection is made, or when the previous
answer on a kept-alive one is sent. The request head must be complete within `OTKG_HEADER_TIMEOUT`
seconds of that, and the whole request, body included, within `OTKG_REQUEST_TIMEOUT` (as Go's
ReadHeaderTimeout and ReadTimeout); otherwise the connection is closed, after a 408 if part of a
request had come. A head longer than `OTKG_MAX_HEAD_BYTES` is answered 431 and closed. Each API
process holds at most `OTKG_MAX_CONNECTIONS` connections, idle keep-alive ones included: a new one
past that closes those that have waited longest on their clients (make_room); only when every
connection is being answered is the new one answered 503 and closed at once. The open-file limit
is raised to fit the cap (open_files_for), or the cap lowered to fit the limit.

One timer per connection, read lazily: a request only records when the wait began, and the timer,
when it fires, compares that with the timeout and is set again for whatever is left. So a busy
keep-alive connection costs about one timer per timeout, not one per request.

Serve with `uvicorn --http otkg.api.connections:HttpProtocol` (`otkg serve` does).
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import logging
import os
import resource
import time
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from .settings import get_settings

log = logging.getLogger("uvicorn.error")


def _closing_answer(status: bytes, text: bytes) -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
        b"content-length: " + str(len(text)).encode() + b"\r\n\r\n" + text
    )


# RFC 9110 15.5.9: the client did not send a whole request in time; the connection is closed.
REQUEST_TIMEOUT = _closing_answer(b"408 Request Timeout", b"request not sent in time\n")
# RFC 6585 5: a head that long is no request this API serves (414 stays for long URLs under it).
HEAD_TOO_LARGE = _closing_answer(b"431 Request Header Fields Too Large", b"request head too large\n")
# Written before the request is read: clients that read it see why; others see the connection close.
TOO_MANY = _closing_answer(b"503 Service Unavailable\r\nretry-after: 1", b"too many open connections\n")
EVICT_FRACTION = 20  # at the cap, close the oldest 1/20 of the cap's waiting connections
WARN_EVERY_S = 60.0  # a flood must not become a flood of log lines
_last_warning = [0.0]
# The per-request hooks call these directly: with time.monotonic rather than loop.time() they
# measured about 1 us a request less than super() calls (bench.slowloris --cost).
_monotonic = time.monotonic
_data_received = HttpToolsProtocol.data_received
_response_complete = HttpToolsProtocol.on_response_complete


class HttpProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings = get_settings()
        self.header_timeout = settings.header_timeout
        self.request_timeout = settings.request_timeout
        self.max_connections = open_files_for(settings.max_connections)
        self.max_head_bytes = settings.max_head_bytes
        # Whether anything is timed, and how often a connection that owes nothing is looked at
        # again: the shorter timeout.
        self.period = min((t for t in (self.header_timeout, self.request_timeout) if t > 0), default=0.0)
        self.since = 0.0  # when the wait for the current request began
        self.head_bytes = -1  # bytes of the request head being read; -1: none under way
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.since = _monotonic()
        if 0 < self.max_connections <= len(self.connections) and not self.make_room():
            self.transport = transport  # connection_lost still runs, and closes this
            transport.write(TOO_MANY)
            transport.close()
            return
        super().connection_made(transport)
        if self.period:
            self.timer = self.loop.call_later(self.period, self.check)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # This read holds only a new head's bytes if no head was under way, the previous request
        # had all come, and no head completes within it (one may, if a client pipelines).
        before = self.cycle
        fresh = self.head_bytes < 0 and (before is None or not before.more_body)
        _data_received(self, data)
        scope, cycle = self.scope, self.cycle
        if scope is not None and (cycle is None or scope is not cycle.scope):
            # Inside a request head (begun, not complete), which httptools keeps whole, by repeated
            # concatenation. A read that held part of another request is not counted: the bound
            # is then the cap plus one read.
            if cycle is not before:
                self.head_bytes = 0
            elif self.head_bytes >= 0:
                self.head_bytes += len(data)
            else:
                self.head_bytes = len(data) if fresh else 0
            if self.head_bytes > self.max_head_bytes > 0 and not self.transport.is_closing():
                self.transport.write(HEAD_TOO_LARGE)
                self.transport.close()
        else:
            self.head_bytes = -1

    def on_response_complete(self) -> None:
        self.since = _monotonic()  # the wait for the next request begins
        _response_complete(self)

    def owed(self) -> tuple[float, bool] | None:
        """While the server waits for its client: the timeout that applies, and whether a request
        was begun; None while the app is answering."""
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            # Waiting for a head. A scope of no cycle yet means its first bytes came (on_message_begin).
            return self.header_timeout, self.scope is not None and (
                cycle is None or self.scope is not cycle.scope
            )
        if cycle.more_body and not self.flow.read_paused:
            # Waiting for the body (reading is paused only while the app has not taken what came).
            return self.request_timeout, not cycle.response_started
        return None

    def check(self) -> None:
        """The timer: close the connection if its client owes part of a request past the timeout,
        else look again when it could next be due."""
        self.timer = None
        transport = self.transport
        if transport.is_closing() or transport.get_protocol() is not self:  # closed, or upgraded
            return
        owed, now = self.owed(), _monotonic()
        if owed is None or owed[0] <= 0:
            self.timer = self.loop.call_later(self.period, self.check)
        elif now - self.since < owed[0]:
            self.timer = self.loop.call_later(self.since + owed[0] - now, self.check)
        else:
            if owed[1]:
                transport.write(REQUEST_TIMEOUT)
            transport.close()

    def make_room(self) -> bool:
        """At the cap: close the connections that have waited longest on their clients (idle
        keep-alive ones, slow heads and bodies), a batch at a time so that a flood of new
        connections costs one scan per batch. False if every connection is being answered.

        Refusing new connections instead would let anyone who holds the cap's worth of slow
        connections lock honest clients out until the timeout; the longest waiters are the
        likeliest to be such connections, since an honest client sends its request at once."""
        waiting = [c for c in self.connections if isinstance(c, HttpProtocol) and c.owed() is not None]
        evicted = heapq.nsmallest(max(1, self.max_connections // EVICT_FRACTION), waiting, key=_since)
        for conn in evicted:
            owed = conn.owed()
            if owed is not None and owed[1]:
                conn.transport.write(TOO_MANY)
            conn.transport.close()
            # Counted out now: connection_lost comes on a later loop turn, after the next accepts.
            self.connections.discard(conn)
        now = _monotonic()
        if now - _last_warning[0] > WARN_EVERY_S:
            _last_warning[0] = now
            log.warning(
                "%d connections open (OTKG_MAX_CONNECTIONS): closed the %d that waited longest on "
                "their clients%s",
                self.max_connections,
                len(evicted),
                "" if evicted else "; none was waiting, so new connections are refused",
            )
        return bool(evicted)


def _since(conn: HttpProtocol) -> float:
    return conn.since


FILES_SPARE = 256  # open files kept free beyond the connections, for the store and the workers


@functools.cache
def open_files_for(max_connections: int) -> int:
    """The connection cap this process can hold, once per process: the open-file limit is raised
    (up to its hard limit) to fit the cap, the files already open and a spare; else the cap is
    lowered to fit, with a warning. A cap over the limit would not hold: accept() and the store
    would fail with EMFILE first (and 1,024, below a cap of 1,000 plus the store's files, is a
    common default soft limit)."""
    if max_connections <= 0:
        return max_connections
    try:
        in_use = len(os.listdir("/proc/self/fd"))
    except OSError:
        in_use = FILES_SPARE  # no /proc: count as many again
    need = in_use + max_connections + FILES_SPARE
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= need:
        return max_connections
    raised = need if hard == resource.RLIM_INFINITY else min(need, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
    if raised >= need:
        return max_connections
    fit = max(1, raised - in_use - FILES_SPARE)
    log.warning(
        "OTKG_MAX_CONNECTIONS=%d lowered to %d: the open-file limit is %d (hard limit)",
        max_connections,
        fit,
        hard,
    )
    return fit
