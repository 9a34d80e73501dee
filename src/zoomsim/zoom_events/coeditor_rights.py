"""What a co-editor may do with an event, as data: each change names the permission group
(Zoom's co-editor `permission_groups`, one per page of the event's editor) it needs. A co-editor
reads everything of the event but its reports and e-mails; managing co-editors and deleting the
event stay with the host and account admins."""
from __future__ import annotations

from zoomsim.context import Ctx
from zoomsim.zoom_events import parts

NEEDS: dict[str, str] = {
    "EventActions": "Publish",
    "updateEvent": "EventConfiguration",
    **dict.fromkeys(("createEventSession", "updateEventSession", "deleteEventSession", "createSpeaker",
                     "updateSpeaker", "deleteSpeaker", "createExhibitor", "updateExhibitor", "deleteExhibitor",
                     "updateSessionInterpreters", "updateSessionPolls", "UpdateSessionLivestreamConfiguration"),
                    "EventPlanning"),
    **dict.fromkeys(("createTicketType", "updateTicketType", "deleteEventTicketType", "createTickets",
                     "Updateticket", "deleteTicket", "createEventAccessLink", "updateEventAccess",
                     "deleteEventAccessLink", "updateRegistrationQuestionsForEvent",
                     "updateRegistrationQuestionsForTicketType", "AddSessionReservations",
                     "DeleteSessionReservations"), "Registration & Join"),
    **dict.fromkeys(("UpdateEventAttendeeActions", "UpdateSessionAttendeeActions"), "Venue"),
    **dict.fromkeys(("EventAttendanceReport", "EventRegistrationsReport", "SessionAttendanceReport",
                     "EventSurveyReportApi", "ChatTranscriptsReport", "getCustomEventReport"), "Analytics"),
    **dict.fromkeys(("listEmailTypes", "listEmailSentStatuses"), "Email"),
}
HOST_ONLY = frozenset({"deleteEvent", "coeditoractions"})


def allowed(ctx: Ctx, event_id: str) -> bool:
    """Whether the caller co-edits the event with the rights this operation needs."""
    if ctx.op.id in HOST_ONLY:
        return False
    for item in parts.of_event(ctx, parts.COEDITOR, event_id):
        doc = item.data()
        if doc.get("user_id") == ctx.user_id:
            need = NEEDS.get(ctx.op.id)
            if need is not None:
                return need in (doc.get("permission_groups") or [])
            return ctx.op.method == "GET"
    return False
