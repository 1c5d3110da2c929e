"""The process-wide jieba dictionary and spaCy pipeline (blank ``zh`` with jieba segmentation)."""

from __future__ import annotations

import logging
import threading
import warnings
from functools import lru_cache
from importlib import resources
from typing import Any

_LOCK = threading.Lock()

# Entity patterns for guarantee clauses. GTYPE: kind of security; LIAB: liability phrase.
GTYPE_TERMS = ["最高额连带责任保证", "连带责任保证", "连带保证", "最高额保证", "一般保证", "最高额抵押",
               "最高额质押", "抵押担保", "质押担保", "抵押", "质押", "保证担保", "保证"]
LIAB_TERMS = ["连带清偿责任", "连带保证责任", "连带偿还责任", "连带给付责任", "连带还款责任",
              "连带赔偿责任", "连带责任", "补充赔偿责任", "补充清偿责任", "保证责任", "担保责任",
              "清偿责任", "优先受偿", "优先受偿权"]


@lru_cache(maxsize=1)
def load_jieba() -> Any:
    """Return the jieba module with the legal user dictionary loaded (once per process)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba

    with _LOCK:
        jieba.setLogLevel(logging.WARNING)
        ref = resources.files("guanxi.nlp").joinpath("resources/legal_userdict.txt")
        with resources.as_file(ref) as path:
            jieba.load_userdict(str(path))
        for term in GTYPE_TERMS + LIAB_TERMS:
            jieba.add_word(term, freq=200000)
        jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def get_nlp() -> Any:
    """Return the shared spaCy ``zh`` pipeline: jieba tokenizer plus an EntityRuler."""
    import spacy

    load_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler: Any = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"})
    patterns: list[dict[str, Any]] = []
    for t in GTYPE_TERMS:
        patterns.append({"label": "GTYPE", "pattern": [{"ORTH": t}]})
    for t in LIAB_TERMS:
        patterns.append({"label": "LIAB", "pattern": [{"ORTH": t}]})
    # '连带' '责任' split by jieba in some contexts
    patterns.append({"label": "LIAB", "pattern": [{"ORTH": "连带"}, {"ORTH": {"IN": ["清偿", "保证", "偿还", "给付", "赔偿"]}}, {"ORTH": "责任"}]})
    patterns.append({"label": "LIAB", "pattern": [{"ORTH": "连带"}, {"ORTH": "责任"}]})
    patterns.append({"label": "LIAB", "pattern": [{"ORTH": "优先"}, {"ORTH": "受偿"}]})
    patterns.append({"label": "NEG", "pattern": [{"ORTH": {"IN": ["驳回", "不承担", "不应", "免除", "无需", "不予支持", "不予"]}}]})
    ruler.add_patterns(patterns)
    return nlp
