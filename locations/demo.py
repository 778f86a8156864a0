"""The demo network: Rotterdam's gebieden and wijken, operators, Huizen van de Wijk, places and rooms.

Deterministic and idempotent: every object is found by a natural key (slug, CBS code, house + name...)
and only written when it is missing or differs; all variety comes from one `random.Random(2016)` consumed in
a fixed order, whatever the database holds. Running it twice changes nothing. The geography is real (streets
and postcode areas approximately); organisations, houses and people are fictional.
"""

import datetime as dt
import random
from decimal import Decimal

import holidays
from django.db import models
from django.utils.text import slugify

from audit.services import SYSTEM

from .models import (
    Closure,
    District,
    Facility,
    House,
    HouseManagement,
    ManagementType,
    Neighbourhood,
    NeighbourhoodIndex,
    OpeningHours,
    Organisation,
    Place,
    RenterTier,
    Room,
    RoomFacility,
    RoomRate,
)
from .services import house_management_change

SEED = 2016
FIRST_PERIOD = dt.date(2016, 1, 1)
INDEX_YEARS = (2022, 2023, 2024)
HOLIDAY_YEARS = [2026, 2027, 2028]
SUMMER_CLOSURE = (dt.date(2027, 7, 19), dt.date(2027, 8, 1), "Zomersluiting")
HOUSE_PREFIX = "Huis van de Wijk "

# fmt: off
DISTRICTS = [
    "Centrum", "Delfshaven", "Overschie", "Noord", "Hillegersberg-Schiebroek", "Kralingen-Crooswijk",
    "Feijenoord", "IJsselmonde", "Pernis", "Prins Alexander", "Charlois", "Hoogvliet", "Hoek van Holland",
    "Rozenburg",
]

# Postal town and telephone area code where they are not Rotterdam's own.
CITY = [("Pernis", "Pernis Rotterdam"), ("Hoogvliet", "Hoogvliet Rotterdam"),
        ("Hoek van Holland", "Hoek van Holland"), ("Rozenburg", "Rozenburg")]
AREA_CODE = [("Hoek van Holland", "0174"), ("Rozenburg", "0181")]

