"""Facebook samples (formats.md §1), synthetic, in Meta's real encoding (mojibake, epoch seconds)."""

from __future__ import annotations

import json
from typing import Any


def moji(s: str) -> str:
    """Write text the way Meta does: each UTF-8 byte as its own code point."""
    return s.encode("utf-8").decode("latin-1")


def dump(obj: Any) -> bytes:
    # ensure_ascii gives the "\u00c3\u00a9" escapes Meta's files have.
    return json.dumps(obj, ensure_ascii=True, indent=1).encode()


SEC = "security_and_login_information"
UA_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
UA_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/125.0"

ACCOUNT_ACTIVITY = {"account_activity_v2": [
    {"action": "Login", "timestamp": 1714380000, "ip_address": "203.0.113.7", "user_agent": UA_IPHONE,
     "datr_cookie": "aB3dEfGhIjKlMnOpQrStUvWx", "city": moji("Zürich"), "region": "Zurich", "country": "CH",
     "site_name": "www.facebook.com"},
    {"action": "Session updated", "timestamp": 1714466400, "ip_address": "2001:db8::1", "user_agent": UA_WIN,
     "datr_cookie": "aB3dEfGhIjKlMnOpQrStUvWx", "city": "Springfield", "region": "Illinois",
     "country": "US", "site_name": "www.facebook.com"},
]}
# 2019 layout: un-suffixed key, no city fields [FBS].
ACCOUNT_ACTIVITY_2019 = {"account_activity": [
    {"action": "Login", "timestamp": 1546300800, "ip_address": "198.51.100.4", "user_agent": UA_WIN,
     "datr_cookie": "zzZZ"}]}
LOGINS = {"account_accesses_v2": [
    {"action": "Login", "timestamp": 1714380000, "site": "www.facebook.com", "ip_address": "203.0.113.7"},
    {"action": "Log out", "timestamp": 1714383600, "site": "www.facebook.com", "ip_address": "203.0.113.7"},
    {"action": "Anmelden", "timestamp": 1714390000, "site": "m.facebook.com", "ip_address": "198.51.100.9"},
]}
IP_ACTIVITY = {"used_ip_address_v2": [
    {"ip": "203.0.113.7", "action": "Login", "timestamp": 1714380000, "user_agent": UA_IPHONE}]}
IP_ACTIVITY_2019 = {"used_ip_address": [{"ip": "192.0.2.55"}]}
SESSIONS = {"active_sessions_v2": [
    {"created_timestamp": 1714300000, "updated_timestamp": 1714380000, "ip_address": "198.51.100.20",
     "user_agent": UA_IPHONE, "datr_cookie": "aB3d********************", "device": "iPhone",
     "location": "Springfield, IL, United States", "app": "Facebook for iPhone", "session_type": "mobile"}]}
LOGIN_PROTECTION = {"login_protection_data_v2": [
    {"name": "IP address: 203.0.113.7",
     "session": {"created_timestamp": 1714300000, "updated_timestamp": 1714380000, "ip_address": "203.0.113.7"}}]}
# UNCONFIRMED layout (formats.md §13): authorized_logins.json in 2019/20 shape.
AUTHORIZED = {"recognized_devices": [
    {"name": "Firefox on Windows", "created_timestamp": 1546300800, "updated_timestamp": 1546387200,
     "ip_address": "198.51.100.4", "user_agent": UA_WIN}]}
ADMIN = {"admin_records_v2": [
    {"event": "Password change", "session": {"created_timestamp": 1714000000, "ip_address": "203.0.113.7",
                                             "user_agent": UA_IPHONE, "datr_cookie": "aB3d"}},
    {"event": "Email added", "session": {"created_timestamp": 1714100000, "ip_address": "203.0.113.8"},
     "extra_info": {"new_email": "new@example.org"}}]}
DEVICES = {"devices_v2": [
    {"type": "iPhone14,5", "os": "iOS", "advertiser_id": "6D92078A-8246-4BA4-AE5B-76104861E7DC",
     "udid": "00008110-000A1B2C3D4E5F6", "update_time": 1714380000,
     "push_tokens": [{"app_version": "460.0", "creation_time": 1700000000, "device_id": "dev-1",
                      "os_version": "17.4", "disabled": False}]}]}
STATUS = {"account_status_changes_v2": [{"status": "Account created", "timestamp": 1300000000},
                                        {"status": "Deactivated", "timestamp": 1700000000}]}
