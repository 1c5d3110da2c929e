"""Arrow table plumbing shared by the backends: conform to the model, de-duplicate, diff."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from guanxi.graph.model import ARROW_TYPES, Prop


def conform(table: pa.Table, props: tuple[Prop, ...], required: tuple[str, ...]) -> pa.Table:
    """Return `table` with columns cast to the model's types, in model order.

    Raises ValueError for a column the model does not know or a missing required column.
    """
    known = {p.name: p for p in props}
    extra = [c for c in table.column_names if c not in known and c not in required]
    if extra:
        raise ValueError(f"columns not in the model: {', '.join(extra)}")
    missing = [c for c in required if c not in table.column_names]
    if missing:
        raise ValueError(f"missing required columns: {', '.join(missing)}")
    cols, names = [], []
    for name in required:
        if name not in known:
            cols.append(table[name])
            names.append(name)
    for p in props:
        if p.name in table.column_names:
            col = table[p.name]
            want = ARROW_TYPES[p.type]
            if col.type != want:
                col = col.cast(want) if not pa.types.is_null(col.type) else pa.nulls(len(col), want)
            cols.append(col)
            names.append(p.name)
    return pa.Table.from_arrays([_one_chunk(c) for c in cols], names=names)


def _one_chunk(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Return `col` as one array (no copy when it already is one chunk)."""
    if not isinstance(col, pa.ChunkedArray):
        return col
    return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()


def full_columns(table: pa.Table, fields: list[tuple[str, pa.DataType]]) -> pa.Table:
    """Return a table with exactly `fields` in order, null-filling the ones `table` lacks."""
    cols = []
    for name, typ in fields:
        if name in table.column_names:
            cols.append(table[name])
        else:
            cols.append(pa.nulls(table.num_rows, typ))
    return pa.Table.from_arrays(cols, names=[f[0] for f in fields])


def dedupe_last(table: pa.Table, key: str) -> pa.Table:
    """Return `table` keeping only the last row for each value of `key`."""
    if table.num_rows == 0 or _all_distinct(table[key]):
        return table
    idx = pa.array(range(table.num_rows), pa.int64())
    keyed = pa.table({"k": table[key], "i": idx})
    last = keyed.group_by("k").aggregate([("i", "max")])["i_max"]
    return table.take(last.take(pc.sort_indices(last)))


def _all_distinct(col: pa.ChunkedArray | pa.Array) -> bool:
    """Return True if `col` holds no value twice (a sort for integers, a hash otherwise)."""
    if pa.types.is_integer(col.type) and col.null_count == 0:
        arr = col.to_numpy() if isinstance(col, pa.Array) else col.combine_chunks().to_numpy()
        ordered = np.sort(arr)
        return not bool((ordered[1:] == ordered[:-1]).any())
    return len(pc.unique(col)) == len(col)


def _comparable(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
        return pa.array(
            [None if v is None else json.dumps(v, ensure_ascii=False) for v in arr.to_pylist()],
            pa.string(),
        )
    return arr


@dataclass
class Plan:
    """Rows to insert, rows to update, and how many rows were already as given."""

    new: pa.Table
    changed: pa.Table
    unchanged: int


def plan_upsert(incoming: pa.Table, existing: pa.Table, key: str) -> Plan:
    """Split `incoming` into new rows, changed rows and an unchanged count against `existing`.

    `existing` holds the stored values of the same columns for (at least) the incoming keys.
    Nulls compare equal to nulls; list columns compare by value.
    """
    if existing.num_rows == 0 or incoming.num_rows == 0:
        return Plan(incoming, incoming.slice(0, 0), 0)
    cols = [c for c in incoming.column_names if c != key]
    present = pc.is_in(incoming[key], value_set=existing[key].combine_chunks())
    new = incoming.filter(pc.invert(present))
    old_rows = incoming.filter(present)
    if old_rows.num_rows == 0:
        return Plan(new, old_rows, 0)
    inc = pa.table(
        {
            key: old_rows[key],
            **{c: _comparable(old_rows[c]) for c in cols},
            "__pos": pa.array(range(old_rows.num_rows), pa.int64()),
        }
    )
    ex = pa.table({key: existing[key], **{f"{c}__old": _comparable(existing[c]) for c in cols}})
    joined = inc.join(ex, key, join_type="inner")
    diff = pa.array([False] * joined.num_rows, pa.bool_())
    for c in cols:
        a, b = joined[c], joined[f"{c}__old"]
        if pa.types.is_floating(a.type):
            b = b.cast(a.type)
        same = pc.or_kleene(
            pc.and_kleene(pc.is_null(a), pc.is_null(b)), pc.fill_null(pc.equal(a, b), False)
        )
        diff = pc.or_(diff, pc.invert(pc.fill_null(same, False)))
    changed_pos = pc.filter(joined["__pos"], diff)
    changed = old_rows.take(changed_pos)
    return Plan(new, changed, old_rows.num_rows - changed.num_rows)

def overlay(base: pa.Table, update: pa.Table, key: str) -> pa.Table:
    """Return `base` rows (same keys as `update`) with `update`'s columns laid over them."""
    base = base.take(pc.index_in(update[key], base[key]))
    cols = {c: base[c] for c in base.column_names}
    for c in update.column_names:
        cols[c] = update[c]
    return pa.table(cols)
