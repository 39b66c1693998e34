"""Reading location, time and camera metadata from real photos and videos built in code."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reflet import guard
from reflet.media import read, read_path, sidecar, synth
from reflet.records import Device, Identity, Media, ParseIssue, Place
from tests.builders import make_export
from tests.media_helpers import EXIFTOOL, exiftool, parse_all, tag

CAMERA = dict(lat=-33.8688, lon=151.2093, alt=12.5, direction=270.0, taken="2024:05:01 10:00:00",
              offset="+10:00", make="Apple", model="iPhone 15", serial="F2LXK0001", lens_serial="LNS-77",
              owner="A. Person", software="17.4.1")
TAKEN_UTC = datetime(2024, 5, 1, 0, 0, tzinfo=UTC)
PHOTOS = {
    "a.jpg": lambda: synth.jpeg(**CAMERA),
    "b.png": lambda: synth.png(**CAMERA),
    "c.webp": lambda: synth.webp(**CAMERA),
    "d.heic": lambda: synth.heic(**CAMERA),
}


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("photos")
    for name, make in PHOTOS.items():
        (d / name).write_bytes(make())
    return d


@pytest.mark.parametrize("name", sorted(PHOTOS))
def test_reads_exact_gps_time_and_serials(photos: Path, name: str) -> None:
    m = read_path(photos / name)
    assert m.issues == []
    assert m.lat == pytest.approx(-33.8688, abs=1e-6) and m.lon == pytest.approx(151.2093, abs=1e-6)
    assert m.alt == pytest.approx(12.5) and m.direction == pytest.approx(270.0)
    assert m.taken_at == TAKEN_UTC  # 10:00 at +10:00
    assert (m.make, m.model, m.software) == ("Apple", "iPhone 15", "17.4.1")
    assert (m.serial, m.lens_serial, m.owner) == ("F2LXK0001", "LNS-77", "A. Person")


def test_reader_agrees_with_exiftool(photos: Path) -> None:
    files = sorted(photos.iterdir())
    seen = exiftool(files, "-GPSLatitude", "-GPSLongitude", "-SerialNumber", "-LensSerialNumber", "-OwnerName")
    assert len(seen) == len(files)
    for f in files:
        row, m = seen[f.name], read_path(f)
        assert m.lat == pytest.approx(tag(row, "GPSLatitude"), abs=1e-6), f.name
        assert m.lon == pytest.approx(tag(row, "GPSLongitude"), abs=1e-6), f.name
        assert m.serial == tag(row, "SerialNumber") and m.lens_serial == tag(row, "LensSerialNumber")
        assert m.owner == tag(row, "OwnerName")


def test_videos_location_and_creation_time(tmp_path: Path) -> None:
    created = datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    mp4 = tmp_path / "v.mp4"
    mp4.write_bytes(synth.mp4(created=created, lat=48.8566, lon=2.3522, make="Google", model="Pixel 8"))
    mov = tmp_path / "v.mov"  # Apple keys, moov after mdat, 3GPP loci too
    mov.write_bytes(synth.mp4(created=created, lat=40.7128, lon=-74.006, alt=10.0, make="Apple", model="iPhone",
                              apple_keys=True, quicktime=True, moov_first=False, loci=True, mdat_size=200_000))
    a, b = read_path(mp4), read_path(mov)
    assert (a.lat, a.lon, a.make, a.model) == (pytest.approx(48.8566), pytest.approx(2.3522), "Google", "Pixel 8")
    assert a.taken_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)  # mvhd is UTC
    assert (b.lat, b.lon, b.alt) == (pytest.approx(40.7128), pytest.approx(-74.006), pytest.approx(10.0))
    assert b.taken_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)  # creationdate carries +02:00
    assert "video location" in b.found
    seen = exiftool([mp4, mov], "-GPSLatitude", "-GPSLongitude")
    assert tag(seen["v.mov"], "GPSLatitude") == pytest.approx(b.lat, abs=1e-4)
    assert tag(seen["v.mp4"], "GPSLongitude") == pytest.approx(a.lon, abs=1e-4)


def test_mdat_is_skipped_not_read() -> None:
    data = synth.mp4(created=datetime(2024, 5, 1, tzinfo=UTC), lat=1.5, lon=2.5, moov_first=False,
                     mdat_size=3_000_000)

    class Counting(io.BytesIO):
        got = 0

        def read(self, n: int | None = -1) -> bytes:
            out = super().read(n)
            Counting.got += len(out)
            return out

    m = read(Counting(data), size=len(data))
    assert m.lat == pytest.approx(1.5)
    assert Counting.got < 10_000  # the 3 MB of video data were seeked over


def test_xmp_iptc_faces_history_and_places(tmp_path: Path) -> None:
    packet = synth.xmp_packet(lat=51.5007, lon=-0.1246, city="London", country="United Kingdom", faces=2,
                              history=("Adobe Photoshop 25.0",), serial="XMP-SN-1")
    f = tmp_path / "x.jpg"
    f.write_bytes(synth.jpeg(xmp=packet, iptc=synth.iptc_app13(city="Londres", country="UK"), comment=b"hi"))
    m = read_path(f)
    assert (m.lat, m.lon) == (pytest.approx(51.5007, abs=1e-6), pytest.approx(-0.1246, abs=1e-6))
    assert m.places == ["London", "United Kingdom", "Londres", "UK"]
    assert m.faces == 2 and m.history == ["Adobe Photoshop 25.0"] and m.serial == "XMP-SN-1"
    row = exiftool([f], "-XMP:GPSLatitude", "-IPTC:City", "-RegionName")["x.jpg"]
    assert tag(row, "GPSLatitude") == pytest.approx(m.lat, abs=1e-6) and tag(row, "City") == "Londres"
    assert tag(row, "RegionName") == ["Person 0", "Person 1"]


def test_thumbnail_written_by_exiftool_is_seen(tmp_path: Path) -> None:
    thumb = tmp_path / "t.jpg"
    thumb.write_bytes(synth.jpeg(size=(16, 16), seed=3))
    f = tmp_path / "p.jpg"
    f.write_bytes(synth.jpeg(lat=10.0, lon=20.0))
    with guard.allow_subprocess():
        subprocess.run([EXIFTOOL or "exiftool", "-q", "-overwrite_original", f"-ThumbnailImage<={thumb}", str(f)],
                       check=True, timeout=60)
    m = read_path(f)
    assert m.thumbnail and "embedded thumbnail" in m.found and m.lat == pytest.approx(10.0)


def test_google_sidecar_names_including_truncated() -> None:
    assert sidecar.media_name("IMG_1.jpg.json") == "IMG_1.jpg"
    assert sidecar.media_name("IMG_1.jpg.supplemental-metadata.json") == "IMG_1.jpg"
    assert sidecar.media_name("PXL_20240501_101010123.MP.jpg.supplemental-metad.json") == \
        "PXL_20240501_101010123.MP.jpg"
    assert sidecar.media_name("IMG_1.jpg.su.json") == "IMG_1.jpg"
    assert sidecar.media_name("IMG_1.jpg.supplemental-metadata(1).json") == "IMG_1(1).jpg"
    assert sidecar.media_name("metadata.json") is None


def test_export_yields_media_place_and_camera(tmp_path: Path) -> None:
    root = make_export(tmp_path, "takeout", {
        "Takeout/Google Photos/Photos from 2024/IMG_1.jpg": synth.jpeg(**CAMERA),  # type: ignore[arg-type]
        "Takeout/Google Photos/Photos from 2024/IMG_1.jpg.supplemental-metadata.json":
            synth.google_sidecar(title="IMG_1.jpg", taken=1714521600, lat=-33.87, lon=151.21, people=2),
        "Takeout/Google Photos/Photos from 2024/metadata.json": b'{"title": "Photos from 2024"}',
        "Camera/VID_2.mp4": synth.mp4(created=datetime(2024, 5, 2, tzinfo=UTC), lat=48.85, lon=2.35),
        "Camera/notes.jpg": b"not a picture at all",
        "Location History/Records.json": b'{"locations": []}',
    }, container="zip")
    got = parse_all(root)
    recs = [r for _, r in got]
    media = sorted((r for r in recs if isinstance(r, Media)), key=lambda r: r.path)
    assert [(r.platform, r.path) for r in media] == [
        ("media", "Camera/VID_2.mp4"),
        ("google", "Takeout/Google Photos/Photos from 2024/IMG_1.jpg"),  # read from the photo's EXIF
        ("google", "Takeout/Google Photos/Photos from 2024/IMG_1.jpg"),  # and from its sidecar
    ]
    from_exif = next(r for r in media if r.camera_serial)
    assert from_exif.taken_at == TAKEN_UTC and from_exif.camera_make == "Apple"
    from_side = next(r for r in media if r.path.endswith("IMG_1.jpg") and not r.camera_serial)
    assert from_side.taken_at == datetime(2024, 5, 1, tzinfo=UTC) and from_side.lat == pytest.approx(-33.87)
    places = [r for r in recs if isinstance(r, Place)]
    assert {p.kind for p in places} == {"geotag"} and len(places) == 3
    cams = [r for r in recs if isinstance(r, Device)]
    assert len(cams) == 1 and cams[0].kind == "camera"
    assert dict(cams[0].identifiers) == {"serial": "F2LXK0001", "lens_serial": "LNS-77"}
    (owner,) = [r for r in recs if isinstance(r, Identity)]
    assert (owner.kind, owner.value, owner.role) == ("name", "A. Person", "inferred")
    handlers = {h for h, _ in got}
    assert handlers == {"media.file", "media.google_sidecar"}  # not Records.json, not the fake .jpg


def test_zone_less_time_is_placed_by_its_coordinates(tmp_path: Path) -> None:
    root = make_export(tmp_path, "pics", {"a.jpg": synth.jpeg(lat=48.8566, lon=2.3522, taken="2024:07:01 12:00:00")})
    (m,) = [r for _, r in parse_all(root) if isinstance(r, Media)]
    assert m.taken_at == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)  # Paris, summer time


@pytest.mark.parametrize("name,data", [
    ("cut.jpg", synth.jpeg(lat=1.0, lon=2.0)[:40]),
    ("bad.jpg", b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00*\xff\xff\xff\xff" + b"\x00" * 64),
    ("cut.mp4", synth.mp4(created=datetime(2024, 5, 1, tzinfo=UTC), lat=1.0, lon=2.0)[:60]),
    ("loop.png", synth.png()[:33] + b"\xff\xff\xff\xf0eXIf"),
    ("bad.heic", synth.heic(lat=1.0, lon=2.0)[:200]),
])
def test_corrupt_files_give_issues_not_crashes(tmp_path: Path, name: str, data: bytes) -> None:
    root = make_export(tmp_path, "pics", {name: data, "ok.jpg": synth.jpeg(lat=5.0, lon=6.0)})
    got = parse_all(root)
    issues = [r for _, r in got if isinstance(r, ParseIssue)]
    assert issues and all(i.member == name for i in issues)
    assert any(isinstance(r, Place) and r.lat == pytest.approx(5.0) for _, r in got)  # the rest goes on


def test_xmp_sidecar_aae_and_album_metadata(tmp_path: Path) -> None:
    from tests.samples.media import _AAE

    root = make_export(tmp_path, "pics", {
        "DCIM/IMG_1.jpg.xmp": synth.xmp_packet(lat=45.764, lon=4.8357, city="Lyon", serial="SN-X"),
        "DCIM/IMG_2.AAE": _AAE,
        "Takeout/Google Photos/Trip/metadata.json": b'{"title": "Trip", "geoData": {"latitude": 1.0}}',
    })
    recs = [r for _, r in parse_all(root)]
    media = sorted((r for r in recs if isinstance(r, Media)), key=lambda r: r.path)
    assert [(m.path, m.lat, m.software, m.camera_serial) for m in media] == [
        ("DCIM/IMG_1.jpg", pytest.approx(45.764), None, "SN-X"),
        ("DCIM/IMG_2", None, "com.apple.mobileslideshow", None),
    ]
    (place,) = [r for r in recs if isinstance(r, Place)]
    assert place.name == "Lyon" and place.kind == "geotag"


def test_sidecar_with_truncated_media_extension_uses_title(tmp_path: Path) -> None:
    long = "Screenshot_20240501-101010_Some Very Long App Name.jpg"
    root = make_export(tmp_path, "takeout", {
        "Takeout/Google Photos/Photos from 2024/Screenshot_20240501-101010_Some Very Long App.json":
            synth.google_sidecar(title=long, taken=1714521600, lat=12.5, lon=-8.25),
    })
    (m,) = [r for _, r in parse_all(root) if isinstance(r, Media)]
    assert m.path == f"Takeout/Google Photos/Photos from 2024/{long}" and m.lat == pytest.approx(12.5)


def test_canon_cr3_raw_header(tmp_path: Path) -> None:
    f = tmp_path / "IMG_1.CR3"
    f.write_bytes(synth.cr3(lat=-33.8688, lon=151.2093, make="Canon", model="Canon EOS R5", serial="123456789012"))
    m = read_path(f)
    row = exiftool([f], "-GPSLatitude", "-GPSLongitude", "-SerialNumber")["IMG_1.CR3"]
    assert m.container == "cr3" and m.model == "Canon EOS R5"
    assert m.lat == pytest.approx(tag(row, "GPSLatitude"), abs=1e-6)
    assert m.lon == pytest.approx(tag(row, "GPSLongitude"), abs=1e-6)
    assert m.serial == str(tag(row, "SerialNumber"))


def test_large_video_is_read_by_seeking(tmp_path: Path) -> None:
    # A 600 MB video (sparse on disk): its location is after mdat, reached by one seek.
    head = synth.mp4(created=datetime(2024, 5, 1, tzinfo=UTC), lat=41.9, lon=12.5, mdat_size=16)
    ftyp_len = int.from_bytes(head[:4], "big")
    moov = head[ftyp_len:ftyp_len + int.from_bytes(head[ftyp_len:ftyp_len + 4], "big")]
    big = 600 * 1024 * 1024
    root = tmp_path / "videos"
    root.mkdir()
    with open(root / "long.mp4", "wb") as f:
        f.write(head[:ftyp_len] + (big + 8).to_bytes(4, "big") + b"mdat")
        f.seek(ftyp_len + 8 + big)
        f.write(moov)
    got = parse_all(root)
    (media,) = [r for _, r in got if isinstance(r, Media)]
    assert (media.lat, media.lon) == (pytest.approx(41.9), pytest.approx(12.5))
