"""operationId -> handler for webinars. Most webinar operations are the meeting operation at the
same path with `webinars` for `meetings`: SAME_AS_MEETING names the twin, whose handler serves
both kinds (the operation's kind picks defaults, wording and which rows it may see)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zoomsim.webinars import branding, panelists, tracking_sources

SAME_AS_MEETING: dict[str, str] = {
    "webinarCreate": "meetingCreate",
    "webinar": "meeting",
    "webinarUpdate": "meetingUpdate",
    "webinarDelete": "meetingDelete",
    "webinarStatus": "meetingStatus",
    "webinars": "meetings",
    "webinarRegistrants": "meetingRegistrants",
    "webinarRegistrantCreate": "meetingRegistrantCreate",
    "webinarRegistrantGet": "meetingRegistrantGet",
    "deleteWebinarRegistrant": "meetingregistrantdelete",
    "webinarRegistrantStatus": "meetingRegistrantStatus",
    "addBatchWebinarRegistrants": "addBatchRegistrants",
    "webinarRegistrantsQuestionsGet": "meetingRegistrantsQuestionsGet",
    "webinarRegistrantQuestionUpdate": "meetingRegistrantQuestionUpdate",
    "webinarPolls": "meetingPolls",
    "webinarPollCreate": "meetingPollCreate",
    "webinarPollGet": "meetingPollGet",
    "webinarPollUpdate": "meetingPollUpdate",
    "webinarPollDelete": "meetingPollDelete",
    "webinarSurveyGet": "meetingSurveyGet",
    "webinarSurveyUpdate": "meetingSurveyUpdate",
    "webinarSurveyDelete": "meetingSurveyDelete",
    "getWebinarLiveStreamDetails": "getMeetingLiveStreamDetails",
    "webinarLiveStreamUpdate": "meetingLiveStreamUpdate",
    "webinarLiveStreamStatusUpdate": "meetingLiveStreamStatusUpdate",
    "webinarToken": "meetingToken",
    "webinarLiveStreamingJoinToken": "meetingLiveStreamingJoinToken",
    "webinarLocalArchivingArchiveToken": "meetingLocalArchivingArchiveToken",
    "webinarLocalRecordingJoinToken": "meetingLocalRecordingJoinToken",
    "getWebinarSipDialingWithPasscode": "getSipDialingWithPasscode",
    "webinarInviteLinksCreate": "meetingInviteLinksCreate",
    "listWebinarTemplates": "listMeetingTemplates",
    "webinarTemplateCreate": "meetingTemplateCreate",
    "pastWebinars": "pastMeetings",
    "listWebinarParticipants": "pastMeetingParticipants",
    "listPastWebinarPollResults": "listPastMeetingPolls",
    "listPastWebinarQA": "listPastMeetingQA",
    "reportWebinarDetails": "reportMeetingDetails",
    "reportWebinarParticipants": "reportMeetingParticipants",
    "reportWebinarPolls": "reportMeetingPolls",
    "reportWebinarQA": "reportMeetingQA",
    "reportWebinarSurvey": "reportMeetingSurvey",
    "deleteWebinarChatMessageById": "deleteMeetingChatMessageById",
}

# Webinar-only operations: each module's HANDLERS.
OWN: dict[str, Callable[..., Any]] = {**panelists.HANDLERS, **branding.HANDLERS, **tracking_sources.HANDLERS}


def webinar_handlers(shared: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """The webinar operations served: each twin whose meeting handler exists, then webinar-only ones."""
    out = {wid: shared[mid] for wid, mid in SAME_AS_MEETING.items() if mid in shared}
    out.update(OWN)
    return out
