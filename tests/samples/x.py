"""X archive samples, in the real ``window.YTD`` layout (formats.md section 4)."""

from __future__ import annotations

import json


def ytd(name: str, items: list[object]) -> bytes:
    return f"window.YTD.{name}.part0 = {json.dumps(items, indent=2)}".encode()


IP_AUDIT = [
    {"ipAudit": {"accountId": "1234567890", "createdAt": "2024-03-05T09:12:44.000Z",
                 "loginIp": "198.51.100.4", "loginPortNumber": "0"}},
    {"ipAudit": {"accountId": "1234567890", "createdAt": "2024-03-07T21:00:01.000Z",
                 "loginIp": "2001:db8::7", "loginPortNumber": "0"}},
]
ACCOUNT = [{"account": {"email": "alice@example.org", "createdVia": "web", "username": "alice_example",
                        "accountId": "1234567890", "createdAt": "2015-06-01T10:00:00.000Z",
                        "accountDisplayName": "Alice Example"}}]
TWEETS = [
    {"tweet": {"id_str": "1790000000000000001", "id": "1790000000000000001",
               "created_at": "Wed Oct 10 20:19:24 +0000 2018", "full_text": "Coffee &amp; rain",
               "favorite_count": "3", "coordinates": {"type": "Point", "coordinates": ["2.3522", "48.8566"]},
               "geo": {"type": "Point", "coordinates": ["48.8566", "2.3522"]}}},
    {"tweet": {"id_str": "1790000000000000002", "created_at": "Thu Oct 11 08:00:00 +0000 2018",
               "full_text": "No place here", "favorite_count": "0"}},
]
PERSONALIZATION = [{"p13nData": {
    "demographics": {"languages": [{"language": "English", "isDisabled": False}], "genderInfo": {"gender": "female"}},
    "interests": {"interests": [{"name": "Hiking", "isDisabled": False}], "partnerInterests": [],
                  "audienceAndAdvertisers": {"numAudiences": "3", "advertisers": ["@ExampleBrand"],
                                             "lookalikeAdvertisers": [], "doNotReachAdvertisers": [],
                                             "catalogAudienceAdvertisers": []}, "shows": []},
    "locationHistory": ["Springfield, IL, USA"], "inferredAgeInfo": {"age": ["25-34"], "birthDate": ""}}}]
AD_IMPRESSIONS = [{"ad": {"adsUserData": {"adImpressions": {"impressions": [
    {"deviceInfo": {"osType": "Android", "deviceId": "aGFzaA=="}, "displayLocation": "TimelineHome",
     "advertiserInfo": {"advertiserName": "Example Remit", "screenName": "@exampleremit"},
     "matchedTargetingCriteria": [{"targetingType": "Locations", "targetingValue": "France"},
                                  {"targetingType": "Tailored audiences (lists)", "targetingValue": "Customers"}],
     "impressionTime": "2025-02-03 14:15:16"}]}}}}]
NI_DEVICES = [{"niDeviceResponse": {"pushDevice": {"deviceVersion": "14", "udid": "UDID-0001",
                                                   "deviceType": "Twitter for Android", "token": "t",
                                                   "updatedDate": "2025.01.15", "createdDate": "2024.02.01"}}}]
DEVICE_TOKEN = [{"deviceToken": {"clientApplicationId": "258901", "token": "x", "createdAt": "1970-01-01T00:00:00.000Z",
                                 "lastSeenAt": "2025-01-02T03:04:05.000Z",
                                 "clientApplicationName": "Twitter Web App (Twitter. Inc)"}}]
SCREEN_NAME_CHANGE = [{"screenNameChange": {"accountId": "1", "screenNameChange": {
    "changedAt": "2019-01-01T00:00:00.000Z", "changedFrom": "old_alice", "changedTo": "alice_example"}}}]
CONNECTED = [{"connectedApplication": {"organization": {"name": "Example Org", "url": ""}, "name": "Example Scheduler",
                                       "description": "", "permissions": ["read", "write"],
                                       "approvedAt": "2023-05-05T05:05:05.000Z", "id": "42"}}]
