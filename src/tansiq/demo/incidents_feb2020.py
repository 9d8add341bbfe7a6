"""The demo's incident reports, 15 January to 24 February 2020.

Illustrative, not a record of real events: the places, actors and kinds of event
follow the reporting of that period (ISIS attacks in the disputed areas, Turkish
strikes on the Duhok and Erbil border areas, a border-guard deployment in Duhok),
but the individual incidents, times and casualty figures are invented.

Each entry holds the wire fields of an incident plus what the loader needs:
``filer`` (the demo user who files it), ``when`` (Baghdad local time, UTC+3; a date
alone means day precision), ``lon``/``lat``, ``what`` (event and sub-event type),
``center`` (a center code, for ``center`` releasability), the final ``status``
(``verified`` ones are filed as submitted, then verified by the party's analyst) and
``admin1``, the OCHA governorate the point must fall in (None: outside Iraq).
"""

from __future__ import annotations

from typing import Any, Final

IS: Final = "Islamic State (Iraq)"
IRAQ: Final = "Military Forces of Iraq"
POLICE: Final = "Police Forces of Iraq"
PMF: Final = "Hashd al Shaabi (PMF)"
PESHMERGA: Final = "Peshmerga"
CIVILIANS: Final = "Civilians (Iraq)"
TURKEY: Final = "Military Forces of Turkey"
PKK: Final = "PKK: Kurdistan Workers Party"

CLASH: Final = ("Battles", "Armed clash")
AIR_STRIKE: Final = ("Explosions/Remote violence", "Air/drone strike")
SHELLING: Final = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
IED: Final = ("Explosions/Remote violence", "Remote explosive/landmine/IED")
ATTACK: Final = ("Violence against civilians", "Attack")
ABDUCTION: Final = ("Violence against civilians", "Abduction/forced disappearance")
ARRESTS: Final = ("Strategic developments", "Arrests")
DEFUSED: Final = ("Strategic developments", "Disrupted weapons use")
NEW_BASE: Final = ("Strategic developments", "Headquarters or base established")
REDEPLOYMENT: Final = ("Strategic developments", "Change to group/activity")

