"""API settings from `OTKG_` environment variables (pydantic-settings)."""
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OTKG_")

    build_dir: Path = ROOT / "build"
    store_dir: Path = ROOT / "build" / "store"
    queries_dir: Path = ROOT / "queries"
    store: str = "disk"  # disk (embedded pyoxigraph, persistent), memory, or remote
    sparql_url: str = ""  # remote: the server's SPARQL 1.1 query endpoint
    graph_store_url: str = ""  # remote: its Graph Store Protocol endpoint (for `otkg load`)
    graph_store_user: str = ""  # remote: digest-auth user for loading (Virtuoso: dba)
    graph_store_password: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    build_commit: str = ""  # defaults to `git rev-parse HEAD` when empty
    max_query_length: int = 65536


@lru_cache
def get_settings() -> Settings:
    return Settings()
