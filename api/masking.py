"""Response shaping by role: the one place personal data is removed or masked before a
response leaves. `docs/api.md` ("What each role sees") is the readable form of this module.

Whose name is it — decided by knowing, never by the characters of the name
--------------------------------------------------------------------------
`NameRules` is built once when the API starts, from the graph's records and relations:

- a Person's or CustomerManager's name is personal (whole name);
- a firm's name (Company, Merchant) is personal where it contains the name of a person the
  graph ties to it: its legal representative (`LEGAL_REP_OF`, `legal_rep_name`), executives
  and shareholders (`EXECUTIVE_OF`, `SHAREHOLDER_OF`), its owner / 经营者 (`OWNS`,
  `owner_id`). Those parts are masked (`小路口叶江生超市` → `小路口叶*生超市`, as its owner
  `叶江生` → `叶*生`); the rest of the firm name stays;
- a 个体工商户 (USCC type `92`) or an ownerless merchant whose 经营者 the graph does not name,
  a Mention or a negative record's subject that is not resolved to a firm, and anything whose
  id the rules do not know (written after the API started, or no id at all): the name is
  masked whole (fail closed);
- other labels (branch, grid, community, account, loan, …) have no personal names.

What a marketer gets (`shape_for_role(payload, "marketer", rules)`)
--------------------------------------------------------------------
- only the keys in `MARKETER_FIELDS` (an allow-list: a key a new route adds is dropped for
  marketers until it is added there and to the table in docs/api.md);
- records of credit files (Loan, NegativeRecord, Document, Mention, Circle) reduced to
  `{id, label, hop}`: marketers work on leads, not credit files;
- every name through `marketer_name` (the rules above), the same personal names and name
  parts masked inside any other text, 18-digit 身份证 and 11-digit phone numbers masked
  in text (never inside ids).

Everyone: hash columns (`id_hash`, `phone_hash`, `number_hash`) and the NLP `id_number` field
are dropped, 18-digit 身份证 numbers in text are masked (`340102********123X`).

For a new route: return each name next to the id it belongs to (`name` beside `id`, or
`<x>_name` beside `<x>` / `<x>_id`); `marketer_name(rules, node_id, name)` is the display form
when a route must build text itself; `marketer_may_match(rules, node_id, name, q)` says
whether a marketer's search may match a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

HASH_KEYS = frozenset({"id_hash", "phone_hash", "number_hash", "contact_phone_hash", "address_hash"})
ALWAYS_DROP = frozenset({"id_number"})
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])")
ACCOUNT = re.compile(r"(?<![0-9A-Za-z])\d{12,30}(?![0-9A-Za-z])")
_NODE_ID = re.compile(r"^[A-Z_]:")

PERSON_PREFIXES = ("P:", "M:")
FIRM_PREFIXES = ("C:", "S:")
NO_PERSONAL_NAME = frozenset({"B", "G", "H", "A", "L", "K", "Y", "Z", "E", "_"})
"""Id prefixes of labels whose `name` is never a person's (branch, grid, household, account,
loan, circle, community, supply chain, medium, meta)."""
CREDIT_LABELS = frozenset({"Loan", "NegativeRecord", "Document", "Mention", "Circle"})
_CREDIT_PREFIXES = ("L:", "N:", "D:", "X:", "K:")

MARKETER_FIELDS = frozenset("""
items limit offset count next_offset note total root nodes edges truncated paths length
entity communities members chain profile key_id role
id label type key src dst hop other other_label name other_name src_name dst_name
core core_id core_name referrer referrer_name prospect customer customer_name member payer
account bank manager manager_id grid grid_id branch_id household_id head_id village kind
tier is_customer tags industry mcc status registered_capital county uscc
size rank score weighted_degree computed_at depth side amount n_transfers months first last
reason links customer_tier community
invites converted conversion_rate k_factor descendants descendants_converted depth_below
date campaign relation share title
companies customers non_customers persons external_accounts grids index internal_flow
internal_share key_members managers n_transfers_internal tiers total_flow
core_stats buyers counterparties suppliers cycles downstream upstream round_trips risk
risk_score concentration inflow leakage leakage_share n_other_bank_accounts opportunities
paid paid_by received received_by payments
prospect_name grid_name manager_name facets groups top campaign_stats group
tier_prev drop_on household_size household_dropped referrer_dropped referees_dropped dropped
community_size community_dropped other_bank_amount other_bank_transfers other_banks signals
decision line head_id head_name signal_codes signals_en line_basis line_text line_text_en
""".split())
"""The keys a marketer sees (every other key is dropped); see docs/api.md."""

_DATA_MAPS = frozenset({"tiers"})
"""Allowed keys whose value is a mapping with data as keys (tier → count): kept when every
value is a number."""

# `<x>_name` key → sibling keys that may hold the id of whose name it is
_NAME_ID_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("id", "prospect", "referrer", "party", "member", "person", "subject"),
    "other_name": ("other",),
    "subject_name": ("subject_ref", "subject"),
    "core_name": ("core_id", "core"),
    "legal_rep_name": (),
    "head_name": ("head_id",),
}


def mask_name(name: str) -> str:
    """Return a masked personal name: 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜,
    买买提·艾力 → 买****力."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass
