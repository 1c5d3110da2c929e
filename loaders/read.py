"""Read one extract file (CSV in UTF-8 / UTF-8 with BOM / GBK / GB18030, or Parquet) into
string columns, keeping every data row's line number (header = line 1) and original text.

A CSV record is one line: quoted fields may hold commas and doubled quotes but not line
breaks. Blank lines are skipped. Lines are split with Arrow compute; only lines that contain
a quote go through Python's csv module. Rows with the wrong number of fields or unbalanced
quotes are kept aside as `malformed` (they are quarantined, never dropped).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from guanxi.loaders.errors import LoadError
from guanxi.loaders.schema import TableSpec

BOM = b"\xef\xbb\xbf"


@dataclass
class Malformed:
    """A row that could not be split into the header's columns."""

    line: int
    text: str
    message: str


@dataclass
class RawTable:
    """The well-formed rows of one file as string columns, plus the malformed ones."""

    table: str
    file: str
    header: list[str]
    columns: dict[str, pa.Array]
    lines: np.ndarray
    texts: pa.Array | None
    malformed: list[Malformed] = field(default_factory=list)

    @property
    def num_rows(self) -> int:
        """Return the number of well-formed rows."""
        return len(self.lines)

    @property
    def read(self) -> int:
        """Return the number of data rows in the file (well-formed and malformed)."""
        return self.num_rows + len(self.malformed)

    def text_at(self, positions: np.ndarray) -> list[str]:
        """Return the original line text of the well-formed rows at `positions`."""
        if self.texts is not None:
            return [str(t) for t in self.texts.take(pa.array(positions, pa.int64())).to_pylist()]
        idx = pa.array(positions, pa.int64())
        cols = {k: v.take(idx).to_pylist() for k, v in self.columns.items()}
        return [
            json.dumps({k: cols[k][i] for k in cols}, ensure_ascii=False)
            for i in range(len(positions))
        ]


def decode_check(data: bytes, encoding: str, file: str) -> bytes:
    """Return `data` as UTF-8 bytes (BOM removed), or raise LoadError naming the byte offset."""
    if encoding == "utf-8":
        start = 3 if data.startswith(BOM) else 0
        body = data[start:]
        try:
            pa.array([body], pa.large_binary()).cast(pa.large_string()).validate(full=True)
            return body
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LoadError(
                f"{file}: not valid utf-8 at byte {exc.start + start} "
                "(set `encoding:` in manifest.yaml to the file's encoding)"
            ) from None
        return body
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{file}: not valid {encoding} at byte {exc.start} "
            "(set `encoding:` in manifest.yaml to the file's encoding)"
        ) from None
    return text.lstrip("\ufeff").encode("utf-8")