# Per gebied its wijken: (name, population, social index 2022, latitude, longitude, postcode digits,
# main street, second street). The CBS (buurt) code is BU0599 + the position in this list: append new wijken at the
# end.
NEIGHBOURHOODS = [
    ("Centrum", [
        ("Stadsdriehoek", 14200, 105.8, 51.9217, 4.4870, "3011", "Hoogstraat", "Botersloot"),
        ("Cool", 5400, 103.1, 51.9190, 4.4740, "3012", "Karel Doormanstraat", "Eendrachtsweg"),
        ("Oude Westen", 9800, 84.2, 51.9170, 4.4650, "3014", "Gaffelstraat", "Josephstraat"),
    ]),
    ("Delfshaven", [
        ("Middelland", 11900, 91.6, 51.9150, 4.4560, "3021", "Heemraadssingel", "Henegouwerlaan"),
        ("Nieuwe Westen", 19300, 86.4, 51.9140, 4.4420, "3022", "Beukelsdijk", "Vierambachtsstraat"),
        ("Spangen", 10100, 77.9, 51.9200, 4.4290, "3026", "Bilderdijkstraat", "Potgieterstraat"),
        ("Bospolder-Tussendijken", 13600, 76.8, 51.9090, 4.4370, "3025", "Schiedamseweg",
         "Grote Visserijstraat"),
        ("Delfshaven", 6600, 88.3, 51.9060, 4.4460, "3024", "Voorhaven", "Havenstraat"),
    ]),
    ("Overschie", [
        ("Overschie", 7400, 101.2, 51.9420, 4.4220, "3043", "Overschiese Dorpsstraat",
         "Burgemeester Baumannlaan"),
        ("Kleinpolder", 8300, 93.4, 51.9330, 4.4350, "3042", "Melanchtonweg", "Hogenbanweg"),
    ]),
    ("Noord", [
        ("Oude Noorden", 16900, 90.7, 51.9330, 4.4800, "3035", "Zwart Janstraat", "Noordplein"),
        ("Blijdorp", 10600, 112.4, 51.9300, 4.4600, "3039", "Statenweg", "Abraham Kuyperlaan"),
        ("Liskwartier", 6300, 108.1, 51.9360, 4.4720, "3037", "Ceintuurbaan", "Gordelweg"),
        ("Bergpolder", 8600, 98.2, 51.9300, 4.4700, "3038", "Bergweg", "Vijverhofstraat"),
        ("Provenierswijk", 8400, 104.3, 51.9260, 4.4700, "3033", "Provenierssingel", "Schiekade"),
    ]),
    ("Hillegersberg-Schiebroek", [
        ("Schiebroek", 14300, 100.6, 51.9500, 4.4750, "3053", "Peppelweg", "Wollefoppenweg"),
        ("Hillegersberg-Noord", 9700, 117.2, 51.9550, 4.4900, "3054", "Bergse Dorpsstraat", "Straatweg"),
    ]),
    ("Kralingen-Crooswijk", [
        ("Kralingen-West", 15400, 95.3, 51.9250, 4.4950, "3061", "Oudedijk", "Avenue Concordia"),
        ("Kralingen-Oost", 8500, 115.9, 51.9230, 4.5200, "3063", "Honingerdijk", "Kralingse Plaslaan"),
        ("Crooswijk", 11800, 83.1, 51.9290, 4.4990, "3034", "Crooswijkseweg", "Boezemsingel"),
        ("Rubroek", 7300, 89.4, 51.9260, 4.4890, "3032", "Zaagmolenkade", "Bajonetstraat"),
    ]),
    ("Feijenoord", [
        ("Afrikaanderwijk", 8100, 74.2, 51.8990, 4.5000, "3073", "Afrikaanderplein", "Pretorialaan"),
        ("Bloemhof", 14200, 72.3, 51.8930, 4.5050, "3074", "Bloemhofplein", "Lange Hilleweg"),
        ("Hillesluis", 11600, 73.4, 51.8920, 4.5150, "3075", "Beijerlandselaan", "Hillevliet"),
        ("Feijenoord", 7800, 76.1, 51.9030, 4.5090, "3071", "Persoonshaven", "Rosestraat"),
        ("Katendrecht", 5200, 96.4, 51.9010, 4.4850, "3072", "Deliplein", "Sumatraweg"),
        ("Vreewijk", 15300, 88.2, 51.8860, 4.5150, "3076", "Lede", "Groene Hilledijk"),
    ]),
    ("Charlois", [
        ("Carnisse", 11300, 79.3, 51.8830, 4.4850, "3083", "Carnisselaan", "Boergoensevliet"),
        ("Tarwewijk", 12100, 71.2, 51.8900, 4.4800, "3081", "Mijnsherenlaan", "Wolphaertsbocht"),
        ("Oud-Charlois", 13800, 80.4, 51.8880, 4.4680, "3082", "Charloisse Kerksingel", "Doklaan"),
        ("Pendrecht", 12300, 77.2, 51.8710, 4.4700, "3086", "Slinge", "Plein 1953"),
        ("Zuidwijk", 13100, 82.1, 51.8720, 4.4880, "3085", "Oldegaarde", "Krabbendijkestraat"),
    ]),
    ("IJsselmonde", [
        ("Lombardijen", 13700, 81.3, 51.8750, 4.5300, "3077", "Spinozaweg", "Molenvliet"),
        ("Groot-IJsselmonde", 21500, 90.2, 51.8880, 4.5500, "3079", "Keizerswaard", "Herenwaard"),
        ("Beverwaard", 12200, 79.4, 51.8980, 4.5660, "3077", "Oude Watering", "Beverwaardseweg"),
    ]),
    ("Prins Alexander", [
        ("Ommoord", 23800, 102.3, 51.9620, 4.5440, "3068", "Hesseplaats", "Briandplaats"),
        ("Zevenkamp", 15200, 97.1, 51.9610, 4.5700, "3067", "Larenkamp", "Ambachtsland"),
        ("Het Lage Land", 12300, 99.2, 51.9480, 4.5330, "3069", "Kralingseweg", "Lage Land"),
        ("Prinsenland", 10400, 114.1, 51.9410, 4.5360, "3066", "Prinsenlaan", "Jan Kobellweg"),
    ]),
    ("Pernis", [
        ("Pernis", 5000, 113.2, 51.8870, 4.3900, "3195", "Pastoriedijk", "Ring"),
    ]),
    ("Hoogvliet", [
        ("Hoogvliet-Noord", 16200, 85.4, 51.8690, 4.3580, "3191", "Binnenban", "Middenbaan-Noord"),
        ("Hoogvliet-Zuid", 19100, 90.1, 51.8540, 4.3550, "3192", "Oudeland", "Middenbaan-Zuid"),
    ]),
    ("Hoek van Holland", [
        ("Hoek van Holland", 10300, 110.3, 51.9780, 4.1330, "3151", "Prins Hendrikstraat", "Rietdekkerweg"),
    ]),
    ("Rozenburg", [
        ("Rozenburg", 12600, 98.4, 51.9050, 4.2480, "3181", "Raadhuisplein", "Emmastraat"),
    ]),
]

