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
    """The well-formed rows of one file as string columns, plus the malformed ones.

    For a CSV, `texts` is a zero-copy view of the file's lines (over the bytes read, not a
    copy) and `text_index` maps each well-formed row to its line in it.
    """

    table: str
    file: str
    header: list[str]
    columns: dict[str, pa.Array]
    lines: np.ndarray
    texts: pa.Array | None
    malformed: list[Malformed] = field(default_factory=list)
    text_index: np.ndarray | None = None

    @property
    def num_rows(self) -> int:
        """Return the number of well-formed rows."""
        return len(self.lines)

    @property
    def read(self) -> int:
        """Return the number of data rows in the file (well-formed and malformed)."""
        return self.num_rows + len(self.malformed)

    def slice(self, start: int, length: int) -> RawTable:
        """Return rows `start`…`start + length` as a table of their own (malformed rows stay
        with the whole file)."""
        end = start + length
        return RawTable(
            table=self.table,
            file=self.file,
            header=self.header,
            columns={k: v.slice(start, length) for k, v in self.columns.items()},
            lines=self.lines[start:end],
            texts=self.texts,
            text_index=None if self.text_index is None else self.text_index[start:end],
        )

    def text_at(self, positions: np.ndarray) -> list[str]:
        """Return the original line text of the well-formed rows at `positions`."""
        if self.texts is not None:
            at = positions if self.text_index is None else self.text_index[positions]
            picked = pc.utf8_rtrim(self.texts.take(pa.array(at, pa.int64())), "\r\n")
            return [str(t) for t in picked.to_pylist()]
        idx = pa.array(positions, pa.int64())
        cols = {k: v.take(idx).to_pylist() for k, v in self.columns.items()}
        return [
            json.dumps({k: cols[k][i] for k in cols}, ensure_ascii=False)
            for i in range(len(positions))
        ]


def _as_text(body: bytes | memoryview) -> pa.LargeStringArray:
    """Return `body` as a one-element string array over the same memory (no copy)."""
    offsets = pa.py_buffer(np.array([0, len(body)], dtype=np.int64))
    return pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(body))


def decode_check(data: bytes, encoding: str, file: str) -> bytes | memoryview:
    """Return `data` as UTF-8 bytes (BOM removed), or raise LoadError naming the byte offset."""
    if encoding == "utf-8":
        start = 3 if data.startswith(BOM) else 0
        body = memoryview(data)[start:]
        try:
            _as_text(body).validate(full=True)
            return body
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
        try:
            bytes(body).decode("utf-8")
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


SCAN_BYTES = 1 << 26  # newline search window
SPLIT_LINES = 500_000  # lines split into fields at a time


def _line_view(body: bytes | memoryview) -> pa.LargeStringArray:
    """Return every line of `body` (with its line break) as a string array over `body`."""
    buf = np.frombuffer(body, dtype=np.uint8)
    breaks = [
        np.flatnonzero(buf[i : i + SCAN_BYTES] == 10) + (i + 1)
        for i in range(0, len(buf), SCAN_BYTES)
    ]
    ends = np.concatenate([np.zeros(1, np.int64), *breaks]).astype(np.int64)
    if ends[-1] != len(buf):
        ends = np.append(ends, np.int64(len(buf)))
    return pa.LargeStringArray.from_buffers(len(ends) - 1, pa.py_buffer(ends), pa.py_buffer(body))


def _split_simple(
    lines: pa.Array, idx: np.ndarray, ncol: int
) -> tuple[list[pa.Array], np.ndarray, np.ndarray]:
    """Split the quote-free lines `idx` on commas: (columns, kept idx, field counts of the rest)."""
    parts = pc.split_pattern(pc.utf8_rtrim(lines.take(pa.array(idx, pa.int64())), "\r\n"), ",")
    nfields = pc.list_value_length(parts).to_numpy(zero_copy_only=False)
    ok = nfields == ncol
    good = parts.filter(pa.array(ok))
    return [pc.list_element(good, j) for j in range(ncol)], idx[ok], nfields[~ok]


