"""Instagram samples (formats.md §2), synthetic, in Meta's real encoding (mojibake, epoch seconds)."""

from __future__ import annotations

from .facebook import OFF_META_2025, OFF_META_2026, dump, moji

LPC = "security_and_login_information/login_and_profile_creation"
UA_IG = "Instagram 321.0.0.0 Android (33/13; 420dpi; 1080x2400; samsung; SM-G991B; o1s; exynos2100; de_DE)"
UA_WEB = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15"


def _smd(**fields: dict[str, object]) -> dict[str, dict[str, object]]:
    return {k: {"href": "", **v} for k, v in fields.items()}


# "map" generation: Time.timestamp set, value empty (formats.md §2.3).
LOGIN_MAP = {"account_history_login_history": [
    {"title": "2024-04-29T08:40:00+00:00", "media_map_data": {},
     "string_map_data": {"Cookie Name": {"href": "", "value": "cookieAAA", "timestamp": 0},
                         "IP Address": {"href": "", "value": "203.0.113.7", "timestamp": 0},
                         "Language Code": {"href": "", "value": "en", "timestamp": 0},
                         "Port": {"href": "", "value": "51234", "timestamp": 0},
                         "Time": {"href": "", "value": "", "timestamp": 1714380000},
                         "User Agent": {"href": "", "value": UA_IG, "timestamp": 0}}},
]}
# Older variant: Time.value filled (an ISO string), no timestamp; German labels.
LOGIN_MAP_DE = {"account_history_login_history": [
    {"title": "2023-01-02T03:04:05+00:00",
     "string_map_data": {"IP-Adresse": {"value": "198.51.100.7"}, "Port": {"value": "443"},
                         "Zeit": {"value": "2023-01-02T03:04:05+00:00"},
                         "User Agent": {"value": UA_WEB}}}]}
# "label" generation (2025+): bare list, Dutch labels for IP and time.
LOGIN_LABEL = [
    {"timestamp": 1714480000, "media": [], "fbid": "1",
     "label_values": [{"label": "IP-adres", "value": "2001:db8::7"}, {"label": "Poortnummer", "value": "40000"},
                      {"label": "User Agent", "value": UA_WEB}, {"label": "Tijd", "timestamp_value": 1714480000}]}]
LOGOUT_MAP = {"account_history_logout_history": [
    {"title": "2024-04-29T09:00:00+00:00",
     "string_map_data": {"IP Address": {"value": "203.0.113.7"}, "Port": {"value": "51235"},
                         "Time": {"timestamp": 1714381200, "value": ""}, "User Agent": {"value": UA_IG}}}]}
PROFILE_ACTIVITY = [
    {"timestamp": 1714490000, "media": [],
     "label_values": [{"label": "IP address", "value": "203.0.113.7"}, {"label": "Port number", "value": "1234"},
                      {"label": "User Agent", "value": UA_IG}, {"label": "Language", "value": "de"},
                      {"label": "App", "value": "Instagram"}, {"label": "Device ID", "value": "android-abc123"}]}]
SIGNUP = {"account_history_registration_info": [
    {"title": "", "string_map_data": _smd(**{"Username": {"value": "zoe.m"}, "IP Address": {"value": "192.0.2.1"},
                                              "Device": {"value": "samsung SM-G991B"},
                                              "Time": {"value": "", "timestamp": 1500000000},
                                              "Email": {"value": "zoe@example.org"}})}]}
PASSWORD = {"account_history_password_change_history": [
    {"title": "", "string_map_data": _smd(Time={"value": "", "timestamp": 1600000000})}]}
PRIVACY = {"account_history_account_privacy_history": [
    {"title": "", "string_map_data": _smd(**{"Time": {"value": "", "timestamp": 1600000001},
                                              "Privacy": {"value": "Private"}})}]}
LAST_LOCATION = {"account_history_imprecise_last_known_location": [
    {"title": "", "string_map_data": _smd(**{
        "Imprecise Latitude": {"value": "52.37"}, "Imprecise Longitude": {"value": "4.89"},
        "Precise Latitude": {"value": "52.370216"}, "Precise Longitude": {"value": "4.895168"},
        "GPS Time Uploaded": {"value": "", "timestamp": 1714380000}})}]}
