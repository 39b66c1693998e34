"""Public footprint: posts, located public content, contact details in public text."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from reflet.infer import public
from reflet.records import Place, Post, Provenance
from reflet.store import Store

UTC = timezone.utc
DATA = Path(__file__).parent / "data" / "contact_details.jsonl"


def _norm(s: str) -> str:
    return "".join(s.split()).lower()


def test_contact_details_scored_on_labelled_set() -> None:
    tp = fp = fn = 0
    misses = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        expected = {(e["kind"], _norm(e["text"])) for e in row["expected"]}
        found = {(d.kind, _norm(d.text)) for d in public.find_contact_details(row["text"])}
        tp += len(expected & found)
        fp += len(found - expected)
        fn += len(expected - found)
        if found != expected:
            misses.append((row["text"], sorted(found), sorted(expected)))
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    # Thresholds a user would accept: few false alarms, few missed leaks.
    assert precision >= 0.9 and recall >= 0.85, (precision, recall, misses)


def test_public_findings_from_store(tmp_path: Path) -> None:
    pub = frozenset({"records", "public"})
    recs = [
        Post(provenance=Provenance("r.zip", "posts.csv", "row 2"), platform="reddit", text="Call me 646-555-0150",
             visibility="public", channels=pub, time=datetime(2024, 1, 1, tzinfo=UTC)),
        Post(provenance=Provenance("r.zip", "posts.csv", "row 3"), platform="reddit", text="private thoughts",
             visibility="private"),
        Place(provenance=Provenance("x.zip", "data/tweets.js", "/0/coordinates"), platform="x",
              time=datetime(2024, 1, 2, tzinfo=UTC), lat=48.85, lon=2.35, kind="geotag", channels=pub),
    ]
    with Store(tmp_path / "a.duckdb") as s:
        s.insert(recs, "fp")
        found = {f.kind: f for f in public.run(s)}
    assert found["public.posts"].evidence_count == 1
    assert found["public.located"].evidence[0].locator == "/0/coordinates"
    leak = found["public.contact_details"]
    assert leak.channel == "public" and leak.evidence[0].summary == "phone: 646-555-0150"
