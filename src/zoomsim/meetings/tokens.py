"""Per-meeting (and per-webinar) tokens: the closed caption URL, the SDK join tokens for local
recording, live streaming and local archiving, and the SIP dial string. A webinar's caption
token exists only while the webinar runs (kind_rules.caption_needs_start).

Every token here is signed with a key derived from the installation key (per purpose), so
whatever handed it out can check it later, across restarts and workers: `verify()` is the
other half of `sign()`, and `verify_caption_url()` of the caption URL.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from zoomsim import tenants
from zoomsim.context import Ctx, Input
from zoomsim.meetings.access import documented
from zoomsim.meetings.kind_rules import load_subject, named, rules
from zoomsim.platform.tokens import TokenError, open_jwt, sign_jwt
from zoomsim.storage.meetings import MeetingRow

JOIN_TOKEN_TTL = 120          # Zoom: join and archive tokens always expire in 120 seconds
CAPTION_EXPIRE = 86400        # the caption URL's `expire` field, in seconds
SIP_URI_TTL = 7200            # the SIP dial string is valid for two hours
SIP_DOMAIN = "zoomcrc.com"
_CODE_CHARS = string.ascii_lowercase + string.digits

# A token not signed here for this purpose, or expired: the platform's token error.
BadToken = TokenError


def key_for(ctx_or_services: Any, purpose: str) -> bytes:
    """One key per token purpose, derived from the installation key (never stored)."""
    services = getattr(ctx_or_services, "services", ctx_or_services)
    return services.installation.key("meeting-token:" + purpose)  # type: ignore[no-any-return]


def sign(ctx: Ctx, purpose: str, claims: dict[str, Any]) -> str:
    """A JWT-shaped HS256 token over the claims plus the purpose (`pur`)."""
    return sign_jwt(key_for(ctx, purpose), {**claims, "pur": purpose})


def verify(services: Any, token: str, purpose: str, now: float) -> dict[str, Any]:
    """The claims of a token this installation signed for `purpose`; BadToken otherwise.
    A token with `exp` is refused once the app clock passes it."""
    claims = open_jwt(key_for(services, purpose), token)
    if claims.get("pur") != purpose:
        raise BadToken()
    if claims.get("exp") is not None and now >= float(claims["exp"]):
        raise BadToken(expired=True)
    return claims


# ---- closed caption URL ---------------------------------------------------------------------

def _caption_fields(ctx_or_services: Any, meeting_id: int) -> tuple[str, str]:
    """The namespace and signature of a meeting's caption URL: fixed per meeting."""
    key = key_for(ctx_or_services, "closed_caption")
    ns = base64.urlsafe_b64encode(hmac.new(key, f"ns:{meeting_id}".encode(), hashlib.sha256).digest()[:4]).decode()
    signed = f"id={meeting_id}&ns={ns}&expire={CAPTION_EXPIRE}"
    signature = base64.urlsafe_b64encode(hmac.new(key, signed.encode(), hashlib.sha256).digest()[:15]).rstrip(b"=").decode()
    return ns, signature


def caption_url(ctx: Ctx, row: MeetingRow) -> str:
    ns, signature = _caption_fields(ctx, row.id)
    return (f"{ctx.services.config.base_url}/closedcaption?id={row.id}&ns={ns}&expire={CAPTION_EXPIRE}"
            f"&spparams=id%2Cns%2Cexpire&signature={signature}")


def verify_caption_url(services: Any, url: str, meeting_id: int) -> bool:
    """Whether `url` is the caption URL this installation hands out for that meeting."""
    fields = dict(parse_qsl(urlsplit(url).query))
    ns, signature = _caption_fields(services, meeting_id)
    return (fields.get("id") == str(meeting_id) and fields.get("ns") == ns
            and fields.get("expire") == str(CAPTION_EXPIRE)
            and hmac.compare_digest(fields.get("signature", ""), signature))