BASED_IN = {"inferred_data_primary_location": [
    {"title": "", "string_map_data": {"City Name": {"href": "", "value": moji("Zürich, Switzerland"),
                                                    "timestamp": 0}}}]}
# UNCONFIRMED layout (formats.md §2.2, weak): locations of interest as a label record with vec.
LOCATIONS_OF_INTEREST = [{"timestamp": 0, "media": [], "label_values": [
    {"label": "Locations of interest", "vec": [{"value": "Amsterdam"}, {"value": moji("Genève")}]}]}]
POSSIBLE_PHONES = {"inferred_data_inferred_phone_numbers": [
    {"title": "", "string_list_data": [{"href": "", "value": "+31600000000", "timestamp": 0}]}]}
DEVICES = {"devices_devices": [
    {"title": "", "string_map_data": _smd(**{"User Agent": {"value": UA_IG},
                                              "Last Login": {"value": "", "timestamp": 1714380000}})}]}
PERSONAL = {"profile_user": [
    {"media_map_data": {"Profile Photo": {"uri": "media/profile/1.jpg", "creation_timestamp": 1500000000,
                                          "title": ""}},
     "string_map_data": _smd(**{"Email": {"value": "zoe@example.org", "timestamp": 0},
                                "Phone Number": {"value": "+41790000000"},
                                "Username": {"value": "zoe.m"}, "Name": {"value": moji("Zoë 🙂")},
                                "Private Account": {"value": "False"}})}]}
PROFILE_CHANGES = {"profile_profile_change": [
    {"title": "", "string_map_data": _smd(**{"Changed": {"value": "Username"},
                                              "Previous Value": {"value": "zoe.old"},
                                              "New Value": {"value": "zoe.m"},
                                              "Change Date": {"value": "", "timestamp": 1600000000}})}]}
POSTS = [
    {"media": [{"uri": "media/posts/202404/17999999999.jpg", "creation_timestamp": 1714380000,
                "title": moji("Sunset 🌅 à la plage"),
                "media_metadata": {"photo_metadata": {"exif_data": [
                    {"latitude": 52.37, "longitude": 4.89, "device_id": "android-abc123"}]}}}]},
    {"media": [{"uri": "media/posts/202404/18000000000.jpg", "creation_timestamp": 1714390000, "title": "plain"}],
     "title": "two photos", "creation_timestamp": 1714390000},
]
STORIES = {"ig_stories": [{"uri": "media/stories/202404/1.mp4", "creation_timestamp": 1714400000, "title": "",
                           "media_metadata": {"video_metadata": {"exif_data": [
                               {"latitude": 48.8566, "longitude": 2.3522}]}}}]}
ARCHIVED = {"ig_archived_post_media": [{"media": [{"uri": "media/archived_posts/202301/5.jpg",
                                                  "creation_timestamp": 1673000000, "title": "old",
                                                  "media_metadata": {"photo_metadata": {"exif_data": [
                                                      {"latitude": 41.9, "longitude": 12.5}]}}}],
                                       "title": "old", "creation_timestamp": 1673000000}]}
ADVERTISERS_OLD = {"ig_custom_audiences_all_types": [{"advertiser_name": "Acme Shoes",
                                                      "has_data_file_custom_audience": True}]}
ADVERTISERS_NEW = {"label_values": [{"label": "Advertisers using your activity or information",
                                     "vec": [{"value": moji("Boulangerie Été")}]}], "media": []}
OTHER_CATEGORIES = {"media": [], "label_values": [{"label": "Other categories",
                                                   "vec": [{"value": "Frequent travellers"}]}]}
FOLLOWERS_NEW = [
    {"title": "", "media_list_data": [], "string_list_data": [{"href": "https://www.instagram.com/a", "value": "a",
                                                                "timestamp": 1600000000}]},
    {"title": "", "media_list_data": [], "string_list_data": [{"href": "https://www.instagram.com/b", "value": "b",
                                                                "timestamp": 1600000001}]},
]
FOLLOWERS_OLD = {"relationships_followers": [{"title": "", "string_list_data": [{"value": "c"}]}]}
FOLLOWING = {"relationships_following": [{"title": "", "string_list_data": [{"value": "x"}]},
                                         {"title": "", "string_list_data": [{"value": "y"}]},
                                         {"title": "", "string_list_data": [{"value": "z"}]}]}

