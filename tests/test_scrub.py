"""`reflet scrub`: clean copies keep the picture bytes, lose location/serials, and never touch originals."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflet.cli import cli
from reflet.media import read_path, synth
from reflet.media.isobmff import Stream, top_level
from reflet.scrub.clean import Options, plan
from tests.media_helpers import exiftool, tag

CAMERA = dict(lat=-33.8688, lon=151.2093, alt=12.5, taken="2024:05:01 10:00:00", offset="+10:00", make="Apple",
              model="iPhone 15", serial="F2LXK0001", lens_serial="LNS-77", owner="A. Person", orientation=6)
XMP = synth.xmp_packet(city="Sydney", country="Australia", faces=1, history=("Photoshop",))
LEAK_TAGS = ("GPSLatitude", "GPSLongitude", "GPSCoordinates", "GPSPosition", "SerialNumber", "LensSerialNumber",
             "OwnerName", "City", "Country", "RegionName", "LocationInformation", "Make", "Model")


def _files() -> dict[str, bytes]:
    return {
        "trip/a.jpg": synth.jpeg(xmp=XMP, iptc=synth.iptc_app13(city="Sydney"), comment=b"at home",
                                 trailer=synth.jpeg(seed=9, lat=1.0, lon=2.0), **CAMERA),  # type: ignore[arg-type]
        "trip/b.png": synth.png(text={"Comment": "home"}, xmp=XMP, **CAMERA),  # type: ignore[arg-type]
        "trip/c.webp": synth.webp(xmp=XMP, **CAMERA),  # type: ignore[arg-type]
        "trip/d.heic": synth.heic(xmp=XMP, **CAMERA),  # type: ignore[arg-type]
        "trip/sub/e.mp4": synth.mp4(created=datetime(2024, 5, 1, tzinfo=UTC), lat=48.85, lon=2.35, make="Google",
                                    model="Pixel 8", apple_keys=True, loci=True),
        "trip/sub/f.mov": synth.mp4(created=datetime(2024, 5, 1, tzinfo=UTC), lat=40.7, lon=-74.0, quicktime=True,
                                    apple_keys=True, moov_first=False, make="Apple", model="iPhone"),
        "trip/raw.dng": synth.tiff(**CAMERA),  # type: ignore[arg-type]
        "trip/readme.txt": b"not media",
    }


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, tuple[bytes, int]], object]:
    base = tmp_path_factory.mktemp("scrub")
    src = base / "trip"
    for rel, data in _files().items():
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        os.utime(p, (1_600_000_000, 1_600_000_000))
    before = {str(p.relative_to(base)): (p.read_bytes(), p.stat().st_mtime_ns) for p in src.rglob("*") if p.is_file()}
    out = base / "clean"
    result = CliRunner().invoke(cli, ["scrub", str(src), "--out", str(out)])
    return src, out, before, result


def _media(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))


def test_copies_keep_structure_and_raw_is_refused(scrubbed) -> None:  # type: ignore[no-untyped-def]
    _, out, _, result = scrubbed
    assert result.exit_code == 3, result.output  # one file could not be cleaned
    assert [str(p.relative_to(out)) for p in _media(out)] == [
        "trip/a.jpg", "trip/b.png", "trip/c.webp", "trip/d.heic", "trip/sub/e.mp4", "trip/sub/f.mov"]
    assert "raw.dng" in result.output and "cannot be removed" in result.output.replace("\n", " ")
    assert not (out / "trip/raw.dng").exists()
    assert "1 other file skipped" in result.output
    assert "GPS position: 6 files" in result.output and "camera serial number: 4 files" in result.output


def test_no_location_serial_or_camera_left(scrubbed) -> None:  # type: ignore[no-untyped-def]
    _, out, _, _ = scrubbed
    files = _media(out)
    seen = exiftool(files)
    assert len(seen) == len(files)
    for f in files:
        row = seen[f.name]
        left = [k for k in row if k.split(":")[-1] in LEAK_TAGS]
        assert left == [], (f.name, left)
        assert not any("Warning" in k or "Error" in k for k in row), (f.name, row)
        m = read_path(f)
        assert m.lat is None and m.serial is None and m.places == [] and m.faces == 0 and m.issues == []


def _jpeg_scan(data: bytes) -> bytes:
    sos = data.index(b"\xff\xda")
    return data[sos:data.index(b"\xff\xd9", sos) + 2]


def _png_idat(data: bytes) -> bytes:
    out, pos = b"", 8
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        if typ == b"IDAT":
            out += data[pos:pos + 12 + ln]
        pos += 12 + ln
    return out


def _boxes(data: bytes, kind: bytes) -> bytes:
    s = Stream(io.BytesIO(data), b"", len(data))
    out = b""
    for b in top_level(s):
        if b.type == kind:
            out += s.exact(b.size - b.header)
    return out


def _webp_image(data: bytes) -> bytes:
    i = data.index(b"VP8 ")
    return data[i:i + 8 + struct.unpack("<I", data[i + 4:i + 8])[0]]


def test_compressed_picture_data_is_byte_identical(scrubbed) -> None:  # type: ignore[no-untyped-def]
    _, out, before, _ = scrubbed
    orig = {k: v[0] for k, v in before.items()}
    clean = {str(p.relative_to(out)): p.read_bytes() for p in _media(out)}
    assert _jpeg_scan(clean["trip/a.jpg"]) == _jpeg_scan(orig["trip/a.jpg"])
    assert clean["trip/a.jpg"].endswith(b"\xff\xd9")  # the appended second image (with its own GPS) is gone
    assert _png_idat(clean["trip/b.png"]) == _png_idat(orig["trip/b.png"]) != b""
    assert _webp_image(clean["trip/c.webp"]) == _webp_image(orig["trip/c.webp"])
    for name in ("trip/sub/e.mp4", "trip/sub/f.mov"):
        assert _boxes(clean[name], b"mdat") == _boxes(orig[name], b"mdat") != b"", name
        assert len(clean[name]) == len(orig[name])  # same-length patches: no offset moved
    # In HEIC the Exif/XMP items sit inside mdat too: every OTHER item (the coded picture) is identical.
    assert _heif_picture(clean["trip/d.heic"]) == _heif_picture(orig["trip/d.heic"]) != b""
    assert len(clean["trip/d.heic"]) == len(orig["trip/d.heic"])


def _heif_picture(data: bytes) -> bytes:
    from reflet.media.isobmff import Box, heif_items

    s = Stream(io.BytesIO(data), b"", len(data))
    for b in top_level(s):
        if b.type == b"meta":
            body = s.exact(b.size - b.header)
            items, _ = heif_items(body, Box(b"meta", b.start, 0, len(body)), b.start)
            return b"".join(data[o:o + n] for it in sorted(items.values(), key=lambda i: i.id)
                            if it.type not in (b"Exif", b"mime") for o, n in it.extents)
    return b""


def test_heic_decodes_to_the_same_pixels(scrubbed) -> None:  # type: ignore[no-untyped-def]
    import pillow_heif

    _, out, before, _ = scrubbed
    a = pillow_heif.open_heif(io.BytesIO(before["trip/d.heic"][0]))
    b = pillow_heif.open_heif(out / "trip/d.heic")
    assert hashlib.sha256(bytes(a.data)).digest() == hashlib.sha256(bytes(b.data)).digest()


def test_originals_untouched_and_copies_private(scrubbed) -> None:  # type: ignore[no-untyped-def]
    src, out, before, _ = scrubbed
    after = {str(p.relative_to(src.parent)): (p.read_bytes(), p.stat().st_mtime_ns)
             for p in src.rglob("*") if p.is_file()}
    assert after == before
    for p in out.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), p
    assert stat.S_IMODE(out.stat().st_mode) == 0o700


def test_keep_orientation_and_date(tmp_path: Path) -> None:
    f = tmp_path / "in" / "p.jpg"
    f.parent.mkdir()
    f.write_bytes(synth.jpeg(**CAMERA))  # type: ignore[arg-type]
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["scrub", str(f), "--out", str(out), "--keep-orientation", "--keep-date"])
    assert r.exit_code == 0, r.output
    row = exiftool([out / "p.jpg"])["p.jpg"]
    assert tag(row, "Orientation") == 6 and tag(row, "DateTimeOriginal") == "2024:05:01 10:00:00"
    assert tag(row, "OffsetTimeOriginal") == "+10:00"
    assert [k for k in row if k.split(":")[-1] in LEAK_TAGS] == []
    assert (out / "p.jpg").stat().st_mtime_ns == f.stat().st_mtime_ns  # --keep-date keeps the file time too


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    f = tmp_path / "p.jpg"
    f.write_bytes(synth.jpeg(**CAMERA))  # type: ignore[arg-type]
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["scrub", str(f), "--out", str(out), "--dry-run"])
    assert r.exit_code == 0, r.output
    assert not out.exists()
    assert "Would remove" in r.output and "GPS position: 1 file" in r.output


def test_tiff_is_not_cleanable() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.tif"
        p.write_bytes(synth.tiff(lat=1.0, lon=2.0))
        pl = plan(p, Options())
        assert not pl.ok and "TIFF/DNG/RAW" in (pl.reason or "") and pl.data is None and pl.patches == []
        cr3 = Path(d) / "x.cr3"
        cr3.write_bytes(synth.cr3(lat=1.0, lon=2.0, make="Canon", model="R5", serial="1"))
        pl = plan(cr3, Options())
        assert not pl.ok and "CR3" in (pl.reason or "") and pl.patches == []


def test_copy_exiftool_still_flags_is_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Second line of defence: if reflet's own check missed something, exiftool's batch check catches it.
    import reflet.scrub.cli as scrub_cli

    f = tmp_path / "p.jpg"
    f.write_bytes(synth.jpeg(**CAMERA))  # type: ignore[arg-type]

    def leaky(path: Path, opts: Options) -> object:
        p = plan(path, opts)
        p.data = path.read_bytes()  # pretend the cleaner kept everything
        return p

    monkeypatch.setattr(scrub_cli, "plan", leaky)
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["scrub", str(f), "--out", str(out)])
    text = " ".join(r.output.split())  # the terminal output wraps long lines
    assert r.exit_code == 3, text
    assert "exiftool still finds" in text and "GPSLatitude" in text
    assert not (out / "p.jpg").exists()


def test_links_in_folders_are_listed_not_followed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(synth.jpeg(lat=1.0, lon=2.0))
    (src / "link.jpg").symlink_to(outside)
    (src / "ok.jpg").write_bytes(synth.jpeg(lat=3.0, lon=4.0))
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["scrub", str(src), "--out", str(out)])
    assert r.exit_code == 3 and "a link: not followed" in " ".join(r.output.split())
    assert [p.name for p in _media(out)] == ["ok.jpg"]


@pytest.mark.parametrize("kw,mode", [({"progressive": True}, "RGB"), ({"restart_marker_blocks": 4}, "RGB"),
                                     ({}, "CMYK")])
def test_progressive_restart_and_cmyk_jpegs_stay_identical(tmp_path: Path, kw: dict[str, object], mode: str) -> None:
    from PIL import Image

    buf = io.BytesIO()
    synth.noise(120, 90, seed=5).convert(mode).save(buf, "JPEG", quality=85, exif=synth.exif_bytes(
        lat=1.0, lon=2.0, serial="X1"), **kw)
    f = tmp_path / "p.jpg"
    f.write_bytes(buf.getvalue())
    p = plan(f, Options())
    assert p.ok and p.data is not None and "GPS position" in p.removed()
    orig = buf.getvalue()
    assert p.data[p.data.index(b"\xff\xda"):] == orig[orig.index(b"\xff\xda"):]  # every scan and table after it
    assert Image.open(io.BytesIO(p.data)).tobytes() == Image.open(f).tobytes()


@pytest.mark.parametrize("name,make", [("p.png", synth.png), ("w.webp", synth.webp), ("h.heic", synth.heic)])
def test_keep_date_in_other_containers(tmp_path: Path, name: str, make) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / name
    f.write_bytes(make(**CAMERA))
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["scrub", str(f), "--out", str(out), "--keep-date", "--keep-orientation"])
    assert r.exit_code == 0, r.output
    row = exiftool([out / name])[name]
    assert tag(row, "DateTimeOriginal") == "2024:05:01 10:00:00"
    assert [k for k in row if k.split(":")[-1] in LEAK_TAGS] == []
    if name != "h.heic":  # HEIC rotation lives in its irot property, untouched; EXIF orientation is ignored there
        assert tag(row, "Orientation") == 6
