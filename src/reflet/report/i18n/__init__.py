"""Report and command-line strings in every language: one JSON file per language, keyed like ``en.json``.

Adding a language is adding a file. A key missing from a language falls back to
English, so a partial translation still gives a complete report. The
pseudo-language ``xx`` wraps every English string in ⟦…⟧: rendering the report
in it shows at a glance (and lets a test check) which visible text does not
come from these files.

A string is a small template:

* ``{name}`` inserts a value, formatted for the language by its type (numbers get
  the language's digit grouping; a list becomes "A, B and C");
* ``{name:spec}`` says how: ``int``, ``dec1``, ``pct``, ``m`` (metres), ``distance``
  (metres, or km from 1 km), ``km``, ``deg`` (a coordinate), ``date``, ``shortdate``,
  ``month`` (month and year), ``daymon`` (day and short month), ``weekday``/``weekdays``/``wkshort``
  (0 = Monday), ``country``,
  ``countries``, ``platform`` (a platform id shown by its name), ``platforms`` (a list of them),
  ``list``, ``commas`` ("a, b"), ``semi`` ("a; b"), ``sentences`` (joined by spaces);
* ``{n|one form|other form}`` chooses by the plural rule in ``fmt.plural_one``
  (``n=1``: exactly one; ``i=0,1``: the whole part is 0 or 1, as in French);
  a language with more plural forms than two needs that rule extended here.

A value may itself be a message, ``{"key": ..., "args": {...}}`` (a nested phrase):
it is translated, not shown as data. Everything else inserted is data (a number,
a name, a place), and the HTML marks it with ``class="v"``.
"""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from reflet.platforms import display

PSEUDO = "xx"
FALLBACK = "en"

_FIELD = re.compile(r"\{(\w+)(?::(\w+))?((?:\|[^|{}]*)+)?\}")


@lru_cache(maxsize=16)
def strings(lang: str) -> dict[str, str]:
    """The raw strings of ``lang`` (empty for an unknown language)."""
    if not re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?", lang or ""):
        return {}
    f = resources.files("reflet.report").joinpath(f"i18n/{lang}.json")
    if not f.is_file():
        return {}
    return {k: v for k, v in json.loads(f.read_text("utf-8")).items() if not k.startswith("_")}


