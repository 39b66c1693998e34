"""What Facebook and Instagram exports share (formats.md §1.2, §2.1, §11, §12).

* Every string is mojibake (UTF-8 bytes written as ``\\u00XX`` code points): ``load`` repairs
  every key and value once, so parsers only ever see real text.
* Two record generations live side by side: legacy keyed lists (``account_activity_v2``,
  ``string_map_data`` maps) and 2024+ bare lists of ``label_values`` records with ``vec`` /
  ``dict`` nesting. ``entries`` and ``fields`` key off the structure, never the path.
* Labels are localised to the account language, so they are matched through synonym tables;
  where a value has a recognisable shape (an IP, a coordinate pair) parsers check it too.
* A file may be a ``no-data.txt`` placeholder, a single object where an array is expected,
  or truncated: ``load`` keeps every complete entry before the break.
"""

from __future__ import annotations

import io
import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ijson
import orjson

from . import WHOLE_FILE, Member
from ._common import BadValue, fix_mojibake, json_pointer, limit_depth, loads_json, parse_time, plausible

# ---------------------------------------------------------------------------------------------
# Loading


@dataclass(slots=True)
class Loaded:
    """A Meta JSON member, repaired; ``data`` is None when nothing could be read."""

    data: Any
    problem: str | None = None  # whole-file problem (truncation, placeholder...)
    level: str = "error"


def repair(value: Any) -> Any:
    """Apply the mojibake repair to every string, keys included (labels can be keys)."""
    if isinstance(value, str):
        return fix_mojibake(value)
    if isinstance(value, list):
        return [repair(v) for v in value]
    if isinstance(value, dict):
        return {fix_mojibake(k) if isinstance(k, str) else k: repair(v) for k, v in value.items()}
    return value


def _salvage(raw: bytes) -> tuple[Any, str]:
    """Rebuild what a broken JSON document held before it breaks off.

    The outermost unfinished element of a list is dropped (it is the entry that was cut),
    the containers around it are kept, so every complete entry survives.
    """
    stack: list[tuple[Any, bool]] = []  # (container, is an element of a list)
    keys: list[str | None] = []
    root: Any = None
    done = False

    def put(value: Any, container: bool) -> None:
        nonlocal root, done
        if not stack:
            root = value
            if not container:
                done = True
            return
        parent = stack[-1][0]
        if isinstance(parent, list):
            parent.append(value)
        else:
            parent[keys[-1]] = value

    try:
        for _prefix, event, value in ijson.parse(io.BytesIO(raw), use_float=True):
            if event in ("start_map", "start_array"):
                c: Any = {} if event == "start_map" else []
                in_list = bool(stack) and isinstance(stack[-1][0], list)
                put(c, True)
                stack.append((c, in_list))
                keys.append(None)
            elif event in ("end_map", "end_array"):
                stack.pop()
                keys.pop()
            elif event == "map_key":
                keys[-1] = value
            else:
                put(value, False)
        msg = "JSON ends early"
    except (ijson.JSONError, UnicodeDecodeError) as exc:  # yajl passes some invalid UTF-8 to Python
        first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
        msg = f"JSON breaks off ({first[:80]})"
    # Drop the outermost unfinished list element: it is the entry that was cut short.
    for i, (c, in_list) in enumerate(stack):
        if in_list and i > 0:
            parent = stack[i - 1][0]
            if parent and parent[-1] is c:
                parent.pop()
            break
    return root, msg


_PLACEHOLDER = re.compile(rb"^\s*(no-data\.txt|no data|\"no-data\.txt\")\s*$", re.IGNORECASE)


def load(member: Member) -> Loaded:
    """Read and repair a Meta JSON member (they are small: profile, logins, ads...)."""
    with member.open() as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):  # a BOM added by an editor or a re-zipping tool
        raw = raw[3:]
    if not raw.strip():
        return Loaded(None, "the file is empty", "warning")
    if _PLACEHOLDER.match(raw):
        # Meta's way of saying "nothing here": read, and empty (the member log shows 0 records).
        return Loaded(None)
    if raw.lstrip()[:1] == b"<":
        return Loaded(None, "this is an HTML page, not JSON", "warning")
    try:
        return Loaded(repair(loads_json(raw)))  # loads_json: any depth, cut at MAX_DEPTH
    except orjson.JSONDecodeError:
        pass
    data, msg = _salvage(raw)
    if data is None:
        return Loaded(None, f"not valid JSON: {msg}")
    return Loaded(repair(limit_depth(data)), f"{msg}; the entries before the break were read")


