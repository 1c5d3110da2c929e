"""Load an LDBC FinBench snapshot (pipe-separated CSVs) into Guanxi's graph model.

Mapping (see docs/finbench.md): Person/Company/Account/Loan/Medium become nodes whose ids are
`<prefix>:fb-<FinBench id>` (`P:fb-755`, `A:fb-4614219293217785425`, `E:fb-356`, …): the `-`
can never occur in a bank id (16 hex, USCC), so FinBench data cannot collide with bank data,
and `fb_int_id` recovers the integer id. Times become INT64 epoch ms UTC, amounts DOUBLE.

Every data row is either loaded or rejected with a reason code (written to a quarantine
jsonl): `loaded + rejected == read` per file. Writes go through `store.upsert_nodes` /
`store.upsert_edges` only, so the same loader serves every backend.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from guanxi.graph.generation import new_load_generation
from guanxi.graph.ids import edge_key, fb_node_id
from guanxi.graph.store import GraphStore

META_KEY = "finbench:loaded"
SNAPSHOT = "snapshot"

_TS = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$")
_INT = re.compile(r"^-?\d+$")
_NUM = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
_MAX_ID = 2**63 - 1


class Reject(Exception):
    """A row that cannot be loaded: `code` is the reason code, the message the detail."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def parse_ts(text: str) -> int:
    """Return epoch milliseconds (UTC) of `YYYY-MM-DD HH:MM:SS[.f{1,3}]`.

    The fraction is a decimal fraction whose trailing zeros were dropped: `12.95` → 950 ms,
    `12.9` → 900 ms, `12.095` → 95 ms, no fraction → 0 ms. Raises Reject(`bad_timestamp`).
    """
    m = _TS.match(text.strip())
    if not m:
        raise Reject("bad_timestamp", f"not a timestamp: {text!r}")
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = m.group(7) or ""
    ms = int(frac.ljust(3, "0")) if frac else 0
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 60):
        raise Reject("bad_timestamp", f"not a timestamp: {text!r}")
    try:
        days_ok = d <= calendar.monthrange(y, mo)[1]
    except ValueError:
        days_ok = False
    if not days_ok:
        raise Reject("bad_timestamp", f"not a date: {text!r}")
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) * 1000 + ms


def parse_epoch_ms(text: str) -> int:
    """Return an epoch-millisecond column value as int; Reject(`bad_timestamp`) otherwise."""
    t = text.strip()
    if not _INT.match(t):
        raise Reject("bad_timestamp", f"not epoch ms: {text!r}")
    return int(t)


def parse_id(text: str) -> int:
    """Return a FinBench id (non-negative 64-bit integer); Reject(`bad_id`) otherwise."""
    t = text.strip()
    if not t.isdigit() or int(t) > _MAX_ID:
        raise Reject("bad_id", f"not an id: {text!r}")
    return int(t)


def parse_amount(text: str) -> float:
    """Return a finite number; Reject(`bad_number`) for anything else."""
    t = text.strip()
    if not _NUM.match(t):
        raise Reject("bad_number", f"not a number: {text!r}")
    v = float(t)
    if not math.isfinite(v):
        raise Reject("bad_number", f"not a finite number: {text!r}")
    return v


def parse_bool(text: str) -> bool:
    """Return `true`/`false` as bool; Reject(`bad_bool`) otherwise."""
    t = text.strip().lower()
    if t not in ("true", "false"):
        raise Reject("bad_bool", f"not a boolean: {text!r}")
    return t == "true"


Row = dict[str, str]
Converter = Callable[[Row], dict[str, Any]]


@dataclass(frozen=True)
class NodeFile:
    """A node CSV: its label, id column and a converter to model properties."""

    file: str
    label: str
    id_col: str
    convert: Converter


@dataclass(frozen=True)
class EdgeFile:
    """An edge CSV: relationship type, endpoint labels/columns and a property converter."""

    file: str
    rel: str
    src_label: str
    src_col: str
    dst_label: str
    dst_col: str
    convert: Converter


def _extra(row: Row, cols: tuple[str, ...]) -> str:
    return json.dumps({c: row[c] for c in cols}, ensure_ascii=False, sort_keys=True)


def _person(r: Row) -> dict[str, Any]:
    bday = r["birthday"].strip()[:10]
    parse_ts(r["createTime"])
    return {
        "name": r["personName"],
        "sex": r["gender"],
        "birth_date": bday,
        "extra": _extra(r, ("isBlocked", "createTime", "country", "city")),
    }