WELFARE = Organisation.Kind.WELFARE
FOUNDATION = Organisation.Kind.RESIDENTS_FOUNDATION
# (name, kind, gebieden where it is the welfare organisation that won the tender)
ORGANISATIONS = [
    ("Maaswijk Welzijn", WELFARE,
     ["Centrum", "Delfshaven", "Overschie", "Noord", "Hillegersberg-Schiebroek", "Hoek van Holland"]),
    ("Kadewerk Welzijn", WELFARE, ["Kralingen-Crooswijk", "IJsselmonde", "Prins Alexander"]),
    ("Zuiderkracht Welzijn", WELFARE, ["Feijenoord", "Charlois", "Pernis", "Hoogvliet", "Rozenburg"]),
    ("Stichting Buurtplekken Middelland", FOUNDATION, []),
    ("Stichting Buurtkracht Noord-Oost", FOUNDATION, []),
    ("Stichting Wijkhuis Zuid", FOUNDATION, []),
    ("Stichting Dorpshuizen aan de Maas", FOUNDATION, []),
    ("Speelwerf Kinderopvang", Organisation.Kind.CHILDCARE, []),
    ("Buurtbedrijf Vaste Grond", Organisation.Kind.SOCIAL_ENTERPRISE, []),
    ("Gemeente Rotterdam", Organisation.Kind.MUNICIPALITY, []),
]

