"""Every remediation key a finding can carry resolves to steps, with an honest checked status."""

from __future__ import annotations

import re
from pathlib import Path

from reflet import remediation, sources

INFER = Path(__file__).parent.parent / "src" / "reflet" / "infer"


def test_every_topic_used_by_inference_has_generic_steps() -> None:
    used = set()
    for py in INFER.glob("*.py"):
        used |= set(re.findall(r'remediation=\[[^\]]*?\.(\w+)"', py.read_text()))
        used |= set(re.findall(r'f"\{\w+\}\.(\w+)"', py.read_text()))
    assert used, "no remediation keys found: the test would prove nothing"
    for topic in used:
        r = remediation.lookup(f"someplatform.{topic}")
        assert r is not None and r.steps, topic
    for platform in sources.platforms():
        assert remediation.lookup(f"{platform}.account_security") is not None


def test_specific_steps_win_and_unchecked_says_unverified() -> None:
    r = remediation.lookup("facebook.off_platform")
    assert r is not None and r.key == "facebook.off_platform" and "off Meta" in r.title
    assert r.status == "unverified" or r.status.startswith("checked 20")
    assert remediation.lookup("x.nothing_like_this") is None
