"""Every operation the simulation-and-reports issue names is implemented and shows as such in
`zoomsim coverage` (webinar reports belong to the webinars issue)."""
from __future__ import annotations

import subprocess
import sys

from zoomsim.handlers import all_handlers

REPORTS_ISSUE = """
pastMeetingDetails pastMeetings pastMeetingParticipants listPastMeetingPolls listPastMeetingQA
reportDaily reportUsers reportMeetings reportMeetingDetails reportMeetingParticipants reportMeetingPolls
reportMeetingQA reportMeetingSurvey reportTelephone reportCloudRecording reportSignInSignOutActivities
reportOperationLogs reportUpcomingEvents getBillingReport getBillingInvoicesReports
Gethistorymeetingandwebinarlist reportMeetingactivitylogs
""".split()


def test_every_reports_issue_operation_has_a_handler() -> None:
    missing = [op for op in REPORTS_ISSUE if op not in all_handlers()]
    assert missing == []


def test_coverage_does_not_list_them_as_missing() -> None:
    out = subprocess.run([sys.executable, "-m", "zoomsim.cli", "coverage", "--missing"],
                         capture_output=True, text=True, check=True).stdout
    listed = [op for op in REPORTS_ISSUE if f"({op})" in out]
    assert listed == []
