"""Run the source fuzz harness for a long time: many examples per registered handler.

    python bench/fuzz_long.py [EXAMPLES_PER_HANDLER] [-k EXPR]

Sets ``REFLET_FUZZ_EXAMPLES`` (default 2000) and runs ``tests/test_fuzz.py`` in this
process with random (not derandomised) examples, then prints, per handler, whether
it held and how long it took. A failure shows hypothesis's smallest failing mutation.
Exit status is pytest's.
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Summary:
    """A pytest plugin collecting each test's outcome and duration."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[str, str, float]]] = defaultdict(list)

    def pytest_runtest_logreport(self, report) -> None:  # type: ignore[no-untyped-def]
        if report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
            return
        name, _, param = report.nodeid.partition("[")
        handler = param.rstrip("]") or "(all)"
        self.rows[handler].append((name.rsplit("::", 1)[-1], report.outcome, report.duration))


def main(argv: list[str]) -> int:
    examples = int(argv[0]) if argv and argv[0].isdigit() else 2000
    extra = argv[1:] if argv and argv[0].isdigit() else argv
    os.environ["REFLET_FUZZ_EXAMPLES"] = str(examples)
    os.chdir(ROOT)
    import pytest

    summary = _Summary()
    started = time.monotonic()
    code = pytest.main(["-q", "-p", "no:cacheprovider", "tests/test_fuzz.py", *extra], plugins=[summary])
    print(f"\nfuzz: {examples} examples per handler, {time.monotonic() - started:.0f} s in all")
    width = max((len(h) for h in summary.rows), default=10)
    for handler in sorted(summary.rows):
        tests = summary.rows[handler]
        bad = [t for t, outcome, _ in tests if outcome != "passed"]
        secs = sum(d for _, _, d in tests)
        state = "ok" if not bad else "FAILED: " + ", ".join(bad)
        print(f"  {handler:<{width}}  {secs:7.1f} s  {state}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
