"""Report strings in every language: one JSON file per language, keyed like ``en.json``.

Adding a language is adding a file. A key missing from a language falls back to
English, so a partial translation still gives a complete report. The
pseudo-language ``xx`` wraps every English string in ⟦…⟧: rendering the report
in it shows at a glance (and lets a test check) which visible text does not
come from these files.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

PSEUDO = "xx"
FALLBACK = "en"


@lru_cache(maxsize=16)
def strings(lang: str) -> dict[str, str]:
    """The raw strings of ``lang`` (empty for an unknown language)."""
    f = resources.files("reflet.report").joinpath(f"i18n/{lang}.json")
    if not f.is_file():
        return {}
    return {k: v for k, v in json.loads(f.read_text("utf-8")).items() if not k.startswith("_")}


def languages() -> list[str]:
    """Every language with a translation file, plus the pseudo-language."""
    folder = resources.files("reflet.report").joinpath("i18n")
    return [*sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json")), PSEUDO]


@lru_cache(maxsize=16)
def _remediation(lang: str) -> dict[str, dict[str, object]]:
    f = resources.files("reflet.report").joinpath(f"i18n/remediation/{lang}.json")
    if not f.is_file():
        return {}
    return {k: v for k, v in json.loads(f.read_text("utf-8")).items() if not k.startswith("_")}


class Translator:
    """``t("key", n=3)``: the string for ``key`` in this language, formatted with ``str.format``."""

    def __init__(self, lang: str) -> None:
        self.pseudo = lang == PSEUDO
        self.lang = FALLBACK if self.pseudo or not strings(lang) else lang
        self._own = strings(self.lang)
        self._en = strings(FALLBACK)

    def has(self, key: str) -> bool:
        return key in self._own or key in self._en

    def remediation(self, key: str | None, n_steps: int) -> dict[str, object] | None:
        """The translated title and steps of remediation entry ``key`` (as resolved by ``lookup``), if any.

        A translation whose number of steps differs from the English one is stale: ignored."""
        entry = _remediation(self.lang).get(key or "") if self.lang != FALLBACK else None
        if not entry or len(entry.get("steps", [])) != n_steps:  # type: ignore[arg-type]
            return None
        return entry

    def __call__(self, key: str, /, default: str | None = None, **kw: object) -> str:
        text = self._own.get(key) or self._en.get(key)
        if text is None:
            if default is None:
                raise KeyError(f"report string {key!r} is missing from {FALLBACK}.json")
            text = default
        if kw:
            text = text.format(**kw)
        return f"⟦{text}⟧" if self.pseudo else text


__all__ = ["FALLBACK", "PSEUDO", "Translator", "languages", "strings"]
