"""Slow clients against one otkg API process on loopback (issue 22): how many connections that never
finish their request the server still holds after a while, and whether an honest client is
answered meanwhile. Bounded: 127.0.0.1 only, a fixed number of connections and seconds.

    python -m bench.slowloris [--connections 5000] [--seconds 25] [--body] [--plain]
    python -m bench.slowloris --cost

--body sends a whole head announcing a 1,000-byte POST body and then one byte of it every 2 s;
otherwise each connection sends part of a request head and then nothing. --plain serves with
uvicorn's own protocol (no timeout, no cap) for comparison; OTKG_ settings pass through.
--cost measures, in process and without a network, what api.connections adds to each request on
a kept-alive connection: uvicorn's protocol and ours each parse a GET and write a small answer
from a bare ASGI app, in alternating rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import selectors
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from otkg.kg.pipeline.build import BUILD_DIR
from uvicorn.config import Config
from uvicorn.server import ServerState

from .servers import free_port, otkg_command, pss_mib

PARTIAL_HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
SLOW_POST = (
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\n"
)


def serve(port: int, build: Path, plain: bool) -> subprocess.Popen:
    cmd = otkg_command(port, 1)
    if not plain:
        cmd += ["--http", "otkg.api.connections:HttpProtocol"]
    env = {**os.environ, "OTKG_STORE": "memory", "OTKG_BUILD_DIR": str(build), "OTKG_BUILD_COMMIT": "bench"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def run(connections: int, seconds: float, body: bool, plain: bool) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        # A copy, so that a rebuild of build/ meanwhile changes nothing here.
        build = Path(shutil.copytree(BUILD_DIR, Path(tmp) / "build"))
        proc = serve(port, build, plain)
        try:
            measure(port, proc, connections, seconds, body)
        finally:
            proc.terminate()
            proc.wait(10)


def measure(port: int, proc: subprocess.Popen, connections: int, seconds: float, body: bool) -> None:
    pss_before, _ = pss_mib(proc.pid)
    sel = selectors.DefaultSelector()
    opened = refused = 0
    answers: dict[bytes, int] = {}
    start = time.monotonic()
    for _ in range(connections):
        s = socket.socket()
        try:
            s.settimeout(5)
            s.connect(("127.0.0.1", port))
            s.sendall(SLOW_POST if body else PARTIAL_HEAD)
        except OSError:
            refused += 1
            s.close()
            continue
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, s)
        opened += 1
    print(f"{opened} connections open, {refused} failed to connect, in {time.monotonic() - start:.1f} s")
    honest: list[tuple[float, int | str]] = []
    peak_pss = pss_before
    next_probe = next_trickle = time.monotonic()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        while (elapsed := time.monotonic() - start) < seconds:
            for key, _ in sel.select(timeout=0.1):
                s = key.data
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                status = data.split(b"\r\n", 1)[0] if data else b"closed"
                answers[status] = answers.get(status, 0) + 1
                sel.unregister(s)
                s.close()
            now = time.monotonic()
            if body and now >= next_trickle:
                next_trickle = now + 2
                for key in list(sel.get_map().values()):
                    try:
                        key.data.send(b"x")
                    except OSError:
                        pass
            if now >= next_probe:
                next_probe = now + 1
                t0 = time.monotonic()
                try:
                    outcome: int | str = client.get("/").status_code
                except httpx.HTTPError as e:
                    outcome = type(e).__name__
                took_ms = (time.monotonic() - t0) * 1000
                honest.append((round(elapsed, 1), outcome))
                peak_pss = max(peak_pss, pss_mib(proc.pid)[0])
                print(
                    f"t={elapsed:5.1f} s  held {len(sel.get_map()):5d}  honest GET / -> {outcome} in "
                    f"{took_ms:.0f} ms"
                )
    held = len(sel.get_map())
    for key in list(sel.get_map().values()):
        key.data.close()
    ok = sum(1 for _, o in honest if o == 200)
    print(f"after {seconds:.0f} s: {held} of {opened} still held; closed by the server: {answers}")
    print(f"honest client: {ok} of {len(honest)} answered 200; PSS {pss_before} -> peak {peak_pss} MiB")


class _Transport:
    """Just enough of an asyncio transport for a protocol to answer into."""

    def __init__(self, protocol: asyncio.Protocol) -> None:
        self.protocol, self.written = protocol, 0

    def write(self, data: bytes) -> None:
        self.written += 1

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def get_extra_info(self, name: str, default: object = None) -> object:
        return default

    def get_protocol(self) -> asyncio.Protocol:
        return self.protocol

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _answer(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


async def _per_request_us(protocol_class: type, n: int) -> float:
    config = Config(app=_answer, lifespan="off", proxy_headers=False, log_config=None)
    config.load()
    protocol = protocol_class(config, ServerState(), {}, _loop=asyncio.get_running_loop())
    protocol.connection_made(_Transport(protocol))
    request = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n"
    start = time.process_time()  # CPU time: other processes on the machine are not counted
    for _ in range(n):
        protocol.data_received(request)
        while not protocol.cycle.response_complete:
            await asyncio.sleep(0)
    took = time.process_time() - start
    protocol.connection_lost(None)
    return took / n * 1e6


def cost(rounds: int = 40, n: int = 10_000) -> None:
    import uvloop
    from otkg.api.connections import HttpProtocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    times: dict[str, list[float]] = {"uvicorn": [], "otkg": []}
    pair = [("uvicorn", HttpToolsProtocol), ("otkg", HttpProtocol)]
    for i in range(rounds):
        for name, cls in pair[:: 1 if i % 2 else -1]:  # alternate which goes first
            times[name].append(uvloop.run(_per_request_us(cls, n)))
    for name, us in times.items():
        print(f"{name:8s} fastest {min(us):.2f}, median {statistics.median(us):.2f} us a request")
    # The fastest rounds are the ones least disturbed by whatever else the machine ran.
    delta = min(times["otkg"]) - min(times["uvicorn"])
    print(f"added by api.connections: {delta:+.2f} us a request (fastest of {rounds} rounds of {n:,})")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--connections", type=int, default=5000)
    p.add_argument("--seconds", type=float, default=25)
    p.add_argument("--body", action="store_true", help="trickle a POST body instead of a head")
    p.add_argument("--plain", action="store_true", help="uvicorn's own protocol, for comparison")
    p.add_argument("--cost", action="store_true", help="the per-request cost of the protocol, in process")
    a = p.parse_args(argv)
    if a.cost:
        return cost()
    run(min(a.connections, 10000), min(a.seconds, 120), a.body, a.plain)


if __name__ == "__main__":
    main()
