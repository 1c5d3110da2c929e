"""Response shaping by role: the one place PII is removed or masked before a response leaves.

Rules (applied to the JSON of every API response):
- everyone: hash columns (`id_hash`, `phone_hash`, `number_hash`) are dropped, and any
  18-character 身份证 number in any string is masked (`340102********123X`);
- marketers additionally: personal names are masked (`张*三`, `张*`), 11-digit phone numbers
  in text are masked (`138****5678`), and person-only details (birth date, phone tail,
  address of a person, `extra`) are dropped. Company names stay. Ids are pseudonymous.

A name counts as personal when its record says so (label Person/CustomerManager, an id with
prefix `P:`/`M:`, `kind: person`) or, where the record does not say, when it looks like a
Chinese personal name (2–4 Han characters without an organisation suffix).
"""

from __future__ import annotations

import re
from typing import Any

HASH_KEYS = frozenset({"id_hash", "phone_hash", "number_hash"})
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_ORG_HINT = re.compile(
    r"(公司|集团|银行|支行|合作社|厂|店|局|院|所|部|委|会|中心|学校|医院|政府|村|镇|乡|街道|队|场|站|馆|社)"
)
PERSON_LABELS = frozenset({"Person", "CustomerManager"})
PERSON_PREFIXES = ("P:", "M:")
MARKETER_DROP = frozenset({"birth_date", "phone_last4", "extra", "id_number", "relation_to_head"})
ALWAYS_DROP_IN_DETAILS = frozenset({"id_number"})

# for `<x>_name` keys: which sibling tells whose name it is
_NAME_OWNER = {
    "name": ("id", "label"),
    "other_name": ("other", "other_label"),
    "borrower_name": ("borrower", None),
    "guarantor_name": ("guarantor", None),
    "src_name": ("src", "src_label"),
    "dst_name": ("dst", "dst_label"),
    "linked_name": ("linked", None),
    "subject_name": ("subject_ref", None),
    "core_name": ("core_id", None),
}
_ID_SIBLINGS = ("prospect", "referrer", "party", "member", "person", "subject")
_ALWAYS_PERSON_KEYS = frozenset({"legal_rep_name"})


def mask_name(name: str) -> str:
    """Return a masked personal name: 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def looks_like_person_name(s: str) -> bool:
    """Return True for 2–4 Han characters without an organisation suffix."""
    return bool(_HAN_NAME.match(s)) and not _ORG_HINT.search(s)


def _person_by_context(d: dict[str, Any], key: str) -> bool | None:
    """Return True/False if the record says whose name `key` is, else None."""
    if key in _ALWAYS_PERSON_KEYS:
        return True
    owner = _NAME_OWNER.get(key)
    if owner is None:
        if not key.endswith("_name"):
            return None
        owner = (key[: -len("_name")], None)
    id_key, label_key = owner
    if key == "name" and not isinstance(d.get("id"), str):
        id_key = next((k for k in _ID_SIBLINGS if isinstance(d.get(k), str)), "id")
    if label_key and isinstance(d.get(label_key), str):
        if d[label_key] in PERSON_LABELS:
            return True
        if d[label_key] != "Mention":
            return False
    if key == "name" and isinstance(d.get("kind"), str) and d["kind"] in ("person", "organization"):
        return d["kind"] == "person"
    ref = d.get(id_key)
    if isinstance(ref, str) and ":" in ref:
        if ref.startswith(PERSON_PREFIXES):
            return True
        if not ref.startswith("X:"):
            return False
    return None


def _collect_names(obj: Any, out: set[str]) -> None:
    """Collect personal names found in records (for scrubbing them from free text)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, str) and (k.endswith("name") or k in ("guarantor", "debtor")):
                who = _person_by_context(obj, k)
                if who or (who is None and looks_like_person_name(v)):
                    out.add(v)
            elif isinstance(v, dict | list):
                _collect_names(v, out)
    elif isinstance(obj, list):
        for v in obj:
            if isinstance(v, dict | list):
                _collect_names(v, out)


def _id_mask(m: re.Match[str]) -> str:
    return m[1] + "********" + m[2]


def _phone_mask(m: re.Match[str]) -> str:
    return m[1] + "****" + m[2]


class _Shaper:
    """Applies the rules for one role to one payload (see `shape_for_role`).

    Strings repeat within a payload (ids in nodes and edges, labels, types), so each
    distinct string is scrubbed once per payload. Personal names are matched against a
    string only when the string holds the name's first character (a replacement adds
    nothing but `*` and characters already there, so no other name can appear later).
    """

    def __init__(self, role: str, names: list[str]) -> None:
        self.role = role
        self.marketer = role == "marketer"
        self.names = names
        self.name_set = frozenset(names)
        self.by_first: dict[str, list[int]] = {}
        for i, n in enumerate(names):
            self.by_first.setdefault(n[0] if n else "", []).append(i)
        self.memo: dict[str, str] = {}

    def text(self, s: str) -> str:
        hit = self.memo.get(s)
        if hit is not None:
            return hit
        out = ID_NUMBER.sub(_id_mask, s) if len(s) >= 18 else s
        if self.marketer:
            if len(out) >= 11:
                out = PHONE.sub(_phone_mask, out)
            if self.names:
                by_first = self.by_first
                idx = [i for c in {*out, "*", ""} for i in by_first.get(c, ())]
                if idx:
                    idx.sort()
                    for i in idx:
                        n = self.names[i]
                        if n in out:
                            out = out.replace(n, mask_name(n))
        self.memo[s] = out
        return out

    def value(self, v: Any) -> Any:
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, dict):
            return self.record(v)
        if isinstance(v, list):
            return [self.value(x) for x in v]
        return v

    def record(self, obj: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        marketer = self.marketer
        for k, v in obj.items():
            if k in HASH_KEYS or k in ALWAYS_DROP_IN_DETAILS:
                continue
            if marketer:
                if k in MARKETER_DROP:
                    continue
                if k == "address" and _person_by_context(obj, "name"):
                    continue
                if isinstance(v, str) and v in self.name_set and (
                    k.endswith("name") or k in ("guarantor", "debtor", "of")
                ):
                    out[k] = mask_name(v)
                    continue
            if isinstance(v, str):
                out[k] = self.text(v)
            elif isinstance(v, dict):
                out[k] = self.record(v)
            elif isinstance(v, list):
                out[k] = [self.value(x) for x in v]
            else:
                out[k] = v
        return out


_MAY_NEED_SHAPING = re.compile(
    r"\d{17}|" + "|".join(f'"{k}"' for k in sorted(HASH_KEYS | ALWAYS_DROP_IN_DETAILS)))


def shaping_changes(rendered: str, role: str | None) -> bool:
    """Return False when `shape_for_role` would return the payload unchanged, judged from its
    JSON text: for a role other than marketer the rules only drop the hash and `id_number`
    keys and mask 18-character 身份证 numbers, which need a run of 17 digits. True means
    "may change" (a false alarm costs the full walk, never a missed rule)."""
    if role == "marketer":
        return True
    return _MAY_NEED_SHAPING.search(rendered) is not None


def shape_for_role(payload: Any, role: str | None) -> Any:
    """Return `payload` with the PII rules for `role` applied (see the module docstring)."""
    r = role or ""
    names: list[str] = []
    if r == "marketer":
        found: set[str] = set()
        _collect_names(payload, found)
        names = sorted(found, key=len, reverse=True)
    return _Shaper(r, names).value(payload)
