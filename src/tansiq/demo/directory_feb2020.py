"""Who takes part in the demo: the two parties, their four centers and twelve users.

The display names are invented; the bodies are modelled on the coordination
mechanism Baghdad and Erbil agreed in early 2020.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class DemoCenter(NamedTuple):
    """A center as the demo registers it."""

    code: str
    kind: str
    names: dict[str, str]
    governorates: tuple[str, ...]


class DemoUser(NamedTuple):
    """A demo login: one role in one party."""

    username: str
    party: str
    role: str
    display_name: str
    language: str


PARTIES: Final[tuple[dict[str, str], ...]] = (
    {
        "party_id": "fed",
        "name_en": "Federal Ministry of Defense / Joint Operations Command",
        "name_ar": "وزارة الدفاع الاتحادية / قيادة العمليات المشتركة",
        "name_ckb": "وەزارەتی بەرگریی فیدراڵ / فەرماندەیی ئۆپەراسیۆنە هاوبەشەکان",
    },
    {
        "party_id": "krg",
        "name_en": "Ministry of Peshmerga",
        "name_ar": "وزارة شؤون البيشمركة",
        "name_ckb": "وەزارەتی کاروباری پێشمەرگە",
    },
)

# The disputed areas run through Ninewa, Kirkuk, Salah Al-Din and Diyala, and take in
# Makhmour, which OCHA's boundaries place in Erbil; Duhok is where border guards deploy.
SUPREME_GOVERNORATES: Final = ("Diyala", "Duhok", "Erbil", "Kirkuk", "Ninewa", "Salah Al-Din")

CENTERS: Final[tuple[DemoCenter, ...]] = (
    DemoCenter(
        code="supreme",
        kind="supreme",
        names={
            "en": "Supreme Committee for Coordination and Military and Security Action",
            "ar": "اللجنة العليا للتنسيق والعمل العسكري والأمني",
            "ckb": "لیژنەی باڵای هەماهەنگی و کاری سەربازی و ئاسایش",
        },
        governorates=SUPREME_GOVERNORATES,
    ),
    DemoCenter(
        code="jcc-diyala",
        kind="jcc",
        names={
            "en": "Joint Coordination Center Diyala",
            "ar": "مركز التنسيق المشترك في ديالى",
            "ckb": "ناوەندی هەماهەنگیی هاوبەش لە دیالە",
        },
        governorates=("Diyala",),
    ),
    DemoCenter(
        code="jcc-kirkuk",
        kind="jcc",
        names={
            "en": "Joint Coordination Center Kirkuk",
            "ar": "مركز التنسيق المشترك في كركوك",
            "ckb": "ناوەندی هەماهەنگیی هاوبەش لە کەرکووک",
        },
        governorates=("Kirkuk",),
    ),
    DemoCenter(
        code="jcc-nineveh",
        kind="jcc",
        names={
            "en": "Joint Coordination Center Nineveh",
            "ar": "مركز التنسيق المشترك في نينوى",
            "ckb": "ناوەندی هەماهەنگیی هاوبەش لە نەینەوا",
        },
        governorates=("Ninewa",),
    ),
)
MEMBER_PARTIES: Final = ("fed", "krg")

# One user per role and party; most work in their own language, one each in English.
USERS: Final[tuple[DemoUser, ...]] = (
    DemoUser("fed_admin", "fed", "admin", "Maj. Ali Hassan al-Jubouri", "ar"),
    DemoUser("fed_liaison", "fed", "liaison", "Col. Ahmed Kadhim al-Saadi", "ar"),
    DemoUser("fed_analyst", "fed", "analyst", "Capt. Zainab Abdulrahman Salih", "en"),
    DemoUser("fed_approver", "fed", "approver", "Lt. Gen. Qasim Mohammed al-Obeidi", "ar"),
    DemoUser("fed_secretary", "fed", "secretary", "Lt. Huda Sabah Jassim", "ar"),
    DemoUser("fed_observer", "fed", "observer", "Mustafa Raad al-Tamimi", "ar"),
    DemoUser("krg_admin", "krg", "admin", "Maj. Karwan Aziz Hama", "ckb"),
    DemoUser("krg_liaison", "krg", "liaison", "Col. Rebwar Kamal Mahmoud", "ckb"),
    DemoUser("krg_analyst", "krg", "analyst", "Capt. Shilan Omar Rashid", "en"),
    DemoUser("krg_approver", "krg", "approver", "Brig. Gen. Hazhar Ismail Qadir", "ckb"),
    DemoUser("krg_secretary", "krg", "secretary", "Lt. Nasreen Jalal Ahmed", "ckb"),
    DemoUser("krg_observer", "krg", "observer", "Dilshad Salih Karim", "ckb"),
)


def demo_password(username: str) -> str:
    """The published demo password of a demo user, e.g. ``demo-fed-liaison-2020``."""
    return f"demo-{username.replace('_', '-')}-2020"
