"""Write small REAL media files with chosen metadata, for tests, fuzz samples and the benchmark.

Pictures are random noise (so a re-encode would change their compressed bytes
and could not hide). EXIF is written by Pillow (``Image.Exif``), HEIC by
pillow-heif, and MP4/MOV boxes by hand: none of it goes through reflet's own
readers, so a test that reads them back checks the reader against an
independent writer (tests also cross-check with exiftool).
"""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime

from PIL import Image, PngImagePlugin

XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"


def noise(w: int = 64, h: int = 48, seed: int = 0) -> Image.Image:
    import numpy as np

    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype="uint8"), "RGB")


def _dms(v: float) -> tuple[float, float, float]:
    v = abs(v)
    d = int(v)
    m = int((v - d) * 60)
    s = round((v - d - m / 60) * 3600, 4)
    return (float(d), float(m), s)


def exif_bytes(*, lat: float | None = None, lon: float | None = None, alt: float | None = None,
               direction: float | None = None, taken: str | None = None, offset: str | None = None,
               make: str | None = None, model: str | None = None, serial: str | None = None,
               lens_serial: str | None = None, owner: str | None = None, software: str | None = None,
               orientation: int | None = None, gps_stamp: datetime | None = None) -> bytes:
    """An EXIF block (with the ``Exif\\0\\0`` prefix) written by Pillow."""
    ex = Image.Exif()
    for tag, v in ((0x010F, make), (0x0110, model), (0x0131, software), (0x0112, orientation)):
        if v is not None:
            ex[tag] = v
    sub = {0x9003: taken, 0x9011: offset, 0xA430: owner, 0xA431: serial, 0xA435: lens_serial}
    if any(v is not None for v in sub.values()):
        e = ex.get_ifd(0x8769)
        for tag, v in sub.items():
            if v is not None:
                e[tag] = v
    if lat is not None and lon is not None:
        g = ex.get_ifd(0x8825)
        g[0] = b"\x02\x03\x00\x00"
        g[1], g[2] = ("N" if lat >= 0 else "S"), _dms(lat)
        g[3], g[4] = ("E" if lon >= 0 else "W"), _dms(lon)
        if alt is not None:
            g[5], g[6] = (b"\x00" if alt >= 0 else b"\x01"), abs(alt)
        if direction is not None:
            g[16], g[17] = "T", float(direction)
        if gps_stamp is not None:
            gs = gps_stamp.astimezone(UTC)
            g[7] = (float(gs.hour), float(gs.minute), float(gs.second))
            g[29] = gs.strftime("%Y:%m:%d")
    return ex.tobytes()


def xmp_packet(*, lat: float | None = None, lon: float | None = None, city: str | None = None,
               country: str | None = None, faces: int = 0, history: tuple[str, ...] = (),
               serial: str | None = None, make: str | None = None, model: str | None = None) -> bytes:
    def gps(v: float, pos: str, neg: str) -> str:
        d = int(abs(v))
        return f"{d},{(abs(v) - d) * 60:.6f}{pos if v >= 0 else neg}"

    attrs = []
    if lat is not None and lon is not None:
        attrs += [f'exif:GPSLatitude="{gps(lat, "N", "S")}"', f'exif:GPSLongitude="{gps(lon, "E", "W")}"']
    if city:
        attrs.append(f'photoshop:City="{city}"')
    if country:
        attrs.append(f'photoshop:Country="{country}"')
    if serial:
        attrs.append(f'exifEX:BodySerialNumber="{serial}"')
    if make:
        attrs.append(f'tiff:Make="{make}"')
    if model:
        attrs.append(f'tiff:Model="{model}"')
    body = ""
    if faces:
        regs = "".join(
            f'<rdf:li rdf:parseType="Resource"><mwg-rs:Name>Person {i}</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type>'
            f'<mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"/>'
            f"</rdf:li>" for i in range(faces))
        body += f'<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>{regs}</rdf:Bag>' \
                "</mwg-rs:RegionList></mwg-rs:Regions>"
    if history:
        evs = "".join(f'<rdf:li stEvt:action="saved" stEvt:softwareAgent="{h}"/>' for h in history)
        body += f"<xmpMM:History><rdf:Seq>{evs}</rdf:Seq></xmpMM:History>"
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
        'xmlns:exifEX="http://cipa.jp/exif/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" '
        'xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
        'xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" '
        'xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" '
        + " ".join(attrs) + ">" + body +
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode("utf-8")