def whole_file_issue(member: Member, loaded: Loaded) -> Iterator[Any]:
    if loaded.problem:
        yield member.issue(WHOLE_FILE, loaded.problem, loaded.level)


EntryFn = Callable[[str, Any], Iterable[Any]]


def run(member: Member, keys: tuple[str, ...], fn: EntryFn, loaded: Loaded | None = None) -> Iterator[Any]:
    """Load a member and read each of its entries with ``fn(pointer, entry)``.

    An entry that fails gives one ParseIssue naming it and yields nothing (no half
    records); the others go on.
    """
    if loaded is None:
        loaded = load(member)
    yield from whole_file_issue(member, loaded)
    data = loaded.data
    if data is None:
        return
    if not isinstance(data, (list, dict)):
        yield member.issue(WHOLE_FILE, f"expected a JSON object or array, found {type(data).__name__}")
        return
    n = 0
    for ptr, entry in entries(data, *keys):
        n += 1
        loc = ptr or "/"
        if not isinstance(entry, dict):
            yield member.issue(loc, f"entry is not an object ({type(entry).__name__})")
            continue
        try:
            out = list(fn(ptr, entry))
        except KeyError as exc:
            yield member.issue(loc, f"missing {exc.args[0]!r}")
            continue
        except (BadValue, ValueError, TypeError, AttributeError, OverflowError) as exc:
            yield member.issue(loc, str(exc)[:300] or type(exc).__name__)
            continue
        yield from out
    if n == 0 and isinstance(data, dict) and data and not any(isinstance(v, (list, dict)) for v in data.values()):
        # Not an empty list (no data), but a layout reflet does not know: say so rather than show nothing.
        yield member.issue(WHOLE_FILE, f"no entries found; unknown layout (keys: {', '.join(list(data)[:5])})")


# ---------------------------------------------------------------------------------------------
# Structure


def is_label_record(x: Any) -> bool:
    return isinstance(x, dict) and isinstance(x.get("label_values"), list)


def is_map_record(x: Any) -> bool:
    return isinstance(x, dict) and ("string_map_data" in x or "string_list_data" in x)


def entries(data: Any, *keys: str) -> Iterator[tuple[str, Any]]:
    """The records of a file, as (JSON pointer, entry), whatever generation wrote it.

    * a bare list (2024+ label records, newer IG) -> its items;
    * a single record object (one check-in, one advertiser block) -> itself;
    * a legacy object: the list under the first of ``keys`` present (``*_v2`` or not),
      else the first list-valued key; a single object under such a key is one entry.
    """
    if isinstance(data, list):
        for i, e in enumerate(data):
            yield json_pointer(i), e
        return
    if not isinstance(data, dict):
        return
    if is_label_record(data) or is_map_record(data):
        yield "", data
        return
    key = next((k for k in keys if k in data), None)
    if key is None:
        key = next((k for k, v in data.items() if isinstance(v, list)), None)
    if key is None:
        key = next((k for k, v in data.items() if isinstance(v, dict)), None)
    if key is None:
        return
    value = data[key]
    if isinstance(value, list):
        for i, e in enumerate(value):
            yield json_pointer(key, i), e
    elif value is not None:
        yield json_pointer(key), value


# ---------------------------------------------------------------------------------------------
# Localised labels