def languages() -> list[str]:
    """Every language with a translation file, plus the pseudo-language."""
    folder = resources.files("reflet.report").joinpath("i18n")
    return [*sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json")), PSEUDO]


def fields(text: str) -> list[tuple[str, str | None, list[str] | None]]:
    """The placeholders of a string: (name, spec, plural forms)."""
    return [(m.group(1), m.group(2), m.group(3).split("|")[1:] if m.group(3) else None)
            for m in _FIELD.finditer(text)]


@lru_cache(maxsize=16)
def _remediation(lang: str) -> dict[str, dict[str, object]]:
    f = resources.files("reflet.report").joinpath(f"i18n/remediation/{lang}.json")
    if not f.is_file():
        return {}
    return {k: v for k, v in json.loads(f.read_text("utf-8")).items() if not k.startswith("_")}


@lru_cache(maxsize=16)
def _countries(lang: str) -> gettext.NullTranslations:
    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


def is_message(v: object) -> bool:
    return isinstance(v, Mapping) and isinstance(v.get("key"), str) and "args" in v


# A piece of rendered text: (text, is_data).
Piece = tuple[str, bool]


class Translator:
    """``t("key", n=3)``: the string for ``key`` in this language; ``t.message(key, args)`` for findings."""

    def __init__(self, lang: str) -> None:
        self.pseudo = lang == PSEUDO
        self.lang = FALLBACK if self.pseudo or not strings(lang) else lang
        self._own = strings(self.lang)
        self._en = strings(FALLBACK)
        rule = self._get("fmt.plural_one") or "n=1"
        kind, _, values = rule.partition("=")
        self._plural = (kind.strip(), {int(x) for x in values.split(",") if x.strip()})

    # -- lookup ------------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        return key in self._own or key in self._en

    def own(self, key: str) -> str | None:
        """This language's own string for ``key``, without falling back to English."""
        return self._own.get(key)

    def _get(self, key: str) -> str | None:
        return self._own.get(key) or self._en.get(key)

    def remediation(self, key: str | None, n_steps: int) -> dict[str, object] | None:
        """The translated title and steps of remediation entry ``key`` (as resolved by ``lookup``), if any.

        A translation whose number of steps differs from the English one is stale: ignored."""
        entry = _remediation(self.lang).get(key or "") if self.lang != FALLBACK else None
        if not entry or len(entry.get("steps", [])) != n_steps:  # type: ignore[arg-type]
            return None
        return entry

    def __call__(self, key: str, /, default: str | None = None, **kw: object) -> str:
        text = self._get(key)
        if text is None:
            if default is None:
                raise KeyError(f"report string {key!r} is missing from {FALLBACK}.json")
            text = default
        if kw:
            text = "".join(p for p, _ in self._pieces(text, kw))
        return f"⟦{text}⟧" if self.pseudo else text

    # -- messages (findings) -----------------------------------------------------------------
    def message(self, key: str, args: Mapping[str, Any] | None = None) -> str:
        """A message as plain text (terminal, JSON)."""
        text = "".join(p for p, _ in self._message(key, args or {}))
        return f"⟦{text}⟧" if self.pseudo else text

    def message_html(self, key: str, args: Mapping[str, Any] | None = None) -> Markup:
        """A message as HTML: data values in ``<span class="v">``, and in the pseudo-language each run of
        translated text wrapped in ⟦…⟧ (so a test can tell translated text from data)."""
        out = []
        for text, data in _merge(self._message(key, args or {})):
            if data:
                out.append(Markup('<span class="v">{}</span>').format(text))
            elif self.pseudo and text.strip():
                out.append(escape(f"⟦{text}⟧"))
            else:
                out.append(escape(text))
        return Markup("").join(out)

    def _message(self, key: str, args: Mapping[str, Any]) -> list[Piece]:
        text = self._get(key)
        if text is None:
            raise KeyError(f"message {key!r} is missing from {FALLBACK}.json")
        return self._pieces(text, args)

    def _pieces(self, text: str, args: Mapping[str, Any]) -> list[Piece]:
        out: list[Piece] = []
        pos = 0
        for m in _FIELD.finditer(text):
            if m.start() > pos:
                out.append((text[pos:m.start()], False))
            pos = m.end()
            name, spec, forms = m.group(1), m.group(2), m.group(3)
            if name not in args:
                raise KeyError(f"string {text!r} needs a value for {name!r}")
            value = args[name]
            if forms:
                out.append((self.plural(value, forms.split("|")[1:]), False))
            else:
                out.extend(self._value(value, spec))
        if pos < len(text):
            out.append((text[pos:], False))
        return out

    # -- formatting --------------------------------------------------------------------------
    def plural(self, n: Any, forms: list[str]) -> str:
        kind, ones = self._plural
        try:
            x = float(n)
        except (TypeError, ValueError):
            x = 2.0
        one = (int(abs(x)) in ones) if kind == "i" else (x == int(x) and int(abs(x)) in ones)
        return forms[0] if one or len(forms) == 1 else forms[1]

    def _value(self, v: Any, spec: str | None) -> list[Piece]:
        if is_message(v):
            return self._message(v["key"], v["args"])
        lists = ("list", "semi", "sentences", "countries", "platforms", "commas")
        if spec in lists or (spec is None and isinstance(v, list | tuple)):
            each = {"countries": "country", "platforms": "platform"}.get(spec or "")
            items = [self._value(x, each) for x in (v or [])]
            if spec == "semi":
                return _join(items, "; ")
            if spec == "commas":
                return _join(items, self._get("fmt.list.sep") or ", ")
            if spec == "sentences":
                return _join(items, " ")
            return self.join(items)
        return [(self.format(v, spec), True)]

    def join(self, items: list[list[Piece]]) -> list[Piece]:
        """'A, B and C' (or 'A, B et C', 'A, B y C', 'A e Irlanda' in Spanish)."""
        out: list[Piece] = []
        for i, item in enumerate(items):
            if i and i == len(items) - 1:
                last = self._get("fmt.list.last") or " and "
                if "fmt.list.last_i" in self._own and _i_sound("".join(p for p, _ in item)):
                    last = self._own["fmt.list.last_i"]
                out.append((last, False))
            elif i:
                out.append((self._get("fmt.list.sep") or ", ", False))
            out.extend(item)
        return out

    def format(self, v: Any, spec: str | None = None) -> str:
        """One value as text in this language."""
        if v is None:
            return "?"
        if spec in ("date", "shortdate", "month", "daymon"):
            return self.date(v, spec)
        if spec in ("weekday", "weekdays", "wkshort"):
            return self._get(f"fmt.{spec}.{int(v) % 7}") or str(v)
        if spec == "country":
            return self.country(str(v))
        if spec == "platform":
            return self.platform(str(v))
        if spec == "deg":
            return f"{float(v):.5f}"
        if isinstance(v, bool) or not isinstance(v, int | float):
            return str(v)
        if spec == "int":
            return self.number(v, 0)
        if spec == "dec1":
            return self.number(v, 1)
        if spec == "pct":
            return (self._get("fmt.percent") or "{n}%").replace("{n}", self.number(v * 100, 0))
        if spec == "m":
            return self._unit("fmt.m", self.number(v, 0))
        if spec == "distance":
            return self.distance(float(v))
        if spec == "km":
            return self._unit("fmt.km", self.number(v, 1 if v < 10 else 0))
        if isinstance(v, float) and v != int(v):
            return self.number(v, 1)
        return self.number(v, 0)

    def _unit(self, key: str, n: str) -> str:
        return (self._get(key) or "{n}").replace("{n}", n)

    def distance(self, metres: float) -> str:
        if metres < 1000:
            return self._unit("fmt.m", self.number(metres, 0))
        return self._unit("fmt.km", self.number(metres / 1000, 1))

    def number(self, v: float, decimals: int = 0) -> str:
        """Digit grouping and decimal mark of the language: 12,345.6 / 12 345,6 / 12.345,6."""
        text = f"{abs(v):.{decimals}f}"
        whole, _, frac = text.partition(".")
        if len(whole) >= int(self._get("fmt.group_min") or "4"):
            sep = self._get("fmt.group") or ","
            whole = sep.join(whole[max(i - 3, 0):i] for i in range(len(whole), 0, -3)[::-1])
        sign = "-" if v < 0 and float(text) != 0 else ""
        return sign + whole + ((self._get("fmt.decimal") or ".") + frac if frac else "")

    def date(self, v: Any, spec: str = "date") -> str:
        """'2 March 2024' / '2 mars 2024' / '2 de marzo de 2024'; ``month``: 'March 2024'."""
        d = _as_date(v)
        if d is None:
            return str(v)
        if spec == "month":
            key, month = "fmt.month_year", self._get(f"fmt.month.{d.month}")
        else:
            key = {"date": "fmt.date", "shortdate": "fmt.shortdate", "daymon": "fmt.daymon"}[spec]
            month = self._get(f"fmt.{'month' if spec == 'date' else 'mon'}.{d.month}")
        day = (self._get("fmt.day1") or "1") if d.day == 1 else str(d.day)
        return ((self._get(key) or "{day} {month} {year}").replace("{day}", day)
                .replace("{month}", month or str(d.month)).replace("{year}", str(d.year)))

    def platform(self, pid: str | None) -> str:
        """A platform's name ("X", "TikTok"; "Photos" is translated) from its id in the records."""
        return self._get(f"platform.{pid}") or display(pid)

    def country(self, code: str | None) -> str:
        """The country's usual name in this language (ISO 3166 names from pycountry, with overrides)."""
        if not code:
            return "?"
        cc = code.upper()
        own = self._own.get(f"country.{cc}")
        if own:
            return own
        import pycountry

        c = pycountry.countries.get(alpha_2=cc)
        if c is None:
            return code
        common = getattr(c, "common_name", None)
        if self.lang == FALLBACK:
            name = str(common or c.name)
        else:
            tr = _countries(self.lang)
            name = tr.gettext(common) if common and tr.gettext(common) != common else tr.gettext(c.name)
        # ISO's inverted forms ("Russie, Fédération de") read badly in a sentence: the short name.
        return name.split(", ")[0] if ", " in name and not common else name


def _as_date(v: Any) -> date | None:
    if isinstance(v, datetime | date):
        return v
    try:
        return datetime.fromisoformat(str(v)) if len(str(v)) > 10 else date.fromisoformat(str(v)[:10])
    except ValueError:
        try:
            return date.fromisoformat(str(v)[:7] + "-01")
        except ValueError:
            return None


def _i_sound(word: str) -> bool:
    """Spanish writes 'e' for 'and' before the sound /i/: 'España e Italia', not before 'hie'."""
    w = word.strip().lower()
    return w.startswith(("i", "í")) or (w.startswith(("hi", "hí")) and not w.startswith(("hia", "hie", "hio", "hiu")))


def _join(items: list[list[Piece]], sep: str) -> list[Piece]:
    out: list[Piece] = []
    for i, item in enumerate(items):
        if i:
            out.append((sep, False))
        out.extend(item)
    return out


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Adjacent pieces of the same kind as one (one span per value, one ⟦…⟧ per run of text)."""
    out: list[Piece] = []
    for text, data in pieces:
        if out and out[-1][1] == data and not data:
            out[-1] = (out[-1][0] + text, data)
        else:
            out.append((text, data))
    return out


@lru_cache(maxsize=16)
def translator(lang: str) -> Translator:
    """A shared translator (they hold no state but the language)."""
    return Translator(lang)


__all__ = ["FALLBACK", "PSEUDO", "Translator", "fields", "is_message", "languages", "strings", "translator"]
