"""The person's photo folder ``Photos/``: JPEG, HEIC and MP4 files built by ``reflet.media.synth``.

One file per ground-truth photo, with the time (local, with its offset), the GPS position
when the phone had it, make and model, and the stand-alone camera's serial number.
Files are tiny (a noise image); the same seed gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...media import synth
from ..model import Persona
from . import _out


def write(p: Persona, truth: dict[str, Any], exports: Any) -> dict[str, Any] | None:
    photos = truth["photos"]
    if not photos:
        return None
    folder = exports / "Photos"
    folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for i, ph in enumerate(photos):
        local = datetime.fromisoformat(ph["local_time"])
        off = local.strftime("%z")
        kw: dict[str, Any] = {"taken": local.strftime("%Y:%m:%d %H:%M:%S"), "offset": f"{off[:3]}:{off[3:]}",
                              "make": ph["make"], "model": ph["model"]}
        if ph["has_gps"]:
            kw.update(lat=ph["lat"], lon=ph["lon"])
        if ph["serial"]:
            kw["serial"] = ph["serial"]
        if ph["software"]:
            kw["software"] = ph["software"]
        if ph["format"] == "mp4":
            data = synth.mp4(seed=i, created=_out.t(ph["time"]), lat=ph["lat"], lon=ph["lon"], make=ph["make"],
                             model=ph["model"], mdat_size=256)
        elif ph["format"] == "heic":
            data = synth.heic(seed=i, **kw)
        else:
            data = synth.jpeg(seed=i, size=(32, 24), **kw)
        name = ph["file"]
        (folder / name).write_bytes(data)
        names.append(name)
    return {"path": "Photos/" + names[0], "members": sorted(names), "photos": len(names),
            "geotagged": sum(1 for ph in photos if ph["has_gps"]),
            "formats": {f: sum(1 for ph in photos if ph["format"] == f) for f in ("jpeg", "heic", "mp4")}}
