"""Typed results of the analyses, and the one envelope they are stored in.

Every analysis returns pydantic models defined under this package (`risk` for the guarantee
and exposure analyses; one module per group of analyses). The CLI prints them
(`dump`), the store keeps them, the API returns them as its response models, the page reads
that JSON: one definition per result kind.

Results that are not graph nodes are kept in Meta as one JSON envelope, `Stored[T]`:
``{"kind", "version", "computed_at", "parameters", "summary", "items": [T, …]}``, under the
key of their `ResultKind` (e.g. ``risk:systemic``). Write it with `write_stored`, read it with
`read_stored` (None when the analysis has not run, or ran under another version of the
model: the reader then says which command computes it, `not_computed_note`).

A result model keeps exactly the fields it was given: `dump` leaves out the optional fields
that were never set, so a result read from the algorithm's dict or from the store prints as
the same JSON.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from guanxi.graph.progress import Progress, report
from guanxi.graph.store import GraphStore

__all__ = [
    "DateText",
    "Progress",
    "Result",
    "ResultKind",
    "Stored",
    "WriteCounts",
    "dump",
    "not_computed_note",
    "now",
    "read_stored",
    "report",
    "stored_page",
    "write_stored",
]


class Result(BaseModel):
    """Base of every result model: unknown fields are an error (the model is the one
    definition of the shape), numbers keep their JSON types."""

    model_config = ConfigDict(extra="forbid")


class WriteCounts(Result):
    """What a write-back did: result nodes written, stale ones deleted."""

    written: int
    deleted: int


def _text(v: Any) -> Any:
    return None if v is None else str(v)


DateText = Annotated[str | None, BeforeValidator(_text)]
"""A date as text (``YYYY-MM-DD``), whatever the store returned it as."""

T = TypeVar("T", bound=BaseModel)


def dump(x: BaseModel | Sequence[BaseModel]) -> Any:
    """Return plain JSON-able data of a result (or a list of them): the fields that were set,
    nested models as dicts."""
    if isinstance(x, BaseModel):
        return x.model_dump(exclude_unset=True)
    return [r.model_dump(exclude_unset=True) for r in x]


def now() -> str:
    """Return the current UTC time as ``YYYY-MM-DDTHH:MM:SSZ`` (the results' `computed_at`)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Stored(BaseModel, Generic[T]):
    """A stored result: its kind (the Meta key), model version, when and with which
    parameters it was computed, a summary and the items."""

    kind: str
    version: int
    computed_at: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    summary: dict[str, Any] = Field(default_factory=dict)
    items: list[T]

    @property
    def note(self) -> str:
        """Return the note a page of these items carries: ``computed_at …``."""
        return f"computed_at {self.computed_at}"


@dataclass(frozen=True)
class ResultKind(Generic[T]):
    """One kind of stored result: the Meta `key` it lives under, the `item` model, the model
    `version` (raise it when the item's shape changes incompatibly) and the `command` that
    computes it."""

    key: str
    item: type[T]
    command: str
    version: int = 1


def not_computed_note(kind: ResultKind[Any], store: GraphStore | None = None) -> str:
    """Return the note of an empty page whose result `read_stored` did not find: "not
    computed yet", or, when `store` holds a `kind` result that does not read (written by an
    older version of the analysis, before the envelope or under another model version),
    that it must be recomputed."""
    if store is not None and store.get_meta(kind.key):
        return (f"the stored result is from an older version of the analysis: run "
                f"`{kind.command}` again to recompute it")
    return f"not computed yet: run `{kind.command}`"


def write_stored(
    store: GraphStore,
    kind: ResultKind[T],
    items: Sequence[T],
    *,
    parameters: dict[str, Any] | None = None,
    summary: dict[str, Any] | None = None,
    computed_at: str | None = None,
) -> Stored[T]:
    """Store `items` as the `kind` result (replacing the previous one); return the envelope."""
    env = Stored[kind.item](  # type: ignore[name-defined]
        kind=kind.key, version=kind.version, computed_at=computed_at or now(),
        parameters=parameters or {}, summary=summary or {}, items=list(items))
    body = env.model_dump(exclude_unset=True)
    body.setdefault("parameters", {})
    body.setdefault("summary", {})
    store.set_meta(kind.key, json.dumps(body, ensure_ascii=False, default=str))
    with _lock:
        _cache.pop((id(store), kind.key), None)
    return env


_cache: dict[tuple[int, str], tuple[int, Stored[Any]]] = {}
_lock = threading.Lock()


def read_stored(store: GraphStore, kind: ResultKind[T]) -> Stored[T] | None:
    """Return the stored `kind` result, or None when none is stored or it was stored by
    another model version (or is not valid: then the analysis must run again).

    Parsed envelopes are kept per store while the stored text is unchanged; treat the
    returned object as read-only."""
    raw = store.get_meta(kind.key)
    if not raw:
        return None
    fingerprint = hash(raw)
    ckey = (id(store), kind.key)
    with _lock:
        hit = _cache.get(ckey)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("kind") != kind.key or data.get(
            "version") != kind.version:
        return None
    try:
        env: Stored[T] = Stored[kind.item].model_validate(data)  # type: ignore[name-defined]
    except ValidationError:
        return None
    with _lock:
        _cache[ckey] = (fingerprint, env)
    return env


def stored_page(
    store: GraphStore, kind: ResultKind[T], offset: int, limit: int
) -> tuple[list[T], str, int]:
    """Return (items[offset:offset+limit], note, total) of the stored `kind` result; an
    empty page with a "not computed yet" note when it is not stored (`not_computed_note`:
    "recompute" when what is stored is from an older version)."""
    env = read_stored(store, kind)
    if env is None:
        return [], not_computed_note(kind, store), 0
    return env.items[offset : offset + limit], env.note, len(env.items)