def iptc_app13(*, city: str | None = None, country: str | None = None) -> bytes:
    """An APP13 payload: 'Photoshop 3.0' + 8BIM 0x0404 with IPTC City/Country."""
    iim = b"\x1c\x02\x00\x00\x02\x00\x04"  # record version
    for ds, v in ((90, city), (101, country)):
        if v:
            raw = v.encode()
            iim += b"\x1c\x02" + bytes([ds]) + struct.pack(">H", len(raw)) + raw
    res = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + (b"\x00" if len(iim) % 2 else b"")
    return b"Photoshop 3.0\x00" + res


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg(*, seed: int = 0, size: tuple[int, int] = (64, 48), xmp: bytes | None = None, iptc: bytes | None = None,
         comment: bytes | None = None, trailer: bytes = b"", **exif_kw: object) -> bytes:
    buf = io.BytesIO()
    ex = exif_bytes(**exif_kw) if exif_kw else None  # type: ignore[arg-type]
    noise(*size, seed=seed).save(buf, "JPEG", quality=90, **({"exif": ex} if ex else {}))
    data = buf.getvalue()
    extra = b""
    if xmp:
        extra += _segment(0xE1, XMP_SIG + xmp)
    if iptc:
        extra += _segment(0xED, iptc)
    if comment:
        extra += _segment(0xFE, comment)
    at = 2
    if data[2:4] == b"\xff\xe0":
        at = 4 + struct.unpack(">H", data[4:6])[0]
    return data[:at] + extra + data[at:] + trailer


def png(*, seed: int = 0, text: dict[str, str] | None = None, xmp: bytes | None = None, **exif_kw: object) -> bytes:
    info = PngImagePlugin.PngInfo()
    for k, v in (text or {}).items():
        info.add_text(k, v)
    if xmp:
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
    buf = io.BytesIO()
    kw: dict[str, object] = {"pnginfo": info}
    if exif_kw:
        kw["exif"] = exif_bytes(**exif_kw)  # type: ignore[arg-type]
    noise(seed=seed).save(buf, "PNG", **kw)
    return buf.getvalue()


def webp(*, seed: int = 0, xmp: bytes | None = None, **exif_kw: object) -> bytes:
    buf = io.BytesIO()
    kw: dict[str, object] = {"quality": 80}
    if exif_kw:
        kw["exif"] = exif_bytes(**exif_kw)  # type: ignore[arg-type]
    if xmp:
        kw["xmp"] = xmp
    noise(seed=seed).save(buf, "WEBP", **kw)
    return buf.getvalue()


def heic(*, seed: int = 0, xmp: bytes | None = None, **exif_kw: object) -> bytes:
    import pillow_heif

    h = pillow_heif.from_pillow(noise(seed=seed))
    kw: dict[str, object] = {"quality": 60}
    if exif_kw:
        kw["exif"] = exif_bytes(**exif_kw)  # type: ignore[arg-type]
    if xmp:
        kw["xmp"] = xmp
    buf = io.BytesIO()
    h.save(buf, **kw)
    return buf.getvalue()


def tiff(*, seed: int = 0, **exif_kw: object) -> bytes:
    buf = io.BytesIO()
    kw: dict[str, object] = {}
    if exif_kw:
        kw["exif"] = exif_bytes(**exif_kw)  # type: ignore[arg-type]
    noise(seed=seed).save(buf, "TIFF", **kw)
    return buf.getvalue()


# -- ISO-BMFF by hand ------------------------------------------------------------------------------

def box(typ: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), typ) + payload


def full_box(typ: bytes, payload: bytes, version: int = 0, flags: int = 0) -> bytes:
    return box(typ, bytes([version]) + flags.to_bytes(3, "big") + payload)


def _qt_text(typ: bytes, text: str) -> bytes:
    raw = text.encode("utf-8")
    return box(typ, struct.pack(">HH", len(raw), 0x15C7) + raw)


def iso6709(lat: float, lon: float, alt: float | None = None) -> str:
    s = f"{lat:+08.4f}{lon:+09.4f}"
    if alt is not None:
        s += f"{alt:+.3f}"
    return s + "/"


