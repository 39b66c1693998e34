"""The lexicon of sensitive classes and data brokers (``data/sensitive_lexicon.csv``).

Each row: class, a regular expression (case-insensitive), a label shown to the
person, and the source that justifies it. Adding a broker or a term is adding
a row; every row must cite a source.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Term:
    cls: str
    rx: re.Pattern[str]
    label: str
    source: str


CLASS_TITLES = {
    "data_broker": "data brokers",
    "money_transfer": "money transfer services",
    "immigration_legal": "immigration or legal services",
    "health": "health",
    "religion": "religion",
    "politics": "politics or activism",
    "sexuality": "sexual orientation",
    "dating": "dating",
    "ethnic_affinity": "ethnic or expat affinity",
    "language": "language",
}


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    text = resources.files("reflet.infer").joinpath("data/sensitive_lexicon.csv").read_text("utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        if not row.get("source", "").startswith("http"):
            raise ValueError(f"lexicon row without a source: {row}")
        out.append(Term(row["class"], re.compile(row["pattern"], re.IGNORECASE), row["label"], row["source"]))
    return tuple(out)


def classify(text: str) -> list[Term]:
    """Every lexicon term the text matches (one per class, first match wins)."""
    found: dict[str, Term] = {}
    for t in terms():
        if t.cls not in found and t.rx.search(text):
            found[t.cls] = t
    return list(found.values())