# canonical name -> labels seen or expected in EN / DE / NL / FR / ES (+ a few IT/PT/KO).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ip": ("ip address", "ip", "ip-adresse", "ip adresse", "ip-adres", "ip adres", "adresse ip",
           "dirección ip", "direccion ip", "indirizzo ip", "endereço ip", "ip 주소", "ip_address"),
    "time": ("time", "zeit", "tijd", "heure", "hora", "date", "datum", "fecha", "ora", "horário",
             "uhrzeit", "date et heure", "시간", "timestamp"),
    "port": ("port", "port number", "portnummer", "poortnummer", "poort", "numéro de port",
             "número de puerto", "puerto", "porta", "numero di porta"),
    "user_agent": ("user agent", "user-agent", "useragent", "agent utilisateur", "agente de usuario",
                   "agente utente", "agente do usuário", "사용자 에이전트"),
    "cookie": ("cookie name", "cookie", "cookie-name", "cookiename", "cookienaam", "nom du cookie",
               "nombre de la cookie", "nome del cookie", "datr cookie", "datr"),
    "language": ("language code", "language", "sprachcode", "sprache", "taalcode", "taal",
                 "code de langue", "langue", "código de idioma", "idioma", "lingua"),
    "device": ("device", "gerät", "apparaat", "appareil", "dispositivo", "device name"),
    "device_id": ("device id", "geräte-id", "geräte id", "apparaat-id", "apparaat id",
                  "identifiant de l'appareil", "id de l'appareil", "id del dispositivo", "id do dispositivo"),
    "app": ("app", "application", "anwendung", "applicatie", "aplicación", "aplicativo"),
    "username": ("username", "user name", "benutzername", "nutzername", "gebruikersnaam",
                 "nom d'utilisateur", "nombre de usuario", "nome utente", "nome de usuário", "사용자 이름"),
    "email": ("email", "e-mail", "email address", "e-mail-adresse", "e-mailadres", "adresse e-mail",
              "adresse électronique", "correo electrónico", "correo", "indirizzo e-mail"),
    "phone": ("phone number", "phone", "telefonnummer", "handynummer", "telefoonnummer",
              "numéro de téléphone", "número de teléfono", "número de celular", "numero di telefono"),
    "name": ("name", "naam", "nom", "nombre", "nome", "full name", "vollständiger name", "volledige naam",
             "nom complet", "nombre completo", "이름"),
    "city": ("city name", "city", "stadt", "name der stadt", "stad", "naam van de stad", "plaats",
             "ville", "nom de la ville", "ciudad", "nombre de la ciudad", "città"),
    "last_login": ("last login", "letzte anmeldung", "laatste login", "laatste aanmelding",
                   "dernière connexion", "último inicio de sesión", "ultimo accesso"),
    "precise_lat": ("precise latitude", "genauer breitengrad", "precieze breedtegraad", "latitude précise",
                    "latitud precisa"),
    "precise_lon": ("precise longitude", "genauer längengrad", "precieze lengtegraad", "longitude précise",
                    "longitud precisa"),
    "imprecise_lat": ("imprecise latitude", "ungenauer breitengrad", "onnauwkeurige breedtegraad",
                      "onprecieze breedtegraad", "latitude imprécise", "latitud imprecisa"),
    "imprecise_lon": ("imprecise longitude", "ungenauer längengrad", "onnauwkeurige lengtegraad",
                      "onprecieze lengtegraad", "longitude imprécise", "longitud imprecisa"),
    "gps_time": ("gps time uploaded", "gps-zeit hochgeladen", "gps-tijd geüpload", "heure gps importée",
                 "hora de gps subida"),
    "events": ("events", "ereignisse", "gebeurtenissen", "événements", "evenements", "eventos", "eventi"),
    "event": ("event", "ereignis", "gebeurtenis", "événement", "evenement", "evento", "type"),
    "received": ("received on", "erhalten am", "empfangen am", "ontvangen op", "reçu le", "recibido el",
                 "ricevuto il", "recebido em"),
    "id": ("id",),
    "url": ("url", "link", "lien", "enlace"),
    "location": ("location", "standort", "ort", "locatie", "locatie", "lieu", "emplacement", "ubicación",
                 "ubicacion"),
    "message": ("message", "nachricht", "bericht", "mensaje", "messaggio", "mensagem"),
    "place_tags": ("place tags", "ortsmarkierungen", "orts-tags", "plaatstags", "locatietags",
                   "identifications de lieux", "tags de lieu", "etiquetas de lugar", "etiquetas de lugares"),
    "address": ("address", "adresse", "adres", "dirección", "direccion", "indirizzo", "endereço"),
    "coordinates": ("coordinates", "koordinaten", "coördinaten", "coordinaten", "coordonnées",
                    "coordenadas", "coordinate"),
    "changed": ("changed", "geändert", "gewijzigd", "modifié", "modificado", "cambiado"),
    "previous": ("previous value", "vorheriger wert", "vorheriger Wert", "vorige waarde", "valeur précédente",
                 "valor anterior"),
    "new": ("new value", "neuer wert", "nieuwe waarde", "nouvelle valeur", "valor nuevo", "nuevo valor"),
    "change_date": ("change date", "änderungsdatum", "datum van wijziging", "wijzigingsdatum",
                    "date de modification", "fecha del cambio", "fecha de cambio"),
    "action": ("action", "aktion", "actie", "acción", "azione", "ação"),
}
_LOOKUP = {lbl.casefold(): canon for canon, labels in SYNONYMS.items() for lbl in labels}


def norm_label(label: str) -> str:
    s = re.sub(r"\s+", " ", label.replace("’", "'")).strip().rstrip(":").strip()
    return s.casefold()


def canon(label: Any) -> str:
    """The canonical name of a localised label (or the normalised label itself when unknown)."""
    if not isinstance(label, str):
        return ""
    n = norm_label(label)
    return _LOOKUP.get(n, n)


