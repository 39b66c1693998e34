"""Clean copies of photos and videos: metadata removed, picture data byte-identical."""
