"""Input the attack run found loaded wrongly: `1,2,3` as 123, `-0` as −0.0, a 7M-character
name, manifest paths leading out of the extract folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.errors import LoadError
from guanxi.loaders.load import load_extract
from guanxi.loaders.validate import MAX_FIELD_CHARS
from tests.loaders.builders import PERSONS, id_number, small_county


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=128)
    yield st
    st.close()


def _load(store: EmbeddedStore, folder: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_extract(store, folder, settings=Settings(store=tmp_path / "store", pii_key="k"))


def _loan(b, loan_id: str, amount: str) -> None:  # type: ignore[no-untyped-def]
    b.add("loans", loan_id=loan_id, borrower_type="person", borrower_id=PERSONS[0],
          amount=amount, balance="0", start_date="2025-01-01")


def test_amounts_and_long_fields(store: EmbeddedStore, tmp_path: Path) -> None:
    b = small_county()
    _loan(b, "LNA", "1,2,3")
    _loan(b, "LNB", "1,234.50")
    _loan(b, "LNC", "-0")
    _loan(b, "LND", "12，345")
    b.add("persons", id_number=id_number(77), name="长" * (MAX_FIELD_CHARS + 1))
    rep = _load(store, b.write(tmp_path / "ex"), tmp_path)
    loans = rep.tables["loans"]
    assert loans.reasons.get("bad_amount") == 1
    got = {r["id"]: r["amount"] for r in store.export_nodes("Loan", ["amount"]).to_pylist()}
    assert "L:LNA" not in got and got["L:LNB"] == 1234.5 and got["L:LND"] == 12345.0
    assert got["L:LNC"] == 0.0 and str(got["L:LNC"]) == "0.0"  # not -0.0
    persons = rep.tables["persons"]
    assert persons.reasons.get("too_long") == 1
    assert persons.loaded + persons.rejected == persons.read
    names = [r["name"] for r in store.export_nodes("Person", ["name"]).to_pylist()]
    assert max(len(n or "") for n in names) <= MAX_FIELD_CHARS


def test_manifest_paths_stay_in_the_extract_folder(store: EmbeddedStore, tmp_path: Path) -> None:
    folder = small_county().write(tmp_path / "ex")
    man = (folder / "manifest.yaml").read_text(encoding="utf-8")
    for target in ("/etc/passwd", "../ex/branches.csv"):
        (folder / "manifest.yaml").write_text(
            man.replace("branches: branches.csv", f"branches: {target}"), encoding="utf-8")
        with pytest.raises(LoadError, match="outside the extract folder"):
            _load(store, folder, tmp_path)
    # a link inside the folder that leads out
    (folder / "manifest.yaml").write_text(man.replace("branches: branches.csv",
                                                      "branches: link.csv"), encoding="utf-8")
    os.symlink("/etc/passwd", folder / "link.csv")
    with pytest.raises(LoadError, match="outside the extract folder"):
        _load(store, folder, tmp_path)
    assert store.counts()["Branch"] == 0
