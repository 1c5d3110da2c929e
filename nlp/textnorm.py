"""Length-preserving text normalisation for Chinese legal documents."""

from __future__ import annotations

import re
import unicodedata

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, ideographic space -> space; a 1:1 char map so that
# offsets in the normalised text are offsets in the original text.
_FW = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FW[0x3000] = 0x20
_FW[0x00A0] = 0x20
_FW[0x2002] = 0x20
_FW[0x2003] = 0x20
_FW[0x200B] = 0x20  # zero-width space
_FW[0xFEFF] = 0x20
_FW[0x2014] = 0x2D  # em dash -> '-' (only used for matching)
_FW[0x2236] = 0x3A  # RATIO ∶ used as colon
_FW[0xFE30] = 0x3A
_FW[0x00B7] = 0x00B7
_FW[0x2027] = 0x00B7
_FW[0x30FB] = 0x00B7  # katakana middle dot used in minority names
_FW[0xFF65] = 0x00B7
_FW[0x2024] = 0x2E
_FW[0xFE52] = 0x2E
_TABLE = _FW

# half-width punctuation we keep in CJK form in names
_NAME_PUNCT = str.maketrans({"(": "（", ")": "）"})


def to_halfwidth(text: str) -> str:
    """Return ``text`` with full-width ASCII/spaces mapped to half-width; same length."""
    return text.translate(_TABLE)


_DOUBLED_LABEL = re.compile(r"((?:([\u4e00-\u9fff])\2){2,8})([:：])\3((?:([^\s:：])\5){2,40}(?=[\s，,。；;]|$))?")
# three or more doubled characters in a row never occur in running text: an OCR-doubled label
# (`行行政政处处罚罚决决定定书书文文号号`, `主主要要违违法法…（（案案由由））`)
_DOUBLED_RUN = re.compile(r"(?:([\u4e00-\u9fff（）()])\1){3,30}")


def undouble_labels(text: str) -> str:
    """Return text with OCR-doubled labels undone (`当当事事人人：：张张某某` → `当事人：张某`,
    `作作出出处处罚罚决决定定的的日日期期` → `作出处罚决定的日期`)."""
    # the value after a doubled label is doubled too when it is made only of pairs (`：：张张某某` → `：张某`)
    text = _DOUBLED_LABEL.sub(lambda m: m.group(1)[::2] + m.group(3) + (m.group(4) or "")[::2], text)
    return _DOUBLED_RUN.sub(lambda m: m.group(0)[::2], text)


# Labels of a penalty disclosure table (行政处罚信息公开表); pasted from a web or PDF table the value
# follows after a space, a tab or a line break instead of a colon.
_TABLE_LABELS = (
    "行政处罚决定书文号", "被处罚当事人姓名或名称", "被处罚当事人姓名或全称", "被处罚当事人名称", "被处罚当事人姓名", "法定代表人（主要负责人）姓名",
    "法定代表人(主要负责人)姓名", "主要负责人姓名", "法定代表人姓名", "个人姓名", "单位名称",
    "主要违法违规事实（案由）", "主要违法违规事实(案由)", "主要违法违规事实", "行政处罚依据", "行政处罚决定",
    "作出处罚决定的机关名称", "作出处罚决定的日期", "作出行政处罚决定的机关名称", "作出行政处罚决定的日期",
)
_TABLE_LABEL_RE = re.compile(
    r"(?<![\u4e00-\u9fff])(" + "|".join(re.escape(x) for x in sorted(_TABLE_LABELS, key=len, reverse=True))
    + r")(?:[ \t\u3000]+\n?|\n)[ \t\u3000]*(?=[^\s:：(（])"
)


def colon_table_labels(text: str) -> str:
    """Return a penalty disclosure table with a colon after each label written without one
    (`单位名称 某银行` → `单位名称：某银行`); other texts unchanged."""
    if len({m.group(1) for m in _TABLE_LABEL_RE.finditer(text)}) < 3:
        return text
    # the party's row split over cells (`单位⇥名称⇥某银行`, `单  位` / `名称` on lines of their own)
    text = _SPLIT_UNIT_LABEL.sub("单位名称", text)
    text = _SPLIT_PERSON_LABEL.sub("个人姓名", text)
    return _TABLE_LABEL_RE.sub(lambda m: m.group(1) + "：", text)


_SPLIT_UNIT_LABEL = re.compile(r"(?<![\u4e00-\u9fff])单[ \t\u3000]*位[ \t\u3000]*\n?[ \t\u3000]*名[ \t\u3000]*称(?![\u4e00-\u9fff])")
_SPLIT_PERSON_LABEL = re.compile(r"(?<![\u4e00-\u9fff])个[ \t\u3000]*人[ \t\u3000]*\n?[ \t\u3000]*姓[ \t\u3000]*名(?![\u4e00-\u9fff])")


def clean_input(text: str) -> str:
    """Return text with normalised newlines and control characters removed (may change length)."""
    text = colon_table_labels(undouble_labels(text.replace("\r\n", "\n").replace("\r", "\n")))
    text = "".join(
        ch if ch == "\n" or ch == "\t" or unicodedata.category(ch)[0] != "C" else " "
        for ch in text
    )
    return text


def norm_name(name: str) -> str:
    """Return a canonical form of a party name: no spaces, ASCII digits/letters, （） brackets."""
    name = to_halfwidth(name)
    name = re.sub(r"\s+", "", name)
    name = name.translate(_NAME_PUNCT)
    name = name.strip("，,。.;；:：、")
    return name




def split_lines(text: str) -> list[tuple[int, str]]:
    """Split text into non-empty lines, returning (offset, stripped line)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            out.append((pos + raw.find(stripped[0]), stripped))
        pos += len(raw) + 1
    return out
