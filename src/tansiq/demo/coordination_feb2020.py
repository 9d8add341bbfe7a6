"""The demo's coordination records: the Supreme Committee meeting of 20 February 2020.

Its three understandings (joint coordination centers in Diyala, Kirkuk and Nineveh;
joint operations against ISIS; common defensive lines), endorsed by both parties;
the follow-up action item due 29 February ("a meeting before the end of this month
to start work"); a deployment notice for border guards in a Duhok border area; and
one contested incident. Loaded through the services; each part is made only when
it is missing, so loading twice adds nothing. Names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

from tansiq.demo.directory_feb2020 import demo_password
from tansiq.domain.actors import Actor
from tansiq.services.accounts.commands import authenticate_password
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.assessment_commands import assess_incident, list_assessments
from tansiq.services.incidents.queries import IncidentFilters, list_incidents
from tansiq.services.meetings.action_commands import create_action_item
from tansiq.services.meetings.action_queries import ActionFilters, list_action_items
from tansiq.services.meetings.centers import center_by_code
from tansiq.services.meetings.commands import MeetingFilters, create_meeting, list_meetings
from tansiq.services.meetings.decision_commands import (
    DecisionFilters,
    create_decision,
    endorse_decision,
    list_decisions,
)
from tansiq.services.notices.commands import send_notice
from tansiq.services.notices.queries import NoticeFilters, list_notices

MEETING: Final[dict[str, Any]] = {
    "held_at": "2020-02-20T11:00:00+03:00",
    "place": "Joint Operations Command, Baghdad",
    "attendees": [
        {
            "party": "fed",
            "name": "Lt. Gen. Qasim Mohammed al-Obeidi",
            "position": "Deputy Commander of Joint Operations",
        },
        {"party": "fed", "name": "Lt. Huda Sabah Jassim", "position": "Secretary"},
        {
            "party": "krg",
            "name": "Brig. Gen. Hazhar Ismail Qadir",
            "position": "Ministry of Peshmerga delegate",
        },
        {"party": "krg", "name": "Col. Rebwar Kamal Mahmoud", "position": "Liaison officer"},
    ],
    "agenda": (
        "1. Joint coordination and work centers in Diyala, Kirkuk and Nineveh\n"
        "2. Joint operations against ISIS in the areas between the lines\n"
        "3. Common defensive lines\n"
        "4. Next steps"
    ),
    "minutes": (
        "The Supreme Committee for Coordination and Military and Security Action met for the "
        "first time. Both delegations described the security gap between their lines that ISIS "
        "has exploited since 2017, and reached the three understandings below. They agreed to "
        "meet again before the end of the month to start work."
    ),
    "releasability": "center",
    "status": "held",
}
UNDERSTANDINGS: Final[tuple[dict[str, str], ...]] = (
    {
        "text_en": "Form joint coordination and work centers in Diyala, Kirkuk and Nineveh, "
        "staffed by both parties, to share security information on the areas between their lines.",
        "text_ar": "تشكيل مراكز تنسيق وعمل مشتركة في ديالى وكركوك ونينوى، يشارك فيها الطرفان، "
        "لتبادل المعلومات الأمنية عن المناطق الواقعة بين خطوط قواتهما.",
        "text_ckb": "پێکهێنانی ناوەندەکانی هەماهەنگی و کاری هاوبەش لە دیالە و کەرکووک و نەینەوا، "
        "بە بەشداریی هەردوو لایەن، بۆ ئاڵوگۆڕکردنی زانیاریی ئەمنی دەربارەی ئەو ناوچانەی "
        "دەکەونە نێوان هێڵەکانی هێزەکانیان.",
    },
    {
        "text_en": "Conduct joint operations against ISIS in the areas between the lines of the "
        "federal forces and the Peshmerga, planned and approved through the joint centers.",
        "text_ar": "تنفيذ عمليات مشتركة ضد داعش في المناطق الواقعة بين خطوط القوات الاتحادية "
        "والبيشمركة، يُخطَّط لها ويُصادَق عليها عبر المراكز المشتركة.",
        "text_ckb": "ئەنجامدانی ئۆپەراسیۆنی هاوبەش دژی داعش لەو ناوچانەی دەکەونە نێوان هێڵەکانی "
        "هێزە فیدراڵییەکان و پێشمەرگە، کە لە ڕێگەی ناوەندە هاوبەشەکانەوە پلانیان بۆ دادەنرێت "
        "و پەسەند دەکرێن.",
    },
    {
        "text_en": "Agree common defensive lines between the federal forces and the Peshmerga "
        "to close the security gap that ISIS has exploited.",
        "text_ar": "الاتفاق على خطوط دفاعية مشتركة بين القوات الاتحادية والبيشمركة لسد الفراغ "
        "الأمني الذي استغله داعش.",
        "text_ckb": "ڕێککەوتن لەسەر هێڵی بەرگریی هاوبەش لە نێوان هێزە فیدراڵییەکان و پێشمەرگە "
        "بۆ پڕکردنەوەی ئەو بۆشاییە ئەمنییەی داعش قۆستوویەتییەوە.",
    },
)
FOLLOW_UP: Final[dict[str, Any]] = {
    "title": "Hold a meeting before the end of this month to start work.",
    "due_at": "2020-02-29",
    "owner_person": "Lt. Gen. Qasim Mohammed al-Obeidi",
    "releasability": "center",
}
NOTICE_SUBJECT: Final = "Border guards deploy to the Duhok border area"
NOTICE: Final[dict[str, Any]] = {
    "to_party": "krg",
    "kind": "deployment",
    "subject": NOTICE_SUBJECT,
    "message": "A federal border guard battalion deploys along the border strip north of "
    "Zakho to reinforce the posts on the Turkish border. Routes and positions as marked.",
    "place_name": "Zakho border area, Duhok",
    "location": {
        "type": "Polygon",
        "coordinates": [
            [[42.55, 37.05], [42.85, 37.05], [42.85, 37.15], [42.55, 37.15], [42.55, 37.05]]
        ],
    },
    "releasability": "all",
}
CONTESTED_PLACE: Final = "Hamrin mountains"
CONTEST: Final[dict[str, Any]] = {
    "kind": "contest",
    "comment": "Peshmerga observers on the Qara Tapa heights saw the strike hit an empty valley; "
    "no bodies were recovered and the four deaths are unconfirmed.",
    "sources": ["Peshmerga observation post, Qara Tapa"],
    "source_reliability": "B",
    "credibility": 3,
    "releasability": "all",
}


@dataclass
class CoordinationSummary:
    """What one run added (all zero when the coordination demo was already loaded)."""

    meetings: int = 0
    decisions: int = 0
    endorsements: int = 0
    action_items: int = 0
    notices: int = 0
    assessments: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        """True when this run added at least one record."""
        return any(
            (
                self.meetings,
                self.decisions,
                self.endorsements,
                self.action_items,
                self.notices,
                self.assessments,
            )
        )

    def describe(self) -> str:
        """One paragraph for the terminal."""
        if not self.created_anything:
            return "Coordination: already loaded, nothing new."
        return (
            f"Coordination: {self.meetings} Supreme Committee meeting (2020-02-20) with "
            f"{self.decisions} understandings and {self.endorsements} endorsements, "
            f"{self.action_items} follow-up action item (due 2020-02-29), {self.notices} "
            f"deployment notice for border guards in the Duhok border area (dated from today: "
            f"notices look ahead), and {self.assessments} contested incident ({CONTESTED_PLACE})."
        )


def _login(ctx: ServiceContext, username: str) -> Actor:
    return authenticate_password(ctx, username=username, password=demo_password(username))


def _load_meeting(ctx: ServiceContext, summary: CoordinationSummary) -> None:
    secretary = _login(ctx, "fed_secretary")
    supreme = center_by_code(ctx, code="supreme")
    found = list_meetings(
        ctx, actor=secretary, filters=MeetingFilters(center_id=supreme["id"], party="fed")
    ).items
    meeting = next((m for m in found if m["held_at"].startswith("2020-02-20")), None)
    if meeting is None:
        meeting = create_meeting(ctx, actor=secretary, data={**MEETING, "center_id": supreme["id"]})
        summary.meetings += 1
    decisions = list_decisions(
        ctx, actor=secretary, filters=DecisionFilters(meeting_id=meeting["id"])
    ).items
    if not decisions:
        for text in UNDERSTANDINGS:
            decisions.append(
                create_decision(ctx, actor=secretary, data={**text, "meeting_id": meeting["id"]})
            )
        summary.decisions += len(UNDERSTANDINGS)
    for username in ("fed_approver", "krg_approver"):
        approver = _login(ctx, username)
        for decision in decisions:
            if approver.party not in decision["endorsed_by"] and decision["status"] == "proposed":
                endorse_decision(
                    ctx,
                    actor=approver,
                    decision_id=decision["id"],
                    version_hash=decision["version_hash"],
                )
                summary.endorsements += 1
    items = list_action_items(
        ctx, actor=secretary, filters=ActionFilters(meeting_id=meeting["id"])
    ).items
    if not items:
        create_action_item(ctx, actor=secretary, data={**FOLLOW_UP, "meeting_id": meeting["id"]})
        summary.action_items += 1


def _load_notice(ctx: ServiceContext, summary: CoordinationSummary) -> None:
    liaison = _login(ctx, "fed_liaison")
    sent = list_notices(
        ctx, actor=liaison, filters=NoticeFilters(from_party="fed", kind="deployment")
    ).items
    if any(n["subject"] == NOTICE_SUBJECT for n in sent):
        return
    # The services take notices about what is coming, so the window starts from the clock.
    now = ctx.clock()
    window = {
        "starts_at": (now + timedelta(hours=2)).isoformat(),
        "ends_at": (now + timedelta(days=14)).isoformat(),
    }
    send_notice(ctx, actor=liaison, data={**NOTICE, **window})
    summary.notices += 1


def _load_contest(ctx: ServiceContext, summary: CoordinationSummary) -> None:
    analyst = _login(ctx, "krg_analyst")
    found = list_incidents(
        ctx, actor=analyst, filters=IncidentFilters(party="fed", admin1="Diyala"), limit=1000
    ).items
    incident = next((i for i in found if i["place_name"] == CONTESTED_PLACE), None)
    if incident is None:
        return
    assessed = list_assessments(ctx, actor=analyst, incident_id=incident["id"]).items
    if any(a["party"] == analyst.party for a in assessed):
        return
    assess_incident(ctx, actor=analyst, incident_id=incident["id"], data=CONTEST)
    summary.assessments += 1


def load_coordination(ctx: ServiceContext) -> CoordinationSummary:
    """Create whatever part of the coordination demo is missing; raises as the services do."""
    summary = CoordinationSummary()
    _load_meeting(ctx, summary)
    _load_notice(ctx, summary)
    _load_contest(ctx, summary)
    return summary
