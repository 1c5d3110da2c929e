"""A marketer crawls every GET route of the API on a generated county whose names include
owner-named shops and firms, names with 会/社/村 and names of more than four characters:
no body holds a person's full name or a 身份证 / phone / account number — searching by a
person's full name (or by a raw number) included.

What is personal is taken from the extract itself (the generator's truth): every person's
and manager's name; a firm name is shown in full only when no person tied to it (legal
representative, shareholder, executive, owner, the owning firm's people) is named in it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.api.conftest import Live

# not after `:`: a node id's 16 hex digits can all be decimal (`A:1437756786321920`)
DIGITS = re.compile(r"(?<![0-9A-Za-z.:])\d{11,}[Xx]?(?![0-9A-Za-z])")
JSON_NUMBER = re.compile(r":-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?=[,}\]])")
RAW_RUNS = re.compile(r"\d{11,}[Xx]?")
ENTITY_PARAMS = ("entity", "person", "src", "dst", "party", "node", "customer", "id")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


class Truth:
    """Names and numbers of the extract: what must never reach a marketer."""

    def __init__(self, extract: Path) -> None:
        persons = _rows(extract / "persons.csv")
        managers = _rows(extract / "managers.csv")
        firms = _rows(extract / "enterprises.csv")
        roles = _rows(extract / "enterprise_roles.csv")
        merchants = _rows(extract / "merchants.csv")
        accounts = _rows(extract / "accounts.csv")
        by_id = {p["id_number"]: p["name"] for p in persons}
        self.names = sorted({p["name"] for p in persons} | {m["name"] for m in managers})
        self.numbers = ({p["id_number"] for p in persons} | {p["phone"] for p in persons if p["phone"]}
                        | {a["account_no"] for a in accounts})
        tied: dict[str, set[str]] = {}
        for f in firms:
            tied.setdefault(f["uscc"], set()).update(
                n for n in (f.get("legal_rep_name"), by_id.get(f.get("legal_rep_id") or ""))
                if n)
        for r in roles:
            if r["holder_type"] == "person" and r["holder_id"] in by_id:
                tied.setdefault(r["uscc"], set()).add(by_id[r["holder_id"]])
        firm_name = {f["uscc"]: f["name"] for f in firms}
        shown: set[str] = set()  # firm names holding no tied person's name
        self.named_after: dict[str, set[str]] = {}  # person name → ids of firms named after them
        for uscc, name in firm_name.items():
            hits = {p for p in tied.get(uscc, ()) if p in name}
            for p in hits:
                self.named_after.setdefault(p, set()).add(f"C:{uscc}")
            if not hits:
                shown.add(name)
        for m in merchants:
            people = ({by_id[m["owner_id"]]} if m["owner_type"] == "person" and
                      m["owner_id"] in by_id else tied.get(m["owner_id"], set()))
            hits = {p for p in people if p in m["name"]}
            for p in hits:
                self.named_after.setdefault(p, set()).add(f"S:{m['merchant_id']}")
            if not hits:
                shown.add(m["name"])
        places = ({g["name"] for g in _rows(extract / "grids.csv")}
                  | {b["name"] for b in _rows(extract / "branches.csv")}
                  | {a["bank_name"] for a in accounts if a["bank_name"]})
        # longest first, so that a shown name inside a longer one goes with it
        self.shown = sorted(shown | places, key=len, reverse=True)
        self.special = [n for n in self.names
                        if len(n) > 4 or any(c in n[1:] for c in "会社村")]

    def leaks(self, body: str) -> list[str]:
        """Return the full personal names and raw numbers in `body` (names inside firm names
        that are not personal, and inside place names, do not count)."""
        found = [m for m in RAW_RUNS.findall(body) if m in self.numbers or m.upper() in self.numbers]
        # JSON numbers (edge keys are 64-bit hashes) are not identifiers: look in strings
        found += [f"number {m}" for m in DIGITS.findall(JSON_NUMBER.sub(":0", body))]
        text = body
        for s in self.shown:
            if s in text:
                text = text.replace(s, "□")
        found += [n for n in self.names if n in text]
        return found


@pytest.fixture(scope="module")
def truth(county_live: Live) -> Truth:
    return Truth(county_live.folder.parent / "extract")


def test_the_county_has_the_hard_names(truth: Truth) -> None:
    assert any(len(n) > 4 for n in truth.names), "no name of more than four characters"
    for c in "会社村":
        assert any(c in n[1:] for n in truth.names), f"no name with {c}"
    assert len(truth.named_after) >= 10, "too few firms named after a person"
    owners = set(truth.named_after)
    assert any(n in owners for n in truth.special), "no hard name owns a firm named after it"


def _entities(c: httpx.Client, live: Live, truth: Truth) -> list[str]:
    """Ids to open: every company and merchant, and persons (the hard names, owners, sample)."""
    st = live.store
    companies = st.export_nodes("Company", ["name"]).to_pylist()
    merchants = st.export_nodes("Merchant", ["name"]).to_pylist()
    persons = st.export_nodes("Person", ["name"]).to_pylist()
    wanted = set(truth.special) | set(truth.named_after)
    people = [p["id"] for p in persons if p["name"] in wanted]
    people += [p["id"] for p in persons[:: max(1, len(persons) // 40)]]
    return sorted({r["id"] for r in companies} | {r["id"] for r in merchants} | set(people))


def _ids(c: httpx.Client, url: str) -> list[str]:
    r = c.get(url, params={"limit": 200})
    return [str(i["id"]) for i in r.json().get("items", [])] if r.status_code == 200 else []


def _requests(c: httpx.Client, live: Live, truth: Truth) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every GET route of the OpenAPI document, with its path and required parameters filled
    from the county."""
    spec = c.get("/openapi.json").json()
    entities = _entities(c, live, truth)
    with live.client("admin") as admin:
        by_param = {
            "community_id": _ids(admin, "/communities")[:20],
            "chain_id": _ids(admin, "/supply-chains")[:20],
            "circle_id": _ids(admin, "/guarantee/circles")[:5],
            "document_id": _ids(admin, "/documents")[:5],
            "record_id": _ids(admin, "/negative-records")[:5],
        }
    seen = 0
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if op is None or path.startswith("/admin"):
            continue
        seen += 1
        params = op.get("parameters", [])
        path_params = [p["name"] for p in params if p["in"] == "path"]
        query = {p["name"]: p for p in params if p["in"] == "query"}
        extra: dict[str, Any] = {}
        if "hops" in query:
            extra["hops"] = 2
        if "max_nodes" in query:
            extra["max_nodes"] = 500
        required = [n for n, p in query.items() if p.get("required")]
        if path == "/entities/search":
            for q in [*truth.names, *sorted(truth.numbers)[:200], "店", "超市", "公司"]:
                yield path, {"q": q}
            continue
        if path_params:
            name = path_params[0]
            values = by_param.get(name, entities)
            for v in values:
                url = path.replace("{" + name + "}", quote(v, safe=":"))
                yield url, {**extra, **{r: entities[0] for r in required}}
            continue
        if required:
            for i, v in enumerate(entities):
                vals = {r: (v if k == 0 else entities[(i + 7) % len(entities)])
                        for k, r in enumerate(required)}
                yield path, {**extra, **vals}
            continue
        yield path, extra
    assert seen >= 10


def test_marketer_crawl_shows_no_full_name_or_number(county_live: Live, truth: Truth) -> None:
    bad: list[str] = []
    n = 0
    with county_live.client("marketer") as c:
        for url, params in _requests(c, county_live, truth):
            r = c.get(url, params=params)
            if r.status_code == 503:  # a deadline on a busy machine: not a leak, try once more
                r = c.get(url, params=params)
            assert r.status_code < 500 or r.status_code == 503, (url, params, r.status_code)
            n += 1
            leaks = truth.leaks(r.text)
            if leaks:
                bad.append(f"{url} {params}: {leaks[:3]}")
            if url == "/entities/search" and r.status_code == 200:
                q = params["q"]
                hits = {i.get("id") for i in r.json()["items"]}
                if q in truth.named_after and hits & truth.named_after[q]:
                    bad.append(f"search {q} finds a firm named after them")
    assert n > 500
    assert not bad, "\n".join(bad[:20])
