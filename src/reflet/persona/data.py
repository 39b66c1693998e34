"""Static material for the persona: cities, trip destinations, devices, names, advertisers.

Coordinates are real city areas (a residential district for the home, a business
district for work) but every address, name and number is invented. Phone
numbers use ranges reserved for fiction (NANP 555-01xx, Ofcom 07700 900xxx);
e-mail addresses use the reserved ``example.*`` domains.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Airport:
    code: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class City:
    key: str
    name: str
    country: str
    cc: str
    tz: str
    lat: float
    lon: float
    airport: Airport
    home_area: tuple[float, float] = (0.0, 0.0)
    work_area: tuple[float, float] = (0.0, 0.0)
    altitude: float = 100.0
    phone_prefix: str = ""
    carrier_hub: str = ""  # where IP databases tend to place this country's mobile addresses
    destinations: tuple[str, ...] = ()
    street_suffixes: tuple[str, ...] = ("St", "Ave")


HOME_CITIES: dict[str, City] = {
    "chicago": City(
        "chicago", "Chicago", "United States", "US", "America/Chicago", 41.8781, -87.6298,
        Airport("ORD", "O'Hare International Airport", 41.9786, -87.9048),
        home_area=(41.8540, -87.6650), work_area=(41.8827, -87.6326), altitude=180,
        phone_prefix="+1 312 555 01", carrier_hub="Dallas, Texas",
        destinations=("mexico_city", "guatemala", "san_salvador", "bogota", "toronto")),
    "houston": City(
        "houston", "Houston", "United States", "US", "America/Chicago", 29.7604, -95.3698,
        Airport("IAH", "George Bush Intercontinental Airport", 29.9902, -95.3368),
        home_area=(29.7420, -95.3320), work_area=(29.7580, -95.3650), altitude=15,
        phone_prefix="+1 713 555 01", carrier_hub="Atlanta, Georgia",
        destinations=("mexico_city", "guatemala", "san_salvador", "bogota")),
    "toronto": City(
        "toronto", "Toronto", "Canada", "CA", "America/Toronto", 43.6532, -79.3832,
        Airport("YYZ", "Toronto Pearson International Airport", 43.6777, -79.6248),
        home_area=(43.6620, -79.4330), work_area=(43.6490, -79.3820), altitude=90,
        phone_prefix="+1 416 555 01", carrier_hub="Montreal, Quebec",
        destinations=("chicago", "mexico_city", "lisbon", "bogota")),
    "manchester": City(
        "manchester", "Manchester", "United Kingdom", "GB", "Europe/London", 53.4808, -2.2426,
        Airport("MAN", "Manchester Airport", 53.3650, -2.2728),
        home_area=(53.4590, -2.2000), work_area=(53.4800, -2.2430), altitude=40,
        phone_prefix="+44 7700 900", carrier_hub="London",
        destinations=("madrid", "lisbon", "warsaw", "lagos", "istanbul", "dublin"),
        street_suffixes=("Road", "Street", "Lane")),
}

# Trip destinations: (city, country, code, tz, centre, airport). Only places a morning flight
# reaches the same local day, so no day of the model has a move across local midnight.
ABROAD: dict[str, City] = {
    "mexico_city": City("mexico_city", "Mexico City", "Mexico", "MX", "America/Mexico_City", 19.4326, -99.1332,
                        Airport("MEX", "Benito Juárez International Airport", 19.4361, -99.0719), altitude=2240),
    "guatemala": City("guatemala", "Guatemala City", "Guatemala", "GT", "America/Guatemala", 14.6349, -90.5069,
                      Airport("GUA", "La Aurora International Airport", 14.5833, -90.5275), altitude=1500),
    "san_salvador": City("san_salvador", "San Salvador", "El Salvador", "SV", "America/El_Salvador",
                         13.6929, -89.2182, Airport("SAL", "El Salvador International Airport", 13.4409, -89.0557),
                         altitude=660),
    "bogota": City("bogota", "Bogotá", "Colombia", "CO", "America/Bogota", 4.7110, -74.0721,
                   Airport("BOG", "El Dorado International Airport", 4.7016, -74.1469), altitude=2640),
    "toronto": City("toronto", "Toronto", "Canada", "CA", "America/Toronto", 43.6532, -79.3832,
                    Airport("YYZ", "Toronto Pearson International Airport", 43.6777, -79.6248), altitude=90),
    "chicago": City("chicago", "Chicago", "United States", "US", "America/Chicago", 41.8781, -87.6298,
                    Airport("ORD", "O'Hare International Airport", 41.9786, -87.9048), altitude=180),
    "madrid": City("madrid", "Madrid", "Spain", "ES", "Europe/Madrid", 40.4168, -3.7038,
                   Airport("MAD", "Adolfo Suárez Madrid–Barajas Airport", 40.4983, -3.5676), altitude=650),
    "lisbon": City("lisbon", "Lisbon", "Portugal", "PT", "Europe/Lisbon", 38.7223, -9.1393,
                   Airport("LIS", "Humberto Delgado Airport", 38.7742, -9.1342), altitude=50),
    "warsaw": City("warsaw", "Warsaw", "Poland", "PL", "Europe/Warsaw", 52.2297, 21.0122,
                   Airport("WAW", "Warsaw Chopin Airport", 52.1657, 20.9671), altitude=100),
    "lagos": City("lagos", "Lagos", "Nigeria", "NG", "Africa/Lagos", 6.5244, 3.3792,
                  Airport("LOS", "Murtala Muhammed International Airport", 6.5774, 3.3212), altitude=40),
    "istanbul": City("istanbul", "Istanbul", "Türkiye", "TR", "Europe/Istanbul", 41.0082, 28.9784,
                     Airport("IST", "Istanbul Airport", 41.2753, 28.7519), altitude=40),
    "dublin": City("dublin", "Dublin", "Ireland", "IE", "Europe/Dublin", 53.3498, -6.2603,
                   Airport("DUB", "Dublin Airport", 53.4264, -6.2499), altitude=20),
}

# Where the planted unrecognised login comes from: never the persona's home country.
ATTACKER_COUNTRIES = (("BR", "Brazil", "São Paulo"), ("ID", "Indonesia", "Jakarta"),
                      ("RO", "Romania", "Bucharest"), ("VN", "Vietnam", "Hanoi"),
                      ("NL", "Netherlands", "Amsterdam"))

VPN_EXITS = (("NL", "Netherlands", "Amsterdam"), ("CH", "Switzerland", "Zurich"),
             ("SE", "Sweden", "Stockholm"), ("DE", "Germany", "Frankfurt"))

GIVEN = ("Amira", "Daniel", "Lucía", "Tomasz", "Ngozi", "Mateo", "Leyla", "Samuel", "Inés", "Farid",
         "Rosa", "Kwame", "Elena", "Omar", "Marisol", "Jonas")
FAMILY = ("Okafor", "Reyes", "Nowak", "Haddad", "Mendoza", "Kowalczyk", "Adeyemi", "Quintero",
          "Benali", "Santos", "Lindqvist", "Morales", "Abara", "Castillo")
STREETS = ("Maple", "Linden", "Harbor", "Orchard", "Juniper", "Willow", "Cedar", "Alder", "Birch",
           "Rowan", "Hawthorn", "Larch", "Sorrel", "Thistle", "Quarry", "Mill")

# Phones: (make, model, os, os_version, platform, prettyName, deviceSpec fields, camera format)
PHONES = {
    "galaxy_a52": ("samsung", "SM-A525F", "Android", "13", "ANDROID", "Galaxy A52",
                   {"manufacturer": "samsung", "brand": "samsung", "product": "a52qnsxx", "device": "a52q",
                    "model": "SM-A525F", "isLowRam": False}, 33),
    "galaxy_a14": ("samsung", "SM-A145R", "Android", "13", "ANDROID", "Galaxy A14",
                   {"manufacturer": "samsung", "brand": "samsung", "product": "a14xx", "device": "a14",
                    "model": "SM-A145R", "isLowRam": False}, 33),
    "pixel_7": ("Google", "Pixel 7", "Android", "14", "ANDROID", "Pixel 7",
                {"manufacturer": "Google", "brand": "google", "product": "panther", "device": "panther",
                 "model": "Pixel 7", "isLowRam": False}, 34),
    "moto_g": ("motorola", "moto g power (2022)", "Android", "12", "ANDROID", "moto g power",
               {"manufacturer": "motorola", "brand": "motorola", "product": "tonga_g", "device": "tonga",
                "model": "moto g power (2022)", "isLowRam": False}, 31),
    "iphone_13": ("Apple", "iPhone 13", "iOS", "17.4", "IOS", "iPhone 13", None, 0),
    "iphone_12": ("Apple", "iPhone 12", "iOS", "16.6", "IOS", "iPhone 12", None, 0),
    "iphone_se": ("Apple", "iPhone SE (3rd generation)", "iOS", "16.5", "IOS", "iPhone SE", None, 0),
}
COMPUTERS = (
    ("Dell", "XPS 13 9310", "Windows", "11", "Chrome", "120.0.0.0"),
    ("Lenovo", "ThinkPad E14", "Windows", "10", "Edge", "119.0.0.0"),
    ("Apple", "MacBook Air (M1)", "macOS", "14.2", "Safari", "17.2"),
)
CAMERAS = (("Canon", "Canon EOS 250D"), ("FUJIFILM", "X-T30"), ("SONY", "ILCE-6100"))

# Companies that uploaded a list with the person's contact details. LiveRamp and Acxiom are
# real data brokers seen in most Facebook exports (research.md B30); the others are invented.
BROKERS = (("LiveRamp", "data_broker"), ("Acxiom", "data_broker"), ("Experian Marketing Services", "data_broker"))
ADVERTISERS = ("Northline Mobile", "QuickCart Groceries", "FitWay Gyms", "Brightpath Credit Union",
               "Casa Bonita Furniture", "StreamMax", "Urban Threads Outlet", "HomeSafe Insurance",
               "TalkEasy Language School", "Metro Auto Loans", "SunnySide Travel", "CityCare Pharmacy")
OFF_PLATFORM = (
    ("Remesa Rápida", "money_transfer", "money-transfer service: sends money abroad"),
    ("CityCare Pharmacy", "health", "pharmacy app"),
    ("JobHarbor", "jobs", "job-search site"),
    ("SunnySide Travel", "travel", "flight booking site"),
    ("QuickCart Groceries", "shopping", "grocery delivery"),
)