# (house, wijk, operator since 2016 (None: the welfare organisation of the gebied), flags, description)
# Flags: e = evenings Tue/Thu, z = Saturday, g = sports hall, l = satellite living room,
# s = summer closure 2027. The management type follows from the operator's kind.
HOUSES = [
    ("De Driehoek", "Stadsdriehoek", None, "e",
     "Een ontmoetingsplek midden in het centrum, tussen de Markthal en de Oude Haven. "
     "Binnenlopen voor koffie, een spreekuur of hulp bij formulieren."),
    ("Het Oude Westen", "Oude Westen", "buurtbedrijf-vaste-grond", "el",
     "Buurtbedrijf en huis van de wijk ineen: de keuken leidt bewoners op en kookt elke dag voor de buurt."),
    ("Middelland", "Middelland", "stichting-buurtplekken-middelland", "",
     "Geen gebouw maar twaalf buurtplekken, vindbaar vanaf elke straathoek. "
     "Bewoners runnen ze zelf, van naaiatelier tot taalcafé."),
    ("Het Klooster", "Nieuwe Westen", None, "egs",
     "In een voormalig klooster met binnentuin. Bekend om de maaltijden op donderdag en het infoplein."),
    ("De Vierambacht", "Nieuwe Westen", None, "l",
     "Een kleinschalig huis aan de Vierambachtsstraat met veel activiteiten voor ouderen en mantelzorgers."),
    ("Spangen", "Spangen", None, "e",
     "Het huis van Spangen: huiswerkbegeleiding, taalles en een inloop waar de koffie altijd klaarstaat."),
    ("De Visserij", "Bospolder-Tussendijken", None, "g",
     "Een ruim wijkgebouw bij het Visserijplein met een sportzaal en een groot buurtrestaurant."),
    ("Aan de Kolk", "Delfshaven", None, "s",
     "Aan het water in Historisch Delfshaven; een rustige plek voor spreekuren, cursussen en "
     "lotgenotengroepen."),
    ("Het Dorpshart", "Overschie", None, "",
     "Het huis in de oude dorpskern van Overschie, met een leesclub, een repaircafé en een weekmarkt."),
    ("Kleinpolder", "Kleinpolder", "speelwerf-kinderopvang", "",
     "Kindcentrum en huis van de wijk onder één dak: overdag peuters, 's middags ouderen, "
     "na school de jeugd."),
    ("Het Oude Noorden", "Oude Noorden", "stichting-buurtkracht-noord-oost", "ez",
     "Door bewoners gerund huis aan de Zwart Janstraat, met een volle agenda van bewonersinitiatieven."),
    ("Blijdorp", "Blijdorp", None, "s",
     "Een licht gebouw aan de Statenweg met bewegen voor 65-plussers, een koor en een digitaal spreekuur."),
    ("De Bergpolder", "Bergpolder", None, "l",
     "Het huis van Bergpolder, met een buurthuiskamer verderop voor wie liever kleinschalig binnenloopt."),
    ("De Provenier", "Provenierswijk", "stichting-buurtkracht-noord-oost", "z",
     "Bewoners van de Provenierswijk beheren dit huis zelf; er is ruimte voor elk initiatief uit de buurt."),
    ("De Peppel", "Schiebroek", None, "eg",
     "Een groot wijkcentrum in Schiebroek met sportzaal, bibliotheekhoek en activiteiten voor alle "
     "leeftijden."),
    ("Bergse Dorpsstraat", "Hillegersberg-Noord", "stichting-buurtkracht-noord-oost", "zs",
     "Een klein huis in zelfbeheer aan de Bergse Dorpsstraat, met een vaste ploeg vrijwilligers achter "
     "de bar."),
    ("De Concordia", "Kralingen-West", None, "e",
     "Aan de Avenue Concordia, met een infoplein, maaltijden en een avondprogramma voor jongeren."),
    ("De Honinger", "Kralingen-Oost", "stichting-buurtkracht-noord-oost", "z",
     "Bewoners van Kralingen-Oost runnen dit huis zelf; bekend om de lezingen en de moestuin."),
    ("Crooswijk", "Crooswijk", None, "l",
     "Het huis van Crooswijk, sinds 2021 gerund door een sociaal buurtbedrijf met een eigen leerwerkkeuken."),
    ("De Zaagmolen", "Rubroek", None, "",
     "Een huis aan de Rotte met koffie-inloop, een naaiatelier en spreekuren over geld en werk."),
    ("Het Plein", "Afrikaanderwijk", None, "el",
     "Aan het Afrikaanderplein, naast de markt: taalcafé, vrouwengroepen en een druk infoplein."),
    ("De Bloemhof", "Bloemhof", None, "g",
     "Een ruim gebouw met sportzaal, huiswerkklas en een buurtrestaurant dat elke werkdag open is."),
    ("Hillesluis", "Hillesluis", None, "e",
     "Het huis aan de Beijerlandselaan, met spreekuren van het wijkteam en activiteiten voor kinderen."),
    ("Feijenoord", "Feijenoord", "buurtbedrijf-vaste-grond", "",
     "Een buurtbedrijf runt dit huis: werkervaringsplekken, een kringloophoek en een kantine voor de wijk."),
    ("De Kaap", "Katendrecht", "stichting-wijkhuis-zuid", "z",
     "Bewoners van Katendrecht, oud en nieuw, beheren samen dit huis bij het Deliplein."),
    ("De Lede", "Vreewijk", None, "zs",
     "Het huis in tuindorp Vreewijk; sinds 2024 in handen van een bewonersstichting."),
    ("Carnisse", "Carnisse", None, "e",
     "Aan de Carnisselaan, met een voedseluitgifte, taalles en een inloop voor mantelzorgers."),
    ("De Tarwe", "Tarwewijk", None, "l",
     "Het huis van de Tarwewijk, met een buurthuiskamer aan de Wolphaertsbocht en veel aandacht voor "
     "gezinnen."),
    ("De Kerksingel", "Oud-Charlois", "stichting-wijkhuis-zuid", "z",
     "Een huis in zelfbeheer aan de Charloisse Kerksingel, in de oude dorpskern van Charlois."),
    ("Plein 1953", "Pendrecht", None, "g",
     "Aan Plein 1953, met sportzaal, seniorenactiviteiten en een wekelijkse wijkmaaltijd."),
    ("De Oldegaarde", "Zuidwijk", "speelwerf-kinderopvang", "",
     "Kinderopvang en huis van de wijk samen: spelen, leren en ontmoeten voor gezinnen in Zuidwijk."),
    ("De Spinoza", "Lombardijen", None, "e",
     "Het huis van Lombardijen, met een infoplein, bewegen voor ouderen en een avondprogramma voor "
     "jongeren."),
    ("Keizerswaard", "Groot-IJsselmonde", None, "l",
     "Bij winkelcentrum Keizerswaard, met een buurthuiskamer in de Herenwaard voor ouderen uit de buurt."),
    ("Reyeroord", "Groot-IJsselmonde", None, "s",
     "Een klein huis in Reyeroord met een koffieochtend, een breiclub en een spreekuur voor formulieren."),
    ("De Watering", "Beverwaard", None, "g",
     "Het huis van de Beverwaard, met sportzaal, huiswerkbegeleiding en een vrouwengroep."),
    ("De Hesseplaats", "Ommoord", None, "el",
     "Het grootste huis van Prins Alexander, met veel activiteiten voor 65-plussers en een buurthuiskamer."),
    ("De Larenkamp", "Zevenkamp", None, "e",
     "Aan de Larenkamp, met een repaircafé, een buurtmoestuin en spreekuren van het wijkteam."),
    ("Het Lage Land", "Het Lage Land", "buurtbedrijf-vaste-grond", "",
     "Een buurtbedrijf runt dit huis met een lunchroom waar bewoners werkervaring opdoen."),
    ("Prinsenland", "Prinsenland", "stichting-buurtkracht-noord-oost", "z",
     "Bewoners van Prinsenland runnen dit huis zelf, met lezingen, een koor en een wandelclub."),
    ("Het Dorpshuis Pernis", "Pernis", "stichting-dorpshuizen-aan-de-maas", "z",
     "Het dorpshuis van Pernis, al jaren in handen van bewoners, aan de Pastoriedijk."),
    ("De Binnenban", "Hoogvliet-Noord", None, "eg",
     "Het huis van Hoogvliet-Noord, met sportzaal, jongerenwerk en een infoplein."),
    ("Het Oudeland", "Hoogvliet-Zuid", "stichting-dorpshuizen-aan-de-maas", "l",
     "Een huis aan het Oudeland; bewoners gaven het beheer in 2022 terug aan de welzijnsorganisatie."),
    ("Het Strandhuis", "Hoek van Holland", "stichting-dorpshuizen-aan-de-maas", "zs",
     "Het huis van Hoek van Holland, dicht bij het strand, door bewoners gerund met veel vrijwilligers."),
    ("Het Raadhuis", "Rozenburg", "stichting-dorpshuizen-aan-de-maas", "z",
     "In het oude raadhuis van Rozenburg, door bewoners beheerd, met activiteiten voor het hele dorp."),
]

