"""Paging shared by every list: page_size, opaque next_page_token, page_number, totals.

A next_page_token carries the last key of the page it follows (keyset paging), is bound
to the query that produced it, signed, and expires 15 minutes after issue by the app clock.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from zoomsim import jsonio
from zoomsim.errors import ZoomError

TOKEN_TTL = 15 * 60
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 300
MAX_PAGE_NUMBER = 1_000_000  # beyond any list we hold; keeps OFFSET inside the databases' integers
_PAGING_KEYS = frozenset({"page_size", "next_page_token", "page_number"})


def invalid_token() -> ZoomError:
    return ZoomError(400, 300, "The next page token is invalid or expired.")


@dataclass(slots=True)
class Page:
    rows: Sequence[Any]
    page_size: int
    total_records: int
    page_number: int
    next_page_token: str

    @property
    def page_count(self) -> int:
        return -(-self.total_records // self.page_size) if self.page_size else 0

    def envelope(self, key: str, items: list[Any], with_page_number: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "next_page_token": self.next_page_token,
            "page_count": self.page_count,
            "page_size": self.page_size,
            "total_records": self.total_records,
        }
        if with_page_number:
            out["page_number"] = self.page_number
        out[key] = items
        return out


class Pager:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _sign(self, data: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.new(self._key, data, hashlib.sha256).digest()[:12]).decode().rstrip("=")

    def binding(self, scope: str, query: dict[str, Any], filters: Iterable[str] | None = None) -> str:
        """What a token is valid for: the operation, tenant, path and filters (not paging).

        With `filters`, only those query keys count: the ones that change which rows the list
        holds. Anything else (include_fields, extra keys clients repeat) may vary between pages."""
        keys = sorted(query) if filters is None else sorted(k for k in set(filters) if k in query)
        parts = [scope] + [f"{k}={query[k]}" for k in keys if k not in _PAGING_KEYS]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]

    def issue(self, binding: str, cursor: Any, now: float) -> str:
        data = base64.urlsafe_b64encode(jsonio.dumps([binding, cursor, int(now)])).decode().rstrip("=")
        return data + "." + self._sign(data.encode())

    def read(self, token: str, binding: str, now: float) -> Any:
        if not token.isascii():  # compare_digest refuses non-ASCII text (a 500 otherwise)
            raise invalid_token()
        data, _, sig = token.partition(".")
        if not sig or not hmac.compare_digest(self._sign(data.encode()), sig):
            raise invalid_token()
        try:
            bound, cursor, issued = jsonio.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        except Exception as exc:
            raise invalid_token() from exc
        if bound != binding or now - issued > TOKEN_TTL or now < issued - 60:
            raise invalid_token()
        return cursor

    def page_size(self, query: dict[str, Any], maximum: int = MAX_PAGE_SIZE) -> int:
        raw = query.get("page_size")
        if raw in (None, ""):
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except (TypeError, ValueError):
            raise ZoomError(400, 300, "Invalid parameter: page_size.") from None
        if size < 1:
            return DEFAULT_PAGE_SIZE
        return min(size, maximum)

    def paginate(
        self,
        scope: str,
        query: dict[str, Any],
        now: float,
        fetch: Callable[[Any, int, int], Sequence[Any]],
        count: Callable[[], int],
        cursor_of: Callable[[Any], Any],
        maximum: int = MAX_PAGE_SIZE,
        filters: Iterable[str] | None = None,
    ) -> Page:
        """fetch(after_cursor, offset, limit) returns rows in key order; limit is page size + 1.
        `filters` names the query keys a next_page_token is bound to (default: all but paging)."""
        size = self.page_size(query, maximum)
        binding = self.binding(scope, query, filters)
        token = query.get("next_page_token") or ""
        page_number = 1
        after = None
        offset = 0
        if token:
            after = self.read(str(token), binding, now)
        elif query.get("page_number") not in (None, ""):
            try:
                page_number = min(max(1, int(query["page_number"])), MAX_PAGE_NUMBER)
            except (TypeError, ValueError):
                raise ZoomError(400, 300, "Invalid parameter: page_number.") from None
            offset = (page_number - 1) * size
        rows = list(fetch(after, offset, size + 1))
        next_token = ""
        if len(rows) > size:
            rows = rows[:size]
            next_token = self.issue(binding, cursor_of(rows[-1]), now)
        return Page(rows, size, count(), page_number, next_token)

    def paginate_list(self, scope: str, query: dict[str, Any], now: float, items: Sequence[tuple[str, Any]],
                      maximum: int = MAX_PAGE_SIZE, filters: Iterable[str] | None = None) -> Page:
        """A page of a list computed in memory: `items` are (unique sort key, entry); the token
        carries the last key shown (a keyset over the computed order), so a page is the same
        whatever was added before it. The page's rows are the entries."""
        ordered = sorted(items, key=lambda item: item[0])

        def fetch(after: Any, offset: int, limit: int) -> list[tuple[str, Any]]:
            if after is None:
                return ordered[offset:offset + limit]
            return [item for item in ordered if item[0] > str(after)][:limit]

        page = self.paginate(scope, query, now, fetch=fetch, count=lambda: len(ordered),
                             cursor_of=lambda item: item[0], maximum=maximum, filters=filters)
        page.rows = [entry for _, entry in page.rows]
        return page
