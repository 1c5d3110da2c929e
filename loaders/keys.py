"""Column-wise node ids and edge keys (the same values as `guanxi.graph.ids`, computed fast)."""

from __future__ import annotations

import hashlib
import hmac

import pyarrow as pa
import pyarrow.compute as pc

from guanxi.graph.ids import ID_PREFIX

_NULL_STR = pa.scalar(None, pa.string())


def prefixed(label: str, col: pa.Array) -> pa.Array:
    """Return `<prefix>:<value>` node ids for a column of natural keys (nulls stay null)."""
    return pc.binary_join_element_wise(f"{ID_PREFIX[label]}:", col.cast(pa.string()), "")


def hmac_hex(col: pa.Array, key: bytes) -> pa.Array:
    """Return the hex HMAC-SHA256 of each value (normalised: strip, upper), once per distinct."""
    uniq = pc.unique(col.drop_null())
    vals = uniq.to_pylist()
    hashes = [
        hmac.new(key, v.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest() for v in vals
    ]
    return pa.array(hashes, pa.string()).take(pc.index_in(col, value_set=uniq))


def pii_ids(label: str, hashes: pa.Array) -> pa.Array:
    """Return node ids `<prefix>:<16 hex>` from full hex HMACs."""
    return prefixed(label, pc.utf8_slice_codeunits(hashes, 0, 16))


def party_ids(types: pa.Array, natural: pa.Array, key: bytes) -> pa.Array:
    """Return Person (`P:` + HMAC) or Company (`C:` + USCC) ids by the type column."""
    is_p = pc.fill_null(pc.equal(types, "person"), False)
    is_c = pc.fill_null(pc.equal(types, "company"), False)
    p = pii_ids("Person", hmac_hex(pc.if_else(is_p, natural, _NULL_STR), key))
    c = prefixed("Company", pc.if_else(is_c, natural, _NULL_STR))
    return pc.coalesce(p, c)


def edge_keys(*cols: pa.Array | str) -> pa.Array:
    """Return INT64 edge keys row-wise, equal to `graph.ids.edge_key(*parts)` of each row.

    Constant parts are given as plain strings; null cells hash as the text `None`.
    """
    n = next(len(c) for c in cols if not isinstance(c, str))
    lists = [[c] * n if isinstance(c, str) else [str(v) for v in c.to_pylist()] for c in cols]
    blake = hashlib.blake2b
    frm = int.from_bytes
    if len(lists) == 1:
        joined = lists[0]
    else:
        joined = ["\x1f".join(parts) for parts in zip(*lists, strict=True)]
    out = [
        frm(blake(s.encode("utf-8"), digest_size=8).digest(), "big", signed=True) for s in joined
    ]
    return pa.array(out, pa.int64())