def read_csv(path: Path, spec: TableSpec, encoding: str, file: str) -> RawTable:
    """Return the rows of a CSV file as string columns; raise LoadError if it is unreadable.

    The split works on a zero-copy view of the bytes read, `SPLIT_LINES` lines at a time, so
    peak memory stays near twice the file size whatever the row count.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{file}: cannot read ({exc.strerror})") from None
    first = data[: data.find(b"\n")] if b"\n" in data else data
    if b"\x00" in first and encoding == "utf-8":
        raise LoadError(f"{file}: binary data, not a CSV file")
    body = decode_check(data, encoding, file)
    del data
    if not bytes(body[:4096]).strip() and not bytes(body).strip():
        raise LoadError(f"{file}: empty file (no header line)")
    view = _line_view(body)
    header = _header(str(view[0].as_py()).rstrip("\r\n"), file, spec)
    ncol = len(header)
    # per line after the header: its length without the break, and NUL / quote flags
    trimmed_len = np.empty(len(view) - 1, np.int64)
    nul = np.zeros(len(view) - 1, bool)
    quoted = np.zeros(len(view) - 1, bool)
    for a in range(1, len(view), SPLIT_LINES):
        chunk = pc.utf8_rtrim(view.slice(a, SPLIT_LINES), "\r\n")
        sl = slice(a - 1, a - 1 + len(chunk))
        trimmed_len[sl] = pc.utf8_length(chunk).to_numpy(zero_copy_only=False)
        nul[sl] = pc.match_substring(chunk, "\x00").to_numpy(zero_copy_only=False)
        quoted[sl] = pc.match_substring(chunk, '"').to_numpy(zero_copy_only=False)
        del chunk
    nonblank = trimmed_len > 0
    line_idx = np.nonzero(nonblank)[0] + 1  # index into `view`; its line number is +1
    nul, quoted = nul[nonblank], quoted[nonblank]
    malformed: list[Malformed] = []

    def text(i: int) -> str:
        return str(view[int(i)].as_py()).rstrip("\r\n")

    for i in line_idx[nul]:
        malformed.append(Malformed(int(i) + 1, text(i).replace("\x00", "\\0"), "NUL byte in the line"))
    keep = ~nul
    line_idx, quoted = line_idx[keep], quoted[keep]

    # lines without quotes: vectorised split, a slice at a time
    simple_idx = line_idx[~quoted]
    col_chunks: list[list[pa.Array]] = [[] for _ in range(ncol)]
    pos_parts: list[np.ndarray] = []
    for a in range(0, len(simple_idx), SPLIT_LINES):
        part = simple_idx[a : a + SPLIT_LINES]
        cols, kept, counts = _split_simple(view, part, ncol)
        for j in range(ncol):
            col_chunks[j].append(cols[j])
        pos_parts.append(kept)
        for i, n in zip(np.setdiff1d(part, kept, assume_unique=True), counts, strict=True):
            malformed.append(Malformed(int(i) + 1, text(i), f"{int(n)} fields, header has {ncol}"))

    # lines with quotes: Python csv per line
    q_rows: list[list[str]] = []
    q_idx: list[int] = []
    for i in line_idx[quoted]:
        line = text(i)
        fields = _parse_line(line)
        if fields is None:
            malformed.append(Malformed(int(i) + 1, line, "unbalanced quotes"))
        elif len(fields) != ncol:
            malformed.append(Malformed(int(i) + 1, line, f"{len(fields)} fields, header has {ncol}"))
        else:
            q_rows.append(fields)
            q_idx.append(int(i))

    got = np.concatenate([*pos_parts, np.array(q_idx, dtype=np.int64)])
    order = np.argsort(got, kind="stable")
    in_order = bool((order == np.arange(len(order))).all())
    order_arr = pa.array(order, pa.int64())
    columns: dict[str, pa.Array] = {}
    for j, name in enumerate(header):
        pieces = [c.cast(pa.large_string()) for c in col_chunks[j]]
        col_chunks[j] = []
        pieces.append(pa.array([r[j] for r in q_rows], pa.large_string()))
        joined = pa.concat_arrays(pieces)
        del pieces
        columns[name] = (joined if in_order else joined.take(order_arr)).cast(pa.string())
    idx_sorted = got[order]
    malformed.sort(key=lambda m: m.line)
    return RawTable(
        table=spec.name,
        file=file,
        header=header,
        columns=columns,
        lines=idx_sorted + 1,
        texts=view,
        text_index=idx_sorted,
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
