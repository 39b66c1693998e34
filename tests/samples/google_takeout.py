"""Google Takeout samples beyond location history (formats.md 3.6-3.9)."""

from __future__ import annotations

import json

ACCESS_HEADER = ("Gaia ID,Activity Timestamp,IP Address,Proxiedhost IP Address,Is Non-routable IP Address,"
                 "Activity Country,Activity Region,Activity City,User Agent String,Product Name,Sub-Product Name,"
                 "Referer Product Name,Referer Sub-Product Name,Activity Type,Gmail Access Channel,"
                 "Android Webview Package Name")
ACCESS_CSV = "\n".join([
    ACCESS_HEADER,
    "1,2026-03-11 02:49:39 UTC,198.51.100.23,,false,FR,Île-de-France,Paris,"
    "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\","
    "Gmail,,,,,,",
    "1,2026-03-12 08:00:00 UTC,2001:db8::42,,false,FR,Île-de-France,Paris,"
    "App : GMAIL_APP. App Version : 6.0.250119. Os : IOS_OS. Os Version : 18.3. Device Type : MOBILE.,Gmail,,,,,,",
]) + "\n"
OLD_ACCESS_CSV = "\n".join([
    "Gaia ID,Activity Timestamp,IP Address,Proxiedhost IP Address,Is Non-routable IP Address,Activity Country,"
    "Activity Region,Activity City,User Agent String,Product Name,Sub-Product Name,Activity Type,Gmail Access Channel",
    "1,2021-01-02 03:04:05 UTC,203.0.113.7,,false,CA,Quebec,Montreal,Mozilla/5.0,Search,,,",
]) + "\n"
DEVICES_CSV = "Device Type,Brand,Model,OS,OS Version,Country,First Activity Timestamp,Last Activity Timestamp\n" \
              "Phone,Google,Pixel 7,Android,14,FR,2023-01-01 10:00:00 UTC,2026-03-12 08:00:00 UTC\n"
MY_ACTIVITY = [
    {"header": "Maps", "title": "Searched for bakery", "titleUrl": "https://www.google.com/maps/search/bakery",
     "time": "2021-12-13T03:04:05.007Z", "products": ["Maps"],
     "locationInfos": [{"name": "At this general area",
                        "url": "https://www.google.com/maps/@?api=1&map_action=map&center=48.853000,2.349000&zoom=12",
                        "source": "From your Location History",
                        "sourceUrl": "https://www.google.com/maps/timeline"}]},
    {"header": "Maps", "title": "Viewed area", "time": "2021-12-14T03:04:05Z", "products": ["Maps"]},
]
ADS_ACTIVITY = [
    {"header": "Google Ads", "title": "Saw an ad from Example Remit", "time": "2022-02-02T02:02:02Z",
     "products": ["Ads"], "subtitles": [{"name": "Example Remit"}]},
]
PROFILE = {"name": {"givenName": "Alice", "familyName": "Example", "formattedName": "Alice Example"},
           "displayName": "Alice E.", "emails": [{"value": "alice@example.org"}, {"value": "alice.old@example.org"}]}
SAVED = {"type": "FeatureCollection", "features": [
    {"geometry": {"coordinates": [2.2945, 48.8584], "type": "Point"},
     "properties": {"date": "2020-05-01T10:00:00Z", "google_maps_url": "http://maps.google.com/?cid=1",
                    "location": {"address": "Champ de Mars, Paris", "name": "Tour Eiffel"}}, "type": "Feature"},
    {"geometry": {"coordinates": [0, 0], "type": "Point"}, "properties": {"location": {"name": "No coords"}},
     "type": "Feature"},
]}
LABELLED = {"type": "FeatureCollection", "features": [
    {"geometry": {"coordinates": [2.3488, 48.8534], "type": "Point"},
     "properties": {"name": "Home", "address": "1 Rue Example, Paris"}, "type": "Feature"}]}

SAMPLES = {
    "google.access_log": [
        ("Takeout/Access Log Activity/Activities - A list of Google services accessed by.csv", ACCESS_CSV.encode()),
        ("Takeout/Access Log Activity/Activities - A list of Google services accessed by.csv", OLD_ACCESS_CSV.encode()),
    ],
    "google.access_devices": [
        ("Takeout/Access Log Activity/Devices - A list of devices (i.e. Nest, Pixel, iPh.csv", DEVICES_CSV.encode()),
    ],
    "google.my_activity": [
        ("Takeout/My Activity/Maps/MyActivity.json", json.dumps(MY_ACTIVITY).encode()),
        ("Takeout/My Activity/Ads/MyActivity.json", json.dumps(ADS_ACTIVITY).encode()),
    ],
    "google.profile": [("Takeout/Profile/Profile.json", json.dumps(PROFILE).encode())],
    "google.saved_places": [("Takeout/Maps (your places)/Saved Places.json", json.dumps(SAVED).encode())],
    "google.labelled_places": [("Takeout/Maps/My labeled places/Labeled places.json", json.dumps(LABELLED).encode())],
}