VERIFICATIONS = {"contact_verifications_v2": [{"contact": "jane@example.org", "verification_time": 1600000000}]}

PROFILE_2024 = {"profile_v2": {
    "name": {"full_name": moji("Zoë Müller 🙂"), "first_name": moji("Zoë"), "last_name": moji("Müller")},
    "emails": {"emails": ["zoe@example.org"], "previous_emails": ["old@example.org"], "pending_emails": [],
               "ad_account_emails": ["ads@example.org"]},
    "phone_numbers": [{"phone_type": "Mobile", "phone_number": "+41790000000", "verified": True}],
    "username": "zoe.mueller.1",
    "previous_names": [{"name": "Zoe Meier", "timestamp": 1500000000}],
    "current_city": {"name": moji("Zürich, Switzerland"), "timestamp": 1600000000},
    "hometown": {"name": moji("São Paulo, Brazil"), "timestamp": 1400000000},
    "registration_timestamp": 1300000000,
    "profile_uri": "https://www.facebook.com/zoe.mueller.1"}}
# 2019 layout: key "profile", name as object too [FBS; HPI-P].
PROFILE_2019 = {"profile": {"name": {"full_name": "Jane Roe"}, "emails": {"emails": ["jane@example.org"]},
                            "registration_timestamp": 1300000000}}
PRIMARY_LOCATION = {"primary_location_v2": {"city_region_pairs": [["Utrecht", "Utrecht"]], "zipcode": ["3511"]}}
PRIMARY_PUBLIC = {"primary_public_location_v2": {"city": "Utrecht", "region": "Utrecht", "country": "Netherlands"}}
TIMEZONE = {"timezone_v2": "Europe/Amsterdam"}
LOCATIONS_OF_INTEREST = {"label_values": [{"label": "Places you may have visited",
                                           "vec": [{"value": "Utrecht"}, {"value": moji("Köln")}]}],
                         "media": [], "fbid": "1"}

POSTS = [
    {"timestamp": 1714380000, "title": "Zoe Mueller updated her status.",
     "data": [{"post": moji("Café time ☕")}],
     "attachments": [{"data": [{"place": {"name": "Cafe Example", "coordinate": {"latitude": 40.7128,
                                                                                    "longitude": -74.006},
                                          "address": "1 Example St", "url": "https://example.org"}}]},
                     {"data": [{"media": {
                         "uri": "your_facebook_activity/posts/media/Mobileuploads_1/456.jpg",
                         "creation_timestamp": 1714380000, "title": "",
                         "media_metadata": {"photo_metadata": {"exif_data": [{
                             "upload_ip": "203.0.113.7", "taken_timestamp": 1714370000,
                             "camera_make": "Apple", "camera_model": "iPhone 14",
                             "latitude": 40.713, "longitude": -74.0}]}}}}]}]},
    {"timestamp": 1714470000, "data": [{"post": "plain ascii post"}]},
]
CHECKINS_ARRAY = [
    {"timestamp": 1714380000, "fbid": "1000000000001", "media": [],
     "label_values": [{"label": "Message", "value": "Lunch!"},
                      {"label": "Place tags", "dict": [{"label": "Name", "value": "Cafe Example"},
                                                       {"label": "Address", "value": "1 Example St, Springfield"},
                                                       {"label": "Coordinates", "value": "(40.7128 , -74.006)"}]}]},
]
# Single check-in: a bare object, not an array (formats.md §1.2), here with German labels.
CHECKIN_SINGLE = {"timestamp": 1714480000, "fbid": "1000000000002", "media": [],
                  "label_values": [{"label": "Nachricht", "value": moji("Grüße")},
                                   {"label": "Ortsmarkierungen", "dict": [
                                       {"label": "Name", "value": "Hauptbahnhof"},
                                       {"label": "Koordinaten", "value": "(52.5251 , 13.3694)"}]}]}
LOCATION_HISTORY_2019 = {"location_history": [
    {"name": "Home", "timestamp": 1546300800,
     "attachments": [{"data": [{"place": {"name": "Somewhere", "coordinate": {"latitude": 48.85, "longitude": 2.35},
                                          "creation_timestamp": 1546300800}}]}]}]}
ALBUM = {"name": "Trip", "photos": [
    {"uri": "your_facebook_activity/posts/media/Trip_1/1.jpg", "creation_timestamp": 1714380000,
     "media_metadata": {"photo_metadata": {"exif_data": [{"upload_ip": "198.51.100.20",
                                                          "taken_timestamp": -62169958800,
                                                          "latitude": 52.37, "longitude": 4.89}]}}}],
    "last_modified_timestamp": 1714380000}
