"""Reddit export samples: flat CSVs (formats.md section 6)."""

from __future__ import annotations

IP_LOGS = "date,ip\nregistration ip,203.0.113.50\n2023-03-01 14:02:11 UTC,198.51.100.23\n"
POSTS = ("id,permalink,date,ip,subreddit,gildings,title,url,body\n"
         "abc1,https://www.reddit.com/r/Paris/comments/abc1/bakery/,2023-02-01 10:00:00 UTC,198.51.100.23,Paris,0,"
         "Best bakery near Bastille?,,\"Moved here last month, looking for bread\"\n"
         "abc2,https://www.reddit.com/r/cats/comments/abc2/x/,2019-01-01 10:00:00 UTC,,cats,0,Old post,,\n")
COMMENTS = ("id,permalink,date,ip,subreddit,gildings,link,parent,body,media\n"
            "c1,https://www.reddit.com/r/Paris/comments/abc1/bakery/c1/,2023-02-02 11:00:00 UTC,2001:db8::9,Paris,0,,,"
            "\"Try the one on rue Example, multi\nline\",\n")
MESSAGES = ("id,permalink,thread_id,date,ip,from,to,subject,body\n"
            "m1,https://www.reddit.com/message/messages/m1,t1,2023-02-03 12:00:00 UTC,198.51.100.23,alice_example,"
            "bob_other,hello,private words\n")
STATISTICS = ("statistic,value\naccount name,alice_example\nexport time,2023-04-04 00:00:00 UTC\n"
              "email address,alice@example.org\nemail verified,True\n")
LINKED = "issuer_id,subject_id\nhttps://accounts.google.com,109876543210987654321\n"
PHONE = "phone_number\n+33612345678\n"
PREFS = "preference,value\ncountry_code,FR\nthird_party_thing,on\n3rd_party_personalized_ads,True\n"
FRIENDS = "username,note\nbob_other,\ncarol_other,met at work\n"

SAMPLES = {
    "reddit.ip_logs": [("ip_logs.csv", IP_LOGS.encode())],
    "reddit.posts": [("posts.csv", POSTS.encode())],
    "reddit.comments": [("comments.csv", COMMENTS.encode())],
    "reddit.messages": [("messages.csv", MESSAGES.encode())],
    "reddit.statistics": [("statistics.csv", STATISTICS.encode())],
    "reddit.linked_identities": [("linked_identities.csv", LINKED.encode())],
    "reddit.linked_phone_number": [("linked_phone_number.csv", PHONE.encode())],
    "reddit.user_preferences": [("user_preferences.csv", PREFS.encode())],
    "reddit.friends": [("friends.csv", FRIENDS.encode())],
}