class NameRules:
    """Whose names are personal, decided from the graph (see the module docstring).

    `firms[id]` holds the personal parts of a firm's (or a resolved Mention's) name, longest
    first; an empty tuple means the name holds no person's name the graph knows. A firm id
    missing from `firms`, or listed in `opaque`, has its name masked whole.
    """

    firms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    opaque: set[str] = field(default_factory=set)

    def personal_parts(self, node_id: str | None, name: str) -> tuple[str, ...] | None:
        """Return the parts of `name` that are a person's name, or None for "the whole name"."""
        if not node_id or ":" not in node_id:
            return None
        prefix = node_id.split(":", 1)[0]
        if prefix in NO_PERSONAL_NAME:
            return ()
        if node_id in self.opaque:
            return None
        return self.firms.get(node_id)  # persons, unknown firms, mentions: None


def marketer_name(rules: NameRules | None, node_id: str | None, name: str) -> str:
    """Return how `name` (of the node `node_id`) is shown to a marketer."""
    parts = (rules or _NO_RULES).personal_parts(node_id, name)
    if parts is None:
        return mask_name(name)
    for p in parts:
        name = name.replace(p, mask_name(p))
    return name


def marketer_may_match(rules: NameRules | None, node_id: str | None, name: str | None,
                       q: str) -> bool:
    """Return True when a marketer's search `q` may find this row: `q` is its id (or USCC) or
    occurs in the name as a marketer sees it (so a person's name, or a part of it, finds no
    firm named after that person)."""
    if node_id is not None and (q == node_id or node_id.endswith(":" + q)):
        return True
    return name is not None and q in marketer_name(rules, node_id, name)


_NO_RULES = NameRules()


def build_name_rules(store: Any) -> NameRules:
    """Return the `NameRules` of the graph in `store` (any GraphStore), from its persons,
    firms, their legal representatives / executives / shareholders / owners and the
    resolved Mentions."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def nodes(label: str, cols: list[str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = store.export_nodes(label, cols).to_pylist()
        return rows

    def edges(rel: str) -> pa.Table:
        return store.export_edges(rel, [])

    rels = {rel: edges(rel) for rel in
            ("LEGAL_REP_OF", "EXECUTIVE_OF", "SHAREHOLDER_OF", "OWNS", "INVESTS")}
    merchants = store.export_nodes("Merchant", ["name", "owner_id"])
    # names of the persons tied to a firm only (not every person's: a county has millions)
    wanted = pa.concat_arrays(
        [t["src"].combine_chunks().cast(pa.string()) for t in rels.values()]
        + [merchants["owner_id"].combine_chunks().cast(pa.string())])
    pt = store.export_nodes("Person", ["name"])
    pt = pt.filter(pc.is_in(pt["id"], value_set=pc.unique(wanted.drop_null())))
    person = {i: n for i, n in zip(pt["id"].to_pylist(), pt["name"].to_pylist(), strict=True)
              if n}
    people: dict[str, set[str]] = {}
    for t in rels.values():
        for s, d in zip(t["src"].to_pylist(), t["dst"].to_pylist(), strict=True):
            if str(d).startswith(FIRM_PREFIXES) and s in person:
                people.setdefault(d, set()).add(person[s])
    rules = NameRules()
    for r in nodes("Company", ["name", "uscc", "legal_rep_name"]):
        known = people.setdefault(r["id"], set())
        if r.get("legal_rep_name"):
            known.add(r["legal_rep_name"])
        _decide(rules, r["id"], r["name"], known,
                sole_trader=str(r.get("uscc") or "").startswith("92"))
    for r in merchants.to_pylist():
        owner = r.get("owner_id")
        known = set(people.get(r["id"], set()))
        if owner in person:
            known.add(person[owner])
        elif owner in rules.opaque:  # a shop of a sole trader whose 经营者 is unknown
            rules.opaque.add(r["id"])
        known |= people.get(owner or "", set())  # a firm's shop: the firm's people
        _decide(rules, r["id"], r["name"], known, sole_trader=not owner)
    # a Mention resolved to a firm is named as that firm is; any other Mention: whole name
    kinds = {r["id"]: r.get("kind") for r in nodes("Mention", ["kind"])}
    t = edges("SAME_AS")
    for s, d in zip(t["src"].to_pylist(), t["dst"].to_pylist(), strict=True):
        if kinds.get(s) == "organization" and d in rules.firms and d not in rules.opaque:
            rules.firms[s] = rules.firms[d]
    return rules


def _decide(rules: NameRules, node_id: str, name: str | None, people: set[str],
            *, sole_trader: bool) -> None:
    """Record the personal parts of one firm's name (or that it is opaque)."""
    nm = name or ""
    parts = tuple(sorted((p for p in people if p and len(p) >= 2 and p in nm), key=len,
                         reverse=True))
    rules.firms[node_id] = parts
    if sole_trader and not people:
        # a sole trader's name may hold its 经营者's name, and the graph does not say whose
        rules.opaque.add(node_id)


