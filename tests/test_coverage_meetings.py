"""Every operation the meetings issue names is implemented and shows as such in `zoomsim coverage`."""
from __future__ import annotations

import subprocess
import sys

from zoomsim.handlers import all_handlers

MEETINGS_ISSUE = """
meetingCreate meetings meeting meetingUpdate meetingDelete meetingStatus listUpcomingMeeting
meetingInvitation meetingInviteLinksCreate getSipDialingWithPasscode meetingToken
meetingLocalRecordingJoinToken meetingLiveStreamingJoinToken userPACs
meetingRegistrants meetingRegistrantCreate addBatchRegistrants meetingRegistrantGet meetingregistrantdelete
meetingRegistrantStatus meetingRegistrantsQuestionsGet meetingRegistrantQuestionUpdate
meetingPolls meetingPollCreate createBatchPolls meetingPollGet meetingPollUpdate meetingPollDelete
meetingSurveyGet meetingSurveyUpdate meetingSurveyDelete
getMeetingLiveStreamDetails meetingLiveStreamUpdate meetingLiveStreamStatusUpdate
listMeetingTemplates meetingTemplateCreate Getameetingsummary Deletemeetingorwebinarsummary Listmeetingsummaries
listSipPhones createSIPPhone updateSIPPhone deleteSIPPhone
ListSIPPhonePhones EnableSIPPhonePhones UpdateSIPPhonePhones deleteSIPPhonePhones
tsp tspUpdate userTSPs userTSPCreate userTSP userTSPUpdate userTSPDelete tspUrlUpdate
trackingfieldList trackingfieldCreate trackingfieldGet trackingfieldUpdate trackingfieldDelete
""".split()


def test_every_meetings_issue_operation_has_a_handler() -> None:
    missing = [op for op in MEETINGS_ISSUE if op not in all_handlers()]
    assert missing == []


def test_coverage_does_not_list_them_as_missing() -> None:
    out = subprocess.run([sys.executable, "-m", "zoomsim.cli", "coverage", "--missing"],
                         capture_output=True, text=True, check=True).stdout
    listed = [op for op in MEETINGS_ISSUE if f"({op})" in out]
    assert listed == []