VIDEOS = {"videos_v2": [{"uri": "your_facebook_activity/posts/media/videos/1.mp4", "creation_timestamp": 1714380000,
                         "media_metadata": {"video_metadata": {"exif_data": [{"upload_ip": "203.0.113.9",
                                                                              "upload_timestamp": 1714380100}]}}}]}
# 2019/20: upload_ip straight in photo_metadata (formats.md §1.4), no exif_data list.
UNCATEGORIZED_2020 = {"other_photos_v2": [{"uri": "posts/media/Mobileuploads/2.jpg", "creation_timestamp": 1600000000,
                                           "media_metadata": {"photo_metadata": {"upload_ip": "192.0.2.44"}}}]}
ADVERTISERS_V2 = {"custom_audiences_all_types_v2": [
    {"advertiser_name": "Acme Shoes", "has_data_file_custom_audience": True,
     "has_remarketing_custom_audience": False, "has_in_person_store_visit": False}]}
# UNCONFIRMED layout (formats.md §13): 2024+ bucket labels; the shape (label + vec) is confirmed.
ADVERTISERS_2024 = {"label_values": [
    {"label": "Advertisers who uploaded a list with your information", "vec": [{"value": "Acme Shoes"},
                                                                               {"value": moji("Crème Brûlée Co")}]},
    {"label": "Advertisers you may have interacted with", "vec": [{"value": "Data Broker Inc"}]}],
    "media": [], "fbid": "123"}
ADVERTISERS_2019 = {"custom_audiences": ["Acme", "Globex"]}
INTERACTED = {"history_v2": [{"title": "Acme Shoes", "action": "Clicked ad", "timestamp": 1714380000}]}
OTHER_CATEGORIES = {"media": [], "label_values": [{"label": "Categories", "vec": [
    {"value": "Frequent international travellers"}, {"value": "Expats (Brazil)"}]}]}
OFF_META_2025 = {"off_facebook_activity_v2": [
    {"name": "example.com", "events": [{"id": 1234, "type": "PAGE_VIEW", "timestamp": 1714380000},
                                       {"id": 1234, "type": "PURCHASE", "timestamp": 1714390000}]}]}
OFF_META_2026 = [
    {"title": "shop.example", "fbid": "9", "media": [], "label_values": [{"label": "Events", "vec": [
        {"dict": [{"label": "ID", "value": "1234"}, {"label": "Event", "value": "PURCHASE"},
                  {"label": "Received on", "timestamp_value": 1714380000}]}]}]}]
AD_INTERESTS = {"topics_v2": ["Hiking", moji("Café")]}
FRIENDS = {"friends_v2": [{"name": "A Friend", "timestamp": 1500000000}, {"name": "B Friend", "timestamp": 1500000001},
                          {"name": "C Friend", "timestamp": 1500000002}]}
FOLLOWERS = {"followers_v2": [{"name": "Follower One", "timestamp": 1500000000}]}
FOLLOWING = {"following_v3": [{"name": "Page One", "timestamp": 1500000000},
                              {"name": "Page Two", "timestamp": 1500000000}]}
# UNCONFIRMED layout (formats.md §13 gap): address book file of 2020-23.
ADDRESS_BOOK = {"address_book_v2": {"address_book": [
    {"name": "Contact One", "details": [{"contact_point": "+10000000001"}], "created_timestamp": 1500000000},
    {"name": "Contact Two", "details": [{"contact_point": "+10000000002"}], "created_timestamp": 1500000000}]}}
# UNCONFIRMED layout (formats.md §1.6 cites one parser only): your_topics.json.
INFERRED_TOPICS = {"inferred_topics_v2": ["Travel", "Immigration law"]}

