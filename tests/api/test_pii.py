"""PII by role: walk every route as each role and scan every response."""

from __future__ import annotations

import re

from guanxi.api.auth import ACCESS
from guanxi.api.masking import mask_name
from tests.api.conftest import Live
from tests.api.fixture_graph import ID_NUMBER, PHONE
from tests.api.routes import calls

# bounded by non-alphanumerics, as in text: a digit run inside a hex audit hash is not an id
ID18 = re.compile(r"(?<![0-9A-Za-z.])\d{17}[0-9Xx](?![0-9A-Za-z])")
PHONE11 = re.compile(r"(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z])")
HASHES = ("id_hash", "phone_hash", "number_hash")


def _people(live: Live) -> list[str]:
    """Persons whose neighbourhood and detail the walk also fetches (≤ 15 on the county)."""
    f = live.facts
    if f.planted:
        return list(f.persons)
    return sorted({f.person_a, f.person_b, *sorted(f.persons)[:13]})


def _scanned_names(live: Live) -> list[str]:
    """Personal names that must not reach a marketer: every planted or generated person name,
    except those that are part of a company name (public registration data, shown as is)."""
    firms = list(live.facts.companies.values())
    return [n for n in live.facts.person_names if not any(n in c for c in firms)]


def _walk(live: Live, role: str) -> dict[str, str]:
    out = {}
    with live.client(role) as c:
        for name, (method, url, kw) in calls(live.facts).items():
            if role in ACCESS[name]:
                r = c.request(method, url, **kw)
                assert r.status_code < 500, f"{name}: {r.status_code}"
                out[name] = r.text
        # also the neighbourhood of every person and their paths
        for pid in _people(live):
            out[f"nb {pid}"] = c.get(f"/entities/{pid}/neighbourhood",
                                     params={"hops": 3, "max_nodes": 500}).text
            out[f"detail {pid}"] = c.get(f"/entities/{pid}").text
    return out


def test_marketer_sees_no_names_ids_or_phones(any_live: Live) -> None:
    live = any_live
    texts = _walk(live, "marketer")
    names = _scanned_names(live)
    assert len(names) >= min(5, len(live.facts.persons))
    bad = []
    for name, text in texts.items():
        if ID18.search(text):
            bad.append(f"{name}: 18-digit id")
        if PHONE11.search(text):
            bad.append(f"{name}: phone")
        for person in names:
            if person in text:
                bad.append(f"{name}: name {person}")
        for h in HASHES:
            if h in text:
                bad.append(f"{name}: {h}")
    assert not bad, "\n".join(bad[:20])
    if not live.facts.planted:
        return
    # masked forms are there, company names stay
    assert mask_name("张三丰") in texts["nb P:00000000000000a1"]
    assert "祁门红茶有限公司" in texts["entities.search"]


def test_everyone_else_sees_names_but_never_id_numbers_or_hashes(any_live: Live) -> None:
    live = any_live
    f = live.facts
    for role in ("risk_analyst", "investigator", "admin"):
        texts = _walk(live, role)
        joined = "\n".join(texts.values())
        assert f.persons[f.person_a] in joined and f.persons[f.person_b] in joined
        assert ID_NUMBER not in joined and not ID18.search(joined), role
        assert not any(h in joined for h in HASHES), role
    # the planted phone number is visible to investigators in the record text (not masked)
    if f.planted:
        assert PHONE in "\n".join(_walk(live, "investigator").values())


def test_mask_name_forms() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("欧阳娜娜") == "欧**娜"