# ---------------------------------------------------------------------------------------------
# Generic record reader


@dataclass(slots=True)
class LV:
    """One ``label_values`` item (or one ``string_map_data`` entry), with its nesting."""

    label: str
    key: str  # canonical
    value: Any = None
    timestamp: Any = None
    href: str | None = None
    vec: list[Any] = field(default_factory=list)  # str values, or lists of LV for dict items
    dict: list[LV] = field(default_factory=list)
    title: str | None = None
    media: list[Any] = field(default_factory=list)  # media objects attached to the item ("Photos")

    def strings(self) -> list[str]:
        """Plain values of a vec (``[{"value": ...}]``) or a single value."""
        out = [v for v in self.vec if isinstance(v, str) and v]
        if not out and isinstance(self.value, str) and self.value:
            out = [self.value]
        return out


def read_lv(items: Any) -> list[LV]:
    """Read a ``label_values`` list (or a ``dict`` block) into LV items; junk items are ignored."""
    out: list[LV] = []
    if not isinstance(items, list):
        return out
    for it in items:
        if not isinstance(it, dict):
            continue
        label = it.get("label") if isinstance(it.get("label"), str) else ""
        lv = LV(label=label, key=canon(label), value=it.get("value"),
                timestamp=it.get("timestamp_value", it.get("timestamp")), href=it.get("href"),
                title=it.get("title") if isinstance(it.get("title"), str) else None,
                media=it["media"] if isinstance(it.get("media"), list) else [])
        if isinstance(it.get("vec"), list):
            for v in it["vec"]:
                if isinstance(v, dict) and "dict" in v:
                    lv.vec.append(read_lv(v["dict"]))
                elif isinstance(v, dict) and isinstance(v.get("value"), str):
                    lv.vec.append(v["value"])
                elif isinstance(v, str):
                    lv.vec.append(v)
        if isinstance(it.get("dict"), list):
            # A dict block may itself hold dict-only items (the IG "Owner" block): flatten them.
            lv.dict = read_lv([x for x in it["dict"] if isinstance(x, dict) and "label" in x])
            for x in it["dict"]:
                if isinstance(x, dict) and "label" not in x and isinstance(x.get("dict"), list):
                    lv.dict.extend(read_lv(x["dict"]))
        out.append(lv)
    return out


def read_map(smd: Any) -> list[LV]:
    """Read a ``string_map_data`` object into LV items."""
    if not isinstance(smd, dict):
        return []
    out = []
    for label, v in smd.items():
        if isinstance(v, dict):
            out.append(LV(label=label, key=canon(label), value=v.get("value"), timestamp=v.get("timestamp"),
                          href=v.get("href")))
    return out


def fields(entry: Any) -> list[LV]:
    """All the labelled fields of a record of either generation."""
    if not isinstance(entry, dict):
        return []
    return read_lv(entry.get("label_values")) + read_map(entry.get("string_map_data"))


def find(lvs: list[LV], key: str, deep: bool = True) -> LV | None:
    """The first field with this canonical key, searching dict blocks too."""
    for lv in lvs:
        if lv.key == key:
            return lv
    if deep:
        for lv in lvs:
            hit = find(lv.dict, key) if lv.dict else None
            if hit is not None:
                return hit
    return None


def text(lvs: list[LV], key: str) -> str | None:
    lv = find(lvs, key)
    if lv is None:
        return None
    v = lv.value
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = str(v)
    return v.strip() if isinstance(v, str) and v.strip() else None


# ---------------------------------------------------------------------------------------------
# Values


def meta_time(value: Any) -> datetime | None:
    """Epoch seconds (or an ISO string) -> aware UTC; sentinels and empty values -> None.

    Meta writes 0 or -62169958800 (year 0) for "unknown" (formats.md §1.8): such dates are
    not facts, so they become "no time" rather than 1970 or year 1.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        t = parse_time(value)
    except (BadValue, ValueError, OverflowError):
        if isinstance(value, (int, float)) and value < 0:
            return None  # a negative sentinel too large for datetime
        raise
    return t if plausible(t) else None


def field_time(lv: LV | None) -> datetime | None:
    if lv is None:
        return None
    if lv.timestamp not in (None, "", 0):
        return meta_time(lv.timestamp)
    return meta_time(lv.value) if isinstance(lv.value, (str, int, float)) and lv.value != "" else None


def ip_or_none(value: Any) -> str | None:
    """A valid IP (v4/v6) as written, or None; raises BadValue for a non-IP string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise BadValue(f"IP address is not text: {str(value)[:40]!r}")
    s = value.strip()
    try:
        ipaddress.ip_address(s.split("%")[0])
    except ValueError as exc:
        raise BadValue(f"not an IP address: {s[:60]!r}") from exc
    return s


