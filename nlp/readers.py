"""Turn files (plain text in UTF-8/GBK/GB18030/UTF-16, .docx, HTML) into text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_HTML_HINT = re.compile(rb"<\s*(?:html|body|div|p|head|meta|span|table|br)\b", re.I)
_META_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)


class UnreadableFileError(ValueError):
    """Raised when a file cannot be read or converted to text."""


def decode_bytes(data: bytes) -> str:
    """Return text decoded from bytes: BOMs first, then strict UTF-8, then GB18030 (⊇ GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for enc in ("gb18030", "big5"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")


def html_to_text(html: str | bytes) -> str:
    """Return the visible text of an HTML page, one block element per line."""
    from bs4 import BeautifulSoup

    if isinstance(html, bytes):
        m = _META_CHARSET.search(html[:4096])
        text = None
        if m:
            try:
                text = html.decode(m.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                text = None
        html = text if text is not None else decode_bytes(html)
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    _table_rows_to_lines(soup)
    for br in soup.find_all("br"):
        br.replace_with("\n")
    text = soup.get_text("\n")
    return re.sub(r"\n\s*\n+", "\n", text)


def _table_rows_to_lines(soup: Any) -> None:
    """Replace each table row of two or more cells by one line, its cells joined by a tab (as a
    table pasted as text reads: `当事人名称⇥行政处罚决定书文号⇥…`); a cell's paragraphs are joined
    without a break (`行政处罚<br>决定书文号` → `行政处罚决定书文号`). Rows that hold a table are left alone."""
    from bs4 import NavigableString

    for tr in soup.find_all("tr"):
        if tr.find("table") is not None:
            continue
        cells = tr.find_all(["td", "th"], recursive=False)
        if len(cells) < 2:
            continue
        texts = [re.sub(r"\s+", " ", "".join(t.strip() for t in c.stripped_strings)).strip() for c in cells]
        tr.replace_with(NavigableString("\n" + "\t".join(texts) + "\n"))


def docx_to_text(path: str | Path) -> str:
    """Return the paragraphs (and table cells) of a .docx file as lines of text."""
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("  ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def looks_like_html(data: bytes) -> bool:
    """Return True if the first bytes look like an HTML document."""
    return bool(_HTML_HINT.search(data[:2048]))


def read_text(path: str | Path) -> str:
    """Return the text of a file, detecting .docx, HTML and the text encoding."""
    p = Path(path)
    try:
        if p.suffix.lower() == ".docx":
            return docx_to_text(p)
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"cannot read {p}: {exc.strerror or exc}") from exc
    except Exception as exc:  # python-docx raises zipfile/KeyError/lxml errors on bad files
        raise UnreadableFileError(f"cannot read {p}: not a valid .docx file ({exc})") from exc
    if data.startswith(b"PK\x03\x04"):
        try:
            return docx_to_text(p)
        except Exception as exc:
            raise UnreadableFileError(f"cannot read {p}: unsupported zip/office file") from exc
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFileError(f"cannot read {p}: legacy .doc files are not supported")
    if p.suffix.lower() in (".html", ".htm", ".xhtml") or looks_like_html(data):
        return html_to_text(data)
    if b"\x00" in data[:1024] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(f"cannot read {p}: binary file")
    return decode_bytes(data)