INCIDENTS: Final[tuple[dict[str, Any], ...]] = (
    # --- Diyala: ISIS in the Hamrin foothills and along the Khanaqin-Jalawla belt ---
    {"filer": "fed_liaison", "status": "verified", "when": "2020-01-18 19:40",
     "place_name": "Jalawla", "lon": 45.166, "lat": 34.272, "admin1": "Diyala",
     "what": IED, "actor1": IS, "actor2": PMF, "fatalities": 1, "injured": 2,
     "description": "انفجار عبوة ناسفة على عجلة تابعة للحشد الشعبي قرب جلولاء، "
                    "ما أسفر عن مقتل منتسب وإصابة اثنين.",
     "sources": ["Diyala Operations Command"], "source_reliability": "B", "credibility": 2,
     "releasability": "center", "center": "jcc-diyala"},
    {"filer": "krg_liaison", "status": "submitted", "when": "2020-01-23",
     "place_name": "Qara Tapa", "lon": 44.935, "lat": 34.424, "admin1": "Diyala",
     "what": CLASH, "actor1": IS, "actor2": IRAQ, "injured": 2,
     "description": "ISIS fighters fired on an Iraqi army post in the Hamrin foothills west "
                    "of Qara Tapa; two soldiers wounded in a short exchange of fire.",
     "sources": ["Peshmerga Garmiyan command", "Rudaw"], "source_reliability": "C",
     "credibility": 3, "releasability": "all"},
    {"filer": "krg_liaison", "status": "verified", "when": "2020-01-29",
     "place_name": "Khanaqin (villages to the south-west)", "lon": 45.33, "lat": 34.30,
     "geo_precision": 2, "admin1": "Diyala",
     "what": ATTACK, "actor1": IS, "actor2": CIVILIANS, "injured": 1,
     "description": "Farmers working fields south-west of Khanaqin came under fire from "
                    "gunmen in the orchards; one farmer injured.",
     "sources": ["Khanaqin Asayish"], "source_reliability": "B", "credibility": 2,
     "releasability": "center", "center": "jcc-diyala"},
    {"filer": "fed_liaison", "status": "submitted", "when": "2020-02-02 07:15",
     "place_name": "Muqdadiya", "lon": 44.937, "lat": 33.979, "admin1": "Diyala",
     "what": IED, "actor1": IS, "actor2": POLICE, "injured": 3,
     "description": "Roadside bomb against a police patrol on the northern edge of "
                    "Muqdadiya; three policemen injured.",
     "sources": ["Diyala Police Command"], "source_reliability": "B", "credibility": 2,
     "releasability": "party"},
    {"filer": "fed_analyst", "status": "verified", "when": "2020-02-06",
     "place_name": "Baladruz", "lon": 45.078, "lat": 33.696, "admin1": "Diyala",
     "what": SHELLING, "actor1": IS, "actor2": CIVILIANS,
     "description": "سقوط قذائف هاون أطلقها عناصر داعش على أطراف بلدروز من دون "
                    "خسائر بشرية.",
     "sources": ["Security Media Cell", "Shafaq News"], "source_reliability": "B",
     "credibility": 2, "releasability": "all"},
    {"filer": "fed_analyst", "status": "verified", "when": "2020-02-11",
     "place_name": "Hamrin mountains", "lon": 44.80, "lat": 34.35, "geo_precision": 2,
     "admin1": "Diyala", "what": AIR_STRIKE, "actor1": IRAQ, "actor2": IS, "fatalities": 4,
     "description": "Iraqi Air Force strike on ISIS hideouts in the Hamrin range; four "
                    "militants reported killed.",
     "sources": ["Security Media Cell"], "source_reliability": "C", "credibility": 3,
     "releasability": "all"},
    {"filer": "krg_liaison", "status": "submitted", "when": "2020-02-14",
     "place_name": "As-Saadiya", "lon": 45.12, "lat": 34.19, "admin1": "Diyala",
     "what": ABDUCTION, "actor1": IS, "actor2": CIVILIANS,
     "description": "Two shepherds abducted by armed men near As-Saadiya; their flock "
                    "was found abandoned the next morning.",
     "sources": ["Local official, As-Saadiya"], "source_reliability": "C", "credibility": 3,
     "releasability": "center", "center": "jcc-diyala"},
    {"filer": "fed_liaison", "status": "draft", "when": "2020-02-21 22:30",
     "place_name": "Muqdadiya (northern orchards)", "lon": 44.95, "lat": 34.02,
     "geo_precision": 2, "admin1": "Diyala",
     "what": CLASH, "actor1": IS, "actor2": PMF, "fatalities": 1,
     "description": "Draft: night attack on a PMF position in the orchards north of "
                    "Muqdadiya; one fighter killed. Awaiting the brigade's report.",
     "sources": ["PMF brigade liaison"], "source_reliability": "D", "credibility": 4,
     "releasability": "all"},
    {"filer": "krg_analyst", "status": "verified", "when": "2020-02-23",
     "place_name": "Khanaqin-Jalawla road", "lon": 45.28, "lat": 34.31, "geo_precision": 2,
     "admin1": "Diyala", "what": IED, "actor1": IS, "actor2": CIVILIANS, "injured": 2,
     "description": "A civilian car hit a roadside bomb on the Khanaqin-Jalawla road; "
                    "two passengers injured.",
     "sources": ["Khanaqin hospital", "Kurdistan 24"], "source_reliability": "B",
     "credibility": 2, "releasability": "all"},
    # --- Kirkuk and Tuz Khurmatu (Salah Al-Din) ---
    {"filer": "fed_liaison", "status": "verified", "when": "2020-01-16 02:10",
     "place_name": "Daquq", "lon": 44.449, "lat": 35.139, "admin1": "Kirkuk",
     "what": CLASH, "actor1": IS, "actor2": POLICE, "fatalities": 1, "injured": 1,
     "description": "ISIS attack on a Federal Police checkpoint south of Daquq; one "
                    "policeman killed and one wounded.",
     "sources": ["Kirkuk Operations Command"], "source_reliability": "A", "credibility": 2,
     "releasability": "center", "center": "jcc-kirkuk"},
    {"filer": "fed_liaison", "status": "verified", "when": "2020-01-21",
     "place_name": "Hawija", "lon": 43.773, "lat": 35.326, "admin1": "Kirkuk",
     "what": ATTACK, "actor1": IS, "actor2": CIVILIANS, "fatalities": 1,
     "description": "Gunmen shot dead a village mukhtar at his home near Hawija.",
     "sources": ["Kirkuk Police Command", "Shafaq News"], "source_reliability": "B",
     "credibility": 2, "releasability": "all"},
    {"filer": "krg_liaison", "status": "submitted", "when": "2020-01-27",
     "place_name": "Dibis", "lon": 44.071, "lat": 35.675, "admin1": "Kirkuk",
     "what": IED, "actor1": IS, "actor2": "",
     "description": "Two electricity pylons brought down by explosives on the line west "
                    "of Dibis.",
     "sources": ["Kirkuk electricity directorate"], "source_reliability": "B",
     "credibility": 3, "releasability": "center", "center": "jcc-kirkuk"},
    {"filer": "fed_analyst", "status": "verified", "when": "2020-02-01 21:00",
     "place_name": "Tuz Khurmatu", "lon": 44.633, "lat": 34.888, "admin1": "Salah Al-Din",
     "what": SHELLING, "actor1": IS, "actor2": CIVILIANS, "injured": 3,
     "description": "Mortar rounds fired from the hills east of Tuz Khurmatu fell on a "
                    "residential quarter; three civilians injured.",
     "sources": ["Tuz Khurmatu district office"], "source_reliability": "B",
     "credibility": 2, "releasability": "all"},
    {"filer": "fed_analyst", "status": "verified", "when": "2020-02-04",
     "place_name": "Al-Riyadh", "lon": 43.884, "lat": 35.206, "geo_precision": 2,
     "admin1": "Kirkuk", "what": CLASH, "actor1": IRAQ, "actor2": IS, "fatalities": 3,
     "description": "Army and PMF search operation in the Al-Riyadh sub-district; three "
                    "ISIS members killed, two tunnels destroyed.",
     "sources": ["Security Media Cell"], "source_reliability": "C", "credibility": 3,
     "releasability": "center", "center": "jcc-kirkuk"},
    {"filer": "krg_liaison", "status": "submitted", "when": "2020-02-09 23:45",
     "place_name": "Daquq (east, near the Peshmerga line)", "lon": 44.53, "lat": 35.12,
     "geo_precision": 2, "admin1": "Kirkuk",
     "what": CLASH, "actor1": IS, "actor2": PESHMERGA, "injured": 1,
     "description": "Sniper and small-arms fire on Peshmerga positions east of Daquq, in "
                    "the gap between the two forces' lines; one Peshmerga wounded.",
     "sources": ["Peshmerga Kirkuk front command"], "source_reliability": "A",
     "credibility": 2, "releasability": "center", "center": "jcc-kirkuk"},
    {"filer": "fed_liaison", "status": "submitted", "when": "2020-02-13",
     "place_name": "Taza Khurmatu", "lon": 44.327, "lat": 35.303, "admin1": "Kirkuk",
     "what": ABDUCTION, "actor1": IS, "actor2": CIVILIANS,
     "description": "A truck driver was taken at a fake checkpoint near Taza Khurmatu.",
     "sources": ["Kirkuk Police Command"], "source_reliability": "B", "credibility": 3,
     "releasability": "party"},
    {"filer": "fed_liaison", "status": "verified", "when": "2020-02-17",
     "place_name": "Amerli", "lon": 44.583, "lat": 34.717, "geo_precision": 2,
     "admin1": "Salah Al-Din", "what": CLASH, "actor1": IS, "actor2": PMF, "injured": 2,
     "description": "ISIS attack on a PMF position in the hills north of Amerli repelled; "
                    "two PMF fighters wounded.",
     "sources": ["PMF Security Directorate"], "source_reliability": "C", "credibility": 3,
     "releasability": "all"},
    {"filer": "fed_liaison", "status": "draft", "when": "2020-02-22",
     "place_name": "Kirkuk", "lon": 44.392, "lat": 35.468, "admin1": "Kirkuk",
     "what": ARRESTS, "actor1": POLICE, "actor2": IS,
     "description": "Draft: three suspected ISIS financiers arrested in Kirkuk city.",
     "sources": ["Kirkuk Police Command"], "source_reliability": "B", "credibility": 3,
     "releasability": "party"},
    {"filer": "krg_analyst", "status": "submitted", "when": "2020-02-24",
     "time_precision": "week", "place_name": "Altun Kupri", "lon": 44.145, "lat": 35.755,
     "geo_precision": 2, "admin1": "Kirkuk",
     "what": ("Strategic developments", "Other"), "actor1": IS, "actor2": "",
     "description": "Several sightings during the week of small ISIS groups moving at night "
                    "between Altun Kupri and the Zab river.",
     "sources": ["Peshmerga intelligence"], "source_reliability": "C", "credibility": 4,
     "releasability": "party"},
    # --- Nineveh, and Makhmour (administered under Erbil in OCHA's boundaries) ---
    {"filer": "fed_liaison", "status": "verified", "when": "2020-01-19 04:30",
     "place_name": "Qarachogh mountain (Makhmour)", "lon": 43.65, "lat": 35.85,
     "geo_precision": 2, "admin1": "Erbil",
     "what": CLASH, "actor1": IS, "actor2": IRAQ, "fatalities": 2,
     "description": "ISIS night attack on an Iraqi army post on Qarachogh mountain; two "
                    "soldiers killed.",
     "sources": ["Nineveh Operations Command", "Kurdistan 24"], "source_reliability": "B",
     "credibility": 2, "releasability": "all"},
    {"filer": "fed_analyst", "status": "verified", "when": "2020-01-25",
     "place_name": "Al-Baaj", "lon": 41.72, "lat": 36.035, "admin1": "Ninewa",
     "what": CLASH, "actor1": IS, "actor2": PMF, "fatalities": 1,
     "description": "Clash with an ISIS cell in the desert south of Al-Baaj; one PMF "
                    "fighter killed.",
     "sources": ["PMF Security Directorate"], "source_reliability": "C", "credibility": 3,
     "releasability": "center", "center": "jcc-nineveh"},
    {"filer": "krg_liaison", "status": "submitted", "when": "2020-01-31",
     "place_name": "Bashiqa", "lon": 43.349, "lat": 36.454, "admin1": "Ninewa",
     "what": DEFUSED, "actor1": PESHMERGA, "actor2": "",
     "description": "Peshmerga engineers found and defused an old IED on the Bashiqa-"
                    "Bartella road.",
     "sources": ["Peshmerga engineering unit"], "source_reliability": "A", "credibility": 1,
     "releasability": "center", "center": "jcc-nineveh"},
    {"filer": "fed_liaison", "status": "submitted", "when": "2020-02-05",
     "place_name": "Qayyarah", "lon": 43.294, "lat": 35.799, "admin1": "Ninewa",
     "what": ATTACK, "actor1": IS, "actor2": CIVILIANS, "fatalities": 2,
     "description": "Two villagers killed by gunmen in a village east of Qayyarah.",
     "sources": ["Nineveh Police Command"], "source_reliability": "B", "credibility": 3,
     "releasability": "all"},
    {"filer": "fed_liaison", "status": "verified", "when": "2020-02-10",
     "place_name": "Tal Afar", "lon": 42.448, "lat": 36.379, "admin1": "Ninewa",
     "what": ARRESTS, "actor1": IRAQ, "actor2": IS,
     "description": "Military intelligence arrested two wanted ISIS members in Tal Afar.",
     "sources": ["Security Media Cell"], "source_reliability": "B", "credibility": 2,
     "releasability": "party"},
    {"filer": "krg_liaison", "status": "verified", "when": "2020-02-15",
     "place_name": "Makhmour", "lon": 43.58, "lat": 35.776, "admin1": "Erbil",
     "what": ATTACK, "actor1": IS, "actor2": CIVILIANS, "fatalities": 1,
     "description": "A farmer was shot dead in his field on the edge of Makhmour.",
     "sources": ["Makhmour district office", "Rudaw"], "source_reliability": "B",
     "credibility": 2, "releasability": "all"},
    {"filer": "fed_analyst", "status": "submitted", "when": "2020-02-18",
     "place_name": "Sinjar", "lon": 41.877, "lat": 36.321, "admin1": "Ninewa",
     "what": IED, "actor1": IS, "actor2": IRAQ, "injured": 2,
     "description": "Army vehicle damaged by a roadside bomb south of Sinjar town; two "
                    "soldiers injured.",
     "sources": ["Nineveh Operations Command"], "source_reliability": "B", "credibility": 3,
     "releasability": "center", "center": "jcc-nineveh"},
    {"filer": "fed_liaison", "status": "submitted", "when": "2020-02-20",
     "place_name": "Hatra", "lon": 42.718, "lat": 35.588, "admin1": "Ninewa",
     "what": CLASH, "actor1": IS, "actor2": PMF,
     "description": "Brief clash between a PMF patrol and an ISIS group west of Hatra; no "
                    "casualties reported.",
     "sources": ["PMF Security Directorate"], "source_reliability": "C", "credibility": 4,
     "releasability": "all"},
    # --- Turkish strikes and shelling on the Duhok and Erbil border areas ---
    {"filer": "krg_liaison", "status": "verified", "when": "2020-01-15",
     "place_name": "Kani Masi", "lon": 43.437, "lat": 37.228, "geo_precision": 2,
     "admin1": "Duhok", "what": AIR_STRIKE, "actor1": TURKEY, "actor2": PKK,
     "description": "فڕۆکەی جەنگیی تورکیا ناوچەی شاخاویی نزیک کانی ماسی بۆمباران کرد؛ "
                    "زیانی گیانی تۆمار نەکراوە.",
     "sources": ["Barwari Bala sub-district office"], "source_reliability": "B",
     "credibility": 2, "releasability": "all"},
    {"filer": "krg_liaison", "status": "verified", "when": "2020-01-20",
     "place_name": "Batifa", "lon": 43.012, "lat": 37.175, "geo_precision": 2,
     "admin1": "Duhok", "what": SHELLING, "actor1": TURKEY, "actor2": CIVILIANS,
     "description": "تۆپبارانی سوپای تورکیا بۆ سەر گوندەکانی دەوروبەری باتیفا؛ زیان بە "
                    "باخ و کێڵگەکان گەیشتووە.",
     "sources": ["Batifa sub-district office", "Kurdistan 24"], "source_reliability": "B",
     "credibility": 2, "releasability": "all"},
    {"filer": "krg_analyst", "status": "verified", "when": "2020-01-26 16:20",
     "place_name": "Sidakan", "lon": 44.672, "lat": 36.798, "admin1": "Erbil",
     "what": AIR_STRIKE, "actor1": TURKEY, "actor2": PKK, "fatalities": 2,
     "description": "Turkish drone strike on a vehicle on the road outside Sidakan; two "
                    "occupants killed.",
     "sources": ["Sidakan mayor", "Rudaw"], "source_reliability": "B", "credibility": 2,
     "releasability": "all"},
    {"filer": "krg_liaison", "status": "submitted", "when": "2020-01-30",
     "place_name": "Amadiya (villages to the north)", "lon": 43.49, "lat": 37.12,
     "geo_precision": 2, "admin1": "Duhok",
     "what": SHELLING, "actor1": TURKEY, "actor2": CIVILIANS,
     "description": "Artillery shells landed near villages north of Amadiya; residents of "
                    "two villages left for Amadiya town.",
     "sources": ["Amadiya district office"], "source_reliability": "B", "credibility": 3,
     "releasability": "center", "center": "supreme"},
    {"filer": "krg_liaison", "status": "verified", "when": "2020-02-03",
     "place_name": "Zakho (villages to the north)", "lon": 42.72, "lat": 37.2,
     "geo_precision": 2, "admin1": "Duhok",
     "what": SHELLING, "actor1": TURKEY, "actor2": CIVILIANS,
     "description": "Turkish shelling on farmland north of Zakho, near the border; no "
                    "casualties, fires in orchards.",
     "sources": ["Zakho district office"], "source_reliability": "B", "credibility": 2,
     "releasability": "all"},
    {"filer": "krg_analyst", "status": "verified", "when": "2020-02-07",
     "place_name": "Barzan", "lon": 44.047, "lat": 36.921, "geo_precision": 2,
     "admin1": "Erbil", "what": AIR_STRIKE, "actor1": TURKEY, "actor2": PKK,
     "description": "Turkish air strikes on the mountains around Barzan; no civilian "
                    "casualties reported.",
     "sources": ["Mergasur district office"], "source_reliability": "B", "credibility": 3,
     "releasability": "all"},
    {"filer": "krg_liaison", "status": "submitted", "when": "2020-02-12",
     "place_name": "Bradost", "lon": 44.649, "lat": 36.947, "geo_precision": 2,
     "admin1": "Erbil", "what": SHELLING, "actor1": TURKEY, "actor2": CIVILIANS,
     "injured": 1,
     "description": "Shelling on the Bradost area; a shepherd injured by shrapnel.",
     "sources": ["Sidakan mayor"], "source_reliability": "C", "credibility": 3,
     "releasability": "party"},
    {"filer": "krg_analyst", "status": "verified", "when": "2020-02-16",
     "place_name": "Kani Masi", "lon": 43.437, "lat": 37.228, "geo_precision": 2,
     "admin1": "Duhok", "what": NEW_BASE, "actor1": TURKEY, "actor2": "",
     "description": "Turkish forces set up a new military post on a ridge overlooking "
                    "Kani Masi, inside Iraqi territory.",
     "sources": ["Barwari Bala sub-district office", "Peshmerga 1st Region"],
     "source_reliability": "B", "credibility": 2, "releasability": "all"},
    {"filer": "fed_liaison", "status": "verified", "when": "2020-02-20 10:00",
     "place_name": "Faysh Khabur", "lon": 42.379, "lat": 37.067, "admin1": "Duhok",
     "what": REDEPLOYMENT, "actor1": IRAQ, "actor2": "",
     "description": "Federal Border Guard companies deploy to border posts between Faysh "
                    "Khabur and Zakho, as agreed with the Ministry of Peshmerga in the "
                    "Supreme Committee.",
     "sources": ["Border Ports and Border Guard Command"], "source_reliability": "A",
     "credibility": 1, "releasability": "center", "center": "supreme"},
    {"filer": "krg_liaison", "status": "submitted", "when": "2020-02-21",
     "place_name": "Zakho", "lon": 42.686, "lat": 37.149, "admin1": "Duhok",
     "what": NEW_BASE, "actor1": IRAQ, "actor2": "",
     "description": "Peshmerga observers report a federal Border Guard company setting up "
                    "its headquarters on the outskirts of Zakho.",
     "sources": ["Peshmerga 1st Region"], "source_reliability": "A", "credibility": 2,
     "releasability": "all"},
    {"filer": "krg_analyst", "status": "submitted", "when": "2020-02-23 14:00",
     "place_name": "Uludere (Şırnak, Turkey)", "lon": 42.852, "lat": 37.444,
     "geo_precision": 2, "cross_border": True, "admin1": None,
     "what": SHELLING, "actor1": TURKEY, "actor2": CIVILIANS,
     "description": "Turkish artillery firing from positions near Uludere, across the "
                    "border, into the Batifa area; located at the firing point.",
     "sources": ["Batifa sub-district office"], "source_reliability": "C", "credibility": 3,
     "releasability": "all"},
    {"filer": "krg_liaison", "status": "draft", "when": "2020-02-24",
     "place_name": "Sidakan", "lon": 44.672, "lat": 36.798, "admin1": "Erbil",
     "what": AIR_STRIKE, "actor1": TURKEY, "actor2": "",
     "description": "Draft: reports of air strikes near Sidakan; details to confirm.",
     "sources": ["Social media"], "source_reliability": "F", "credibility": 6,
     "releasability": "all"},
)
