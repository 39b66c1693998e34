"""Snapchat "My Data" JSON samples (formats.md section 7)."""

from __future__ import annotations

import json

LOCATION = {
    "Frequent Locations": [{"City": "Amsterdam", "Country": "nld", "Region": "nh"}],
    "Latest Location": [{"City": "Amsterdam", "Country": "nld", "Region": "nh"}],
    "Home & Work": {"inferredWork": "", "userProvidedHome": "",
                    "inferredHome": "lat 52.370 ± 20 meters, long 4.895 ± 20 meters", "userProvidedWork": ""},
    "Daily Top Locations": [[{"Date: 2024-09-05 UTC": "lat 52.370 ± 19.5 meters, long 4.895 ± 19.5 meters"}]],
    "Top Locations Per Six-Day Period": [],
    "Location History": [["2024-09-05 10:11:12 UTC", "52.370, 4.895"],
                         ["2024-09-06 08:00:00 UTC", "Latitude, Longitude: 52.36, 4.90"]],
    "Businesses and places you may have visited": {"inferredVisitationList": [["Example Clinic", "Amsterdam"]],
                                                   "businessList": []},
    "Areas you may have visited in the last two years": [
        {"Time": "2024/08/30 17:00:00 UTC", "City": "Amsterdam", "Region": "North Holland", "Postal Code": "1012"}],
}
ACCOUNT = {
    "Basic Information": {"Username": "alice_snap", "Name": "Alice", "Creation Date": "2019-04-01 10:00:00 UTC",
                          "Registration IP": "203.0.113.33", "Country": "NL", "PhoneNumber": "+31612345678",
                          "Carrier": "Example Mobile"},
    "Device Information": {"Make": "Apple", "Model ID": "iPhone15,3", "Model Name": "iPhone 14 Pro Max",
                           "Language": "en", "OS Type": "iOS", "OS Version": "17.5", "Connection Type": "WIFI, CELL"},
    "Device History": [{"Make": "samsung", "Model": "SM-G991B", "Start Time": "2021-01-01 00:00:00 UTC",
                        "Device Type": "PHONE"}],
    "Login History": [{"IP": "198.51.100.40", "Country": "NL", "Created": "2024-09-01 07:00:00 UTC",
                       "Status": "success", "Device": "Snapchat/12.90 (iPhone15,3; iOS 17.5)"}],
}
ACCOUNT_HISTORY = {"Email Change": [{"Date": "2022-01-01 00:00:00 UTC", "Email Address": "old@example.org"}],
                   "Password Change": [{"Date": "2023-01-01 00:00:00 UTC"}],
                   "Mobile Number Change": []}
USER_PROFILE = {"Demographics": {"Cohort Age": "AGE_25_TO_34", "Derived Ad Demographic": "FEMALE"},
                "Interest Categories": ["Bakeries", "Travel"], "Content Categories": [],
                "Ads You Interacted With": [{"Advertiser Name": "Example Remit", "Date": "2024-07-01"}],
                "Mobile Ad Id": ""}
MEMORIES = {"Saved Media": [{"Date": "2024-06-01 12:00:00 UTC", "Media Type": "Image",
                             "Location": "Latitude, Longitude: 52.37, 4.89", "Download Link": "https://example.org/x"},
                            {"Date": "2024-06-02 12:00:00 UTC", "Media Type": "Video",
                             "Location": "Latitude, Longitude: 0.0, 0.0", "Download Link": "https://example.org/y"}]}
SNAP_MAP = {"Snap Map Places History": [{"Date": "2024-06-03 12:00:00 UTC", "Place": "Example Café",
                                         "Place Location": "Amsterdam, North Holland", "Share Type": "Story Post"}]}
CONNECTED = {"Login History": [], "Permissions": [{"App": "Example Game", "Time": "2024-01-01 00:00:00 UTC",
                                                   "Type": "Bitmoji"}], "Connected Applications": []}
FRIENDS = {"Friends": [{"Username": "bob_snap", "Display Name": "Bob"}, {"Username": "c", "Display Name": "C"}]}

_J = "mydata~1725000000000/json/"
SAMPLES = {
    "snapchat.location_history": [(_J + "location_history.json", json.dumps(LOCATION, ensure_ascii=False).encode())],
    "snapchat.account": [(_J + "account.json", json.dumps(ACCOUNT).encode())],
    "snapchat.account_history": [(_J + "account_history.json", json.dumps(ACCOUNT_HISTORY).encode())],
    "snapchat.user_profile": [(_J + "user_profile.json", json.dumps(USER_PROFILE).encode())],
    "snapchat.memories": [(_J + "memories_history.json", json.dumps(MEMORIES).encode())],
    "snapchat.snap_map_places": [(_J + "snap_map_places_history.json", json.dumps(SNAP_MAP).encode())],
    "snapchat.connected_apps": [(_J + "connected_apps.json", json.dumps(CONNECTED).encode())],
    "snapchat.friends": [(_J + "friends.json", json.dumps(FRIENDS).encode())],
}
