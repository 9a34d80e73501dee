"""Meetings and webinars are one domain with two kinds. Everything that differs between them is
data here: their type numbers, setting defaults, the names Zoom gives their fields, the word in
messages and which path parameter names one. Which kind an operation serves is read off its
path in the operation table (Operation.kind), so one handler serves both."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A webinar's panelists are meeting parts of this kind (webinars/panelists.py writes them; the
# simulation and registration read them).
PANELIST_PART = "panelist"

# Zoom's type numbers: meetings 1 instant, 2 scheduled, 3 recurring with no fixed time,
# 8 recurring with a fixed time, 10 screen share; webinars 5, 6 and 9 for the same shapes.
INSTANT_TYPES = frozenset({1})
SCHEDULED_TYPES = frozenset({2, 5})
NO_FIXED_TIME = frozenset({3, 6})
FIXED_RECURRING = frozenset({8, 9})
RECURRING = NO_FIXED_TIME | FIXED_RECURRING


@dataclass(frozen=True, slots=True)
class Kind:
    name: str                       # "meeting" or "webinar"
    word: str                       # how Zoom's messages name one
    param: str                      # the path parameter that names one
    collection: str                 # the list envelope's key
    default_type: int
    scheduled: int
    no_fixed_time: int
    fixed_time: int
    types: frozenset[int]
    default_topic: str
    h323_key: str                   # the passcode's digits-only form
    encrypted_key: str              # the passcode as the join link carries it
    pstn: bool                      # meetings also show the phone passcode
    register_prefix: str            # what starts the registration link's key (webinars: WN_)
    default_settings: dict[str, Any] = field(default_factory=dict)

    def is_kind(self, zoom_type: int) -> bool:
        return zoom_type in self.types


# The dial-in numbers both kinds list by default (an account in the US).
DIAL_IN_NUMBERS = [
    {"country_name": "US", "city": "New York", "number": "+1 6465588656", "type": "toll", "country": "US"},
    {"country_name": "US", "city": "San Jose", "number": "+1 6699006833", "type": "toll", "country": "US"},
]

# Settings of a webinar created with none given, as the Meetings reference documents them
# (its defaults where it gives one: audio "both", approval_type 2, registration_type 1,
# registrants_restrict_number 0, hd/1080p/on-demand/practice session off).
WEBINAR_SETTINGS: dict[str, Any] = {
    "host_video": False,
    "panelists_video": False,
    "practice_session": False,
    "hd_video": False,
    "hd_video_for_attendees": False,
    "send_1080p_video_to_attendees": False,
    "approval_type": 2,
    "registration_type": 1,
    "audio": "both",
    "auto_recording": "none",
    "enforce_login": False,
    "enforce_login_domains": "",
    "alternative_hosts": "",
    "alternative_host_update_polls": False,
    "close_registration": False,
    "show_share_button": False,
    "allow_multiple_devices": False,
    "on_demand": False,
    "global_dial_in_countries": ["US"],
    "global_dial_in_numbers": DIAL_IN_NUMBERS,
    "contact_name": "",
    "contact_email": "",
    "registrants_restrict_number": 0,
    "registrants_confirmation_email": True,
    "registrants_email_notification": True,
    "post_webinar_survey": False,
    "survey_url": "",
    "meeting_authentication": False,
    "panelist_authentication": False,
    "question_and_answer": {
        "enable": True, "allow_submit_questions": True, "allow_anonymous_questions": True,
        "answer_questions": "all", "attendees_can_comment": True, "attendees_can_upvote": True,
        "allow_auto_reply": False, "auto_reply_text": "",
    },
    "attendees_and_panelists_reminder_email_notification": {"enable": True, "type": 0},
    "follow_up_attendees_email_notification": {"enable": False, "type": 0},
    "follow_up_absentees_email_notification": {"enable": False, "type": 0},
    "panelists_invitation_email_notification": True,
    "email_language": "en-US",
    "email_in_attendee_report": False,
    "add_watermark": False,
    "add_audio_watermark": False,
    "enable_session_branding": False,
    "request_permission_to_unmute_participants": False,
    "allow_host_control_participant_mute_state": False,
    "show_join_info": False,
    "language_interpretation": {"enable": False},
    "sign_language_interpretation": {"enable": False},
}


def _meeting_settings() -> dict[str, Any]:
    from zoomsim.meetings.model import DEFAULT_SETTINGS
    return DEFAULT_SETTINGS


MEETING = Kind(
    name="meeting", word="Meeting", param="meetingId", collection="meetings", default_type=2,
    scheduled=2, no_fixed_time=3, fixed_time=8, types=frozenset({1, 2, 3, 8, 10}),
    default_topic="Zoom Meeting", h323_key="h323_password", encrypted_key="encrypted_password", pstn=True,
    register_prefix="",
)
WEBINAR = Kind(
    name="webinar", word="Webinar", param="webinarId", collection="webinars", default_type=5,
    scheduled=5, no_fixed_time=6, fixed_time=9, types=frozenset({5, 6, 9}),
    default_topic="Zoom Webinar", h323_key="h323_passcode", encrypted_key="encrypted_passcode", pstn=False,
    register_prefix="WN_",
    default_settings=WEBINAR_SETTINGS,
)
KINDS = {"meeting": MEETING, "webinar": WEBINAR}


def settings_defaults(kind: Kind) -> dict[str, Any]:
    return kind.default_settings or _meeting_settings()


def of_path(path: str) -> str:
    """The kind an operation serves, from its path: anything under a webinar path (webinars,
    past or live webinars, webinar reports and templates, v1's /webinar/) is a webinar's."""
    return "webinar" if "webinar" in path.lower() else "meeting"


def of_type(zoom_type: int) -> Kind:
    return WEBINAR if zoom_type in WEBINAR.types else MEETING