FOLLOWER = [{"follower": {"accountId": "111", "userLink": "https://twitter.com/intent/user?user_id=111"}},
            {"follower": {"accountId": "222", "userLink": "https://twitter.com/intent/user?user_id=222"}}]

SAMPLES = {
    "x.ip_audit": [("data/ip-audit.js", ytd("ip_audit", IP_AUDIT))],
    "x.account": [("data/account.js", ytd("account", ACCOUNT))],
    "x.account_creation_ip": [("data/account-creation-ip.js", ytd("account_creation_ip", [
        {"accountCreationIp": {"accountId": "1", "userCreationIp": "203.0.113.9"}}]))],
    "x.account_timezone": [("data/account-timezone.js", ytd("account_timezone", [
        {"accountTimezone": {"accountId": "1", "timeZone": "Paris"}}]))],
    "x.phone_number": [("data/phone-number.js", ytd("phone_number", [{"device": {"phoneNumber": "+33612345678"}}]))],
    "x.screen_name_change": [("data/screen-name-change.js", ytd("screen_name_change", SCREEN_NAME_CHANGE))],
    "x.email_address_change": [("data/email-address-change.js", ytd("email_address_change", [
        {"emailAddressChange": {"accountId": "1", "emailChange": {
            "changedAt": "2020-01-01T00:00:00.000Z", "changedFrom": "a@example.org", "changedTo": "b@example.org"}}}]))],
    "x.profile": [("data/profile.js", ytd("profile", [{"profile": {"description": {
        "bio": "Baker", "website": "", "location": "Lyon"}}}]))],
    "x.device_token": [("data/device-token.js", ytd("device_token", DEVICE_TOKEN))],
    "x.ni_devices": [("data/ni-devices.js", ytd("ni_devices", NI_DEVICES))],
    "x.key_registry": [("data/key-registry.js", ytd("key_registry", [{"keyRegistryData": {"userId": "1",
        "registeredDevices": {"deviceMetadataList": [{"userAgent": "Mozilla/5.0 (X11; Linux x86_64)",
                                                      "registrationToken": "r", "identityKey": "k",
                                                      "createdAt": "2024-01-01T00:00:00.000Z", "deviceId": "dev-1"}]}}}]))],
    "x.connected_application": [("data/connected-application.js", ytd("connected_application", CONNECTED))],
    "x.sso": [("data/sso.js", ytd("sso", [{"singleSignOnMetaValues": {"ssoId": "1", "ssoEmail": "alice@example.org",
                                                                     "associationMethodType": "Login",
                                                                     "createdAt": "2021-01-01T00:00:00.000Z"}}]))],
    "x.tweets": [("data/tweets.js", ytd("tweets", TWEETS)), ("tweet.js", ytd("tweet", TWEETS))],
    "x.deleted_tweets": [("data/deleted-tweets.js", ytd("deleted_tweets", TWEETS))],
    "x.personalization": [("data/personalization.js", ytd("personalization", PERSONALIZATION))],
    "x.ad_impressions": [("data/ad-impressions.js", ytd("ad_impressions", AD_IMPRESSIONS))],
    "x.ad_engagements": [("data/ad-engagements.js", ytd("ad_engagements", [{"ad": {"adsUserData": {"adEngagements": {
        "engagements": [{"impressionAttributes": AD_IMPRESSIONS[0]["ad"]["adsUserData"]["adImpressions"]  # type: ignore[index]
                         ["impressions"][0], "engagementAttributes": [
                             {"engagementTime": "2025-02-03 14:16:00", "engagementType": "ChargeableImpression"}]}]}}}}]))],
    "x.protected_history": [("data/protected-history.js", ytd("protected_history", [
        {"protectedHistory": {"protectedAt": "2020-01-01T00:00:00.000Z", "action": "Protect",
                              "timestamp": "2020-01-01T00:00:00.000Z"}}]))],
    "x.follower": [("data/follower.js", ytd("follower", FOLLOWER))],
    "x.following": [("data/following.js", ytd("following", FOLLOWER[:1]))],
}