def _company(r: Row) -> dict[str, Any]:
    parse_ts(r["createTime"])
    return {
        "name": r["companyName"],
        "extra": _extra(
            r, ("isBlocked", "createTime", "country", "city", "business", "description", "url")
        ),
    }


def _account(r: Row) -> dict[str, Any]:
    return {
        "is_blocked": parse_bool(r["isBlocked"]),
        "created_ts": parse_ts(r["createTime"]),
        "kind": r["accoutType"],
        "extra": _extra(
            r, ("nickname", "phonenum", "email", "freqLoginType", "lastLoginTime", "accountLevel")
        ),
    }


def _loan(r: Row) -> dict[str, Any]:
    return {
        "amount": parse_amount(r["loanAmount"]),
        "balance": parse_amount(r["balance"]),
        "rate": parse_amount(r["interestRate"]),
        "product": r["loanUsage"],
        "start_date": r["createTime"][:10],
        "extra": json.dumps({"created_ts": parse_ts(r["createTime"])}),
    }


def _medium(r: Row) -> dict[str, Any]:
    return {
        "medium_type": r["mediumType"],
        "is_blocked": parse_bool(r["isBlocked"]),
        "created_ts": parse_ts(r["createTime"]),
        "extra": _extra(r, ("lastLoginTime", "riskLevel")),
    }


def _amount_ts(r: Row) -> dict[str, Any]:
    return {"amount": parse_amount(r["amount"]), "ts": parse_ts(r["createTime"])}


def _transfer(r: Row) -> dict[str, Any]:
    return {
        **_amount_ts(r),
        "order_num": r["orderNum"],
        "comment": r["comment"],
        "channel": r["payType"],
        "memo": r["goodsType"],
    }


def _ts_only(r: Row) -> dict[str, Any]:
    return {"ts": parse_ts(r["createTime"])}


def _owns(r: Row) -> dict[str, Any]:
    parse_ts(r["createTime"])
    return {}


def _guarantee(r: Row) -> dict[str, Any]:
    return {"ts": parse_ts(r["createTime"]), "relationship": r["relation"]}


def _invest(r: Row) -> dict[str, Any]:
    return {"ratio": parse_amount(r["ratio"]), "ts": parse_ts(r["createTime"])}


def _signin(r: Row) -> dict[str, Any]:
    return {"ts": parse_ts(r["createTime"]), "location": r["location"]}


NODE_FILES: tuple[NodeFile, ...] = (
    NodeFile("Person.csv", "Person", "personId", _person),
    NodeFile("Company.csv", "Company", "companyId", _company),
    NodeFile("Account.csv", "Account", "accountId", _account),
    NodeFile("Loan.csv", "Loan", "loanId", _loan),
    NodeFile("Medium.csv", "Medium", "mediumId", _medium),
)

EDGE_FILES: tuple[EdgeFile, ...] = (
    EdgeFile("PersonOwnAccount.csv", "OWNS", "Person", "personId", "Account", "accountId", _owns),
    EdgeFile(
        "CompanyOwnAccount.csv", "OWNS", "Company", "companyId", "Account", "accountId", _owns
    ),
    EdgeFile(
        "AccountTransferAccount.csv", "TRANSFER", "Account", "fromId", "Account", "toId", _transfer
    ),
    EdgeFile(
        "AccountWithdrawAccount.csv", "WITHDRAW", "Account", "fromId", "Account", "toId", _amount_ts
    ),
    EdgeFile("AccountRepayLoan.csv", "REPAY", "Account", "accountId", "Loan", "loanId", _amount_ts),
    EdgeFile(
        "LoanDepositAccount.csv", "DEPOSIT", "Loan", "loanId", "Account", "accountId", _amount_ts
    ),
    EdgeFile(
        "MediumSignInAccount.csv",
        "SIGNED_IN",
        "Medium",
        "mediumId",
        "Account",
        "accountId",
        _signin,
    ),
    EdgeFile("PersonApplyLoan.csv", "BORROWED", "Person", "personId", "Loan", "loanId", _ts_only),
    EdgeFile(
        "CompanyApplyLoan.csv", "BORROWED", "Company", "companyId", "Loan", "loanId", _ts_only
    ),
    EdgeFile(
        "PersonGuaranteePerson.csv",
        "GUARANTEES_PARTY",
        "Person",
        "fromId",
        "Person",
        "toId",
        _guarantee,
    ),
    EdgeFile(
        "CompanyGuaranteeCompany.csv",
        "GUARANTEES_PARTY",
        "Company",
        "fromId",
        "Company",
        "toId",
        _guarantee,
    ),
    EdgeFile(
        "PersonInvestCompany.csv",
        "INVESTS",
        "Person",
        "investorId",
        "Company",
        "companyId",
        _invest,
    ),
    EdgeFile(
        "CompanyInvestCompany.csv",
        "INVESTS",
        "Company",
        "investorId",
        "Company",
        "companyId",
        _invest,
    ),
)


