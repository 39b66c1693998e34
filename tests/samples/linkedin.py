"""LinkedIn export samples (formats.md section 8)."""

from __future__ import annotations

LOGINS = ("Login Date,IP Address,User Agent,Login Type\n"
          "Tue Mar 05 09:12:44 UTC 2024,203.0.113.77,\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
          "(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\",Login\n"
          "Wed Apr 17 17:17:56 UTC 2024,2001:db8::5,LinkedIn/9.1 (iPhone; iOS 17.4),Login\n")
CHALLENGES = ("Challenge Date,IP Address,User Agent,Country,Challenge Type\n"
              "Wed Apr 17 17:17:56 UTC 2024,198.51.100.200,Mozilla/5.0,Unknown,EMAIL_PIN_CHALLENGE\n"
              "Thu Apr 18 01:00:00 UTC 2024,,Mozilla/5.0,Brazil,TWO_STEP_VERIFICATION\n")
REGISTRATION = "Registered At,Registration Ip,Subscription Types\n\"1/02/09, 3:04 PM\",192.0.2.10,\n"
PROFILE = ("First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,"
           "Twitter Handles,Websites,Instant Messengers\n"
           "Alice,Example,,,Jan 1,Pastry chef,,Food,75004,\"Paris, Île-de-France, France\",[],[],\n")
POSITIONS = ("Company Name,Title,Description,Location,Started On,Finished On\n"
             "Example Bakery,Pastry chef,,\"Paris, Île-de-France\",Jan 2022,\n")
EMAILS = ("Email Address,Confirmed,Primary,Updated On\nalice@example.org,Yes,Yes,\"1/02/09, 3:04 PM\"\n"
          "alice.recovery@example.net,No,No,\"3/04/21, 10:00 AM\"\n")
PHONES = "Extension,Number,Type\n,+33612345678,Mobile\n,,\n"
AD_TARGETING = ("Member Age,Company Names,Company Names,Profile Locations,Member Interests\n"
                "25 to 34,Example Bakery; Other Co,Third Co,\"DMA® 999 - Paris; Europe; Paris, FR\",Baking; Travel\n")
INFERENCES = ("Category,Type of inference,Description,Inference\n"
              "Demographic,Gender,Inferred from your profile,FEMALE\n")
SHARES = ("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
          "2026-05-07 16:41:18,https://www.linkedin.com/feed/update/urn:li:share:1,\"New job! \"\"Finally\"\"\",,,PUBLIC\n"
          "2026-05-08 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:2,Connections only,,,MEMBER_NETWORK\n")
CONNECTIONS = ("Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are "
               "missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
               "Bob,Other,https://www.linkedin.com/in/bob,,Co,Dev,15 Jan 2023\n"
               "Carol,Other,https://www.linkedin.com/in/carol,,Co,Dev,16 Jan 2023\n")

_D = "Basic_LinkedInDataExport_01-15-2026/"
SAMPLES = {
    "linkedin.logins": [(_D + "Logins.csv", LOGINS.encode())],
    "linkedin.security_challenges": [(_D + "Security Challenges.csv", CHALLENGES.encode())],
    "linkedin.registration": [(_D + "Registration.csv", REGISTRATION.encode())],
    "linkedin.profile": [(_D + "Profile.csv", ("\ufeff" + PROFILE).encode())],
    "linkedin.positions": [(_D + "Positions.csv", POSITIONS.encode())],
    "linkedin.email_addresses": [(_D + "Email Addresses.csv", EMAILS.encode())],
    "linkedin.phone_numbers": [(_D + "PhoneNumbers.csv", PHONES.encode())],
    "linkedin.ad_targeting": [(_D + "Ad_Targeting.csv", AD_TARGETING.encode())],
    "linkedin.inferences": [(_D + "Inferences_about_you.csv", INFERENCES.encode())],
    "linkedin.shares": [(_D + "Shares.csv", SHARES.encode()), (_D + "Shares_2.csv", SHARES.encode())],
    "linkedin.connections": [(_D + "Connections.csv", CONNECTIONS.encode())],
}
