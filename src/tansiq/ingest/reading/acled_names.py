"""The spellings an ACLED file uses for dates, actor types and Iraq's governorates. Pure.

ACLED wrote actor types as numbers (1-8) until 2024 and as words since; dates as
``2020-02-20`` (API, export tool) or ``20 February 2020`` (older files); governorates
as OCHA's names with a space for the hyphen (``Salah Al Din``). These read every form
and write ACLED's current one.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import cache
from typing import Final

from tansiq.domain.choices import ActorTypeChoices
from tansiq.geo.boundaries import read_data

#: ACLED's numeric code of each actor type (``inter1``/``inter2``), 1-8.
ACTOR_TYPE_CODES: Final = {choice.value: code for code, choice in enumerate(ActorTypeChoices, 1)}
_ACTOR_TYPES: Final = {
    **{choice.value.casefold(): choice.value for choice in ActorTypeChoices},
    # The names of the codes before 2024 (and acledR's), plural.
    "rebel groups": ActorTypeChoices.REBEL_GROUP.value,
    "political militias": ActorTypeChoices.POLITICAL_MILITIA.value,
    "identity militias": ActorTypeChoices.IDENTITY_MILITIA.value,
    "external/other forces": ActorTypeChoices.EXTERNAL_OTHER_FORCES.value,
    "others": ActorTypeChoices.EXTERNAL_OTHER_FORCES.value,
    **{str(code): label for label, code in ACTOR_TYPE_CODES.items()},
    "0": "",
    "": "",
}
_BY_CODE: Final = {code: label for label, code in ACTOR_TYPE_CODES.items()}
ACTOR_TYPE_HELP: Final = "0-8 or one of " + ", ".join(ACTOR_TYPE_CODES)
_MONTHS: Final = {
    name: number
    for number, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    )
    for name in (full, full[:3])
}
_WORDY_DATE: Final = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})")
_DAY_FIRST_DATE: Final = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
DATE_HELP: Final = "must be a date such as 2020-02-20 or 20 February 2020"
# Halabja became a governorate in 2014; OCHA's 2019 boundaries (and so Tansiq) hold it
# as a district of Al-Sulaymaniyah.
_EXTRA_ADMIN1: Final = {"halabja": "Al-Sulaymaniyah"}


def actor_type(text: str) -> str:
    """ACLED's actor type named by a code (``7``) or a name (``Civilians``); ``""`` for
    none (``0`` or empty). Raises ValueError naming the accepted forms."""
    found = _ACTOR_TYPES.get(text.strip().casefold())
    if found is None:
        raise ValueError(f"must be an ACLED actor type: {ACTOR_TYPE_HELP}")
    return found


def interaction_codes(text: str) -> tuple[int, int]:
    """The two actor-type codes an ACLED ``interaction`` names, 0 for no second actor:
    ``17``, ``State forces-Civilians``, ``Rebel group only``, ``Sole Rebel Groups``.

    Raises ValueError for anything else.
    """
    text = text.strip()
    if text.isdigit() and text.isascii() and len(text) == 2:
        first, second = int(text[0]), int(text[1])
        if 1 <= first <= 8 and second <= 8:
            return first, second
    lowered = text.casefold()
    if lowered.startswith("sole "):
        lowered = lowered[5:] + " only"
    if lowered.endswith(" only"):
        label = _ACTOR_TYPES.get(lowered[:-5].strip())
        if label:
            return ACTOR_TYPE_CODES[label], 0
    else:
        parts = [_ACTOR_TYPES.get(p.strip()) for p in lowered.split("-")]
        if len(parts) == 2 and parts[0] and parts[1]:
            return ACTOR_TYPE_CODES[parts[0]], ACTOR_TYPE_CODES[parts[1]]
    raise ValueError(
        "must be two actor-type codes (17) or names (State forces-Civilians, Rebel group only)"
    )


def interaction_text(inter1: str, inter2: str) -> str:
    """ACLED's current ``interaction`` of two actor types (the lower code first), ``X only``
    for one, ``""`` for none. Raises KeyError for an unknown actor type."""
    codes = sorted(ACTOR_TYPE_CODES[t] for t in (inter1, inter2) if t)
    if not codes:
        return ""
    if len(codes) == 1:
        return f"{_BY_CODE[codes[0]]} only"
    return f"{_BY_CODE[codes[0]]}-{_BY_CODE[codes[1]]}"


def parse_event_date(text: str) -> date:
    """An ACLED ``event_date``: ``2020-02-20``, ``20 February 2020``, ``20-Feb-2020`` or
    ``20/02/2020`` (day first, as ACLED writes it). Raises ValueError otherwise."""
    text = text.strip()
    try:
        if len(text) == 10 and text[4] == "-":
            return date.fromisoformat(text)
        if wordy := _WORDY_DATE.fullmatch(text):
            month = _MONTHS.get(wordy[2].casefold())
            if month is not None:
                return date(int(wordy[3]), month, int(wordy[1]))
        elif numeric := _DAY_FIRST_DATE.fullmatch(text):
            return date(int(numeric[3]), int(numeric[2]), int(numeric[1]))
    except ValueError:
        pass
    raise ValueError(DATE_HELP)


@cache
def _crosswalk() -> tuple[dict[str, str], dict[str, str]]:
    """(any ACLED or OCHA spelling, casefolded -> OCHA name; OCHA name -> ACLED spelling)."""
    to_ocha: dict[str, str] = dict(_EXTRA_ADMIN1)
    to_acled: dict[str, str] = {}
    text = read_data("irq_governorates_crosswalk.csv").decode("utf-8")
    for record in csv.DictReader(io.StringIO(text)):
        ocha, acled = record["ocha_adm1_en"], record["acled_admin1"]
        to_ocha[acled.casefold()] = ocha
        to_ocha[ocha.casefold()] = ocha
        to_acled[ocha] = acled
    return to_ocha, to_acled


def ocha_admin1(name: str) -> str | None:
    """The OCHA English name of a governorate in ACLED's spelling (``Salah Al Din``) or
    OCHA's (``Salah Al-Din``), or None for a name that is neither."""
    return _crosswalk()[0].get(name.strip().casefold())


def acled_admin_name(ocha_name: str) -> str:
    """An OCHA admin name as ACLED spells it: the crosswalk's spelling of a governorate,
    otherwise the name with a space for each hyphen (``Al-Hamdaniya`` -> ``Al Hamdaniya``)."""
    return _crosswalk()[1].get(ocha_name) or ocha_name.replace("-", " ")