@dataclass
class FileReport:
    """What happened to one CSV: rows read, loaded, rejected, and rejects per reason code."""

    file: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "file": self.file,
            "read": self.read,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "reasons": dict(sorted(self.reasons.items())),
            "seconds": round(self.seconds, 3),
        }


@dataclass
class LoadReport:
    """The per-file reports of one load, the data fingerprint and whether it was skipped."""

    fingerprint: str
    files: list[FileReport] = field(default_factory=list)
    skipped: bool = False

    @property
    def read(self) -> int:
        """Return the number of data rows read over all files."""
        return sum(f.read for f in self.files)

    @property
    def loaded(self) -> int:
        """Return the number of rows loaded over all files."""
        return sum(f.loaded for f in self.files)

    @property
    def rejected(self) -> int:
        """Return the number of rows rejected over all files."""
        return sum(f.rejected for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "fingerprint": self.fingerprint,
            "skipped": self.skipped,
            "read": self.read,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "files": [f.as_dict() for f in self.files],
        }


def fingerprint(data_dir: Path) -> str:
    """Return a SHA-256 over the names and bytes of the snapshot CSVs (the load marker)."""
    h = hashlib.sha256()
    snap = Path(data_dir) / SNAPSHOT
    names = [f.file for f in NODE_FILES] + [f.file for f in EDGE_FILES]
    for name in names:
        p = snap / name
        h.update(name.encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return the header and (line number, fields) of every non-empty data line."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = fh.read().split("\n")
    header = lines[0].rstrip("\r").split("|") if lines else []
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if line:
            rows.append((n, line.split("|")))
    return header, rows


class _Quarantine:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lines: list[str] = []

    def add(self, rep: FileReport, line: int, code: str, detail: str, raw: list[str]) -> None:
        rep.rejected += 1
        rep.reasons[code] = rep.reasons.get(code, 0) + 1
        self.lines.append(
            json.dumps(
                {"file": rep.file, "line": line, "reason": code, "detail": detail, "row": raw},
                ensure_ascii=False,
            )
        )

    def flush(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("".join(x + "\n" for x in self.lines), encoding="utf-8")


def _row(header: list[str], fields: list[str]) -> Row:
    if len(fields) != len(header):
        raise Reject("field_count", f"{len(fields)} fields, header has {len(header)}")
    return dict(zip(header, fields, strict=True))


def load_finbench(
    store: GraphStore,
    data_dir: str | Path,
    *,
    quarantine: str | Path | None = None,
    force: bool = False,
) -> LoadReport:
    """Load `data_dir/snapshot/*.csv` into `store`; return the per-file report.

    Skips the load (report.skipped) when the store's `finbench:loaded` marker already holds
    this data's fingerprint, unless `force`. Rejected rows go to `quarantine` (jsonl).
    """
    data_dir = Path(data_dir)
    snap = data_dir / SNAPSHOT
    if not snap.is_dir():
        raise FileNotFoundError(f"no snapshot/ folder in {data_dir}")
    fp = fingerprint(data_dir)
    if not force:
        marker = store.get_meta(META_KEY)
        if marker and json.loads(marker).get("fingerprint") == fp:
            return LoadReport(fp, skipped=True)
    store.ensure_schema()
    new_load_generation(store)  # what was derived from the old records is stale now
    report = LoadReport(fp)
    q = _Quarantine(Path(quarantine) if quarantine else None)
    known: dict[str, set[int]] = {}
    for nf in NODE_FILES:
        rep = FileReport(nf.file)
        report.files.append(rep)
        path = snap / nf.file
        if not path.exists():
            continue
        header, rows = _read_rows(path)
        seen = known.setdefault(nf.label, set())
        out: list[dict[str, Any]] = []
        for line, fields in rows:
            rep.read += 1
            try:
                r = _row(header, fields)
                fid = parse_id(r[nf.id_col])
                props = nf.convert(r)
                if fid in seen:
                    raise Reject("duplicate_id", f"{nf.label} {fid} already loaded")
            except Reject as rj:
                q.add(rep, line, rj.code, str(rj), fields)
                continue
            seen.add(fid)
            out.append({"id": fb_node_id(nf.label, fid), **props})
        if out:
            t0 = time.perf_counter()
            store.upsert_nodes(nf.label, pa.Table.from_pylist(out))
            rep.seconds = time.perf_counter() - t0
        rep.loaded = len(out)
    for ef in EDGE_FILES:
        rep = FileReport(ef.file)
        report.files.append(rep)
        path = snap / ef.file
        if not path.exists():
            continue
        header, rows = _read_rows(path)
        keys: set[int] = set()
        out = []
        for line, fields in rows:
            rep.read += 1
            try:
                r = _row(header, fields)
                s, d = parse_id(r[ef.src_col]), parse_id(r[ef.dst_col])
                props = ef.convert(r)
                if s not in known.get(ef.src_label, set()):
                    raise Reject("unknown_endpoint", f"no {ef.src_label} {s}")
                if d not in known.get(ef.dst_label, set()):
                    raise Reject("unknown_endpoint", f"no {ef.dst_label} {d}")
                key = edge_key("finbench", ef.file, *fields)
                if key in keys:
                    raise Reject("duplicate_row", "same row already loaded")
            except Reject as rj:
                q.add(rep, line, rj.code, str(rj), fields)
                continue
            keys.add(key)
            out.append(
                {
                    "src": fb_node_id(ef.src_label, s),
                    "dst": fb_node_id(ef.dst_label, d),
                    "key": key,
                    **props,
                }
            )
        if out:
            t0 = time.perf_counter()
            store.upsert_edges(ef.rel, ef.src_label, ef.dst_label, pa.Table.from_pylist(out))
            rep.seconds = time.perf_counter() - t0
        rep.loaded = len(out)
    q.flush()
    store.set_meta(META_KEY, json.dumps({"fingerprint": fp, "report": report.as_dict()}))
    return report


PARAM_COLUMNS: dict[str, tuple[str, ...]] = {
    "tcr1": ("id", "startTime", "endTime", "truncationLimit", "truncationOrder"),
    "tcr2": ("id", "startTime", "endTime", "truncationLimit", "truncationOrder"),
    "tcr5": ("id", "startTime", "endTime", "truncationLimit", "truncationOrder"),
    "tcr8": ("id", "threshold", "startTime", "endTime", "truncationLimit", "truncationOrder"),
    "tcr11": ("id", "startTime", "endTime", "truncationLimit", "truncationOrder"),
    "tcr3": ("id1", "id2", "startTime", "endTime"),
    "tcr4": ("id1", "id2", "startTime", "endTime"),
    "tcr6": ("id", "threshold1", "threshold2", "startTime", "endTime", "truncationLimit",
             "truncationOrder"),
    "tcr7": ("id", "threshold", "startTime", "endTime", "truncationLimit", "truncationOrder"),
    "tcr9": ("id", "threshold", "startTime", "endTime", "truncationLimit", "truncationOrder"),
    "tcr10": ("pid1", "pid2", "startTime", "endTime"),
    "tcr12": ("id", "startTime", "endTime", "truncationLimit", "truncationOrder"),
}
_PARAM_TYPES: dict[str, Callable[[str], Any]] = {
    "id": int,
    "id1": int,
    "id2": int,
    "pid1": int,
    "pid2": int,
    "startTime": int,
    "endTime": int,
    "truncationLimit": int,
    "truncationOrder": str,
    "threshold": float,
    "threshold1": float,
    "threshold2": float,
}


def param_file(data_dir: str | Path, query: str) -> Path:
    """Return the path of `read_params/complex_<K>_param.csv` for query `tcr<K>`."""
    q = query.lower()
    if q not in PARAM_COLUMNS:
        raise ValueError(f"unknown query {query!r} (known: {', '.join(PARAM_COLUMNS)})")
    return Path(data_dir) / "read_params" / f"complex_{q[3:]}_param.csv"


def read_params(data_dir: str | Path, query: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Return the parameter rows of `query` in file order (at most `limit`), typed by column.

    A line is a parameter row iff its first field is an integer (some files start with a
    `...` line and a header-like line; complex_1 starts with data).
    """
    cols = PARAM_COLUMNS[query.lower()]
    path = param_file(data_dir, query)
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.strip().split("|")
        if not _INT.match(fields[0].strip()):
            continue
        if len(fields) != len(cols):
            raise ValueError(f"{path.name}: {len(fields)} fields, expected {len(cols)}: {line!r}")
        out.append({c: _PARAM_TYPES[c](v.strip()) for c, v in zip(cols, fields, strict=True)})
        if limit is not None and len(out) >= limit:
            break
    return out
