"""Settings from the environment and `.env` (prefix `GUANXI_`)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the graph lives and how to reach it; every field reads `GUANXI_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_", env_file=".env", extra="ignore")

    store: Path = Path(".guanxi/store")
    """Folder of the embedded store (kuzu file, config, quarantine, audit, keys)."""
    neo4j_uri: str | None = None
    """When set (e.g. bolt://host:7687), the graph lives in Neo4j instead."""
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None
    pii_key: str | None = None
    """Key for hashing 身份证/phone/account numbers; else the key file `pii.key` in `key_dir`."""
    audit_key: str | None = None
    """Key of the audit log's HMAC chain; else the key file `audit.key` in `key_dir`."""
    key_dir: Path | None = None
    """Folder of the key files (0700, files 0600); default `<store>.keys` beside the store,
    never inside it."""
    buffer_pool_mb: int = 2048
    query_timeout_s: float = 20.0
    read_only: bool = False

    @property
    def backend(self) -> str:
        """Return `neo4j` when a Neo4j URI is configured, else `embedded`."""
        return "neo4j" if self.neo4j_uri else "embedded"