# Houses that changed hands: (house, from, new operator). The running period ends that day.
CHANGES = [
    ("Crooswijk", dt.date(2021, 1, 1), "buurtbedrijf-vaste-grond"),
    ("Het Oudeland", dt.date(2022, 7, 1), "zuiderkracht-welzijn"),
    ("De Lede", dt.date(2024, 1, 1), "stichting-wijkhuis-zuid"),
]

# Huis van de Wijk Middelland: twelve buurtplekken (name, street, postcode digits).
MIDDELLAND_SPOTS = [
    ("Buurtkamer Middellandstraat", "2e Middellandstraat", "3021"),
    ("Ontmoetingsplek 's-Gravendijkwal", "'s-Gravendijkwal", "3021"),
    ("Leeskamer Heemraadssingel", "Heemraadssingel", "3021"),
    ("Kookplek Claes de Vrieslaan", "Claes de Vrieslaan", "3021"),
    ("Naaiatelier Bellevoysstraat", "Bellevoysstraat", "3021"),
    ("Huiskamer Rochussenstraat", "Rochussenstraat", "3015"),
    ("Speelplek Henegouwerlaan", "Henegouwerlaan", "3021"),
    ("Buurtwerkplaats Nieuwe Binnenweg", "Nieuwe Binnenweg", "3021"),
    ("Taalcafé Mathenesserlaan", "Mathenesserlaan", "3021"),
    ("Moestuinkas Volmarijnstraat", "Volmarijnstraat", "3021"),
    ("Repaircafé Snellinckstraat", "Snellinckstraat", "3022"),
    ("Buurtkamer Graaf Florisstraat", "Graaf Florisstraat", "3022"),
]

# Room types of main buildings: (name, capacity range, facilities, description).
ROOM_TYPES = [
    ("Grote zaal", (40, 80), [Facility.SOUND, Facility.WIFI],
     "Ruime zaal voor bijeenkomsten, maaltijden en feesten."),
    ("Vergaderruimte", (8, 14), [Facility.PROJECTOR, Facility.WHITEBOARD, Facility.WIFI],
     "Rustige ruimte voor overleg, cursussen en spreekuren."),
    ("Keuken", (10, 14), [Facility.KITCHEN],
     "Ingerichte keuken voor kookactiviteiten en samen eten."),
    ("Huiskamer", (12, 20), [Facility.WIFI],
     "Gezellige huiskamer voor inloop, koffie en kleine groepen."),
    ("Activiteitenruimte", (20, 30), [Facility.WIFI, Facility.WHITEBOARD],
     "Flexibele ruimte voor lessen, creatieve activiteiten en bijeenkomsten."),
    ("Sportzaal", (30, 60), [Facility.SPORTS_FLOOR, Facility.SOUND],
     "Zaal met sportvloer voor bewegen, dans en yoga."),
]
OPTIONAL_ROOMS = ["Vergaderruimte", "Keuken", "Huiskamer", "Activiteitenruimte"]

# Rate card: (tier, per hour from smallest to largest room, per day part from smallest to largest room).
RATE_CARD = [
    (RenterTier.INITIATIVE, (0, 0), (0, 0)),
    (RenterTier.SOCIAL, (7.5, 12.5), (25, 45)),
    (RenterTier.RESIDENT, (12.5, 20), (45, 70)),
    (RenterTier.COMMERCIAL, (20, 45), (70, 160)),
]

