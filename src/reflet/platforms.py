"""How each platform is named to a person: the records keep short ids ("x", "tiktok")."""

from __future__ import annotations

NAMES: dict[str, str] = {
    "apple": "Apple", "discord": "Discord", "facebook": "Facebook", "google": "Google",
    "instagram": "Instagram", "linkedin": "LinkedIn", "media": "Photos", "reddit": "Reddit",
    "snapchat": "Snapchat", "telegram": "Telegram", "tiktok": "TikTok", "whatsapp": "WhatsApp",
    "x": "X", "youtube": "YouTube",
}


def display(platform: str | None) -> str:
    """The platform's own spelling (a name we do not know is shown capitalised)."""
    if not platform:
        return "?"
    return NAMES.get(platform, platform[:1].upper() + platform[1:])


__all__ = ["NAMES", "display"]
