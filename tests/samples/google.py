"""Google samples (formats.md section 3)."""

from __future__ import annotations

import json

_RECORDS = {
    "locations": [
        {"latitudeE7": 488566000, "longitudeE7": 23522000, "accuracy": 12, "source": "WIFI",
         "deviceTag": 1978796627, "timestamp": "2024-03-01T22:14:58.030Z"},
        {"latitudeE7": 488570000, "longitudeE7": 23530000, "accuracy": 5, "source": "GPS",
         "timestampMs": "1709331298030",
         "activity": [{"timestampMs": "1709331298030", "activity": [{"type": "STILL", "confidence": 90}]}]},
        {"latitudeE7": -338688000, "longitudeE7": 1512093000, "accuracy": 30, "source": "CELL",
         "timestamp": "2024-03-05T08:00:00Z"},
    ]
}

SAMPLES = {
    "google.records": [
        ("Takeout/Location History (Timeline)/Records.json", json.dumps(_RECORDS, indent=2).encode()),
        ("Takeout/Location History/Location History.json", json.dumps(_RECORDS).encode()),
    ],
}