WEEKDAYS = range(5)
OFFICE_HOURS = (dt.time(9), dt.time(17))
EVENING = (dt.time(19), dt.time(22))
SATURDAY = (dt.time(10), dt.time(14))
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # letters PostNL uses in postcodes
UNUSED_LETTER_PAIRS = {"SA", "SD", "SS"}
SPOT_MORNINGS = [(dt.time(9, 30), dt.time(12, 30)), (dt.time(10), dt.time(13))]
NOT_STEP_FREE_NOTE = "Eén trede bij de ingang; er is een oprijplaat, bel aan voor hulp."
# fmt: on


def seed_network() -> dict:
    """Build the demo network; returns the objects later seeds need, keyed by slug."""
    rng = random.Random(SEED)
    districts = {name: _upsert(District, {"slug": slugify(name)}, {"name": name}) for name in DISTRICTS}
    neighbourhoods = _seed_neighbourhoods(districts, rng)
    organisations = {
        slugify(name): _upsert(Organisation, {"slug": slugify(name)}, _organisation_values(name, kind))
        for name, kind, _districts in ORGANISATIONS
    }
    houses = _seed_houses(neighbourhoods, organisations, rng)
    _seed_places(houses, rng)
    return {
        "districts": {district.slug: district for district in districts.values()},
        "neighbourhoods": {wijk.slug: wijk for wijk in neighbourhoods.values()},
        "organisations": organisations,
        "houses": {house.slug: house for house in houses.values()},
    }


# Writing helpers


def _same(obj: models.Model, values: dict) -> bool:
    for name, value in values.items():
        field = obj._meta.get_field(name)
        current = getattr(obj, field.attname)
        if current != (value.pk if field.is_relation else value):
            return False
    return True


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """Find one object by its natural key; create or update it (validated) only when missing or different."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
    elif _same(obj, values):
        return obj
    else:
        for name, value in values.items():
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def _sync(model: type[models.Model], parent: str, desired: list, key: tuple, fields: tuple) -> None:
    """Bulk-create the desired children of `parent` objects that are missing, bulk-update those that differ.

    `key` names the attributes that identify a row. Fields and `clean` are validated here; uniqueness and
    check constraints are left to the database (a query per row would make the seed slow).
    """
    parent_ids = {getattr(obj, f"{parent}_id") for obj in desired}
    existing = {
        tuple(getattr(obj, name) for name in key): obj
        for obj in model.objects.filter(**{f"{parent}_id__in": parent_ids})
    }
    to_create, to_update = [], []
    for obj in desired:
        current = existing.get(tuple(getattr(obj, name) for name in key))
        if current is None:
            obj.full_clean(exclude=[parent], validate_unique=False, validate_constraints=False)
            to_create.append(obj)
        elif any(getattr(current, name) != getattr(obj, name) for name in fields):
            for name in fields:
                setattr(current, name, getattr(obj, name))
            current.full_clean(exclude=[parent], validate_unique=False, validate_constraints=False)
            to_update.append(current)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields)


def _wijken() -> list[tuple]:
    """NEIGHBOURHOODS as one list: (gebied, name, population, index, lat, lon, postcode, street, street)."""
    return [(district, *wijk) for district, wijken in NEIGHBOURHOODS for wijk in wijken]


# Geography and operators


def _seed_neighbourhoods(districts: dict, rng: random.Random) -> dict:
    neighbourhoods, indices = {}, []
    for number, (district, name, population, index, *_place) in enumerate(_wijken(), 1):
        values = {
            "district": districts[district],
            "name": name,
            "cbs_code": f"BU0599{number:04d}",
            "population": population,
        }
        neighbourhoods[name] = wijk = _upsert(Neighbourhood, {"slug": slugify(name)}, values)
        for year in INDEX_YEARS:
            value = Decimal(f"{index:.1f}")
            indices.append(NeighbourhoodIndex(neighbourhood=wijk, year=year, social_index=value))
            index = min(max(index + rng.uniform(-3, 3), 65), 125)
    _sync(NeighbourhoodIndex, "neighbourhood", indices, ("neighbourhood_id", "year"), ("social_index",))
    return neighbourhoods


def _organisation_values(name: str, kind: str) -> dict:
    slug = slugify(name)
    return {
        "name": name,
        "kind": kind,
        "website": f"https://{slug}.example.nl/",
        "email": f"info@{slug}.example.nl",
    }


def _management_type(organisation: Organisation) -> str:
    if organisation.kind == Organisation.Kind.RESIDENTS_FOUNDATION:
        return ManagementType.SELF
    return ManagementType.SOCIAL


def _phone(rng: random.Random, district: str) -> str:
    area = dict(AREA_CODE).get(district, "010")
    rest = 9 - len(area)  # ten digits in all, the first after the area code is 2-4
    return f"{area}-{rng.randint(2, 4)}{rng.randrange(10**rest):0{rest}d}"


# Houses and who runs them


def _seed_houses(neighbourhoods: dict, organisations: dict, rng: random.Random) -> dict:
    welfare = {
        district: organisations[slugify(name)] for name, _kind, districts in ORGANISATIONS for district in districts
    }
    district_of = {name: district for district, name, *_rest in _wijken()}
    houses = {}
    for short, wijk, operator, _flags, description in HOUSES:
        name = HOUSE_PREFIX + short
        values = {
            "name": name,
            "neighbourhood": neighbourhoods[wijk],
            "description": description,
            "email": f"{slugify(short)}@example.nl",
            "phone": _phone(rng, district_of[wijk]),
        }
        houses[short] = house = _upsert(House, {"slug": slugify(name)}, values)
        first = organisations[operator] if operator else welfare[district_of[wijk]]
        _upsert(
            HouseManagement,
            {"house": house, "valid_from": FIRST_PERIOD},
            {"management_type": _management_type(first), "operator": first},
        )
    for short, starts_on, operator in CHANGES:
        house, organisation = houses[short], organisations[operator]
        if not HouseManagement.objects.filter(house=house, valid_from=starts_on).exists():
            house_management_change(
                house=house,
                management_type=_management_type(organisation),
                operator=organisation,
                starts_on=starts_on,
                by=SYSTEM,
            )
    return houses


def _self_managed_now() -> set[str]:
    """The houses (short names) run by a residents' foundation after the last change."""
    foundations = {slugify(name) for name, kind, _districts in ORGANISATIONS if kind == FOUNDATION}
    operator = {short: operator for short, _wijk, operator, _flags, _description in HOUSES}
    operator.update({short: new_operator for short, _starts_on, new_operator in CHANGES})
    return {short for short, slug in operator.items() if slug in foundations}


