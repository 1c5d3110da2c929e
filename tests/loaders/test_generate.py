"""Tests of the synthetic county generator on small counties (a few hundred households)."""

from __future__ import annotations

import csv
import itertools
import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from stdnum.cn import ric, uscc

from guanxi.loaders.synthetic.generate import COLUMNS, TABLES, generate_county

HH = 300


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("clean")
    return out, generate_county(out, households=HH, seed=11)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("dirty")
    return out, generate_county(out, households=HH, seed=11, corrupt=0.02)


def rows(out: Path, table: str) -> list[dict[str, str]]:
    with (out / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def party_ref(kind: str, natural: str) -> str:
    return f"{kind}:{natural}"


def test_same_arguments_same_bytes(clean: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, _ = clean
    generate_county(tmp_path, households=HH, seed=11)
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for f in files:
        assert (out / f).read_bytes() == (tmp_path / f).read_bytes(), f


def test_other_seed_differs(clean: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, _ = clean
    generate_county(tmp_path, households=HH, seed=12)
    assert (out / "persons.csv").read_bytes() != (tmp_path / "persons.csv").read_bytes()


def test_manifest_headers_and_row_counts(clean: tuple[Path, dict[str, Any]]) -> None:
    out, truth = clean
    import yaml

    man = yaml.safe_load((out / "manifest.yaml").read_text("utf-8"))
    assert str(man["as_of"]) == "2026-10-31" and man["encoding"] == "utf-8"
    for t in TABLES:
        assert man["files"][t] == f"{t}.csv"
        with (out / f"{t}.csv").open(encoding="utf-8") as f:
            assert f.readline().rstrip("\n").split(",") == COLUMNS[t]
        assert truth["rows"][t] == len(rows(out, t)) > 0, t
    assert truth["corrupt_rows"] == []


def test_identifiers_validate(clean: tuple[Path, dict[str, Any]]) -> None:
    out, _ = clean
    persons = rows(out, "persons")
    assert len({p["id_number"] for p in persons}) == len(persons)
    for p in persons:
        assert ric.is_valid(p["id_number"]), p
        assert ric.get_birth_date(p["id_number"]).isoformat() == p["birth_date"]
        assert (int(p["id_number"][16]) % 2 == 1) == (p["sex"] == "男")
    for e in rows(out, "enterprises"):
        assert uscc.is_valid(e["uscc"]), e
        assert ric.is_valid(e["legal_rep_id"])
    for t, cols in (
        ("loans", ["borrower"]),
        ("guarantees", ["guarantor"]),
        ("negative_records", ["subject"]),
        ("merchants", ["owner"]),
    ):
        for r in rows(out, t):
            for c in cols:
                v = r[f"{c}_id"]
                assert (ric if r[f"{c}_type"] == "person" else uscc).is_valid(v), (t, r)


def test_references_resolve(clean: tuple[Path, dict[str, Any]]) -> None:
    out, _ = clean
    keys = {
        t: {r[COLUMNS[t][0]] for r in rows(out, t)}
        for t in (
            "branches",
            "managers",
            "grids",
            "households",
            "persons",
            "enterprises",
            "accounts",
            "loans",
        )
    }
    parties = {"person": keys["persons"], "company": keys["enterprises"]}
    for r in rows(out, "managers"):
        assert r["branch_id"] in keys["branches"]
    for r in rows(out, "grids"):
        assert r["branch_id"] in keys["branches"] and r["manager_id"] in keys["managers"]
    for r in rows(out, "households"):
        assert r["grid_id"] in keys["grids"]
    for r in rows(out, "persons"):
        assert r["household_id"] in keys["households"]
        assert not r["manager_id"] or r["manager_id"] in keys["managers"]
    for r in rows(out, "enterprises"):
        assert r["legal_rep_id"] in keys["persons"] and r["grid_id"] in keys["grids"]
    for r in rows(out, "enterprise_roles"):
        assert r["holder_id"] in parties[r["holder_type"]] and r["uscc"] in keys["enterprises"]
    for r in rows(out, "merchants"):
        assert r["owner_id"] in parties[r["owner_type"]] and r["account_no"] in keys["accounts"]
    for r in rows(out, "accounts"):
        if r["owner_type"] == "external":
            assert r["owner_id"] == "" and r["in_bank"] == "0" and r["bank_name"]
        else:
            assert r["owner_id"] in parties[r["owner_type"]]
    for r in rows(out, "loans"):
        assert (
            r["borrower_id"] in parties[r["borrower_type"]] and r["account_no"] in keys["accounts"]
        )
        assert float(r["balance"]) <= float(r["amount"])
    seen = set()
    for r in rows(out, "guarantees"):
        assert r["loan_id"] in keys["loans"] and r["guarantor_id"] in parties[r["guarantor_type"]]
        k = (r["loan_id"], r["guarantor_type"], r["guarantor_id"])
        assert k not in seen
        seen.add(k)
    for r in rows(out, "transfers"):
        assert r["from_account"] in keys["accounts"] and r["to_account"] in keys["accounts"]
        assert r["from_account"] != r["to_account"]
        assert "2025-10-31" <= r["ts"] < "2026-10-31"
    for r in rows(out, "referrals"):
        assert r["referrer_id"] in keys["persons"] and r["referee_id"] in keys["persons"]
    for r in rows(out, "negative_records"):
        assert r["subject_id"] in parties[r["subject_type"]]


def _contract(out: Path) -> dict[str, str]:
    """Map party refs to a representative: company ∪ legal rep ∪ household members."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for p in rows(out, "persons"):
        union(f"person:{p['id_number']}", f"household:{p['household_id']}")
    for e in rows(out, "enterprises"):
        union(f"company:{e['uscc']}", f"person:{e['legal_rep_id']}")
    return {k: find(k) for k in list(parent)}


def _guarantee_edges(out: Path) -> list[tuple[str, str, str]]:
    borrower = {
        r["loan_id"]: party_ref(r["borrower_type"], r["borrower_id"]) for r in rows(out, "loans")
    }
    return [
        (party_ref(r["guarantor_type"], r["guarantor_id"]), borrower[r["loan_id"]], r["loan_id"])
        for r in rows(out, "guarantees")
    ]


def test_planted_guarantee_structures(clean: tuple[Path, dict[str, Any]]) -> None:
    out, truth = clean
    edges = _guarantee_edges(out)
    by_loan = defaultdict(set)
    for g, b, loan in edges:
        by_loan[f"loan:{loan}"].add((g, b))
    kinds = {c["kind"] for c in truth["guarantee_circles"]}
    assert kinds == {"mutual", "triangle", "loop", "contracted"}
    lengths = {len(c["members"]) for c in truth["guarantee_circles"] if c["kind"] == "loop"}
    assert {4, 8} <= lengths
    for c in truth["guarantee_circles"]:
        m = c["members"]
        if c["kind"] == "contracted":
            ((comp, rep),) = c["contracted_via"]
            assert m[0] == rep and m[-1] == comp
            pairs = list(itertools.pairwise(m))
            reps = {r["uscc"]: r["legal_rep_id"] for r in rows(out, "enterprises")}
            assert reps[comp.split(":")[1]] == rep.split(":")[1]
        else:
            pairs = list(zip(m, m[1:] + m[:1], strict=True))
        assert len(c["loans"]) == len(pairs)
        for (g, b), loan in zip(pairs, c["loans"], strict=True):
            assert (g, b) in by_loan[loan], (c, loan)
    for ch in truth["guarantee_chains"]:
        assert len(ch["members"]) >= 8 and len(set(ch["members"])) == len(ch["members"])
        for g, b, loan in zip(ch["members"][:-1], ch["members"][1:], ch["loans"], strict=True):
            assert (g, b) in by_loan[loan]
    group_rows = defaultdict(set)
    for r in rows(out, "guarantees"):
        if r["group_id"]:
            group_rows[r["group_id"]].add((f"loan:{r['loan_id']}", f"person:{r['guarantor_id']}"))
    assert truth["joint_guarantee_groups"]
    for grp in truth["joint_guarantee_groups"]:
        assert len(grp["guarantors"]) >= 3 and len(grp["loans"]) >= 3
        assert group_rows[grp["group_id"]] == {
            (lo, g) for lo in grp["loans"] for g in grp["guarantors"]
        }


def test_only_planted_circles(clean: tuple[Path, dict[str, Any]]) -> None:
    """After contracting company+legal rep and households, the only cycles are the planted ones."""
    out, truth = clean
    rep = _contract(out)
    g = nx.DiGraph()
    for a, b, _ in _guarantee_edges(out):
        g.add_edge(rep[a], rep[b])
    assert nx.number_of_selfloops(g) == 0
    found = {frozenset(c) for c in nx.simple_cycles(g)}
    planted = {frozenset(rep[m] for m in c["members"]) for c in truth["guarantee_circles"]}
    assert found == planted
    assert len(found) == len(truth["guarantee_circles"])


def test_referrals_are_exactly_the_trees(clean: tuple[Path, dict[str, Any]]) -> None:
    out, truth = clean
    file_edges = {
        (f"person:{r['referrer_id']}", f"person:{r['referee_id']}") for r in rows(out, "referrals")
    }
    tree_edges = {tuple(e) for t in truth["referral_trees"] for e in t["edges"]}
    assert file_edges == tree_edges and len(file_edges) == len(rows(out, "referrals"))
    assert {t["depth"] for t in truth["referral_trees"]} >= {1, 2, 3, 4}
    conv = {f"person:{r['referee_id']}": r["converted"] == "1" for r in rows(out, "referrals")}
    for t in truth["referral_trees"]:
        g = nx.DiGraph([tuple(e) for e in t["edges"]])
        assert nx.is_arborescence(g) and t["root"] in g
        assert max(nx.shortest_path_length(g, t["root"]).values()) == t["depth"]
        assert set(t["converted"]) == {v for _, v in g.edges if conv[v]}


def _transfers(out: Path) -> list[dict[str, str]]:
    return rows(out, "transfers")


def test_supply_chains_recurring(clean: tuple[Path, dict[str, Any]]) -> None:
    out, truth = clean
    acct_of = {
        f"company:{r['owner_id']}": r["account_no"]
        for r in rows(out, "accounts")
        if r["owner_type"] == "company"
    }
    other = {f"account:{r['account_no']}" for r in rows(out, "accounts") if r["in_bank"] == "0"}
    pair_months = defaultdict(set)
    for t in _transfers(out):
        if t["memo"] == "货款":
            pair_months[(t["from_account"], t["to_account"])].add(t["ts"][:7])
    assert truth["supply_chains"]
    for s in truth["supply_chains"]:
        core = acct_of[s["core"]]
        assert len(s["upstream"]) >= 3 and len(s["downstream"]) >= 3
        for u in s["upstream"]:
            assert len(pair_months[(core, acct_of[u])]) >= 11
        for d in s["downstream"]:
            assert len(pair_months[(acct_of[d], core)]) >= 11
        assert set(s["other_bank_accounts"]) <= other
    assert any(s["other_bank_accounts"] for s in truth["supply_chains"])


def test_round_trips_and_quiet_proceeds(clean: tuple[Path, dict[str, Any]]) -> None:
    out, truth = clean
    loans = {r["loan_id"]: r for r in rows(out, "loans")}
    trs = _transfers(out)
    outgoing = defaultdict(list)
    for t in trs:
        outgoing[t["from_account"]].append(t)
    owner = {r["account_no"]: f"{r['owner_type']}:{r['owner_id']}" for r in rows(out, "accounts")}
    planted_hops = set()
    assert {len(rt["path"]) - 1 for rt in truth["round_trips"]} == {1, 2, 3}
    for rt in truth["round_trips"]:
        loan = loans[rt["loan"].split(":")[1]]
        path = [a.split(":")[1] for a in rt["path"]]
        assert path[0] == loan["account_no"] and owner[path[-1]] == rt["returns_to"]
        start = datetime.fromisoformat(loan["start_date"])
        for a, b in itertools.pairwise(path):
            hop = [t for t in outgoing[a] if t["to_account"] == b]
            assert len(hop) == 1
            ts = datetime.fromisoformat(hop[0]["ts"])
            assert start <= ts <= start + timedelta(days=10)
            assert float(hop[0]["amount"]) >= 0.85 * float(loan["amount"])
            planted_hops.add(hop[0]["transfer_id"])
    for loan in loans.values():
        start = datetime.fromisoformat(loan["start_date"])
        for t in outgoing[loan["account_no"]]:
            ts = datetime.fromisoformat(t["ts"])
            if start <= ts < start + timedelta(days=60):
                assert t["transfer_id"] in planted_hops, (loan, t)


def test_communities_dense_inside(clean: tuple[Path, dict[str, Any]]) -> None:
    out, truth = clean
    acct_owner = {
        r["account_no"]: f"{r['owner_type']}:{r['owner_id']}" for r in rows(out, "accounts")
    }
    trs = _transfers(out)
    for c in truth["communities"]:
        members = set(c["members"])
        assert len(members) >= 8
        inside = outside = 0
        for t in trs:
            a, b = acct_owner[t["from_account"]], acct_owner[t["to_account"]]
            if a in members and b in members:
                inside += 1
            elif a in members or b in members:
                outside += 1
        assert inside >= 5 * outside > 0


def test_negative_records_and_documents(clean: tuple[Path, dict[str, Any]]) -> None:
    out, truth = clean
    recs = {f"record:{r['record_id']}": r for r in rows(out, "negative_records")}
    assert set(recs) == {r["record"] for r in truth["negative_records"]}
    involved = {g for g, _, _ in _guarantee_edges(out)} | {
        party_ref(r["borrower_type"], r["borrower_id"]) for r in rows(out, "loans")
    }
    on = [r for r in truth["negative_records"] if r["on_guarantor_or_borrower"]]
    assert on and len(on) < len(truth["negative_records"])
    for r in truth["negative_records"]:
        row = recs[r["record"]]
        assert (
            r["subject"] == party_ref(row["subject_type"], row["subject_id"])
            and r["kind"] == row["kind"]
        )
        assert r["on_guarantor_or_borrower"] == (r["subject"] in involved)
    assert truth["documents"]
    kinds = set()
    for d in truth["documents"]:
        row = recs[d["record"]]
        assert row["document_id"] == d["document_id"]
        text = (out / "documents" / f"{d['document_id']}.txt").read_text("utf-8")
        assert row["subject_name"] in text and row["subject"] if "subject" in row else True
        assert party_ref(row["subject_type"], row["subject_id"]) in d["parties"]
        kinds.add(row["kind"])
        if row["kind"] == "判决被告":
            assert "判决书" in text and "号" in text
    assert kinds <= {"判决被告", "被执行人", "行政处罚", "公安处罚"}


def _valid_line_keys(header: list[str], fields: list[str], table: str) -> tuple[str, ...]:
    keys = {
        "enterprise_roles": ["holder_type", "holder_id", "uscc", "role"],
        "guarantees": ["loan_id", "guarantor_type", "guarantor_id"],
        "referrals": ["referrer_id", "referee_id"],
    }.get(table, [COLUMNS[table][0]])
    return tuple(fields[header.index(k)] for k in keys)


def test_corrupt_rows(
    clean: tuple[Path, dict[str, Any]], dirty: tuple[Path, dict[str, Any]]
) -> None:
    """Dropping the listed lines gives back the clean files; each listed line is bad as stated."""
    cout, _ = clean
    dout, truth = dirty
    bad = truth["corrupt_rows"]
    assert {b["reason"] for b in bad} == {
        "malformed_row",
        "missing_field",
        "bad_type",
        "bad_date",
        "bad_amount",
        "bad_id_checksum",
        "bad_uscc_checksum",
        "duplicate_key",
        "unknown_reference",
    }
    by_file = defaultdict(dict)
    for b in bad:
        by_file[b["file"]][b["line"]] = b["reason"]
    for t in TABLES:
        lines = (dout / f"{t}.csv").read_text("utf-8").split("\n")
        listed = by_file.get(f"{t}.csv", {})
        kept = [ln for i, ln in enumerate(lines, start=1) if i not in listed]
        assert "\n".join(kept) == (cout / f"{t}.csv").read_text("utf-8"), t
        assert truth["rows"][t] == len(lines) - 2  # header and final newline
        header = lines[0].split(",")
        seen_before: dict[tuple[str, ...], int] = {}
        for i, ln in enumerate(lines[1:-1], start=2):
            fields = next(csv.reader([ln]))
            if len(fields) == len(header):
                seen_before.setdefault(_valid_line_keys(header, fields, t), i)
        for line, reason in listed.items():
            fields = next(csv.reader([lines[line - 1]]))
            row = dict(zip(header, fields, strict=False))
            if reason == "malformed_row":
                assert len(fields) != len(header)
                continue
            assert len(fields) == len(header)
            if reason == "duplicate_key":
                assert seen_before[_valid_line_keys(header, fields, t)] < line
            elif reason == "bad_id_checksum":
                assert not ric.is_valid(row["id_number"])
            elif reason == "bad_uscc_checksum":
                assert not uscc.is_valid(row["uscc"])
            elif reason == "missing_field":
                assert "" in fields
            elif reason == "bad_date":
                assert "02-30" in lines[line - 1]
            elif reason == "bad_amount":
                assert "12.3.4" in fields or any(f.startswith("-") for f in fields)
            elif reason == "bad_type":
                assert "maybe" in fields or "12.3.4" not in fields
    assert truth["rows"]["transfers"] > len(rows(cout, "transfers"))


def test_cli_generate(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from guanxi.cli.app import app

    res = CliRunner().invoke(
        app, ["generate", str(tmp_path / "c"), "--households", "150", "--seed", "3"]
    )
    assert res.exit_code == 0, res.output
    assert "transfers" in res.output
    truth = json.loads((tmp_path / "c" / "truth.json").read_text("utf-8"))
    assert truth["seed"] == 3 and truth["households"] == 150


def test_household_size_sets_the_persons_per_household(tmp_path: Path) -> None:
    """兴化 needs ~1.1M persons in 330,000 households: --household-size tilts the sizes."""
    from typer.testing import CliRunner

    from guanxi.cli.app import app
    from guanxi.loaders.synthetic.people import household_size_weights

    res = CliRunner().invoke(app, ["generate", str(tmp_path / "c"), "--households", "2000",
                                   "--seed", "3", "--household-size", "3.33"])
    assert res.exit_code == 0, res.output
    homes = {r["household_id"] for r in rows(tmp_path / "c", "persons") if r["household_id"]}
    members = [r for r in rows(tmp_path / "c", "persons") if r["household_id"]]
    assert len(homes) == 2000
    assert 3.2 < len(members) / len(homes) < 3.46
    assert abs(sum((i + 1) * w for i, w in enumerate(household_size_weights(3.33))) - 3.33) < 1e-6
    with pytest.raises(ValueError):
        household_size_weights(9.0)


def test_generation_reports_its_steps_through_the_one_progress_type(tmp_path) -> None:
    """`generate_county` tells a `graph.progress.Progress` each step as it begins."""
    seen: list[tuple[str, float, float | None]] = []
    generate_county(tmp_path / "ex", households=100, seed=1,
                    progress=lambda step, done=0, total=None: seen.append((step, done, total)))
    assert [s for s, _, _ in seen][:2] == ["population", "planted structures"]
    assert seen[-1] == ("writing", 0, None)
