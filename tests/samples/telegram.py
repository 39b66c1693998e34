"""Telegram Desktop result.json sample (formats.md section 9; TDESK writer)."""

from __future__ import annotations

import json

RESULT = {
    "about": "Here is the data you requested.",
    "personal_information": {"user_id": 123456789, "first_name": "Ann", "last_name": "Example",
                             "phone_number": "+31 6 1234 5678", "username": "@ann_example"},
    "contacts": {"about": "…", "list": [
        {"user_id": 1, "first_name": "Bob", "last_name": "Other", "phone_number": "+31 6 0000 0001",
         "date": "2023-01-01T10:00:00", "date_unixtime": "1672567200"},
        {"user_id": 2, "first_name": "Carol", "last_name": "Other", "phone_number": "+31 6 0000 0002",
         "date": "2023-01-02T10:00:00", "date_unixtime": "1672653600"}]},
    "sessions": {"about": "…", "list": [
        {"last_active": "2024-05-01T14:03:22", "last_active_unixtime": "1714568602", "last_ip": "203.0.113.8",
         "last_country": "Netherlands", "last_region": "North Holland", "application_name": "Telegram Desktop",
         "application_version": "5.0.1", "device_model": "Desktop", "platform": "Windows",
         "system_version": "Windows 11", "created": "2023-11-02T09:00:00", "created_unixtime": "1698915600"}]},
    "web_sessions": {"about": "…", "list": [
        {"last_active": "2024-04-01T10:00:00", "last_active_unixtime": "1711965600", "last_ip": "198.51.100.99",
         "last_region": "Unknown", "bot_username": "examplebot", "domain_name": "example.org", "browser": "Firefox",
         "platform": "Linux", "created": "2024-03-01T10:00:00", "created_unixtime": "1709287200"}]},
    "chats": {"about": "…", "list": [
        {"name": "Bob", "type": "personal_chat", "id": 42, "messages": [
            {"id": 1, "type": "message", "date": "2024-05-01T14:05:00", "date_unixtime": "1714568700",
             "from": "Ann", "from_id": "user123456789",
             "location_information": {"latitude": 52.370216, "longitude": 4.895168}, "text": "", "text_entities": []},
            {"id": 2, "type": "message", "date": "2024-05-01T14:06:00", "date_unixtime": "1714568760",
             "from": "Bob", "from_id": "user1",
             "location_information": {"latitude": 51.0, "longitude": 4.0}, "text": "", "text_entities": []},
            {"id": 3, "type": "message", "date": "2024-05-01T14:07:00", "date_unixtime": "1714568820",
             "from": "Ann", "from_id": "user123456789", "text": "see you there", "text_entities": []}]},
        {"name": "Group", "type": "private_group", "id": 43, "messages": []}]},
}

SAMPLES = {
    "telegram.result": [("Telegram Desktop/DataExport_2024-05-01/result.json",
                         json.dumps(RESULT, indent=1, ensure_ascii=False).encode())],
}
