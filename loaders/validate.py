"""Row validation of one extract table: vectorised parsing, check digits per unique value,
duplicate keys (first occurrence wins) and references (extract + graph as loaded).

Every row ends with a reason code (0 = accepted) and the column that caused it; the first
failing check wins, in the order: required fields, column parsing (file order), duplicate key,
references.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.cn import ric

from guanxi.loaders.read import RawTable
from guanxi.loaders.schema import Column, TableSpec

CODES: tuple[str, ...] = (
    "",
    "malformed_row",
    "missing_field",
    "bad_type",
    "bad_date",
    "bad_amount",
    "bad_id_checksum",
    "bad_uscc_checksum",
    "duplicate_key",
    "unknown_reference",
    "too_long",
)
MAX_FIELD_CHARS = 2000
"""Longest field accepted (an address or a memo is far shorter; a 7M-character name is not data)."""
CODE = {c: i for i, c in enumerate(CODES)}
KIND_REASON = {
    "enum": "bad_type",
    "bool": "bad_type",
    "int": "bad_type",
    "number": "bad_type",
    "fraction": "bad_type",
    "amount": "bad_amount",
    "date": "bad_date",
    "instant": "bad_date",
    "id_number": "bad_id_checksum",
    "uscc": "bad_uscc_checksum",
}
CHINA_OFFSET_MS = 8 * 3600 * 1000
_NUM_RE = r"^[+-]?(\d{1,15}(\.\d*)?|\.\d+)$"
TRUE = ("1", "true", "True", "TRUE", "y", "Y", "是")
FALSE = ("0", "false", "False", "FALSE", "n", "N", "否")


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_INDEX = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_TODAY = dt.date.today()


def valid_id_number(value: str) -> bool:
    """Return True for an 18-character 身份证 number with a right check digit and birth date.

    The check digit is `stdnum.cn.ric.calc_check_digit` (GB 11643); the place code is not
    looked up: counties are renamed and old numbers stay valid.
    """
    v = value.strip().upper()
    if len(v) != 18 or not v[:17].isdigit() or not v[:17].isascii():
        return False
    if v[-1] != ric.calc_check_digit(v):
        return False
    try:
        born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    return dt.date(1880, 1, 1) <= born <= _TODAY


def valid_uscc(value: str) -> bool:
    """Return True for a 统一社会信用代码 with a right GB 32100 check digit.

    Same rule as `stdnum.cn.uscc.is_valid` (tested against it), without its slow cleaning.
    """
    v = value.strip().upper()
    if len(v) != 18 or not v[:8].isdigit() or not v[:8].isascii():
        return False
    try:
        total = sum(_USCC_INDEX[c] * w for c, w in zip(v, _USCC_WEIGHTS, strict=False))
    except KeyError:
        return False
    return v[-1] in _USCC_INDEX and v[-1] == _USCC_ALPHABET[(31 - total) % 31]


def _per_unique(col: pa.Array, check: Callable[[str], bool]) -> pa.Array:
    """Return a boolean array: `check` of each non-null value, computed once per distinct value."""
    uniq = pc.unique(col.drop_null())
    good = [v for v in uniq.to_pylist() if check(v)]
    return pc.is_in(col, value_set=pa.array(good, col.type))


def clean_text(col: pa.Array) -> pa.Array:
    """Return `col` trimmed, with empty strings as nulls."""
    t = pc.utf8_trim_whitespace(col)
    return pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)


def _any(mask: pa.Array) -> bool:
    return bool(pc.any(pc.fill_null(mask, False)).as_py())


def parse_number(col: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Return (float64 values, bad mask) for decimal text; `1,234.50` is accepted, `1,2,3`
    (separators not in groups of three) is not; `-0` reads as 0."""
    s = col
    grouped = pa.array([True] * len(col), pa.bool_())
    for sep in (",", "，"):
        if _any(pc.match_substring(s, sep)):
            has = pc.fill_null(pc.match_substring(s, sep), False)
            ok_groups = pc.fill_null(pc.match_substring_regex(
                s, r"^[+-]?\d{1,3}(" + sep + r"\d{3})+(\.\d*)?$"), False)
            grouped = pc.and_(grouped, pc.or_(pc.invert(has), ok_groups))
            s = pc.replace_substring(s, sep, "")
    ok = pc.and_(pc.fill_null(pc.match_substring_regex(s, _NUM_RE), False), grouped)
    bad = pc.and_(pc.is_valid(s), pc.invert(ok))
    vals = pc.if_else(ok, s, pa.scalar(None, pa.string())).cast(pa.float64())
    vals = pc.add(vals, 0.0)  # IEEE: -0.0 + 0.0 is +0.0
    return vals, bad


