"""API settings from `OTKG_` environment variables (pydantic-settings)."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from ..kg.paths import BUILD_DIR, ROOT


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OTKG_")

    build_dir: Path = BUILD_DIR  # the checkout's build/, else ./build (kg.paths)
    store_dir: Path = BUILD_DIR / "store"
    queries_dir: Path = ROOT / "queries"
    store: str = "disk"  # disk (embedded pyoxigraph, persistent), memory, or remote
    sparql_url: str = ""  # remote: the server's SPARQL 1.1 query endpoint
    graph_store_url: str = ""  # remote: its Graph Store Protocol endpoint (for `otkg load`)
    graph_store_user: str = ""  # remote: digest-auth user for loading (Virtuoso: dba)
    graph_store_password: str = ""
    # remote: how often (s) a cached answer's freshness is checked by counting the server's quads,
    # and how long (s) any answer may be cached at most (an edit that keeps the count shows then)
    remote_check_seconds: float = 5.0
    remote_max_age_seconds: float = 300.0
    host: str = "127.0.0.1"
    port: int = 8000
    build_commit: str = ""  # defaults to `git rev-parse HEAD` when empty
    max_query_length: int = 65536
    max_url_length: int = 32768  # request line path + query; longer queries go by POST
    # Query execution (issue 5): worker processes per API process, deadlines in seconds, caps.
    query_workers: int = 2  # most answers run in the API process (inline_ms), so two suffice
    # Jobs that used at most this many ms of CPU in a worker then run in the API process
    # (kg.query.quick_jobs); 0: never.
    inline_ms: float = 5.0
    query_lanes: int = 1  # quick jobs running at once per API process (kg.query.query_pool._Lanes); 0: none
    # Query workers copy the disk store into memory when its quads, as N-Quads, are at most this
    # size (queries ran ~4x faster; a copy takes about twice that); a larger store is read from disk.
    worker_memory_mb: int = 128
    query_deadline: float = 10.0  # raw SPARQL on /sparql
    named_query_deadline: float = 5.0  # catalogue queries
    read_deadline: float = 5.0  # entity descriptions, traces, search, and the pages drawn from them
    # What one query may hold in a worker beyond the worker's own memory, and the largest answer
    # (bytes, or a page's rows as they cross from the worker) in MiB; past either it gets a 503
    # naming the limit (kg.query.worker_limits). 0: no limit.
    query_memory_mb: int = 512
    answer_max_mb: int = 64
    row_cap: int = 10000  # SELECT rows on /sparql; beyond it the answer is cut and says so
    triple_cap: int = 500000  # CONSTRUCT/DESCRIBE triples
    # Per client address: seconds of slow-query time it may spend, refilled per second; the first
    # `client_free_s` of every query are free; jobs run one at a time per client and API process.
    client_budget_s: float = 20.0
    client_refill_per_s: float = 0.2
    client_free_s: float = 0.1
    client_concurrency: int = 1
    # What a worker crashed by a client's query (a parser overflow, say) costs that client's budget.
    client_crash_cost_s: float = 5.0
    # The file holding every client's budget, shared by a server's API processes (api.budgets);
    # `otkg serve` makes one for the processes it starts. Empty: this process's own.
    budget_file: str = ""
    # Writes: SHA-256 digests of the bearer tokens allowed to upload (comma-separated; empty = no
    # writes), and the largest upload accepted.
    write_token_sha256: str = ""
    max_upload_bytes: int = 10_000_000
    # Answers to repeated GET queries kept in memory per API process until the graph changes (0: off).
    response_cache_mb: int = 64
    # FastAPI's own OpenTelemetry (traces, metrics and logs to the global providers). Off unless
    # asked for: checking for providers on every request cost about 10 us of a 170 us answer.
    telemetry: bool = False
    # Connections (issue 22, api.connections). A request's head must arrive within header_timeout s
    # of the connection (or of the previous answer), the whole request within request_timeout s,
    # else the connection is closed; a request head over max_head_bytes is refused.
    # At max_connections open connections (idle ones too) per API process, a new one closes those
    # that waited longest on their clients, or is refused if none is. 0: off.
    header_timeout: float = 10.0
    request_timeout: float = 60.0
    max_connections: int = 1000
    max_head_bytes: int = 65536  # room for a URL of max_url_length and 32 KiB of header fields


@lru_cache
def get_settings() -> Settings:
    return Settings()
