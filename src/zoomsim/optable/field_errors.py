"""Where an operation documents its own error for a field the request validator refuses, that
error answers instead of the generic 300 "Validation Failed." (data, by operationId and the
field's path as the validator names it). `{value}` is the refused value."""
from __future__ import annotations

from typing import Any

from zoomsim.errors import ZoomError

_SCOPE = (400, 1500, "The subscription scope is invalid.")
_HEADER_TYPE = (404, 1801, "The custom header type validate failed: {value}.")
_HEADER_KEY = (400, 1500, "The custom header key can only contain letters, numbers, and -.")

FIELD_ERRORS: dict[str, dict[str, tuple[int, int, str]]] = {
    "getWebhookLogs": {
        "retry_num": (400, 1506, "The 'retry_num' value must be an integer within the range of 0 to 3."),
        "type": (400, 300, "Invalid parameter: type."),
    },
    "createEventSubscription": {
        "subscription_scope": _SCOPE,
        "custom_header.custom_header_type": _HEADER_TYPE,
        "custom_header.custom_header_key": _HEADER_KEY,
        "custom_header.username": (400, 1500, "The length of username exceeds the limit of 256"),
        "custom_header.password": (400, 1500, "The length of password exceeds the limit of 256"),
        "custom_header.client_id": (400, 1500, "The length of client id exceeds the limit of 256."),
        "custom_header.client_secret": (400, 1500, "The length of client secret exceeds the limit of 256."),
        "custom_header.token_url": (400, 1500, "The length of token url exceeds the limit of 1000."),
        "custom_header.scope": (400, 1500, "The length of scope exceeds the limit of 255."),
        "custom_header.state": (400, 1500, "The length of state exceeds the limit of 255."),
        "custom_header.custom_header_value": (400, 1500, "The length of header value exceeds the limit of 256"),
        "custom_header.client_authentication": (400, 1500, "Client authentication must be 'header' or 'body'."),
    },
    "getUserEventSubscriptions": {"subscription_scope": _SCOPE},
    "Getapicalllogs": {"page_size": (400, 300, "Page size is not valid")},
}


def documented(op_id: str, err: ZoomError, given: Any) -> ZoomError:
    """`err` (a validation failure) as the operation documents its first refused field, if it does."""
    mine = FIELD_ERRORS.get(op_id)
    if not mine or err.code != 300 or not err.errors:
        return err
    field = str(err.errors[0].get("field") or "")
    found = mine.get(field)
    if found is None:
        return err
    value: Any = given
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    status, code, message = found
    return ZoomError(status, code, message.replace("{value}", str(value)))
