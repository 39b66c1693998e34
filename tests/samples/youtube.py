"""YouTube Takeout samples. UNCONFIRMED layout (no YouTube section in formats.md; see the source's docstring)."""

from __future__ import annotations

COMMENTS = ('Comment ID,Channel ID,Comment create timestamp,Price,Parent comment ID,Post ID,Video ID,Comment text\n'
            'UgzAbC123,UCexample0001,2023-07-01T18:30:00.123+00:00,,,,dQw4w9WgXcQ,'
            '"{""text"":""Great video, I live near there!""}"\n'
            'UgzDeF456,UCexample0001,2023-07-02T08:00:00+00:00,,UgzAbC123,,dQw4w9WgXcQ,plain text reply\n')
CHANNEL = ("Channel ID,Channel title (original),Channel visibility\n"
           "UCexample0001,Alice Bakes,Public\n")

SAMPLES = {
    "youtube.comments": [("Takeout/YouTube and YouTube Music/comments/comments.csv", COMMENTS.encode())],
    "youtube.channel": [("Takeout/YouTube and YouTube Music/channels/channel.csv", CHANNEL.encode())],
}
