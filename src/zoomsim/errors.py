"""Zoom's error envelope, raised anywhere below the request chain and encoded in one place."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoomsim.context import Ctx


class ZoomError(Exception):
    """An error answered as Zoom does: HTTP status plus {"code", "message"[, "errors"]}."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            out["errors"] = self.errors
        return out


class RawError(Exception):
    """An error whose body is not Zoom's API envelope (OAuth errors use their own shape)."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(str(body))
        self.status = status
        self.body = body
        self.headers = headers or {}


def validation_failed(errors: list[dict[str, str]]) -> ZoomError:
    return ZoomError(400, 300, "Validation Failed.", errors)


def invalid_field(field: str, message: str = "Invalid field.") -> ZoomError:
    return validation_failed([{"field": field, "message": message}])


def user_not_found(user_id: str) -> ZoomError:
    return ZoomError(404, 1001, f"User does not exist: {user_id}.")


def missing_scopes(wanted: list[str] | tuple[str, ...]) -> ZoomError:
    """Zoom lists the scopes it wanted (granular ones where the operation has them),
    user-level before :admin, comma-space separated."""
    ordered = sorted(wanted, key=lambda s: (":admin" in s, s))
    return ZoomError(400, 4711, f"Invalid access token, does not contain scopes:[{', '.join(ordered)}].")


def documented(ctx: "Ctx", code: int, fallback: str, status: int | None = None, containing: str = "",
               **names: object) -> ZoomError:
    """This operation's own wording for an error code. Zoom words the same error differently from
    one operation to the next, and some document several messages under one code: `containing`
    picks the one starting with, else holding, that text (any case). {name} and $name placeholders are filled in.
    The status is the one given, else the documented one, else 400."""
    needle = containing.lower()
    message, found_status = fallback, None
    candidates = [e for e in ctx.op.errors if e["code"] == code and needle in e["message"].lower()]
    # "Meeting polls disabled" should not pick "Advanced meeting polls disabled": a message that
    # starts with the text wins over one that merely holds it
    candidates.sort(key=lambda e: not e["message"].lower().startswith(needle))
    if candidates:
        message, found_status = candidates[0]["message"], candidates[0]["status"]
    for key, value in names.items():
        message = message.replace("{" + key + "}", str(value)).replace("$" + key, str(value))
    return ZoomError(status or found_status or 400, code, message)