def _rewrite(col: pa.Array, canonical: str, pattern: str, repl: str) -> pa.Array:
    """Return `col` with `pattern` rewritten to `repl` where it is not already `canonical`."""
    shape = pc.match_substring_regex(col, canonical)
    if not _any(pc.and_(pc.is_valid(col), pc.invert(shape))):
        return col
    return pc.replace_substring_regex(col, pattern, repl)


def normalise_date(col: pa.Array) -> pa.Array:
    """Return dates rewritten to `YYYY-MM-DD` where they were `YYYY/MM/DD` or `YYYYMMDD`."""
    canonical = r"^\d{4}-\d{2}-\d{2}$"
    s = _rewrite(col, canonical, r"^(\d{4})/(\d{2})/(\d{2})$", r"\1-\2-\3")
    return _rewrite(s, canonical, r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3")


def _same_fields(ts: pa.Array, s: pa.Array, fields: tuple[str, ...]) -> pa.Array:
    """Return True where the parsed instant's fields equal the digits written in `s`.

    strptime rolls impossible dates over (02-30 → 03-02); comparing the fields catches that.
    """
    spans = {
        "year": (0, 4),
        "month": (5, 7),
        "day": (8, 10),
        "hour": (11, 13),
        "minute": (14, 16),
        "second": (17, 19),
    }
    ok = pc.is_valid(ts)
    for f in fields:
        a, b = spans[f]
        want = pc.utf8_slice_codeunits(s, a, b).cast(pa.int64())
        got = getattr(pc, f)(ts)
        ok = pc.and_(ok, pc.equal(got, want))
    return pc.fill_null(ok, False)


def parse_date(col: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Return (`YYYY-MM-DD` strings, bad mask); impossible dates (02-30) are bad."""
    s = normalise_date(col)
    shape = pc.match_substring_regex(s, r"^\d{4}-\d{2}-\d{2}$")
    s = pc.if_else(shape, s, pa.scalar(None, pa.string()))
    ts = pc.strptime(s, "%Y-%m-%d", "s", error_is_null=True)
    ok = _same_fields(ts, s, ("year", "month", "day"))
    year = pc.utf8_slice_codeunits(s, 0, 4)
    ok = pc.and_(ok, pc.fill_null(pc.greater_equal(year, "1880"), False))
    bad = pc.and_(pc.is_valid(col), pc.invert(ok))
    return pc.if_else(ok, s, pa.scalar(None, pa.string())), bad


def date_to_ms(dates: pa.Array) -> pa.Array:
    """Return epoch ms UTC of China-time midnight for `YYYY-MM-DD` strings (nulls stay null)."""
    ts = pc.strptime(dates, "%Y-%m-%d", "ms", error_is_null=True)
    return pc.subtract(ts.cast(pa.int64()), CHINA_OFFSET_MS)


def parse_instant(col: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Return (epoch ms UTC int64, bad mask) for `YYYY-MM-DD HH:MM:SS` China-time instants."""
    canonical = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
    s = _rewrite(
        col,
        canonical,
        r"^(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})$",
        r"\1-\2-\3 \4:\5:\6",
    )
    shape = pc.match_substring_regex(s, canonical)
    s = pc.if_else(shape, s, pa.scalar(None, pa.string()))
    ts = pc.strptime(s, "%Y-%m-%d %H:%M:%S", "s", error_is_null=True)
    ok = _same_fields(ts, s, ("year", "month", "day", "hour", "minute", "second"))
    bad = pc.and_(pc.is_valid(col), pc.invert(ok))
    ms = pc.subtract(pc.multiply(ts.cast(pa.int64()), 1000), CHINA_OFFSET_MS)
    return pc.if_else(ok, ms, pa.scalar(None, pa.int64())), bad


def parse_bool(col: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Return (bool values, bad mask) for `1`/`0` (also true/false, 是/否)."""
    t = pc.is_in(col, value_set=pa.array(TRUE))
    f = pc.is_in(col, value_set=pa.array(FALSE))
    ok = pc.or_(t, f)
    bad = pc.and_(pc.is_valid(col), pc.invert(ok))
    return pc.if_else(ok, t, pa.scalar(None, pa.bool_())), bad


@dataclass
class Checked:
    """The outcome of validating one table: parsed columns and a reason per row."""

    raw: RawTable
    spec: TableSpec
    values: dict[str, pa.Array]
    code: np.ndarray
    column: np.ndarray
    extra_columns: list[str] = field(default_factory=list)

    def fail(self, mask: pa.Array | np.ndarray, reason: str, column: int = -1) -> None:
        """Mark rows in `mask` that have no reason yet with `reason` (caused by `column`)."""
        m = (
            mask.to_numpy(zero_copy_only=False)
            if isinstance(mask, pa.Array | pa.ChunkedArray)
            else mask
        )
        m = np.asarray(m, dtype=bool) & (self.code == 0)
        self.code[m] = CODE[reason]
        self.column[m] = column

    @property
    def ok(self) -> np.ndarray:
        """Return a boolean mask of the rows accepted so far."""
        return self.code == 0

    def col_index(self, name: str) -> int:
        """Return the position of column `name` in the table spec."""
        return self.spec.names.index(name)


def check_fields(raw: RawTable, spec: TableSpec) -> Checked:
    """Return the parsed columns of `raw` with required-field and per-column checks applied."""
    n = raw.num_rows
    values: dict[str, pa.Array] = {}
    for name, col in raw.columns.items():
        values[name] = clean_text(col)
    for c in spec.columns:
        if c.name not in values:
            values[c.name] = pa.nulls(n, pa.string())
    chk = Checked(
        raw,
        spec,
        values,
        np.zeros(n, dtype=np.int8),
        np.full(n, -1, dtype=np.int16),
        [h for h in raw.header if h not in spec.names],
    )
    for i, c in enumerate(spec.columns):
        if c.required:
            chk.fail(pc.is_null(values[c.name]), "missing_field", i)
    index = {c.name: i for i, c in enumerate(spec.columns)}
    for name, col in values.items():
        long = pc.fill_null(pc.greater(pc.utf8_length(col), MAX_FIELD_CHARS), False)
        if _any(long):
            chk.fail(long, "too_long", index.get(name, -1))
            values[name] = pc.if_else(long, pa.scalar(None, pa.string()), col)
    for i, c in enumerate(spec.columns):
        _check_column(chk, c, i)
    return chk


def _check_column(chk: Checked, c: Column, i: int) -> None:
    col = chk.values[c.name]
    kind = c.kind
    if kind == "text":
        return
    if kind == "account_no":
        chk.values[c.name] = pc.replace_substring_regex(col, r"[\s\-]", "")
        return
    if kind == "phone":
        vals = pc.replace_substring_regex(col, r"[\s\-()（）]", "")
        bad = pc.fill_null(pc.invert(pc.match_substring_regex(vals, r"^\+?\d{5,15}$")), False)
        chk.fail(bad, "bad_type", i)
        chk.values[c.name] = pc.if_else(bad, pa.scalar(None, pa.string()), vals)
        return
    if kind == "enum":
        bad = pc.and_(pc.is_valid(col), pc.invert(pc.is_in(col, value_set=pa.array(c.enum))))
        chk.fail(bad, "bad_type", i)
        return
    if kind == "bool":
        vals, bad = parse_bool(col)
    elif kind in ("int",):
        ok = pc.match_substring_regex(col, r"^[+-]?\d{1,18}$")
        bad = pc.fill_null(pc.invert(ok), False)
        vals = pc.if_else(ok, col, pa.scalar(None, pa.string())).cast(pa.int64())
    elif kind in ("number", "amount", "fraction"):
        vals, bad = parse_number(col)
        if kind == "amount":
            bad = pc.or_(bad, pc.fill_null(pc.less(vals, 0), False))
        elif kind == "fraction":
            out = pc.or_(pc.less(vals, 0), pc.greater(vals, 1))
            bad = pc.or_(bad, pc.fill_null(out, False))
    elif kind == "date":
        vals, bad = parse_date(col)
    elif kind == "instant":
        vals, bad = parse_instant(col)
    elif kind == "id_number":
        vals = pc.utf8_upper(col)
        bad = pc.and_(pc.is_valid(vals), pc.invert(_per_unique(vals, valid_id_number)))
    elif kind == "uscc":
        vals = pc.utf8_upper(col)
        bad = pc.and_(pc.is_valid(vals), pc.invert(_per_unique(vals, valid_uscc)))
    elif kind == "party_id":
        assert c.type_column is not None
        vals = pc.utf8_upper(col)
        typ = chk.values[c.type_column]
        is_p = pc.fill_null(pc.equal(typ, "person"), False)
        is_c = pc.fill_null(pc.equal(typ, "company"), False)
        present = pc.is_valid(vals)
        bad_p = pc.and_(pc.and_(is_p, present), pc.invert(_per_unique(vals, valid_id_number)))
        bad_c = pc.and_(pc.and_(is_c, present), pc.invert(_per_unique(vals, valid_uscc)))
        chk.fail(bad_p, "bad_id_checksum", i)
        chk.fail(bad_c, "bad_uscc_checksum", i)
        chk.values[c.name] = vals
        return
    else:  # pragma: no cover - schema kinds are closed
        raise ValueError(kind)
    chk.fail(bad, KIND_REASON[kind], i)
    chk.values[c.name] = pc.if_else(bad, pa.scalar(None, vals.type), vals)


def key_strings(chk: Checked) -> pa.Array:
    """Return the table key of every row as one string (parts joined by U+001F)."""
    parts = [pc.fill_null(chk.values[k].cast(pa.string()), "") for k in chk.spec.key]
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, "\x1f")


def check_duplicates(chk: Checked, seen: pa.Array | None = None) -> pa.Array:
    """Mark rows whose key occurred in an earlier accepted row as `duplicate_key`.

    `seen` holds the keys accepted from earlier slices of the same file. Returns the keys of
    the rows still accepted, for the next slice.
    """
    keys = key_strings(chk)
    if seen is not None and len(seen):
        chk.fail(pc.is_in(keys, value_set=seen), "duplicate_key", chk.col_index(chk.spec.key[0]))
    ok_idx = np.nonzero(chk.ok)[0]
    if len(ok_idx) == 0:
        return keys.slice(0, 0)
    ok_keys = keys.take(pa.array(ok_idx, pa.int64()))
    t = pa.table({"k": ok_keys, "i": pa.array(ok_idx, pa.int64())})
    firsts = t.group_by("k").aggregate([("i", "min")])["i_min"].to_numpy()
    if len(firsts) == len(ok_idx):
        return ok_keys
    dup = np.ones(len(chk.code), dtype=bool)
    dup[firsts] = False
    dup[~chk.ok] = False
    chk.fail(dup, "duplicate_key", chk.col_index(chk.spec.key[0]))
    return keys.filter(pa.array(chk.ok))


def check_reference(chk: Checked, column: str, ids: pa.Array, known: pa.Array) -> None:
    """Mark rows whose node id in `ids` (null = no reference) is not in `known`."""
    missing = pc.and_(pc.is_valid(ids), pc.invert(pc.is_in(ids, value_set=known)))
    chk.fail(missing, "unknown_reference", chk.col_index(column))


def message(chk: Checked, pos: int) -> str:
    """Return a readable message for rejected row `pos`."""
    code = CODES[int(chk.code[pos])]
    ci = int(chk.column[pos])
    name = chk.spec.columns[ci].name if ci >= 0 else "?"
    raw = chk.raw.columns.get(name)
    value = raw[pos].as_py() if raw is not None else None
    col = chk.spec.columns[ci] if ci >= 0 else None
    if code == "too_long":
        return f"{name} is longer than {MAX_FIELD_CHARS} characters"
    if code == "missing_field":
        return f"required column {name} is empty"
    if code == "duplicate_key":
        key = ", ".join(f"{k}={chk.values[k][pos].as_py()}" for k in chk.spec.key)
        return f"key ({key}) occurred earlier in the file; the first occurrence was kept"
    if code == "unknown_reference":
        return f"{name} {value!r} names nothing known in the extract or the graph"
    if code == "bad_type" and col is not None and col.kind == "enum":
        return f"{name} {value!r} is not one of {'/'.join(col.enum)}"
    if code == "bad_type" and col is not None and col.kind == "phone":
        return f"{name} is not a phone number (5..15 digits after removing spaces, dashes, brackets)"
    if code == "bad_type" and col is not None and col.kind == "fraction":
        return f"{name} {value!r} is not a number between 0 and 1"
    if code == "bad_type":
        return f"{name} {value!r} does not parse as {col.kind if col else 'a value'}"
    if code == "bad_date":
        return f"{name} {value!r} is not a possible date/time"
    if code == "bad_amount":
        return f"{name} {value!r} is not an amount ≥ 0"
    if code == "bad_id_checksum":
        return f"{name} {value!r} is not a valid 身份证 number (check digit or birth date)"
    if code == "bad_uscc_checksum":
        return f"{name} {value!r} is not a valid 统一社会信用代码 (check digit)"
    return f"{name}: {code}"
