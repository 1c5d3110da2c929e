"""The machine-readable schema of a bank extract (docs/extract-format.md) and its manifest.

Each table is a `TableSpec`: its key columns and an ordered list of `Column`s. A column has a
`kind` that says how a cell is parsed and which reason code a bad cell gets:

| kind | parses as | bad cell → |
|---|---|---|
| `text` | string | — |
| `enum` | one of `enum` | `bad_type` |
| `bool` | `1`/`0` (also true/false, 是/否) | `bad_type` |
| `int` | integer | `bad_type` |
| `number` | decimal | `bad_type` |
| `fraction` | decimal in 0..1 | `bad_type` |
| `amount` | decimal ≥ 0, `1,234.50` accepted | `bad_amount` |
| `date` | `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` | `bad_date` |
| `instant` | `YYYY-MM-DD HH:MM:SS` China time | `bad_date` |
| `id_number` | 身份证 (GB 11643 check digit, possible birth date) | `bad_id_checksum` |
| `uscc` | 统一社会信用代码 (GB 32100 check digit) | `bad_uscc_checksum` |
| `party_id` | `id_number` or `uscc` by the row's `<x>_type` column | either |
| `account_no` | text with spaces and dashes removed | — |
| `phone` | spaces, dashes and brackets removed; then 5..15 digits (an optional leading `+`) | `bad_type` |

`ref` names what a column points at (`branch`, `manager`, `grid`, `household`, `person`,
`company`, `account`, `loan`, or `party` for a `<x>_type`/`<x>_id` pair); a value that is
neither in the extract (accepted rows of earlier tables) nor in the graph is
`unknown_reference`. `soft_ref` columns point at something that may be missing without the
row being rejected (a record's subject, a company's legal representative).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

REASONS: dict[str, str] = {
    "malformed_row": "wrong number of fields, unbalanced quotes",
    "missing_field": "a required column is empty",
    "bad_type": "a value does not parse (number, boolean, enum)",
    "bad_date": "a date or instant does not parse or is impossible",
    "bad_amount": "an amount does not parse or is negative where it must not be",
    "bad_id_checksum": "身份证 number fails its check digit or its birth date is impossible",
    "bad_uscc_checksum": "统一社会信用代码 fails its check digit",
    "duplicate_key": "the key occurred earlier in the same file (the first occurrence wins)",
    "unknown_reference": "a referenced party, account, loan, household… does not exist",
}

Kind = Literal[
    "text",
    "enum",
    "bool",
    "int",
    "number",
    "fraction",
    "amount",
    "date",
    "instant",
    "id_number",
    "uscc",
    "party_id",
    "account_no",
    "phone",
]


@dataclass(frozen=True)
class Column:
    """One column of an extract table: how to parse it, whether required, what it points at."""

    name: str
    kind: Kind = "text"
    required: bool = False
    enum: tuple[str, ...] = ()
    ref: str | None = None
    type_column: str | None = None
    """For `party_id` columns (and `party` refs): the column holding person/company."""
    soft_ref: bool = False


@dataclass(frozen=True)
class TableSpec:
    """One table of an extract: name, key columns, columns in file order."""

    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        """Return the column names the schema knows, in order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Return the names of required columns (they must be in the header and non-empty)."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """Return the column called `name` (KeyError if the table has none)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


PARTY_TYPES = ("person", "company")
TIERS = ("高端", "核心", "基础", "潜在")
"""Tiers from highest to lowest; a move to the right is a tier drop."""
RELATIONS = ("户主", "配偶", "子女", "父母", "其他")


