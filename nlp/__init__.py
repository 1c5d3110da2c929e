"""Guanxi nlp: offline extraction from Chinese judgments, rulings and penalty decisions.

``extract(text)`` and ``extract_file(path)`` return a dict following :class:`Extraction`.
"""

from .extract import extract, extract_file
from .readers import UnreadableFileError, read_text
from .schema import Amount, Extraction, Guarantee, Party, PartyDetails, Representative

__all__ = [
    "Amount",
    "Extraction",
    "Guarantee",
    "Party",
    "PartyDetails",
    "Representative",
    "UnreadableFileError",
    "extract",
    "extract_file",
    "read_text",
]
