"""API limits and policies from the environment (prefix `GUANXI_API_`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """Bounds on the work one request may cause; every field reads `GUANXI_API_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_API_", env_file=".env", extra="ignore")

    max_limit: int = 200
    """Largest page size (`limit`)."""
    max_offset: int = 10_000
    """Largest `offset`."""
    max_hops: int = 3
    """Largest neighbourhood / exposure / chain depth."""
    max_path_hops: int = 6
    """Largest path length for `/paths`."""
    max_nodes: int = 500
    """Largest neighbourhood size (nodes)."""
    frontier_cap: int = 2000
    """Most edges fetched per expansion step of a traversal."""
    rate_per_s: float = 20.0
    """Sustained requests per second per API key (token bucket refill)."""
    burst: int = 40
    """Token bucket size per API key."""
    max_upload_bytes: int = 2 * 1024 * 1024
    """Largest request body (document uploads) in bytes."""
    threads: int = 4
    """Worker threads for route handlers (anyio's default is 40)."""
    memory_index: bool = True
    """Serve traversals of an embedded read-write store from an in-memory index (built at
    start; a few seconds and a few hundred MB at county scale)."""