def need_time_or_ip(time: datetime | None, ip: str | None) -> None:
    """A login with neither a time nor an IP says nothing: report the entry instead."""
    if time is None and ip is None:
        raise BadValue("entry has neither a time nor an IP address")


def looks_like_ip(value: Any) -> bool:
    try:
        return ip_or_none(value) is not None
    except BadValue:
        return False


def as_list(value: Any) -> list[Any]:
    """A list value, or [] for anything else (a fuzzed or damaged entry must not stop the file)."""
    return value if isinstance(value, list) else []


def opt_str(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


_PAIR = re.compile(r"^\s*\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?\s*$")


def coord_pair(value: Any) -> tuple[float, float] | None:
    """``"(38.5758 , -121.4804)"`` (FB check-ins) -> (lat, lon)."""
    if not isinstance(value, str):
        return None
    m = _PAIR.match(value)
    return (float(m.group(1)), float(m.group(2))) if m else None


def as_float(value: Any) -> float:
    if isinstance(value, bool):
        raise BadValue(f"not a number: {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise BadValue(f"not a number: {str(value)[:40]!r}") from exc


def login_action(text_: str | None) -> str:
    """Map Meta's (localised) action text to a Login action."""
    t = (text_ or "").casefold()
    if not t:
        return "login"
    if any(w in t for w in ("log out", "logout", "logged out", "abmeld", "afmeld", "uitlog", "déconnex",
                            "cerrar sesión", "cierre de sesión")):
        return "logout"
    if any(w in t for w in ("password", "passwort", "wachtwoord", "mot de passe", "contraseña")):
        return "password_change"
    if any(w in t for w in ("fail", "fehlgeschlagen", "mislukt", "échou", "fallid")):
        return "failed_login"
    if any(w in t for w in ("log in", "login", "logged in", "anmeld", "inlog", "aanmeld", "connexion",
                            "iniciar sesión", "inicio de sesión")):
        return "login"
    if any(w in t for w in ("session", "sitzung", "sessie", "sesión")):
        return "session"
    if any(w in t for w in ("email", "e-mail", "phone", "telefon", "contact", "recovery")):
        return "recovery_change"
    if any(w in t for w in ("creat", "registr", "erstellt", "aangemaakt", "sign up", "signup")):
        return "account_created"
    return "other"


def device_kind(ua: str | None) -> str:
    u = (ua or "").casefold()
    if not u:
        return "unknown"
    if "ipad" in u or "tablet" in u:
        return "tablet"
    if any(w in u for w in ("iphone", "android", "mobile", "ios")):
        return "phone"
    if any(w in u for w in ("windows", "macintosh", "mac os x", "x11", "linux", "cros")):
        return "computer"
    if "mozilla" in u or "chrome" in u or "safari" in u or "firefox" in u:
        return "browser"
    return "unknown"


ADTECH = frozenset({"records", "adtech"})
PUBLIC = frozenset({"records", "public"})
RECORDS = frozenset({"records"})

# HTML exports: the steps to ask again for JSON (formats.md §1.1, §2.1).
HTML_STEPS = (
    "This {platform} export is in HTML format; reflet reads the JSON format only. Request it again: "
    "open {where} > Accounts Center > Your information and permissions > Download your information "
    "(or go straight to accountscenter.{site}.com/info_and_permissions) > "
    "Download or transfer information > choose the {platform} profile > \"All available information\" "
    "(or the categories you want) > Download to device > set Date range to \"All time\", "
    "Format to \"JSON\" (not HTML), Media quality as you like > Create files. Meta e-mails you when the "
    "files are ready (from minutes to a few days); download every part and give them all to reflet."
)


__all__ = [
    "ADTECH",
    "HTML_STEPS",
    "LV",
    "PUBLIC",
    "RECORDS",
    "SYNONYMS",
    "Loaded",
    "as_float",
    "canon",
    "coord_pair",
    "device_kind",
    "entries",
    "field_time",
    "fields",
    "find",
    "ip_or_none",
    "is_label_record",
    "is_map_record",
    "load",
    "login_action",
    "looks_like_ip",
    "meta_time",
    "need_time_or_ip",
    "norm_label",
    "opt_str",
    "read_lv",
    "read_map",
    "repair",
    "run",
    "text",
    "whole_file_issue",
]
