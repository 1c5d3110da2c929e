"""`guanxi keys …`: API keys bound to roles (kept in SQLite in the store folder)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from guanxi.api.auth import KeyStore

keys_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
ROLES_HELP = "risk_analyst | marketer | investigator | admin"


def _keystore() -> KeyStore:
    from guanxi.cli.context import settings

    return KeyStore(settings().store)


@keys_app.command("add")
def add(
    role: Annotated[str, typer.Option("--role", help=ROLES_HELP)],
    name: Annotated[str, typer.Option("--name", help="Who or what uses the key.")] = "",
) -> None:
    """Create a key and print it once (only its salted hash is stored)."""
    k = _keystore().add(role, name)
    typer.echo(k.key)
    typer.echo(f"key id {k.key_id}, role {k.role}, name {k.name} — store the key now; "
               "it cannot be shown again", err=True)


@keys_app.command("list")
def list_keys(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List keys: id, name, role, created, revoked (never the secret)."""
    rows = _keystore().list()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
        typer.echo(f"{r['key_id']}  {r['role']:<13} {r['name']:<20} {r['created_at']}  {state}")


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key id (from `keys list`).")]) -> None:
    """Revoke a key; requests with it get 401 from then on."""
    if not _keystore().revoke(key_id):
        raise ValueError(f"no active key with id {key_id}")
    typer.echo(f"revoked {key_id}")


def register(app: typer.Typer) -> None:
    """Add `keys` to the CLI."""
    app.add_typer(keys_app, name="keys")
