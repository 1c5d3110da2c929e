"""The Guanxi property-graph model: node labels, relationship types, properties and keys.

The model is data, not code paths: both backends derive their schema (kuzu DDL, Neo4j
constraints) and their internal upsert/export statements from these definitions, and
nothing outside the model may name a label or relationship type that is not listed here.
`docs/model.md` is the readable form of this module.

Conventions shared by every backend:
- every node has a string primary key `id`, built from a natural key (see `graph.ids`);
- every relationship has an INT64 `key` (hash of its natural key), unique per type;
- dates are ISO strings `YYYY-MM-DD` (they sort and compare as text); instants are INT64
  epoch milliseconds in UTC (`ts`); money is DOUBLE yuan;
- columns of an extract that the model does not know are kept as JSON in `extra`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from guanxi.graph.ids import ID_PREFIX, label_of

SCHEMA_VERSION = 1

# Logical property types and their Arrow / kuzu spellings.
ARROW_TYPES: dict[str, pa.DataType] = {
    "STRING": pa.string(),
    "DOUBLE": pa.float64(),
    "INT64": pa.int64(),
    "BOOL": pa.bool_(),
    "STRING[]": pa.list_(pa.string()),
}
KUZU_TYPES: dict[str, str] = {
    "STRING": "STRING",
    "DOUBLE": "DOUBLE",
    "INT64": "INT64",
    "BOOL": "BOOLEAN",
    "STRING[]": "STRING[]",
}


@dataclass(frozen=True)
class Prop:
    """One property: name, logical type and meaning."""

    name: str
    type: str = "STRING"
    doc: str = ""


@dataclass(frozen=True)
class NodeType:
    """A node label with its properties; `id` is always the key."""

    label: str
    doc: str
    props: tuple[Prop, ...] = field(default_factory=tuple)
    id_doc: str = ""

    @property
    def all_props(self) -> tuple[Prop, ...]:
        """Return the key property followed by the other properties."""
        return (Prop("id", "STRING", self.id_doc or "stable id"), *self.props)

    def arrow_schema(self) -> pa.Schema:
        """Return the Arrow schema of a full node table of this label."""
        return pa.schema([(p.name, ARROW_TYPES[p.type]) for p in self.all_props])


@dataclass(frozen=True)
class RelType:
    """A relationship type: allowed (from, to) label pairs, properties; `key` is its key."""

    type: str
    doc: str
    pairs: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = field(default_factory=tuple)
    side: tuple[str, ...] = ()
    """Free-text STRING properties the embedded store keeps beside the relationship, in a
    node table keyed by `key` (see `EmbeddedStore`); every backend reads and writes them as
    ordinary relationship properties."""

    def __post_init__(self) -> None:
        types = {p.name: p.type for p in self.props}
        bad = [n for n in self.side if types.get(n) != "STRING"]
        if bad or (self.side and len(self.pairs) != 1):
            raise ValueError(f"{self.type}: side properties must be STRING, on one label pair")

    @property
    def all_props(self) -> tuple[Prop, ...]:
        """Return the key property followed by the other properties."""
        return (Prop("key", "INT64", "hash of the natural key"), *self.props)

    def arrow_schema(self) -> pa.Schema:
        """Return the Arrow schema of an edge table: src, dst, key and properties."""
        return pa.schema(
            [("src", pa.string()), ("dst", pa.string())]
            + [(p.name, ARROW_TYPES[p.type]) for p in self.all_props]
        )


def _p(spec: str) -> tuple[Prop, ...]:
    """Parse a compact property list `name:TYPE:doc; ...` (TYPE defaults to STRING)."""
    out = []
    for part in spec.split(";"):
        part = part.strip()
        if not part:
            continue
        bits = [b.strip() for b in part.split(":", 2)]
        name = bits[0]
        typ = bits[1] if len(bits) > 1 and bits[1] else "STRING"
        doc = bits[2] if len(bits) > 2 else ""
        out.append(Prop(name, typ, doc))
    return tuple(out)


PARTY = ("Person", "Company")

NODE_TYPES: tuple[NodeType, ...] = (
    NodeType(
        "Meta",
        "store metadata (schema version, PII key fingerprint, load log)",
        _p("value::JSON text"),
    ),
    NodeType(
        "Branch",
        "支行/网点",
        _p("name; county; address; extra::JSON of unknown columns"),
        "B:<branch id>",
    ),
    NodeType(
        "CustomerManager", "客户经理", _p("name; branch_id; phone_last4; extra"), "M:<manager id>"
    ),
    NodeType(
        "Grid",
        "网格 (village or community) — the 责任田 of one manager",
        _p("name; kind::village|community; village; branch_id; manager_id; extra"),
        "G:<grid id>",
    ),
    NodeType("Household", "户", _p("grid_id; address; head_id; extra"), "H:<household id>"),
    NodeType(
        "Person",
        "customer or known non-customer; 身份证 and phone only as keyed hashes",
        _p(
            "id_hash::HMAC-SHA256 of the 身份证 number; name; sex; birth_date; "
            "phone_hash::HMAC-SHA256 of the phone number; phone_last4; "
            "tier::高端|核心|基础|潜在; tier_prev::tier before the last change; "
            "tier_changed_on::as-of date of the last tier change; "
            "tier_drop_on::as-of date of the last tier drop; "
            "is_customer:BOOL; tags:STRING[]; household_id; relation_to_head; "
            "grid_id; manager_id; as_of::as-of date of the extract that last changed it; "
            "address_hash::HMAC of the declared address (NFKC, no spaces); "
            "employer::declared employer (NFKC, no spaces); "
            "contact_phone_hash::HMAC of the contact person's phone; contact_phone_last4; extra"
        ),
        "P:<first 16 hex of HMAC(身份证)>",
    ),
    NodeType(
        "Company",
        "enterprise (统一社会信用代码 is public, kept in clear)",
        _p(
            "uscc; name; legal_rep_name; industry; registered_capital:DOUBLE; status; "
            "address; is_customer:BOOL; tier; grid_id; manager_id; as_of; extra"
        ),
        "C:<USCC>",
    ),
    NodeType(
        "Merchant", "商户", _p("name; mcc; owner_id; account_id; grid_id; extra"), "S:<merchant id>"
    ),
    NodeType(
        "Account",
        "account in this bank, or another bank's counterparty account",
        _p(
            "number_hash::HMAC of the account number; number_last4; in_bank:BOOL; "
            "bank_name; kind; is_blocked:BOOL; created_ts:INT64; extra"
        ),
        "A:<first 16 hex of HMAC(account number)>",
    ),
    NodeType(
        "Loan",
        "贷款",
        _p(
            "product; amount:DOUBLE; balance:DOUBLE; rate:DOUBLE; start_date; maturity_date; "
            "classification::五级分类 正常|关注|次级|可疑|损失; overdue_days:INT64; "
            "status; as_of; extra"
        ),
        "L:<loan id>",
    ),
    NodeType(
        "NegativeRecord",
        "a negative event about a subject: 被执行人, 失信被执行人, 判决被告, 行政处罚…",
        _p(
            "kind; date; amount:DOUBLE; source; document_id; subject_name; "
            "subject_ref::id of the subject node when resolved; description; extra"
        ),
        "N:<record id>",
    ),
    NodeType(
        "Document",
        "judgment, ruling, enforcement notice or penalty decision",
        _p(
            "doc_type::judgment|ruling|enforcement|penalty; case_number; authority; date; "
            "cause; title; text_hash; outcome:STRING[]; amounts_json; extra"
        ),
        "D:<case number, or hash of the text>",
    ),
    NodeType(
        "Mention",
        "a party named in a document that is not (yet) linked to a graph node",
        _p("name; kind::person|organization; role; document_id; details_json; resolved:BOOL"),
        "X:<document id>#<n>",
    ),
    NodeType(
        "Medium",
        "sign-in medium (FinBench)",
        _p("medium_type; is_blocked:BOOL; created_ts:INT64; extra"),
        "E:<medium id>",
    ),
    NodeType(
        "Circle",
        "a guarantee circle found by the analysis, written back for the API",
        _p(
            "size:INT64; members:STRING[]; loans:STRING[]; total_balance:DOUBLE; "
            "guaranteed_amount:DOUBLE; risk_score:DOUBLE; contraction; "
            "motifs_json::motifs and the facts beyond these columns as JSON text (written by "
            "analyses.guarantee.circle_nodes, read back only by its stored_circle); "
            "explanation; computed_at"
        ),
        "K:<hash of members>",
    ),
    NodeType(
        "Community",
        "a fund-flow community found by the analysis",
        _p("size:INT64; profile_json; computed_at"),
        "Y:<run>#<n>",
    ),
    NodeType(
        "SupplyChain",
        "a core enterprise's inferred upstream/downstream cluster",
        _p("core_id; size:INT64; profile_json; computed_at"),
        "Z:<core id>",
    ),
)

REL_TYPES: tuple[RelType, ...] = (
    RelType("WORKS_AT", "manager works at branch", (("CustomerManager", "Branch"),)),
    RelType("BELONGS_TO", "grid belongs to branch", (("Grid", "Branch"),)),
    RelType(
        "MANAGES",
        "manager is responsible for a grid (责任田) or a customer",
        (
            ("CustomerManager", "Grid"),
            ("CustomerManager", "Person"),
            ("CustomerManager", "Company"),
        ),
    ),
    RelType(
        "IN_GRID",
        "household / company / merchant lies in a grid",
        (("Household", "Grid"), ("Company", "Grid"), ("Merchant", "Grid")),
    ),
    RelType(
        "MEMBER_OF",
        "person belongs to a household",
        (("Person", "Household"),),
        _p("relation::relation to the household head"),
    ),
    RelType(
        "OWNS",
        "owner of an account or merchant",
        tuple((a, b) for a in PARTY for b in ("Account", "Merchant")),
    ),
    RelType("LEGAL_REP_OF", "legal representative of a company", (("Person", "Company"),)),
    RelType(
        "SHAREHOLDER_OF",
        "shareholder",
        tuple((a, "Company") for a in PARTY),
        _p("share:DOUBLE::fraction 0..1"),
    ),
    RelType("EXECUTIVE_OF", "executive / director", (("Person", "Company"),), _p("title")),
    RelType(
        "INVESTS",
        "investment (FinBench)",
        tuple((a, "Company") for a in PARTY),
        _p("ratio:DOUBLE; ts:INT64"),
    ),
    RelType(
        "BORROWED",
        "borrower (FinBench: apply) of a loan",
        tuple((a, "Loan") for a in PARTY),
        _p("ts:INT64"),
    ),
    RelType(
        "GUARANTEES",
        "guarantor → loan",
        tuple((a, "Loan") for a in PARTY),
        _p("gtype::保证|抵押|质押; amount:DOUBLE; group_id::联保 group; start_date"),
    ),
    RelType(
        "GUARANTEES_PARTY",
        "guarantor → guaranteed party (FinBench guarantee)",
        tuple((a, b) for a in PARTY for b in PARTY),
        _p("ts:INT64; relationship"),
    ),
    RelType(
        "TRANSFER",
        "account → account payment",
        (("Account", "Account"),),
        _p("id; amount:DOUBLE; ts:INT64; channel; memo; order_num; comment"),
        side=("id", "memo", "order_num", "comment"),
    ),
    RelType(
        "WITHDRAW",
        "account → account withdrawal (FinBench)",
        (("Account", "Account"),),
        _p("amount:DOUBLE; ts:INT64"),
    ),
    RelType(
        "DEPOSIT",
        "loan proceeds paid into an account",
        (("Loan", "Account"),),
        _p("amount:DOUBLE; ts:INT64"),
    ),
    RelType(
        "REPAY", "repayment from an account", (("Account", "Loan"),), _p("amount:DOUBLE; ts:INT64")
    ),
    RelType(
        "SIGNED_IN",
        "medium signed in to an account (FinBench)",
        (("Medium", "Account"),),
        _p("ts:INT64; location"),
    ),
    RelType(
        "REFERRED",
        "referrer → referee (MGM)",
        (("Person", "Person"),),
        _p("date; campaign; converted:BOOL"),
    ),
    RelType(
        "SUBJECT_OF",
        "party is the subject of a negative record",
        tuple((a, "NegativeRecord") for a in PARTY),
        _p("matched_by"),
    ),
    RelType("EVIDENCED_BY", "negative record ← document", (("NegativeRecord", "Document"),)),
    RelType(
        "PARTY_TO",
        "party to a document, with its role as written",
        tuple((a, "Document") for a in (*PARTY, "Mention")),
        _p("role"),
    ),
    RelType(
        "SAME_AS",
        "mention resolved to a graph entity",
        tuple(("Mention", b) for b in PARTY),
        _p("score:DOUBLE; evidence"),
    ),
    RelType(
        "GUARANTEE_FACT",
        "guarantee stated in a document (guarantor → debtor)",
        tuple((a, b) for a in (*PARTY, "Mention") for b in (*PARTY, "Mention")),
        _p("document_id; gtype; creditor"),
    ),
    RelType(
        "SUPPLIES",
        "inferred supplier → buyer",
        tuple((a, b) for a in ("Company", "Merchant") for b in ("Company", "Merchant")),
        _p("score:DOUBLE; n_transfers:INT64; amount:DOUBLE; evidence"),
    ),
    RelType("IN_CIRCLE", "member of a guarantee circle", tuple((a, "Circle") for a in PARTY)),
    RelType(
        "IN_COMMUNITY",
        "member of a fund-flow community (an external account of unknown owner stands for itself)",
        tuple((a, "Community") for a in (*PARTY, "Account")),
        _p("rank:DOUBLE"),
    ),
    RelType(
        "IN_CHAIN",
        "member of a supply chain",
        tuple((a, "SupplyChain") for a in ("Company", "Merchant")),
        _p("side::core|upstream|downstream; depth:INT64"),
    ),
)

NODES: dict[str, NodeType] = {n.label: n for n in NODE_TYPES}
RELS: dict[str, RelType] = {r.type: r for r in REL_TYPES}

def node_type(label: str) -> NodeType:
    """Return the node type for `label`, or raise ValueError for a label not in the model."""
    try:
        return NODES[label]
    except KeyError:
        raise ValueError(f"unknown node label {label!r}") from None


def rel_type(rtype: str) -> RelType:
    """Return the relationship type `rtype`, or raise ValueError if it is not in the model."""
    try:
        return RELS[rtype]
    except KeyError:
        raise ValueError(f"unknown relationship type {rtype!r}") from None


def check_pair(rtype: str, src_label: str, dst_label: str) -> RelType:
    """Return the relationship type after checking that (src_label, dst_label) is allowed."""
    rt = rel_type(rtype)
    if (src_label, dst_label) not in rt.pairs:
        raise ValueError(f"{rtype} does not connect {src_label} → {dst_label}")
    return rt


__all__ = ["ARROW_TYPES", "ID_PREFIX", "KUZU_TYPES", "NODES", "NODE_TYPES", "PARTY", "RELS",
           "REL_TYPES", "SCHEMA_VERSION", "NodeType", "Prop", "RelType", "check_pair", "label_of",
           "node_type", "rel_type"]
