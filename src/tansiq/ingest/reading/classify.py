"""The event classifier: a news snippet to one of the 30 CASE 2021 Task 2 classes.

The 30 classes are ACLED's 25 sub-event types plus five that ACLED does not code
(natural and man-made disasters, organised crime, diplomacy, attribution of
responsibility); :data:`CASE_TO_ACLED` maps each to ACLED's event type and sub-event
type, spelt as in :data:`tansiq.domain.choices.EVENT_TAXONOMY`, or to None. The model
(:mod:`event_model`) runs offline on one CPU core, in English and Arabic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tansiq.domain.choices import EVENT_TAXONOMY
from tansiq.ingest.reading.event_model import features, prepare, shipped_model

_BATTLES = "Battles"
_EXPLOSIONS = "Explosions/Remote violence"
_CIVILIANS = "Violence against civilians"
_PROTESTS = "Protests"
_RIOTS = "Riots"
_STRATEGIC = "Strategic developments"

# CASE 2021 Task 2 class -> (ACLED event type, sub-event type), None for the five
# classes outside ACLED's taxonomy.
CASE_TO_ACLED: dict[str, tuple[str, str] | None] = {
    "ARMED_CLASH": (_BATTLES, "Armed clash"),
    "GOV_REGAINS_TERIT": (_BATTLES, "Government regains territory"),
    "NON_STATE_ACTOR_OVERTAKES_TER": (_BATTLES, "Non-state actor overtakes territory"),
    "CHEM_WEAP": (_EXPLOSIONS, "Chemical weapon"),
    "AIR_STRIKE": (_EXPLOSIONS, "Air/drone strike"),
    "SUIC_BOMB": (_EXPLOSIONS, "Suicide bomb"),
    "ART_MISS_ATTACK": (_EXPLOSIONS, "Shelling/artillery/missile attack"),
    "REM_EXPLOS": (_EXPLOSIONS, "Remote explosive/landmine/IED"),
    "GRENADE": (_EXPLOSIONS, "Grenade"),
    "SEX_VIOL": (_CIVILIANS, "Sexual violence"),
    "ATTACK": (_CIVILIANS, "Attack"),
    "ABDUCT_DISSAP": (_CIVILIANS, "Abduction/forced disappearance"),
    "PEACE_PROTEST": (_PROTESTS, "Peaceful protest"),
    "PROTEST_WITH_INTER": (_PROTESTS, "Protest with intervention"),
    "FORCE_AGAINST_PROTEST": (_PROTESTS, "Excessive force against protesters"),
    "VIOL_DEMONSTR": (_RIOTS, "Violent demonstration"),
    "MOB_VIOL": (_RIOTS, "Mob violence"),
    "AGREEMENT": (_STRATEGIC, "Agreement"),
    "ARREST": (_STRATEGIC, "Arrests"),
    "CHANGE_TO_GROUP_ACT": (_STRATEGIC, "Change to group/activity"),
    "DISR_WEAP": (_STRATEGIC, "Disrupted weapons use"),
    "HQ_ESTABLISHED": (_STRATEGIC, "Headquarters or base established"),
    "PROPERTY_DISTRUCT": (_STRATEGIC, "Looting/property destruction"),
    "NON_VIOL_TERRIT_TRANSFER": (_STRATEGIC, "Non-violent transfer of territory"),
    "OTHER": (_STRATEGIC, "Other"),
    "NATURAL_DISASTER": None,
    "MAN_MADE_DISASTER": None,
    "ORG_CRIME": None,
    "DIPLO": None,
    "ATTRIB": None,
}

CASE_LABELS: frozenset[str] = frozenset(CASE_TO_ACLED)

# Checked at import: a misspelt sub-event type would reach incidents unnoticed.
for _label, _acled in CASE_TO_ACLED.items():
    if _acled is not None and _acled[1] not in EVENT_TAXONOMY.get(_acled[0], ()):
        raise AssertionError(f"{_label}: {_acled} is not in EVENT_TAXONOMY")


@dataclass(frozen=True)
class Classification:
    """What a snippet describes: its CASE class, ACLED's types for it and how sure.

    ``event_type``/``sub_event_type`` are None for the classes ACLED does not code
    (NATURAL_DISASTER, MAN_MADE_DISASTER, ORG_CRIME, DIPLO, ATTRIB); ``confidence``
    is the model's probability of ``label`` (0..1).
    """

    label: str
    event_type: str | None
    sub_event_type: str | None
    confidence: float


def classification(label: str, confidence: float) -> Classification:
    """The :class:`Classification` of a CASE ``label``; raises ValueError for another."""
    if label not in CASE_TO_ACLED:
        raise ValueError(f"label: {label!r} is not a CASE 2021 Task 2 class")
    acled = CASE_TO_ACLED[label]
    return Classification(
        label=label,
        event_type=acled[0] if acled else None,
        sub_event_type=acled[1] if acled else None,
        confidence=min(1.0, max(0.0, confidence)),
    )


def classify_many(texts: Sequence[str]) -> list[Classification]:
    """Classify each text (English or Arabic), in order; one batch, so faster than a loop.

    Raises ValueError naming the index of a text that is empty or not a string.
    """
    prepared: list[str] = []
    for index, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"texts[{index}]: expected a non-empty string")
        prepared.append(prepare(text))
    if not prepared:
        return []
    model = shipped_model()
    probabilities = model.probabilities(features(prepared, model.cue_weight))
    best = np.argmax(probabilities, axis=1)
    return [
        classification(model.labels[int(column)], float(row[column]))
        for row, column in zip(probabilities, best, strict=True)
    ]


def classify(text: str) -> Classification:
    """Classify one snippet; raises ValueError if ``text`` is empty."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text: expected a non-empty string")
    return classify_many([text])[0]
