"""Media samples (photos, videos, sidecars) built in code by reflet.media.synth."""

from __future__ import annotations

from datetime import UTC, datetime

from reflet.media import synth

_KW = dict(lat=48.8566, lon=2.3522, taken="2024:05:01 10:00:00", offset="+02:00", make="Canon",
           model="EOS R6", serial="012345678901")

_AAE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>adjustmentBaseVersion</key><integer>0</integer>
<key>adjustmentEditorBundleID</key><string>com.apple.mobileslideshow</string>
<key>adjustmentFormatIdentifier</key><string>com.apple.photo</string>
<key>adjustmentTimestamp</key><date>2024-05-02T08:00:00Z</date>
</dict></plist>
"""

SAMPLES = {
    "media.file": [
        ("Pictures/2024/IMG_0001.jpg", synth.jpeg(**_KW)),  # type: ignore[arg-type]
        ("Pictures/2024/IMG_0002.png", synth.png(**_KW)),  # type: ignore[arg-type]
        ("Pictures/2024/IMG_0003.webp", synth.webp(xmp=synth.xmp_packet(lat=40.7, lon=-74.0))),
        ("Pictures/2024/IMG_0004.heic", synth.heic(**_KW)),  # type: ignore[arg-type]
        ("Pictures/2024/VID_0005.mp4", synth.mp4(created=datetime(2024, 5, 1, tzinfo=UTC), lat=48.85, lon=2.35,
                                                 make="Google", model="Pixel 8", mdat_size=256)),
        ("DCIM/IMG_0006.tif", synth.tiff(**_KW)),  # type: ignore[arg-type]
        ("DCIM/IMG_0009.CR3", synth.cr3(lat=35.0, lon=139.0, make="Canon", model="EOS R5", serial="1234")),
    ],
    "media.google_sidecar": [
        ("Takeout/Google Photos/Photos from 2024/IMG_0001.jpg.supplemental-metadata.json",
         synth.google_sidecar(title="IMG_0001.jpg", taken=1714380000, lat=48.8566, lon=2.3522)),
    ],
    "media.xmp_sidecar": [
        ("Pictures/IMG_0007.jpg.xmp", synth.xmp_packet(lat=51.5, lon=-0.12, city="London")),
    ],
    "media.aae": [("DCIM/100APPLE/IMG_0008.AAE", _AAE)],
}
