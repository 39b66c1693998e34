"""WhatsApp account-information report sample: UNCONFIRMED key names (see docs/platform-research.md)."""

from __future__ import annotations

import json

REPORT = {
    "wa_user_info": {"phone_number": "+33 6 12 34 56 78", "push_name": "Alice",
                     "registration_time": "2019-03-01 10:00:00", "last_ip_address": "203.0.113.70",
                     "device_info": {"device_model": "Pixel 7", "os": "Android", "os_version": "14"}},
    "groups": [{"name": "Family"}, {"name": "Bakers"}],
    "contacts": ["+33600000001", "+33600000002", "+33600000003"],
}

SAMPLES = {
    "whatsapp.account_info": [("whatsapp_report/user_information.json", json.dumps(REPORT).encode())],
}
