"""The terminal's language: which one, its strings, and ``--help`` in it.

The language is a command's own ``--lang``, else the ``REFLET_LANG`` variable, else English.
Before a command has read its options (``--help``, errors while parsing), the raw arguments
are looked at for ``--lang xx`` / ``--lang=xx``.

Help texts: English stays in the decorators (the source); the other languages have
``help.cmd.<command>`` (the command's text) and ``help.cmd.<command>.<option>`` in their
file, and fall back to the English of the decorator when a key is missing. In English
click formats the help itself, unchanged.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from .report.i18n import Translator

ENV = "REFLET_LANG"
F = TypeVar("F", bound=Callable[..., Any])


def lang_in_args(args: Sequence[str]) -> str | None:
    """The value of ``--lang`` in raw command-line arguments, if any (the last one wins, as in click)."""
    found = None
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif a.startswith("--lang="):
            found = a.partition("=")[2]
    return found or None


def current_lang(ctx: click.Context | None = None) -> str:
    """The terminal's language now: the running command's ``--lang``, the raw arguments, ``REFLET_LANG``, English."""
    ctx = ctx or click.get_current_context(silent=True)
    c = ctx
    while c is not None:
        if isinstance(c.params.get("lang"), str) and c.params["lang"]:
            return str(c.params["lang"])
        c = c.parent
    argv = ctx.meta.get("reflet.argv") if ctx is not None else None
    return lang_in_args(argv or []) or os.environ.get(ENV) or "en"


def term(lang: str | None = None) -> Translator:
    """The translator of the terminal's language (``lang``, or the current one)."""
    from .report.i18n import translator

    return translator(lang or current_lang())


def text(t: Translator, key: str, english: str) -> str:
    """``key`` in ``t``'s language, else ``english`` (wrapped in ⟦…⟧ in the pseudo-language).

    For strings whose English lives in the code (help texts, source titles), not in en.json."""
    own = t.own(key) if t.lang != "en" else None
    if own:
        return own
    return f"⟦{english}⟧" if t.pseudo else english


def lang_option(help: str) -> Callable[[F], F]:
    """``--lang``, defaulting to ``REFLET_LANG``, then English."""
    return click.option("--lang", default="en", show_default=True, envvar=ENV, show_envvar=True, help=help)


def _english(ctx: click.Context) -> Translator | None:
    """The help's translator, or None for English (click then formats the help unchanged)."""
    t = term(current_lang(ctx))
    return None if t.lang == "en" and not t.pseudo else t


def _help_record(ctx: click.Context, cmd: click.Command, param: click.Parameter,
                 t: Translator) -> tuple[str, str] | None:
    if not isinstance(param, click.Option) or param.hidden:
        return None
    name = param.name or ""
    if name.startswith("_click") or "--help" in param.opts:
        english, key = param.help or "", "help.help"
    elif "--version" in param.opts:
        english, key = param.help or "", "help.version"
    else:
        english, key = param.help or "", f"help.cmd.{cmd.name}.{name}"
    helptext = t(key) if key in ("help.help", "help.version") else text(t, key, english)
    extra = param.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append(t("help.env", var=", ".join(extra["envvars"])))
    if "default" in extra:
        items.append(t("help.default", value=str(extra["default"])))
    if "range" in extra:
        items.append(str(extra["range"]))
    if "required" in extra:
        items.append(t("help.required"))
    if items:
        helptext = f"{helptext}  [{'; '.join(items)}]" if helptext else f"[{'; '.join(items)}]"
    return param.get_help_spec(ctx), helptext


def _short(help_text: str, limit: int) -> str:
    """The first sentence of a help text, cut to ``limit`` characters at a word."""
    if help_text.startswith("⟦") and help_text.endswith("⟧"):  # the pseudo-language: wrapped again
        return "⟦" + _short(help_text[1:-1], limit - 2) + "⟧"
    first = " ".join(inspect.cleandoc(help_text).split("\n\n")[0].split())
    first = first.split(". ")[0].removesuffix(".")
    if len(first) <= limit:
        return first
    return first[:limit - 3].rsplit(" ", 1)[0] + "..."


class _Translated:
    """What a reflet command or group formats differently when the language is not English."""

    name: str | None
    help: str | None

    def cmd_help(self, t: Translator) -> str:
        return text(t, f"help.cmd.{self.name}", inspect.cleandoc(self.help or "").partition("\f")[0])

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        t = _english(ctx)
        if t is None:
            super().format_usage(ctx, formatter)  # type: ignore[misc]
            return
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), t("help.usage") + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        t = _english(ctx)
        if t is None:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
            return
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(self.cmd_help(t))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        t = _english(ctx)
        if t is None:
            super().format_options(ctx, formatter)  # type: ignore[misc]
            return
        rows = [r for p in self.get_params(ctx) if (r := _help_record(ctx, self, p, t))]  # type: ignore[attr-defined,arg-type]
        if rows:
            with formatter.section(t("help.options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [(n, c) for n in self.list_commands(ctx) if (c := self.get_command(ctx, n)) and not c.hidden]
            if commands:
                limit = formatter.width - 6 - max(len(n) for n, _ in commands)
                with formatter.section(t("help.commands")):
                    formatter.write_dl([(n, _short(c.cmd_help(t), limit) if isinstance(c, _Translated)
                                         else c.get_short_help_str(limit)) for n, c in commands])


class Command(_Translated, click.Command):
    """A reflet command: its ``--help`` in the terminal's language."""


class Group(_Translated, click.Group):
    """The ``reflet`` group: its ``--help`` in the terminal's language; keeps the raw arguments
    so that help and errors raised before a command reads ``--lang`` still know the language."""

    command_class = Command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["reflet.argv"] = list(args)
        return super().parse_args(ctx, args)


__all__ = ["ENV", "Command", "Group", "current_lang", "lang_in_args", "lang_option", "term", "text"]
