"""Writers that turn a persona into platform exports in their real layouts.

``google_location`` writes the Takeout zip (``google_takeout`` adds its non-location
members) and the on-device files; each other module writes one platform's export from the
ground truth: ``write(persona, truth, exports) -> dict`` (path and exact counts, stored
under ``exports`` in ``ground_truth.json``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import discord, facebook, instagram, linkedin, photos, reddit, snapchat, telegram, tiktok, whatsapp, x

Writer = Callable[[Any, dict[str, Any], Path], dict[str, Any]]
PLATFORM_WRITERS: dict[str, Writer] = {
    "facebook": facebook.write, "instagram": instagram.write, "x": x.write, "tiktok": tiktok.write,
    "reddit": reddit.write, "snapchat": snapchat.write, "linkedin": linkedin.write, "telegram": telegram.write,
    "discord": discord.write, "whatsapp": whatsapp.write,
}

__all__ = ["PLATFORM_WRITERS", "photos"]
