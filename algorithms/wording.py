"""Reason texts of the front-line analyses (rings, tier drops, 整村授信) in Chinese and English.

Each analysis keeps a table ``code → (中文模板, English template)``; `say` fills one in. The
code (and the arguments) are the stable, machine-readable part a test or an export relies
on; the sentences are for people and may be reworded. Chinese is the text the workbench and
the credit committee's workbook show; English is kept beside it for the workbench's English
view.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ATTRIBUTE_ZH", "Text", "say"]

Text = tuple[str, str]
"""(Chinese, English)."""

ATTRIBUTE_ZH = {"phone": "电话", "address": "地址", "employer": "工作单位", "account": "收款账户"}
"""Chinese names of the shared-attribute kinds of `algorithms.rings`."""


def say(table: Mapping[str, Text], code: str, **args: object) -> Text:
    """Return the (Chinese, English) sentence of `code` in `table`, filled with `args`.

    >>> say({"x": ("{n} 户", "{n} households")}, "x", n=3)
    ('3 户', '3 households')
    """
    zh, en = table[code]
    return zh.format(**args), en.format(**args)