TOPICS = {"topics_your_topics": [{"title": "", "string_map_data": {"Name": {"href": "", "value": "Hiking",
                                                                          "timestamp": 0}}},
                                 {"title": "", "string_map_data": {"Name": {"value": moji("Cafés")}}}]}

SAMPLES: dict[str, list[tuple[str, bytes]]] = {
    "instagram.login_activity": [
        (f"{LPC}/login_activity.json", dump(LOGIN_MAP)),
        ("security_and_login_information/login_and_account_creation/login_activity.json", dump(LOGIN_MAP_DE)),
        ("login_and_account_creation/login_activity.json", dump(LOGIN_LABEL)),
    ],
    "instagram.logout_activity": [(f"{LPC}/logout_activity.json", dump(LOGOUT_MAP))],
    "instagram.profile_activity": [(f"{LPC}/profile_activity.json", dump(PROFILE_ACTIVITY))],
    "instagram.signup": [(f"{LPC}/signup_details.json", dump(SIGNUP))],
    "instagram.password_changes": [(f"{LPC}/password_change_activity.json", dump(PASSWORD))],
    "instagram.account_changes": [(f"{LPC}/profile_privacy_changes.json", dump(PRIVACY))],
    "instagram.last_known_location": [(f"{LPC}/last_known_location.json", dump(LAST_LOCATION))],
    "instagram.based_in": [
        ("personal_information/information_about_you/profile_based_in.json", dump(BASED_IN)),
        ("information_about_you/account_based_in.json", dump(BASED_IN)),
    ],
    "instagram.locations_of_interest": [
        ("personal_information/information_about_you/locations_of_interest.json", dump(LOCATIONS_OF_INTEREST)),
    ],
    "instagram.possible_phones": [
        ("personal_information/information_about_you/possible_phone_numbers.json", dump(POSSIBLE_PHONES)),
    ],
    "instagram.devices": [("personal_information/device_information/devices.json", dump(DEVICES))],
    "instagram.personal_information": [
        ("personal_information/personal_information/personal_information.json", dump(PERSONAL)),
        ("personal_information/personal_information.json", dump(PERSONAL)),
        ("account_information/personal_information.json", dump(PERSONAL)),
    ],
    "instagram.profile_changes": [
        ("personal_information/personal_information/profile_changes.json", dump(PROFILE_CHANGES)),
    ],
    "instagram.posts": [
        ("your_instagram_activity/media/posts_1.json", dump(POSTS)),
        ("content/posts_1.json", dump(POSTS)),
        ("your_instagram_activity/media/stories.json", dump(STORIES)),
        ("your_instagram_activity/media/archived_posts.json", dump(ARCHIVED)),
    ],
    "instagram.advertisers": [
        ("ads_information/instagram_ads_and_businesses/advertisers_using_your_activity_or_information.json",
         dump(ADVERTISERS_NEW)),
        ("ads_information/ads_and_businesses/advertisers_using_your_activity_or_information.json",
         dump(ADVERTISERS_OLD)),
    ],
    "instagram.other_categories": [
        ("ads_information/instagram_ads_and_businesses/other_categories_used_to_reach_you.json",
         dump(OTHER_CATEGORIES)),
    ],
    "instagram.topics": [("preferences/your_topics/recommended_topics.json", dump(TOPICS))],
    "instagram.off_meta": [
        ("apps_and_websites_off_of_instagram/apps_and_websites/your_activity_off_meta_technologies.json",
         dump(OFF_META_2026)),
        ("apps_and_websites_off_of_instagram/apps_and_websites/your_activity_off_meta_technologies.json",
         dump({"apps_and_websites_off_meta_activity": OFF_META_2025["off_facebook_activity_v2"]})),
    ],
    "instagram.followers": [
        ("connections/followers_and_following/followers_1.json", dump(FOLLOWERS_NEW)),
        ("followers_and_following/followers_1.json", dump(FOLLOWERS_OLD)),
    ],
    "instagram.following": [("connections/followers_and_following/following.json", dump(FOLLOWING))],
    # An HTML export yields one warning (with the steps to request JSON), no records.
    "instagram.html_export": [
        ("personal_information/personal_information/personal_information.html",
         b"<!DOCTYPE html><html><body>Personal information</body></html>"),
    ],
}
