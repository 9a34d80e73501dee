"""Which events exist, and which operation or simulation step emits which: data beside the
operation table, read by the outbox (outbox.py). Builders of the payloads are in payloads/."""
from __future__ import annotations

# Every event a subscription may name: Zoom's meeting, webinar, recording and TSP events and
# its Zoom Events events (the reference's webhook documents list exactly these).
EVENT_NAMES: frozenset[str] = frozenset("""
meeting.ai_companion_assets_deleted meeting.ai_companion_started meeting.ai_companion_stopped
meeting.aic_transcript_completed meeting.alert meeting.breakout_room_sharing_ended
meeting.breakout_room_sharing_started meeting.chat_message_file_downloaded
meeting.chat_message_file_sent meeting.chat_message_sent meeting.converted_to_webinar
meeting.created meeting.deleted meeting.device_tested meeting.ended meeting.invitation_accepted
meeting.invitation_dispatched meeting.invitation_rejected meeting.invitation_timeout
meeting.live_streaming_started meeting.live_streaming_stopped meeting.participant_admitted
meeting.participant_bind meeting.participant_feedback meeting.participant_jbh_joined
meeting.participant_jbh_waiting meeting.participant_jbh_waiting_left meeting.participant_joined
meeting.participant_joined_breakout_room meeting.participant_joined_waiting_room
meeting.participant_left meeting.participant_left_breakout_room
meeting.participant_left_waiting_room meeting.participant_phone_callout_accepted
meeting.participant_phone_callout_missed meeting.participant_phone_callout_rejected
meeting.participant_phone_callout_ringing meeting.participant_put_in_waiting_room
meeting.participant_role_changed meeting.participant_room_system_callout_accepted
meeting.participant_room_system_callout_failed meeting.participant_room_system_callout_missed
meeting.participant_room_system_callout_rejected meeting.participant_room_system_callout_ringing
meeting.permanently_deleted meeting.recovered meeting.registration_approved
meeting.registration_cancelled meeting.registration_created meeting.registration_denied
meeting.risk_alert meeting.sharing_ended meeting.sharing_started meeting.started
meeting.summary_completed meeting.summary_deleted meeting.summary_recovered meeting.summary_shared
meeting.summary_trashed meeting.summary_updated meeting.updated recording.archive_files_completed
recording.batch_deleted recording.batch_recovered recording.batch_trashed
recording.cloud_storage_usage_updated recording.completed recording.deleted recording.paused
recording.recovered recording.registration_approved recording.registration_created
recording.registration_denied recording.renamed recording.resumed recording.started
recording.stopped recording.transcript_completed recording.trashed user.tsp_created user.tsp_deleted
user.tsp_updated webinar.alert webinar.chat_message_file_downloaded webinar.chat_message_file_sent
webinar.chat_message_sent webinar.converted_to_meeting webinar.created webinar.deleted webinar.ended
webinar.participant_bind webinar.participant_feedback webinar.participant_joined
webinar.participant_left webinar.participant_role_changed webinar.permanently_deleted
webinar.recovered webinar.registration_approved webinar.registration_cancelled
webinar.registration_created webinar.registration_denied webinar.sharing_ended
webinar.sharing_started webinar.started webinar.updated
zoom_events.event_cancelled zoom_events.event_duplicated zoom_events.event_published
zoom_events.event_updated zoom_events.exhibitor_created zoom_events.exhibitor_deleted
zoom_events.exhibitor_updated zoom_events.session_created zoom_events.session_deleted
zoom_events.session_ended zoom_events.session_updated zoom_events.speaker_created
zoom_events.speaker_deleted zoom_events.speaker_updated zoom_events.ticket_created
zoom_events.ticket_deleted zoom_events.ticket_type_created zoom_events.ticket_type_deleted
zoom_events.ticket_type_updated zoom_events.ticket_updated zoom_events.vod_registration_created
""".split())

URL_VALIDATION = "endpoint.url_validation"