def meeting_token(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """GET /meetings/{meetingId}/token: the only type Zoom offers is the caption token."""
    row = load_subject(ctx, inp)
    if rules(ctx).caption_needs_start and row.status != "started":
        raise documented(ctx, 3000, f"{ctx.kind.word} {{id}} has not started.", containing="has not started",
                         **named(ctx, row.id))
    return {"token": caption_url(ctx, row)}


# ---- SDK join tokens --------------------------------------------------------------------------

def _join_token(ctx: Ctx, row: MeetingRow, purpose: str, **extra: Any) -> dict[str, Any]:
    now = int(ctx.now)
    claims = {"aid": ctx.account_id, "mid": row.id, "iat": now, "exp": now + JOIN_TOKEN_TTL,
              "jti": secrets.token_urlsafe(6), **extra}
    return {"token": sign(ctx, purpose, claims), "expire_in": JOIN_TOKEN_TTL}


def local_recording_token(ctx: Ctx, inp: Input) -> dict[str, Any]:
    row = load_subject(ctx, inp)
    extra = {"bwr": True} if inp.query.get("bypass_waiting_room") else {}
    return _join_token(ctx, row, "local_recording", **extra)


def live_streaming_token(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Live streaming needs a Pro or higher plan: a free account cannot turn the setting on."""
    row = load_subject(ctx, inp)
    if ctx.plan == "free":
        raise documented(ctx, 3000, "Not allowed to start live streaming", containing="Not allowed to start live streaming")
    return _join_token(ctx, row, "live_streaming")


def local_archiving_token(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """Archiving needs a Pro or higher plan as well."""
    row = load_subject(ctx, inp)
    if ctx.plan == "free":
        raise documented(ctx, 3000, "Not allowed to start local archiving", containing="Not allowed to start local archiving")
    return _join_token(ctx, row, "local_archiving")


# ---- SIP dial string --------------------------------------------------------------------------

def participant_code(ctx_or_services: Any, meeting_id: int, expires: int) -> str:
    """Nine lower-case characters identifying the caller, bound to the meeting and expiry."""
    digest = hmac.new(key_for(ctx_or_services, "sip_dialing"), f"{meeting_id}:{expires}".encode(),
                      hashlib.sha256).digest()
    n = int.from_bytes(digest, "big")
    out = []
    for _ in range(9):
        n, r = divmod(n, len(_CODE_CHARS))
        out.append(_CODE_CHARS[r])
    return "".join(out)


def sip_dialing(ctx: Ctx, inp: Input) -> dict[str, Any]:
    """POST /meetings/{meetingId}/sip_dialing: `meeting.passcode....code@zoomcrc.com`.

    Zoom embeds whatever passcode is given without checking it. The participant code is only
    part of the URI for accounts with a Conference Room Connector plan (licence `crc`).
    End-to-end encrypted meetings take no SIP/H.323 callers, so they have no SIP URI."""
    row = load_subject(ctx, inp)
    doc = row.data()
    if (doc.get("settings") or {}).get("encryption_type") == "e2ee":
        raise documented(ctx, 3000, f"The {ctx.kind.name}'s SIP URI does not exist: {{id}}.", containing="SIP URI",
                         **named(ctx, row.id))
    passcode = str((inp.body or {}).get("passcode") or "")
    encoded = quote(passcode, safe="").replace(".", "%2E")
    paid = tenants.licensed(ctx, "crc", default=False)
    expires = int(ctx.now) + SIP_URI_TTL
    code = participant_code(ctx, row.id, expires)
    if paid:
        local = f"{row.id}.{encoded}....{code}"
    else:
        local = f"{row.id}.{encoded}" if encoded else str(row.id)
    return {"sip_dialing": f"{local}@{SIP_DOMAIN}", "paid_crc_plan_participant": paid,
            "participant_identifier_code": code, "expire_in": SIP_URI_TTL}


HANDLERS = {
    "meetingToken": meeting_token,
    "meetingLocalRecordingJoinToken": local_recording_token,
    "meetingLiveStreamingJoinToken": live_streaming_token,
    "meetingLocalArchivingArchiveToken": local_archiving_token,
    "getSipDialingWithPasscode": sip_dialing,
}
