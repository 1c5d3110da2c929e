"""`guanxi store …`: what the store is and what it holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from guanxi.cli.context import settings, store_session

store_app = typer.Typer(help="Inspect the graph store.", no_args_is_help=True)


@store_app.command("info")
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the backend, its location and node/edge counts."""
    s = settings()
    ro = s.backend == "embedded" and (s.store / "graph.kz").exists()
    with store_session(read_only=ro) as st:
        counts = st.counts()
        out = {"backend": st.backend, "location": st.location, "counts": counts}
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    con = Console()
    con.print(f"[bold]backend[/] {out['backend']}   [bold]location[/] {out['location']}")
    t = Table("label / type", "count")
    for k, v in counts.items():
        t.add_row(k, f"{v:,}")
    con.print(t)


@store_app.command("migrate-pii")
def migrate_pii() -> None:
    """Move personal-data secrets out of an older store, once: the PII hashing key to the key
    file outside the store, the audit log to the keyed chain (query identifiers hashed),
    quarantine files to the sealed form, every file 0600 and folder 0700."""
    from guanxi.api.audit import default_checkpoints, default_key, migrate_legacy
    from guanxi.graph.pii import LEGACY_META, move_key_out, store_key_dir
    from guanxi.graph.secrets import private_dir, private_file, scrub_bytes
    from guanxi.loaders.quarantine import reseal_folder

    s = settings()
    with store_session(command="guanxi store migrate-pii") as st:
        keys = store_key_dir(st, s.key_dir)
        old_key = st.get_meta(LEGACY_META)
        moved = move_key_out(st, keys, s.pii_key)
        folder = Path(getattr(st, "folder", None) or s.store)
    private_dir(folder)
    if old_key and st.backend == "embedded":
        # kuzu keeps a deleted value's bytes in freed pages: overwrite them in the closed files
        scrub_bytes(folder, old_key.encode("utf-8"))
    n_audit = migrate_legacy(folder, default_key(folder, s), default_checkpoints(folder, s))
    n_q = reseal_folder(folder / "quarantine", keys)
    for f in folder.iterdir():
        if f.is_file():
            private_file(f)
    typer.echo(f"PII key: {'moved to ' + str(keys / 'pii.key') if moved else 'not in the store'}; "
               f"audit entries re-chained: {n_audit}; quarantine files sealed: {n_q}; "
               f"{folder} is private (0700, files 0600)")


@store_app.command("export-import")
def export_import(
    folder: Annotated[Path, typer.Argument(help="Extract folder holding manifest.yaml.")],
    out: Annotated[Path, typer.Argument(help="New folder for the import files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write neo4j-admin import files (initial bulk load of Neo4j) for an extract: the graph
    `guanxi load` would write, keyed with the configured store's PII key."""
    from guanxi.loaders.import_files import export_import_files
    from guanxi.loaders.load import read_manifest

    read_manifest(folder)  # a broken manifest fails before anything is written
    err = Console(stderr=True)

    def say(step: str, done: float = 0, total: float | None = None) -> None:
        err.print(f"{step}: {int(done):,}", highlight=False)  # "nodes Person: 1,234"

    res = export_import_files(folder, out, settings=settings(), say=None if as_json else say)
    if as_json:
        typer.echo(json.dumps(res.to_dict(), ensure_ascii=False))
        return
    load = res.load or {}
    typer.echo(f"{len(res.files)} import files in {out} "
               f"({sum(res.nodes.values()):,} nodes, {sum(res.relationships.values()):,} "
               f"relationships);"
               f" rows rejected: {load.get('rejected', 0):,}"
               + (f" (quarantined in {load.get('quarantine')})" if load.get("rejected") else ""))
    typer.echo(f"import: sh {out / 'neo4j-admin-import.sh'} [DATABASE]")


def register(app: typer.Typer) -> None:
    """Add `store` to the CLI."""
    app.add_typer(store_app, name="store")