def _parse_line(line: str) -> list[str] | None:
    """Return the fields of one CSV line, or None for unbalanced quotes."""
    if line.count('"') % 2:
        return None
    try:
        rows = list(csv.reader([line], strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _header(line: str, file: str, spec: TableSpec) -> list[str]:
    fields = _parse_line(line)
    if not fields:
        raise LoadError(f"{file}: the first line is not a CSV header")
    names = [f.strip().lstrip("\ufeff") for f in fields]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise LoadError(f"{file}: header repeats column(s) {', '.join(dup)}")
    missing = [c for c in spec.required if c not in names]
    if missing:
        raise LoadError(
            f"{file}: header lacks required column(s) {', '.join(missing)} "
            f"for table {spec.name} (is it a CSV of that table?)"
        )
    return names


def read_csv(path: Path, spec: TableSpec, encoding: str, file: str) -> RawTable:
    """Return the rows of a CSV file as string columns; raise LoadError if it is unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{file}: cannot read ({exc.strerror})") from None
    first = data[: data.find(b"\n")] if b"\n" in data else data
    if b"\x00" in first and encoding == "utf-8":
        raise LoadError(f"{file}: binary data, not a CSV file")
    body = decode_check(data, encoding, file)
    if not body.strip():
        raise LoadError(f"{file}: empty file (no header line)")
    text = pa.array([body], pa.large_binary()).cast(pa.large_string())
    lines = pc.list_flatten(pc.split_pattern(text, "\n"))
    lines = pc.utf8_rtrim(lines, "\r")
    header = _header(str(lines[0].as_py()), file, spec)
    ncol = len(header)
    body_lines = lines.slice(1)
    nums = np.arange(2, len(lines) + 1, dtype=np.int64)
    keep = pc.not_equal(pc.utf8_length(body_lines), 0)
    body_lines = body_lines.filter(keep)
    nums = nums[keep.to_numpy(zero_copy_only=False)]
    malformed: list[Malformed] = []
    nul = pc.match_substring(body_lines, "\x00").to_numpy(zero_copy_only=False)
    if nul.any():
        for i in np.nonzero(nul)[0]:
            text = str(body_lines[int(i)].as_py()).replace("\x00", "\\0")
            malformed.append(Malformed(int(nums[i]), text, "NUL byte in the line"))
        body_lines = body_lines.filter(pa.array(~nul))
        nums = nums[~nul]
    quoted = pc.match_substring(body_lines, '"').to_numpy(zero_copy_only=False)

    # lines without quotes: vectorised split
    simple_idx = np.nonzero(~quoted)[0]
    simple = body_lines.take(pa.array(simple_idx, pa.int64()))
    parts = pc.split_pattern(simple, ",")
    nfields = pc.list_value_length(parts).to_numpy(zero_copy_only=False)
    ok_simple = nfields == ncol
    good_parts = parts.filter(pa.array(ok_simple))
    cols_simple = [pc.list_element(good_parts, j) for j in range(ncol)]
    pos_simple = simple_idx[ok_simple]

    for i in simple_idx[~ok_simple]:
        n = int(nfields[np.searchsorted(simple_idx, i)])
        malformed.append(
            Malformed(
                int(nums[i]), str(body_lines[int(i)].as_py()), f"{n} fields, header has {ncol}"
            )
        )

    # lines with quotes: Python csv per line
    quoted_idx = np.nonzero(quoted)[0]
    q_rows: list[list[str]] = []
    q_pos: list[int] = []
    for i in quoted_idx:
        line = str(body_lines[int(i)].as_py())
        fields = _parse_line(line)
        if fields is None:
            malformed.append(Malformed(int(nums[i]), line, "unbalanced quotes"))
        elif len(fields) != ncol:
            malformed.append(
                Malformed(int(nums[i]), line, f"{len(fields)} fields, header has {ncol}")
            )
        else:
            q_rows.append(fields)
            q_pos.append(int(i))

    pos = np.concatenate([pos_simple, np.array(q_pos, dtype=np.int64)])
    order = np.argsort(pos, kind="stable")
    order_arr = pa.array(order, pa.int64())
    columns: dict[str, pa.Array] = {}
    for j, name in enumerate(header):
        a = cols_simple[j].cast(pa.large_string())
        b = pa.array([r[j] for r in q_rows], pa.large_string())
        columns[name] = pa.concat_arrays([a, b]).take(order_arr).cast(pa.string())
    pos_sorted = pos[order]
    malformed.sort(key=lambda m: m.line)
    return RawTable(
        table=spec.name,
        file=file,
        header=header,
        columns=columns,
        lines=nums[pos_sorted],
        texts=body_lines.take(pa.array(pos_sorted, pa.int64())),
        malformed=malformed,
    )


def _to_string(col: pa.ChunkedArray) -> pa.Array:
    arr = col.combine_chunks()
    t = arr.type
    if pa.types.is_string(t):
        return arr
    if pa.types.is_large_string(t):
        return arr.cast(pa.string())
    if pa.types.is_timestamp(t):
        return pc.strftime(arr, "%Y-%m-%d %H:%M:%S")
    if pa.types.is_boolean(t):
        return pc.if_else(arr, "1", "0")
    if pa.types.is_dictionary(t):
        return arr.cast(pa.string())
    return arr.cast(pa.string())


def read_parquet(path: Path, spec: TableSpec, file: str) -> RawTable:
    """Return the rows of a Parquet file as string columns (line = row number + 1)."""
    try:
        tbl = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise LoadError(
            f"{file}: not a readable Parquet file ({str(exc).splitlines()[0]})"
        ) from None
    names = list(tbl.column_names)
    missing = [c for c in spec.required if c not in names]
    if missing:
        raise LoadError(
            f"{file}: lacks required column(s) {', '.join(missing)} for table {spec.name}"
        )
    try:
        columns = {n: _to_string(tbl[n]) for n in names}
    except (pa.ArrowException, ValueError) as exc:
        raise LoadError(f"{file}: a column cannot be read as text ({exc})") from None
    return RawTable(
        table=spec.name,
        file=file,
        header=names,
        columns=columns,
        lines=np.arange(2, tbl.num_rows + 2, dtype=np.int64),
        texts=None,
    )


def read_table(path: Path, spec: TableSpec, encoding: str, file: str) -> RawTable:
    """Return the rows of a CSV or Parquet file; raise LoadError for an unreadable file."""
    if not path.is_file():
        raise LoadError(f"{file}: file named in manifest.yaml for {spec.name} does not exist")
    if path.suffix.lower() in (".parquet", ".pq"):
        return read_parquet(path, spec, file)
    return read_csv(path, spec, encoding, file)