# Places, opening hours, closures, rooms


def _postcode(rng: random.Random, digits: str) -> str:
    while True:
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if letters not in UNUSED_LETTER_PAIRS:
            return f"{digits} {letters}"


def _address(rng: random.Random, street: str, digits: str, city: str, centre: tuple, spread: float) -> dict:
    number = rng.randint(1, 240)
    suffix = rng.choice("abc") if rng.random() < 0.15 else ""
    latitude = centre[0] + rng.uniform(-spread, spread)
    longitude = centre[1] + rng.uniform(-spread * 1.5, spread * 1.5)
    return {
        "street": street,
        "house_number": f"{number}{suffix}",
        "postcode": _postcode(rng, digits),
        "city": city,
        "latitude": Decimal(f"{latitude:.6f}"),
        "longitude": Decimal(f"{longitude:.6f}"),
    }


def _accessibility(rng: random.Random, step_free_share: float) -> dict:
    step_free = rng.random() < step_free_share
    toilet, loop = rng.random() < 0.7, rng.random() < 0.3
    return {
        "step_free_entrance": step_free,
        "accessible_toilet": step_free and toilet,
        "hearing_loop": loop,
        "accessibility_notes": "" if step_free else NOT_STEP_FREE_NOTE,
    }


def _short_days(rng: random.Random, opens: dt.time, closes: dt.time) -> list[tuple]:
    """Two or three weekdays with one interval each."""
    days = sorted(rng.sample(list(WEEKDAYS), rng.choice([2, 3])))
    return [(day, opens, closes) for day in days]


def _main_hours(rng: random.Random, flags: str, self_managed: bool) -> list[tuple]:
    opens, closes = OFFICE_HOURS
    if rng.random() < 0.4 and self_managed:
        opens, closes = dt.time(10), dt.time(16)
    hours = [(day, opens, closes) for day in WEEKDAYS]
    if "e" in flags:
        hours += [(day, *EVENING) for day in (1, 3)]
    if "z" in flags:
        hours.append((5, *SATURDAY))
    return hours


def _money(low: float, high: float, share: float, step: float) -> Decimal:
    value = round((low + (high - low) * share) / step) * step
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _rates(capacity: int) -> list[tuple]:
    share = min(max((capacity - 8) / 72, 0), 1)  # 8 people pay the lowest rate, 80 the highest
    return [
        (tier, _money(*per_hour, share, 0.5), _money(*per_day_part, share, 2.5))
        for tier, per_hour, per_day_part in RATE_CARD
    ]


def _main_rooms(rng: random.Random, flags: str, place: dict) -> list[dict]:
    count = rng.randint(2, 4 if "g" in flags else 5)
    chosen = ["Grote zaal", *rng.sample(OPTIONAL_ROOMS, count - 1)] + (["Sportzaal"] if "g" in flags else [])
    rooms = []
    for name, (low, high), facilities, description in ROOM_TYPES:
        if name not in chosen:
            continue
        capacity, bar, piano = rng.randint(low, high), rng.random() < 0.5, rng.random() < 0.25
        extra = []
        if name == "Grote zaal":
            extra += [Facility.BAR] * bar + [Facility.PIANO] * piano
            extra += [Facility.HEARING_LOOP] * place["hearing_loop"]
        if name in ("Grote zaal", "Huiskamer") and place["accessible_toilet"]:
            extra.append(Facility.ACCESSIBLE_TOILET)
        rooms.append({"name": name, "capacity": capacity, "facilities": facilities + extra, "description": description})
    return rooms


