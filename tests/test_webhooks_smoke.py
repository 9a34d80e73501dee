"""The webhook pipeline end to end: subscribe (URL validated), an event, a signed delivery."""
from __future__ import annotations

from support import Admin, Api, new_meeting
from webhook_kit import Receiver, check_delivery, receiver, subscribe  # noqa: F401


def test_meeting_created_is_delivered(admin: Admin, api: Api, receiver: Receiver) -> None:  # noqa: F811
    subscribe(admin, api, receiver, ["meeting.created"])
    assert len(receiver.validations) == 1 and receiver.validations[0].signature_ok
    meeting = new_meeting(api, topic="Webhook é")
    (d,) = receiver.wait(1, "meeting.created")
    check_delivery(d)
    assert d.body["payload"]["object"]["id"] == meeting["id"]
    assert d.body["payload"]["account_id"] == api.account_id
