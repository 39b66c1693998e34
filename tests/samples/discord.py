"""Discord data package samples (UNCONFIRMED layout; see docs/platform-research.md)."""

from __future__ import annotations

import json

EVENTS = [
    {"event_type": "login_successful", "timestamp": "2024-05-01T08:00:00.000Z", "ip": "203.0.113.60",
     "city": "Lyon", "region_code": "ARA", "country_code": "FR", "os": "Windows", "browser": "Chrome",
     "time_zone": "Europe/Paris"},
    {"event_type": "app_opened", "timestamp": "\"2024-05-01T09:00:00.000Z\"", "ip": "203.0.113.60",
     "city": "Lyon", "region_code": "ARA", "country_code": "FR", "os": "Windows", "browser": "Chrome"},
    {"event_type": "app_opened", "timestamp": "2024-05-02T09:00:00.000Z", "ip": "198.51.100.61",
     "city": "Paris", "country_code": "FR", "os": "Android", "device": "Pixel 7"},
    {"event_type": "channel_opened", "timestamp": "2024-05-02T10:00:00.000Z"},
]
EVENTS_NDJSON = "\n".join(json.dumps(e) for e in EVENTS) + "\n"
USER = {"id": "1", "username": "alice_d", "discriminator": "0", "email": "alice@example.org",
        "phone": "+33612345678", "ip": "203.0.113.60", "verified": True,
        "connections": [{"type": "steam", "id": "7656", "name": "alice_steam", "visibility": 1},
                        {"type": "spotify", "id": "sp1", "name": "alice_sp", "visibility": 0}],
        "relationships": [{"id": "2", "type": 1, "user": {"username": "bob_d"}},
                          {"id": "3", "type": 2, "user": {"username": "blocked_d"}}]}

SAMPLES = {
    "discord.events": [("package/Activity/Analytics/events-2024-00000-of-00001.json", EVENTS_NDJSON.encode()),
                       ("package/activity/reporting/events-2023-00000-of-00001.json", EVENTS_NDJSON.encode())],
    "discord.user": [("package/Account/user.json", json.dumps(USER).encode())],
    "discord.servers": [("package/Servers/index.json", json.dumps({"11": "Bakers", "12": "Lyon"}).encode())],
    "discord.channels": [("package/Messages/index.json", json.dumps({"21": "Direct Message with bob_d"}).encode())],
    "discord.applications": [("package/Account/applications/5/application.json",
                              json.dumps({"id": "5", "name": "Alice Bot"}).encode())],
}
