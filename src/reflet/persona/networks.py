"""Real network addresses for the persona, so enrichment can be tested on it as on a real export.

Each address is the first address of a /24 block (``x.y.z.0``): it names a network, not a host or a
person. Each was chosen on 2026-11-23 from the pinned data (DB-IP City Lite 2.3.2026060513 and
@ip-location-db/asn 2.3.2026061719) for the country, city and network kind shown, and
``tests/test_persona_networks.py`` checks every one against the installed databases.
"""

from __future__ import annotations

# (address, city as the database names it, country): fixed lines by home city (the last is the office line).
FIXED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "chicago": (
        ('50.171.81.0', 'Chicago', 'US'),
        ('76.16.0.0', 'Chicago', 'US'),
        ('50.149.82.0', 'Chicago', 'US'),
        ('50.201.212.0', 'Chicago', 'US'),
        ('50.204.92.0', 'Chicago (River North)', 'US'),
        ('50.149.112.0', 'Chicago (Loop)', 'US'),
        ('162.148.13.0', 'Chicago', 'US'),
    ),
    "houston": (
        ('50.217.138.0', 'Houston (Almeada Heights)', 'US'),
        ('50.232.110.0', 'Houston', 'US'),
        ('50.200.234.0', 'Houston (Westbranch)', 'US'),
        ('50.152.85.0', 'Houston', 'US'),
        ('50.201.253.0', 'Houston', 'US'),
        ('50.205.211.0', 'Houston (East Houston)', 'US'),
        ('50.172.239.0', 'Houston', 'US'),
    ),
    "manchester": (
        ('86.128.52.0', 'Manchester', 'GB'),
        ('217.15.64.0', 'Manchester', 'GB'),
        ('194.72.13.0', 'Manchester', 'GB'),
        ('51.230.255.0', 'Manchester', 'GB'),
        ('62.239.13.0', 'Manchester', 'GB'),
        ('15.145.20.0', 'Manchester', 'GB'),
        ('193.38.201.0', 'Manchester', 'GB'),
    ),
    "toronto": (
        ('24.52.205.0', 'Toronto (North York)', 'CA'),
        ('69.196.128.0', 'Toronto', 'CA'),
        ('23.233.0.0', 'Toronto', 'CA'),
        ('207.136.64.0', 'Toronto', 'CA'),
        ('173.230.160.0', 'Toronto', 'CA'),
        ('24.246.52.0', 'Toronto', 'CA'),
        ('69.165.128.0', 'Toronto', 'CA'),
    ),
}
# Mobile carriers by country: T-Mobile US, Rogers (Canada), O2 (UK). Also their shared (CGNAT) public side.
MOBILE: dict[str, tuple[tuple[str, str, str], ...]] = {
    "US": (
        ('208.54.0.0', 'Philadelphia', 'US'),
        ('208.54.82.0', 'Philadelphia', 'US'),
        ('97.65.105.0', 'Bellevue (Factoria)', 'US'),
        ('75.122.0.0', 'Philadelphia', 'US'),
        ('206.29.180.0', 'Bellevue', 'US'),
        ('24.221.0.0', 'Atlanta', 'US'),
        ('66.94.0.0', 'Philadelphia', 'US'),
        ('216.155.160.0', 'Bellevue (Factoria)', 'US'),
    ),
    "GB": (
        ('93.97.0.0', 'Mossley', 'GB'),
        ('185.132.84.0', 'Hemel Hempstead', 'GB'),
        ('46.233.64.0', 'London', 'GB'),
        ('158.230.0.0', 'London', 'GB'),
        ('82.132.253.0', 'London', 'GB'),
        ('87.194.0.0', 'Reading', 'GB'),
        ('82.132.198.0', 'Slough', 'GB'),
        ('185.79.104.0', 'London (Holborn)', 'GB'),
    ),
    "CA": (
        ('216.16.224.0', 'Brampton', 'CA'),
        ('204.50.184.0', 'Winnipeg (Maginot)', 'CA'),
        ('199.204.208.0', 'Toronto', 'CA'),
        ('24.156.128.0', 'Toronto (Old Toronto)', 'CA'),
        ('69.26.194.0', 'Ottawa', 'CA'),
        ('178.95.82.0', 'Toronto', 'CA'),
        ('31.76.186.0', 'Toronto', 'CA'),
        ('31.76.182.0', 'Toronto', 'CA'),
    ),
}
# Hotel and café Wi-Fi on trips, by country: each trip draws its own (a hotel's network is not the
# next hotel's), so a person who goes back to a country does not show the same address twice.
WIFI: dict[str, tuple[tuple[str, str, str], ...]] = {
    "MX": (('189.161.0.0', 'Mexico City (Centro)', 'MX'), ('189.161.14.0', 'Mexico City (Centro)', 'MX'),
           ('189.163.49.0', 'Mexico City (Centro)', 'MX')),
    "GT": (('181.189.128.0', 'Guatemala City', 'GT'), ('181.209.140.0', 'Guatemala City', 'GT'),
           ('181.174.70.0', 'Guatemala City', 'GT')),
    "SV": (('186.32.98.0', 'San Salvador', 'SV'), ('186.32.70.0', 'San Salvador', 'SV')),
    "CO": (('181.60.57.0', 'Bogota (Chapinero)', 'CO'), ('181.61.7.0', 'Bogota (Chapinero)', 'CO'),
           ('181.62.14.0', 'Bogota (Chapinero)', 'CO')),
    "CA": (('23.91.224.0', 'Saint-Bruno-de-Montarville', 'CA'), ('23.91.84.0', 'Toronto', 'CA'),
           ('23.111.70.0', 'Toronto (Old Toronto)', 'CA')),
    "PT": (('85.240.0.0', 'Lisbon', 'PT'), ('85.241.14.0', 'Lisbon', 'PT'), ('85.242.70.0', 'Lisbon', 'PT')),
    "ES": (('85.85.128.0', 'Donostia / San Sebastian', 'ES'), ('85.85.203.0', 'Madrid', 'ES'),
           ('85.86.70.0', 'Madrid', 'ES')),
    "PL": (('176.101.80.0', 'Piekary Slaskie', 'PL'), ('176.102.182.0', 'Warsaw', 'PL'),
           ('176.107.112.0', 'Warsaw', 'PL')),
    "NG": (('45.86.20.0', 'Abuja', 'NG'),),
    "TR": (('92.42.32.0', 'Istanbul', 'TR'), ('92.44.112.0', 'Istanbul', 'TR'), ('92.45.21.0', 'Istanbul', 'TR')),
    "IE": (('78.135.128.0', 'Dublin (Sandyford)', 'IE'), ('78.135.252.0', 'Dublin', 'IE'),
           ('78.137.168.0', 'Dublin', 'IE')),
    # A hotel's own line, not the Chicago office line (162.148.13.0, above).
    "US": (('162.148.14.0', 'Chicago', 'US'), ('162.149.161.0', 'Chicago', 'US'),
           ('162.150.0.0', 'Chicago (Near South Side)', 'US')),
}
# Commercial VPN exits (Proton VPN, Mullvad): the server's place, not the person's.
VPN: tuple[tuple[str, str, str, str], ...] = (
    ('109.224.244.0', 'Bern', 'CH', 'Switzerland'),
    ('194.0.147.0', 'Stockholm', 'SE', 'Sweden'),
    ('176.119.200.0', 'Frankfurt am Main', 'DE', 'Germany'),
    ('45.92.0.0', 'Gothenburg', 'SE', 'Sweden'),
)
# The planted intruder, by the country the persona model draws for it.
ATTACKER: dict[str, tuple[str, str, str]] = {
    "BR": ('45.4.8.0', 'Vila Valerio', 'BR'),
    "ID": ('45.64.252.0', 'Palembang', 'ID'),
    "RO": ('89.35.224.0', 'Pitesti', 'RO'),
    "VN": ('45.117.164.0', 'Quan Tan Phu', 'VN'),
    "NL": ('185.89.152.0', 'Arnhem', 'NL'),
}
