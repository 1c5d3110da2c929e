"""Property test: arbitrary rows never crash the loader and loaded + rejected == read."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.errors import LoadError
from guanxi.loaders.load import load_extract
from guanxi.loaders.schema import TABLE_ORDER
from tests.loaders.builders import small_county

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "1", "0", "person", "company", "2026-02-30", "1,234.5", "-1", '"', "高端"]
    ),
)
row = st.lists(cell, min_size=0, max_size=14).map(
    lambda cells: ",".join(c.replace("\n", " ").replace("\r", " ") for c in cells)
)
junk = st.binary(max_size=40).map(
    lambda b: b.decode("utf-8", "replace").replace("\n", " ").replace("\r", " ")
)
lines = st.lists(st.one_of(row, junk), min_size=1, max_size=12)
TABLES = ["persons", "accounts", "transfers", "loans", "enterprise_roles", "negative_records"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(TABLES), extra=lines, raw_bytes=st.binary(max_size=30))
def test_random_rows_never_crash(table: str, extra: list[str], raw_bytes: bytes) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="gx-prop-"))
    try:
        b = small_county()
        keep = TABLE_ORDER[: TABLE_ORDER.index(table) + 1]
        b.rows = {k: v for k, v in b.rows.items() if k in keep}
        for line in extra:
            b.raw(table, line)
        folder = b.write(tmp / "ex")
        path = folder / f"{table}.csv"
        path.write_bytes(path.read_bytes() + raw_bytes.replace(b"\n", b" ") + b"\n")
        store = EmbeddedStore(tmp / "store", buffer_pool_mb=128)
        try:
            rep = load_extract(store, folder, settings=Settings(store=tmp / "store", pii_key="p"))
        except LoadError as exc:  # only a whole-file problem (e.g. invalid UTF-8) may stop it
            assert "not valid utf-8" in str(exc) and "\n" not in str(exc)
            return
        finally:
            store.close()
        for name, t in rep.tables.items():
            assert t.loaded + t.rejected == t.read, name
            assert sum(t.reasons.values()) == t.rejected
        assert rep.tables[table].read >= 1 + len([ln for ln in extra if ln.strip() or ln])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
