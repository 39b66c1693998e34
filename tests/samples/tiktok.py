"""TikTok samples in both generations of section names (formats.md section 5)."""

from __future__ import annotations

import json

NEW = {
    "Your Activity": {
        "Login History": {"LoginHistoryList": [
            {"Date": "2025-03-01 18:22:10", "IP": "203.0.113.9", "DeviceModel": "iPhone15,3",
             "DeviceSystem": "iOS 18.3", "NetworkType": "Wi-Fi", "Carrier": ""},
            {"Date": "2025-03-04 07:00:00", "IP": "198.51.100.77", "DeviceModel": "iPhone15,3",
             "DeviceSystem": "iOS 18.3", "NetworkType": "mobile", "Carrier": "Example Mobile"}]},
        "Status": {"Status List": [{"Resolution": "1170x2532", "App Version": "38.1.0",
                                    "IDFA": "6D92078A-8246-4BA4-AE5B-76104861E7DC", "GAID": "N/A",
                                    "Android ID": "N/A", "IDFV": "N/A", "Web ID": "7300000000000000001"}]},
        "Most Recent Location Data": {"LocationData": {"Date": "2025-03-04 07:00:00", "GpsData": "N/A",
                                                       "LastRegion": "FR"}},
        "Follower": {"FansList": [{"Date": "2025-01-01 00:00:00", "UserName": "friend_one"},
                                  {"Date": "2025-01-02 00:00:00", "UserName": "friend_two"}]},
        "Following": {"Following": None},
    },
    "Profile": {
        "Profile Info": {"ProfileMap": {"userName": "alice.example", "bioDescription": "Pastry ✨",
                                        "birthDate": "01-Jan-1990", "emailAddress": "alice@example.org",
                                        "telephoneNumber": "+33612345678", "likesReceived": "12"}},
        "Autofill": {"PhoneNumber": "", "Email": "", "FirstName": "Alice", "LastName": "Example",
                     "Address": "1 Rue Example", "ZipCode": "75004", "Unit": "", "City": "Paris", "State": "",
                     "Country": "France"},
    },
    "Post": {"Posts": {"VideoList": [
        {"Date": "2025-02-02 12:00:00", "Link": "https://www.tiktok.com/@alice.example/video/1",
         "Likes": "3", "WhoCanView": "Everyone", "Location": "Paris", "Title": "Croissants"},
        {"Date": "2025-02-03 12:00:00", "Link": "https://www.tiktok.com/@alice.example/video/2",
         "Likes": "0", "WhoCanView": "Only me", "Location": "N/A", "Title": "Draft"}]}},
    "Ads and data": {
        "Ad Interests": {"AdInterestCategories": "Food & Drink | Travel"},
        "Off TikTok Activity": {"OffTikTokActivityDataList": [
            {"TimeStamp": "2025-01-05 10:00:00", "Source": "Example Remit", "Event": "Purchase"}]},
        "Usage Data From Third-Party Apps And Websites": {"UsageDataList": None},
        "Ads Based On Data Received From Partners": {"DataPartnerList": ["Example Broker"],
                                                      "AdvertiserList": ["Example Bank"]},
    },
    "App Settings": {"Settings": {"SettingsMap": {"Private Account": "Disabled"}}},
}

OLD = {
    "Activity": {"Login History": {"LoginHistoryList": [
        {"Date": "2022-06-01 08:00:00", "IP": "192.0.2.44", "DeviceModel": "SM-G991B", "DeviceSystem": "Android 12",
         "NetworkType": "4G", "Carrier": "Example Telecom"}]}},
    "Profile And Settings": {"Profile Information": {"ProfileMap": {"userName": "alice_old"}}},
    "Video": {"Videos": {"VideoList": [{"Date": "2022-06-02 09:00:00", "Link": "https://example.org/v/9",
                                        "Likes": "1"}]}},
}

SAMPLES = {
    "tiktok.user_data": [("user_data_tiktok.json", json.dumps(NEW, indent=2).encode()),
                         ("TikTok_Data/user_data.json", json.dumps(OLD).encode())],
}