def mp4(*, seed: int = 0, created: datetime | None = None, lat: float | None = None, lon: float | None = None,
        alt: float | None = None, make: str | None = None, model: str | None = None,
        apple_keys: bool = False, quicktime: bool = False, moov_first: bool = True, mdat_size: int = 4096,
        loci: bool = False) -> bytes:
    """An MP4 (or MOV with ``quicktime``) with ``mvhd`` time, ``udta`` ``©xyz`` and optional Apple keys."""
    import numpy as np

    brand = b"qt  " if quicktime else b"isom"
    ftyp = box(b"ftyp", brand + struct.pack(">I", 0x200) + brand + b"mp41")
    secs = int((created - datetime(1904, 1, 1, tzinfo=UTC)).total_seconds()) if created else 0
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = full_box(b"mvhd", struct.pack(">IIII", secs, secs, 1000, 1000) + struct.pack(">IH", 0x10000, 0x100)
                    + b"\x00" * 10 + matrix + b"\x00" * 24 + struct.pack(">I", 2))
    udta_items = b""
    if lat is not None and lon is not None:
        udta_items += _qt_text(b"\xa9xyz", iso6709(lat, lon, alt))
        if loci:
            udta_items += full_box(b"loci", struct.pack(">H", 0x15C7) + b"Home\x00" + b"\x00"
                                   + struct.pack(">iii", round(lon * 65536), round(lat * 65536), 0)
                                   + b"Earth\x00" + b"\x00")
    if make:
        udta_items += _qt_text(b"\xa9mak", make)
    if model:
        udta_items += _qt_text(b"\xa9mod", model)
    moov_body = mvhd + (box(b"udta", udta_items) if udta_items else b"")
    if apple_keys:
        entries: list[tuple[str, str]] = []
        if lat is not None and lon is not None:
            entries.append(("com.apple.quicktime.location.ISO6709", iso6709(lat, lon, alt)))
        if make:
            entries.append(("com.apple.quicktime.make", make))
        if model:
            entries.append(("com.apple.quicktime.model", model))
        if created:
            entries.append(("com.apple.quicktime.creationdate", created.strftime("%Y-%m-%dT%H:%M:%S%z")))
        hdlr = full_box(b"hdlr", b"\x00" * 4 + b"mdta" + b"\x00" * 12 + b"\x00")
        keys = full_box(b"keys", struct.pack(">I", len(entries)) + b"".join(
            struct.pack(">I", 8 + len(k)) + b"mdta" + k.encode() for k, _ in entries))
        ilst = box(b"ilst", b"".join(
            box(struct.pack(">I", i + 1), box(b"data", struct.pack(">II", 1, 0) + v.encode()))
            for i, (_, v) in enumerate(entries)))
        moov_body += box(b"meta", hdlr + keys + ilst)
    moov = box(b"moov", moov_body)
    payload = np.random.default_rng(seed).integers(0, 256, mdat_size, dtype="uint8").tobytes()
    mdat = box(b"mdat", payload)
    return ftyp + (moov + mdat if moov_first else mdat + moov)


def google_sidecar(*, title: str, taken: int | None = None, lat: float = 0.0, lon: float = 0.0,
                   lat_exif: float | None = None, lon_exif: float | None = None, people: int = 0) -> bytes:
    import json

    doc: dict[str, object] = {
        "title": title, "description": "", "imageViews": "3",
        "creationTime": {"timestamp": str((taken or 1714380000) + 3600), "formatted": ""},
        "geoData": {"latitude": lat, "longitude": lon, "altitude": 0.0, "latitudeSpan": 0.0, "longitudeSpan": 0.0},
        "geoDataExif": {"latitude": lat_exif if lat_exif is not None else lat,
                        "longitude": lon_exif if lon_exif is not None else lon, "altitude": 0.0,
                        "latitudeSpan": 0.0, "longitudeSpan": 0.0},
        "url": "https://photos.google.com/photo/AF1QipExample",
        "googlePhotosOrigin": {"mobileUpload": {"deviceFolder": {"localFolderName": ""},
                                                "deviceType": "ANDROID_PHONE"}},
    }
    if taken is not None:
        doc["photoTakenTime"] = {"timestamp": str(taken), "formatted": ""}
    if people:
        doc["people"] = [{"name": f"Person {i}"} for i in range(people)]
    return json.dumps(doc, indent=2).encode()


__all__ = ["cr3", "exif_bytes", "full_box", "google_sidecar", "heic", "iptc_app13", "jpeg", "mp4", "noise", "png",
           "tiff", "webp", "xmp_packet"]


def cr3(*, lat: float, lon: float, make: str, model: str, serial: str) -> bytes:
    """A minimal Canon CR3 header: ftyp 'crx ' + moov/uuid(Canon) with CMT1 (IFD0), CMT2 (Exif), CMT4 (GPS).

    No picture: enough for header readers (reflet, exiftool) and for checking the scrubber refuses RAW.
    """
    def tiff_of(entries: dict[int, object]) -> bytes:
        ex = Image.Exif()
        for k, v in entries.items():
            ex[k] = v
        return ex.tobytes()[6:]  # drop the "Exif\\0\\0" prefix: a bare TIFF structure

    cmt1 = tiff_of({0x010F: make, 0x0110: model})
    cmt2 = tiff_of({0xA431: serial})
    cmt4 = tiff_of({1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)})
    canon = bytes.fromhex("85C0B687820F11E08111F4CE462B6A48")
    body = canon + box(b"CMT1", cmt1) + box(b"CMT2", cmt2) + box(b"CMT4", cmt4)
    ftyp = box(b"ftyp", b"crx " + struct.pack(">I", 1) + b"crx isom")
    return ftyp + box(b"moov", box(b"uuid", body)) + box(b"mdat", b"\x00" * 64)