# operationId -> the events it may emit. The builder of each event (payloads/) decides whether
# this call emits it (an approve emits registration_approved, not _denied) and what it says.
# v1 calls run these same operations, so they emit the same events.
OPERATION_EVENTS: dict[str, tuple[str, ...]] = {
    # meetings and webinars
    "meetingCreate": ("meeting.created",),
    "webinarCreate": ("webinar.created",),
    "meetingUpdate": ("meeting.updated",),
    "webinarUpdate": ("webinar.updated",),
    "meetingDelete": ("meeting.deleted",),
    "webinarDelete": ("webinar.deleted",),
    "meetingStatus": ("meeting.recovered",),        # its "end" is the simulation's end step
    "meetingRegistrantCreate": ("meeting.registration_created",),
    "webinarRegistrantCreate": ("webinar.registration_created",),
    "addBatchRegistrants": ("meeting.registration_created",),
    "addBatchWebinarRegistrants": ("webinar.registration_created",),
    "meetingRegistrantStatus": ("meeting.registration_approved", "meeting.registration_cancelled",
                                "meeting.registration_denied"),
    "webinarRegistrantStatus": ("webinar.registration_approved", "webinar.registration_cancelled",
                                "webinar.registration_denied"),
    "meetingLiveStreamStatusUpdate": ("meeting.live_streaming_started", "meeting.live_streaming_stopped"),
    # TSP accounts of users
    "userTSPCreate": ("user.tsp_created",),
    "userTSPUpdate": ("user.tsp_updated",),
    "userTSPDelete": ("user.tsp_deleted",),
    # Zoom Events
    "updateEvent": ("zoom_events.event_updated",),
    "EventActions": ("zoom_events.event_published", "zoom_events.event_cancelled", "zoom_events.event_duplicated"),
    "createEventSession": ("zoom_events.session_created",),
    "updateEventSession": ("zoom_events.session_updated",),
    "deleteEventSession": ("zoom_events.session_deleted",),
    "createSpeaker": ("zoom_events.speaker_created",),
    "updateSpeaker": ("zoom_events.speaker_updated",),
    "deleteSpeaker": ("zoom_events.speaker_deleted",),
    "createExhibitor": ("zoom_events.exhibitor_created",),
    "updateExhibitor": ("zoom_events.exhibitor_updated",),
    "deleteExhibitor": ("zoom_events.exhibitor_deleted",),
    "createTicketType": ("zoom_events.ticket_type_created",),
    "updateTicketType": ("zoom_events.ticket_type_updated",),
    "deleteEventTicketType": ("zoom_events.ticket_type_deleted",),
    "createTickets": ("zoom_events.ticket_created",),
    "Updateticket": ("zoom_events.ticket_updated",),
    "deleteTicket": ("zoom_events.ticket_deleted",),
    "VODTicketRegistration": ("zoom_events.vod_registration_created",),
}

# operationId -> the loader (payloads.LOADERS) that reads what the change will alter, before the
# handler runs: an update's old_object, a deleted thing's last state.
BEFORE: dict[str, str] = {
    "meetingUpdate": "meeting", "webinarUpdate": "meeting",
    "meetingDelete": "meeting", "webinarDelete": "meeting",
    "meetingRegistrantStatus": "registrants", "webinarRegistrantStatus": "registrants",
    "meetingRegistrantCreate": "registrants", "webinarRegistrantCreate": "registrants",
    "addBatchRegistrants": "registrants", "addBatchWebinarRegistrants": "registrants",
    "userTSPUpdate": "tsp", "userTSPDelete": "tsp",
    "updateEvent": "ze_event",
    "updateEventSession": "ze_session", "deleteEventSession": "ze_session",
    "updateSpeaker": "ze_speaker", "deleteSpeaker": "ze_speaker",
    "updateExhibitor": "ze_exhibitor", "deleteExhibitor": "ze_exhibitor",
    "updateTicketType": "ze_ticket_type", "deleteEventTicketType": "ze_ticket_type",
    "Updateticket": "ze_ticket", "deleteTicket": "ze_ticket",
    "VODTicketRegistration": "ze_vod_registrations",
}

# Simulation steps (simulation/live.py) -> the events each emits, per kind of meeting. A session
# of a Zoom Events event is a meeting or webinar: its end is also the session's end (the builder
# emits nothing for a meeting that backs no session).
STEP_EVENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "start": {"meeting": ("meeting.started",), "webinar": ("webinar.started",)},
    "join": {"meeting": ("meeting.participant_joined",), "webinar": ("webinar.participant_joined",)},
    "leave": {"meeting": ("meeting.participant_left",), "webinar": ("webinar.participant_left",)},
    "end": {"meeting": ("meeting.ended", "zoom_events.session_ended"),
            "webinar": ("webinar.ended", "zoom_events.session_ended")},
    "chat": {"meeting": ("meeting.chat_message_sent",), "webinar": ("webinar.chat_message_sent",)},
}


def emits(op_id: str) -> tuple[str, ...]:
    return OPERATION_EVENTS.get(op_id, ())