def _id_mask(m: re.Match[str]) -> str:
    return m[1] + "********" + m[2]


def _phone_mask(m: re.Match[str]) -> str:
    return m[1] + "****" + m[2]


def _account_mask(m: re.Match[str]) -> str:
    s = m[0]
    return "*" * (len(s) - 4) + s[-4:]


def _owner_id(d: dict[str, Any], key: str) -> str | None:
    """Return the id of the node whose name `d[key]` is, when the record says."""
    cands = _NAME_ID_KEYS.get(key)
    if cands is None:
        base = key[: -len("_name")]
        cands = (base, base + "_id")
    for k in cands:
        v = d.get(k)
        if isinstance(v, str) and ":" in v:
            return v
    return None


def _is_name_key(key: str) -> bool:
    return key == "name" or key.endswith("_name")


def _label_of(d: dict[str, Any]) -> str | None:
    label = d.get("label")
    if isinstance(label, str):
        return label
    i = d.get("id")
    if isinstance(i, str) and i.startswith(_CREDIT_PREFIXES):
        return "credit"
    return None


class _Marketer:
    """Applies the marketer's rules to one payload: collect the personal names and parts the
    payload shows (to scrub them from text), then rebuild it from allowed keys only."""

    def __init__(self, rules: NameRules | None) -> None:
        self.rules = rules or _NO_RULES
        self.personal: set[str] = set()
        self.memo: dict[str, str] = {}
        self.names: list[str] = []

    def collect(self, obj: Any) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                if isinstance(v, str) and _is_name_key(k) and v:
                    parts = self.rules.personal_parts(_owner_id(obj, k), v)
                    if parts is None:
                        self.personal.add(v)
                    else:
                        self.personal.update(parts)
                elif isinstance(v, dict | list):
                    self.collect(v)
        elif isinstance(obj, list):
            for v in obj:
                if isinstance(v, dict | list):
                    self.collect(v)

    def text(self, s: str) -> str:
        hit = self.memo.get(s)
        if hit is not None:
            return hit
        out = s
        if len(out) >= 11:
            out = ID_NUMBER.sub(_id_mask, out)
            out = PHONE.sub(_phone_mask, out)
            out = ACCOUNT.sub(_account_mask, out)
        for n in self.names:
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
        label = _label_of(obj)
        if label in CREDIT_LABELS or label == "credit":
            return {k: obj[k] for k in ("id", "label", "hop") if k in obj}
        out: dict[str, Any] = {}
        for k, v in obj.items():
            if k not in MARKETER_FIELDS:
                continue
            if isinstance(v, str):
                if _is_name_key(k):
                    out[k] = marketer_name(self.rules, _owner_id(obj, k), v)
                elif _NODE_ID.match(v) and len(v) <= 200:
                    out[k] = v  # an id: never scrubbed, or its entity could not be opened
                else:
                    out[k] = self.text(v)
            elif isinstance(v, dict):
                if k in _DATA_MAPS and all(isinstance(x, int | float) for x in v.values()):
                    out[k] = dict(v)
                else:
                    out[k] = self.record(v)
            elif isinstance(v, list):
                out[k] = [self.value(x) for x in v]
            else:
                out[k] = v
        return out

    def shape(self, payload: Any) -> Any:
        self.collect(payload)
        self.names = sorted((n for n in self.personal if len(n) >= 2), key=len, reverse=True)
        return self.value(payload)


class _Everyone:
    """Drops hash columns and `id_number`, masks 身份证 numbers in text (roles but marketer)."""

    def __init__(self) -> None:
        self.memo: dict[str, str] = {}

    def value(self, v: Any) -> Any:
        if isinstance(v, str):
            if len(v) < 18:
                return v
            hit = self.memo.get(v)
            if hit is None:
                hit = self.memo[v] = ID_NUMBER.sub(_id_mask, v)
            return hit
        if isinstance(v, dict):
            return {k: self.value(x) for k, x in v.items()
                    if k not in HASH_KEYS and k not in ALWAYS_DROP}
        if isinstance(v, list):
            return [self.value(x) for x in v]
        return v


_MAY_NEED_SHAPING = re.compile(
    r"\d{17}|" + "|".join(f'"{k}"' for k in sorted(HASH_KEYS | ALWAYS_DROP)))


def shaping_changes(rendered: str, role: str | None) -> bool:
    """Return False when `shape_for_role` would return the payload unchanged, judged from its
    JSON text: for a role other than marketer the rules only drop the hash and `id_number`
    keys and mask 18-character 身份证 numbers, which need a run of 17 digits. True means
    "may change" (a false alarm costs the full walk, never a missed rule)."""
    if role == "marketer":
        return True
    return _MAY_NEED_SHAPING.search(rendered) is not None


def shape_for_role(payload: Any, role: str | None, rules: NameRules | None = None) -> Any:
    """Return `payload` with the personal-data rules for `role` applied (module docstring);
    `rules` (the app's `NameRules`) decide whose names are personal — without them every
    firm name is masked whole for marketers (fail closed)."""
    if role == "marketer":
        return _Marketer(rules).shape(payload)
    return _Everyone().value(payload)