SAMPLES: dict[str, list[tuple[str, bytes]]] = {
    "facebook.account_activity": [
        (f"{SEC}/account_activity.json", dump(ACCOUNT_ACTIVITY)),
        (f"{SEC}/account_activity.json", dump(ACCOUNT_ACTIVITY_2019)),
    ],
    "facebook.logins_and_logouts": [(f"{SEC}/logins_and_logouts.json", dump(LOGINS))],
    "facebook.ip_address_activity": [
        (f"{SEC}/ip_address_activity.json", dump(IP_ACTIVITY)),
        (f"{SEC}/used_ip_addresses.json", dump(IP_ACTIVITY_2019)),
    ],
    "facebook.sessions": [
        (f"{SEC}/where_you're_logged_in.json", dump(SESSIONS)),
        (f"{SEC}/where_you_re_logged_in.json", dump(SESSIONS)),
    ],
    "facebook.login_protection": [(f"{SEC}/login_protection_data.json", dump(LOGIN_PROTECTION))],
    "facebook.authorized_logins": [(f"{SEC}/authorized_logins.json", dump(AUTHORIZED))],
    "facebook.admin_records": [(f"{SEC}/record_details.json", dump(ADMIN))],
    "facebook.devices": [(f"{SEC}/mobile_devices.json", dump(DEVICES))],
    "facebook.account_status": [(f"{SEC}/account_status_changes.json", dump(STATUS))],
    "facebook.contact_verifications": [(f"{SEC}/email_address_verifications.json", dump(VERIFICATIONS))],
    "facebook.profile": [
        ("personal_information/profile_information/profile_information.json", dump(PROFILE_2024)),
        ("profile_information/profile_information.json", dump(PROFILE_2019)),
    ],
    "facebook.location": [
        ("logged_information/location/primary_location.json", dump(PRIMARY_LOCATION)),
        ("logged_information/location/primary_public_location.json", dump(PRIMARY_PUBLIC)),
        ("logged_information/location/timezone.json", dump(TIMEZONE)),
    ],
    "facebook.locations_of_interest": [
        ("logged_information/other_logged_information/locations_of_interest.json", dump(LOCATIONS_OF_INTEREST)),
    ],
    "facebook.posts": [
        ("your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json", dump(POSTS)),
        ("posts/your_posts_1.json", dump(POSTS)),
    ],
    "facebook.checkins": [
        ("your_facebook_activity/posts/check-ins.json", dump(CHECKINS_ARRAY)),
        ("your_facebook_activity/posts/check-ins.json", dump(CHECKIN_SINGLE)),
    ],
    "facebook.location_history": [("location_history/your_location_history.json", dump(LOCATION_HISTORY_2019))],
    "facebook.media": [
        ("your_facebook_activity/posts/album/1.json", dump(ALBUM)),
        ("your_facebook_activity/posts/your_videos.json", dump(VIDEOS)),
        ("posts/your_uncategorized_photos.json", dump(UNCATEGORIZED_2020)),
    ],
    "facebook.advertisers": [
        ("ads_information/advertisers_using_your_activity_or_information.json", dump(ADVERTISERS_V2)),
        ("ads_information/advertisers_using_your_activity_or_information.json", dump(ADVERTISERS_2024)),
        ("ads/advertisers_who_uploaded_a_contact_list_with_your_information.json", dump(ADVERTISERS_2019)),
    ],
    "facebook.advertisers_interacted": [
        ("ads_information/advertisers_you've_interacted_with.json", dump(INTERACTED)),
        ("ads_information/advertisers_you_ve_interacted_with.json", dump(INTERACTED)),
    ],
    "facebook.other_categories": [
        ("ads_information/other_categories_used_to_reach_you.json", dump(OTHER_CATEGORIES)),
    ],
    "facebook.off_meta": [
        ("apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json", dump(OFF_META_2025)),
        ("apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json", dump(OFF_META_2026)),
    ],
    "facebook.ad_interests": [
        ("logged_information/other_logged_information/ads_interests.json", dump(AD_INTERESTS)),
    ],
    "facebook.inferred_topics": [("your_topics/your_topics.json", dump(INFERRED_TOPICS))],
    "facebook.friends": [("connections/friends/your_friends.json", dump(FRIENDS))],
    "facebook.followers": [("connections/followers/people_who_followed_you.json", dump(FOLLOWERS))],
    "facebook.following": [("connections/followers/who_you've_followed.json", dump(FOLLOWING))],
    "facebook.uploaded_contacts": [("about_you/your_address_books.json", dump(ADDRESS_BOOK))],
    # An HTML export yields one warning (with the steps to request JSON), no records.
    "facebook.html_export": [
        ("personal_information/profile_information/profile_information.html",
         b"<!DOCTYPE html><html><head><title>Profile information</title></head><body>Jane</body></html>"),
    ],
}
# A category Meta had nothing for: recognised, no records, no issue.
SAMPLES["facebook.no_data"] = [("ads_information/no-data.txt", b"no-data.txt\n")]