def _c(name: str, kind: Kind = "text", **kw: object) -> Column:
    return Column(name, kind, **kw)  # type: ignore[arg-type]


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "branches",
        ("branch_id",),
        (_c("branch_id", required=True), _c("name", required=True), _c("county"), _c("address")),
    ),
    TableSpec(
        "managers",
        ("manager_id",),
        (
            _c("manager_id", required=True),
            _c("name", required=True),
            _c("branch_id", required=True, ref="branch"),
            _c("phone"),
        ),
    ),
    TableSpec(
        "grids",
        ("grid_id",),
        (
            _c("grid_id", required=True),
            _c("name", required=True),
            _c("kind", "enum", enum=("village", "community")),
            _c("village"),
            _c("branch_id", required=True, ref="branch"),
            _c("manager_id", ref="manager"),
        ),
    ),
    TableSpec(
        "households",
        ("household_id",),
        (
            _c("household_id", required=True),
            _c("grid_id", required=True, ref="grid"),
            _c("address"),
        ),
    ),
    TableSpec(
        "persons",
        ("id_number",),
        (
            _c("id_number", "id_number", required=True),
            _c("name", required=True),
            _c("sex", "enum", enum=("男", "女")),
            _c("birth_date", "date"),
            _c("phone"),
            _c("household_id", ref="household"),
            _c("relation_to_head", "enum", enum=RELATIONS),
            _c("tier", "enum", enum=TIERS),
            _c("is_customer", "bool"),
            _c("tags"),
            _c("manager_id", ref="manager"),
            _c("address"),
            _c("employer"),
            _c("contact_phone", "phone"),
        ),
    ),
    TableSpec(
        "enterprises",
        ("uscc",),
        (
            _c("uscc", "uscc", required=True),
            _c("name", required=True),
            _c("legal_rep_id", "id_number", ref="person", soft_ref=True),
            _c("legal_rep_name"),
            _c("industry"),
            _c("registered_capital", "amount"),
            _c("status", "enum", enum=("存续", "在业", "吊销", "注销")),
            _c("address"),
            _c("grid_id", ref="grid"),
            _c("is_customer", "bool"),
            _c("tier", "enum", enum=TIERS),
            _c("manager_id", ref="manager"),
        ),
    ),
    TableSpec(
        "enterprise_roles",
        ("holder_type", "holder_id", "uscc", "role"),
        (
            _c("holder_type", "enum", required=True, enum=PARTY_TYPES),
            _c("holder_id", "party_id", required=True, ref="party", type_column="holder_type"),
            _c("uscc", "uscc", required=True, ref="company"),
            _c("role", "enum", required=True, enum=("legal_rep", "shareholder", "executive")),
            _c("share", "fraction"),
            _c("title"),
        ),
    ),
    TableSpec(
        "merchants",
        ("merchant_id",),
        (
            _c("merchant_id", required=True),
            _c("name", required=True),
            _c("owner_type", "enum", required=True, enum=PARTY_TYPES),
            _c("owner_id", "party_id", required=True, ref="party", type_column="owner_type"),
            _c("mcc"),
            _c("account_no", "account_no"),
            _c("grid_id", ref="grid"),
        ),
    ),
    TableSpec(
        "accounts",
        ("account_no",),
        (
            _c("account_no", "account_no", required=True),
            _c("owner_type", "enum", required=True, enum=(*PARTY_TYPES, "external")),
            _c("owner_id", "party_id", ref="party", type_column="owner_type"),
            _c("in_bank", "bool", required=True),
            _c("bank_name"),
            _c("kind"),
            _c("opened_on", "date"),
        ),
    ),
    TableSpec(
        "loans",
        ("loan_id",),
        (
            _c("loan_id", required=True),
            _c("borrower_type", "enum", required=True, enum=PARTY_TYPES),
            _c("borrower_id", "party_id", required=True, ref="party", type_column="borrower_type"),
            _c("product"),
            _c("amount", "amount", required=True),
            _c("balance", "amount", required=True),
            _c("rate", "number"),
            _c("start_date", "date", required=True),
            _c("maturity_date", "date"),
            _c("classification", "enum", enum=("正常", "关注", "次级", "可疑", "损失")),
            _c("overdue_days", "int"),
            _c("account_no", "account_no", ref="account"),
        ),
    ),
    TableSpec(
        "guarantees",
        ("loan_id", "guarantor_type", "guarantor_id"),
        (
            _c("loan_id", required=True, ref="loan"),
            _c("guarantor_type", "enum", required=True, enum=PARTY_TYPES),
            _c(
                "guarantor_id",
                "party_id",
                required=True,
                ref="party",
                type_column="guarantor_type",
            ),
            _c("gtype", "enum", required=True, enum=("保证", "抵押", "质押")),
            _c("amount", "amount"),
            _c("group_id"),
            _c("start_date", "date"),
        ),
    ),
    TableSpec(
        "transfers",
        ("transfer_id",),
        (
            _c("transfer_id", required=True),
            _c("from_account", "account_no", required=True, ref="account"),
            _c("to_account", "account_no", required=True, ref="account"),
            _c("amount", "amount", required=True),
            _c("ts", "instant", required=True),
            _c("channel"),
            _c("memo"),
        ),
    ),
    TableSpec(
        "referrals",
        ("referrer_id", "referee_id"),
        (
            _c("referrer_id", "id_number", required=True, ref="person"),
            _c("referee_id", "id_number", required=True, ref="person"),
            _c("date", "date", required=True),
            _c("campaign"),
            _c("converted", "bool"),
        ),
    ),
    TableSpec(
        "negative_records",
        ("record_id",),
        (
            _c("record_id", required=True),
            _c("subject_type", "enum", enum=PARTY_TYPES),
            _c("subject_id", ref="party", type_column="subject_type", soft_ref=True),
            _c("subject_name", required=True),
            _c("kind", required=True),
            _c("date", "date", required=True),
            _c("amount", "amount"),
            _c("source"),
            _c("document_id"),
        ),
    ),
)

SPECS: dict[str, TableSpec] = {t.name: t for t in TABLES}
TABLE_ORDER: tuple[str, ...] = tuple(t.name for t in TABLES)

ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "gbk": "gbk",
    "gb2312": "gbk",
    "gb18030": "gb18030",
}


class Manifest(BaseModel):
    """`manifest.yaml` of an extract: the as-of date, the CSV encoding and the files by table."""

    model_config = ConfigDict(extra="allow")

    as_of: str
    encoding: str = "utf-8"
    bank: str | None = None
    files: dict[str, str]

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, v: object) -> str:
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, dt.date):
            return v.isoformat()
        s = str(v).strip()
        try:
            return dt.date.fromisoformat(s).isoformat()
        except ValueError:
            raise ValueError(f"as_of must be a date YYYY-MM-DD, not {s!r}") from None

    @field_validator("encoding", mode="before")
    @classmethod
    def _encoding(cls, v: object) -> str:
        s = str(v or "utf-8").strip().lower()
        if s not in ENCODINGS:
            raise ValueError(f"encoding must be utf-8, gbk or gb18030, not {s!r}")
        return ENCODINGS[s]

    @field_validator("files")
    @classmethod
    def _files(cls, v: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in v if k not in SPECS]
        if unknown:
            raise ValueError(f"unknown tables {', '.join(unknown)} (known: {', '.join(SPECS)})")
        outside = [f for f in v.values() if f.startswith(("/", "\\")) or ".." in f.replace("\\", "/").split("/")]
        if outside:
            raise ValueError(f"file {outside[0]!r} is outside the extract folder (name files "
                             "relative to it)")
        return v
