"""User agents and platform device fields -> one list of devices, each merge explained.

The same phone shows up differently on each platform: Google lists "Google Pixel 7",
Facebook's log-ins carry a user agent with "Android 14; Pixel 7", the Facebook app
writes "FBMF/Google;FBDV/Pixel 7". Normalising these (``ua-parser`` with its built-in
rules, plus the Facebook app's own fields) lets reflet say "this device is known to
three platforms" and show why it thinks so.

Merges are deliberately conservative, and each one records its evidence:

* the same device identifier (advertising id, serial...) in two places;
* the same specific make and model (``Pixel 7``, ``SM-G991B``);
* the exact same user-agent string.

Model names that do not tell devices apart (``iPhone``, ``Mac``, Android's reduced
``K``) never merge on their own: two people's iPhones, or a person's two iPhones,
must not become one device by assumption.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

# Model names that many different devices report (user-agent reduction, Apple's policy).
GENERIC_MODELS = frozenset({
    "iphone", "ipad", "ipod", "mac", "macintosh", "k", "generic smartphone", "generic tablet",
    "generic feature phone", "smartphone", "tablet", "other", "spider", "android", "pc", "desktop",
})
_BRAND_ALIASES = {"generic_android": None, "generic": None, "generic_inettv": None, "apple inc.": "apple",
                  "samsung electronics": "samsung", "lge": "lg", "lg electronics": "lg"}
_FB_FIELD = re.compile(r"(FB[A-Z]{2})/([^;\]]*)")


@dataclass(frozen=True)
class DeviceInfo:
    kind: str = "unknown"  # phone, tablet, computer, unknown
    brand: str | None = None
    model: str | None = None
    os: str | None = None
    os_version: str | None = None
    browser: str | None = None  # browser or app family

    @property
    def specific(self) -> bool:
        """True when the model names one kind of device (not 'iPhone' or 'K')."""
        return bool(self.model) and norm(self.model) not in GENERIC_MODELS

    def label(self) -> str:
        thing = " ".join(p for p in (self.brand, self.model) if p) or self.os or "unknown device"
        extra = " ".join(p for p in (self.os, self.os_version) if p) if (self.brand or self.model) else ""
        return f"{thing} ({extra})" if extra else thing


def norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "").strip()).casefold()


def norm_brand(brand: str | None) -> str | None:
    b = norm(brand)
    if not b:
        return None
    return _BRAND_ALIASES.get(b, b)


def norm_model(brand: str | None, model: str | None) -> str | None:
    m = norm(model)
    b = norm_brand(brand)
    if b and m.startswith(b + " "):
        m = m[len(b) + 1:]  # "Google Pixel 7" and "Pixel 7" are the same model name
    return m or None


def _kind_for(os_family: str | None, model: str | None, ua: str) -> str:
    m, o = norm(model), norm(os_family)
    if m.startswith("ipad") or "tablet" in m or "tablet" in ua.casefold():
        return "tablet"
    if o in ("ios", "android") or m.startswith("iphone"):
        return "phone"
    if o in ("windows", "mac os x", "macos", "linux", "ubuntu", "chrome os", "fedora", "debian"):
        return "computer"
    return "unknown"


def _facebook_app(ua: str) -> DeviceInfo | None:
    """Facebook's apps write their own fields (FBMF maker, FBDV model, FBSV OS version)."""
    if "FBAN/" not in ua and "FBAV/" not in ua:
        return None
    f = dict(_FB_FIELD.findall(ua))
    model = f.get("FBDV") or None
    if model is None and not f.get("FBMF"):
        return None
    brand = f.get("FBMF") or f.get("FBBD") or None
    if model and model.lower().startswith("iphone"):
        brand = brand or "Apple"
    os_name = "iOS" if (model or "").lower().startswith(("iphone", "ipad")) else ("Android" if brand else None)
    return DeviceInfo(kind=_kind_for(os_name, model, ua), brand=brand, model=model, os=os_name,
                      os_version=f.get("FBSV") or None, browser="Facebook app")


@lru_cache(maxsize=16384)
def parse_user_agent(ua: str) -> DeviceInfo:
    """What a user-agent string says about the device, as far as it says anything."""
    ua = (ua or "").strip()
    if not ua:
        return DeviceInfo()
    fb = _facebook_app(ua)
    if fb is not None:
        return fb
    import ua_parser

    r = ua_parser.parse(ua)
    os_family = r.os.family if r.os and r.os.family != "Other" else None
    os_version = ".".join(p for p in (r.os.major, r.os.minor) if p) if r.os else None
    brand = model = None
    if r.device is not None and r.device.family != "Other":
        brand = r.device.brand or None
        model = r.device.model or r.device.family
    if norm_brand(brand) is None:
        brand = None
    browser = r.user_agent.family if r.user_agent and r.user_agent.family != "Other" else None
    return DeviceInfo(kind=_kind_for(os_family, model, ua), brand=brand, model=model, os=os_family,
                      os_version=os_version or None, browser=browser)


def from_fields(kind: str | None = None, make: str | None = None, model: str | None = None,
                os: str | None = None) -> DeviceInfo:
    """A platform's own device fields, normalised like a parsed user agent."""
    os_name, os_version = None, None
    if os:
        m = re.match(r"\s*([A-Za-z][A-Za-z ]*?)\s*([0-9][0-9.]*)?\s*$", os)
        os_name, os_version = (m.group(1), m.group(2)) if m else (os, None)
    if model and not make and norm(model).startswith(("iphone", "ipad")):
        make = "Apple"
    k = kind if kind in ("phone", "tablet", "computer") else _kind_for(os_name, model, "")
    return DeviceInfo(kind=k, brand=make or None, model=model or None, os=os_name, os_version=os_version)


def merge_keys(info: DeviceInfo, ua: str | None = None,
               identifiers: tuple[tuple[str, str], ...] = ()) -> list[tuple[str, str]]:
    """(key, human evidence) pairs: rows sharing a key are the same device."""
    keys: list[tuple[str, str]] = []
    for kind, value in identifiers:
        if value:
            keys.append((f"id:{norm(kind)}:{norm(value)}", f"same {kind} identifier"))
    if info.specific:
        b, m = norm_brand(info.brand), norm_model(info.brand, info.model)
        keys.append((f"model:{b or ''}|{m}", f"same model {' '.join(p for p in (info.brand, info.model) if p)}"))
    if ua and ua.strip():
        digest = hashlib.blake2b(ua.strip().encode(), digest_size=8).hexdigest()
        keys.append((f"ua:{digest}", "identical user-agent string"))
    return keys


class Merger:
    """Union-find over rows linked by shared keys."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def _find(self, x: str) -> str:
        self._parent.setdefault(x, x)
        while self._parent[x] != x:
            self._parent[x] = self._parent[self._parent[x]]
            x = self._parent[x]
        return x

    def add(self, row: str, keys: list[str]) -> None:
        self._find(row)
        for k in keys:
            a, b = self._find(row), self._find("k:" + k)
            if a != b:
                self._parent[max(a, b)] = min(a, b)

    def group(self, row: str) -> str:
        return self._find(row)


__all__ = ["GENERIC_MODELS", "DeviceInfo", "Merger", "from_fields", "merge_keys", "norm", "norm_brand",
           "norm_model", "parse_user_agent"]