def _small_room(rng: random.Random, name: str, description: str, bookable: bool) -> dict:
    capacity, kitchen = rng.randint(8, 20), rng.random() < 0.5 or not bookable
    facilities = [Facility.WIFI] + [Facility.KITCHEN] * kitchen
    return {
        "name": name,
        "capacity": capacity,
        "facilities": facilities,
        "description": description,
        "bookable": bookable,
    }


def _place_plans(houses: dict, rng: random.Random) -> list[tuple]:
    """Every place as (house, name, field values, opening hours, rooms, summer closure), in a fixed order."""
    wijken = {wijk[1]: wijk for wijk in _wijken()}
    self_managed = _self_managed_now()
    plans = []
    for short, wijk, _operator, flags, _description in HOUSES:
        house = houses[short]
        district, _name, _population, _index, latitude, longitude, digits, *streets = wijken[wijk]
        city, centre = dict(CITY).get(district, "Rotterdam"), (latitude, longitude)
        street, second_street = streets
        if short == "Middelland":
            for name, spot_street, spot_digits in MIDDELLAND_SPOTS:
                values = {
                    "kind": Place.Kind.NEIGHBOURHOOD_SPOT,
                    **_address(rng, spot_street, spot_digits, city, centre, 0.004),
                    **_accessibility(rng, 0.75),
                }
                hours = _short_days(rng, *rng.choice(SPOT_MORNINGS))
                room = _small_room(rng, "Buurtkamer", "Kleine ruimte voor activiteiten van bewoners.", True)
                plans.append((house, name, values, hours, [room], False))
            continue
        values = {
            "kind": Place.Kind.MAIN,
            **_address(rng, street, digits, city, centre, 0.003),
            **_accessibility(rng, 0.85),
            "phone": house.phone,
        }
        hours = _main_hours(rng, flags, short in self_managed)
        rooms = _main_rooms(rng, flags, values)
        plans.append((house, house.name, values, hours, rooms, "s" in flags))
        if "l" in flags:
            values = {
                "kind": Place.Kind.LIVING_ROOM,
                **_address(rng, second_street, digits, city, centre, 0.003),
                **_accessibility(rng, 0.85),
            }
            hours = _short_days(rng, dt.time(10), dt.time(15))
            room = _small_room(rng, "Huiskamer", "Buurthuiskamer voor inloop, koffie en een praatje.", False)
            plans.append((house, f"Buurthuiskamer {second_street}", values, hours, [room], False))
    return plans


def _seed_places(houses: dict, rng: random.Random) -> None:
    public_holidays = sorted(holidays.country_holidays("NL", years=HOLIDAY_YEARS, language="nl").items())
    opening_hours, closures, room_plans = [], [], []
    for house, name, values, hours, rooms, summer in _place_plans(houses, rng):
        place = _upsert(Place, {"house": house, "name": name}, values)
        for day, opens, closes in hours:
            opening_hours.append(OpeningHours(place=place, weekday=day, opens=opens, closes=closes))
        for day, reason in public_holidays:
            closures.append(Closure(place=place, start_date=day, end_date=day, reason=reason))
        if summer:
            start, end, reason = SUMMER_CLOSURE
            closures.append(Closure(place=place, start_date=start, end_date=end, reason=reason))
        room_plans += [(place, room) for room in rooms]
    _sync(OpeningHours, "place", opening_hours, ("place_id", "weekday", "opens"), ("closes",))
    _sync(Closure, "place", closures, ("place_id", "start_date"), ("end_date", "reason"))

    facilities, rates = [], []
    for place, plan in room_plans:
        bookable = plan.get("bookable", True)
        values = {"capacity": plan["capacity"], "description": plan["description"], "bookable": bookable}
        room = _upsert(Room, {"place": place, "name": plan["name"]}, values)
        facilities += [RoomFacility(room=room, facility=facility) for facility in plan["facilities"]]
        if bookable:
            for tier, per_hour, per_day_part in _rates(plan["capacity"]):
                rates.append(RoomRate(room=room, tier=tier, per_hour=per_hour, per_day_part=per_day_part))
    _sync(RoomFacility, "room", facilities, ("room_id", "facility"), ())
    _sync(RoomRate, "room", rates, ("room_id", "tier"), ("per_hour", "per_day_part"))
