"""Dashboard coverage page over HTTP (both backends) and in Chromium: one row per API family
with `zoomsim coverage`'s numbers and a progress bar, each family's operations (method, path,
operationId, scopes) folded in a <details>, and the login guard."""
from __future__ import annotations

import html as htmllib
import re
from typing import Any

import httpx
from support import Server
from ui_kit import UI, Dashboard, browser, dashboard, page, shot  # noqa: F401
from zoomsim.cli import FAMILY_LABELS, coverage_rows
from zoomsim.optable import load_operations


def test_families_show_the_cli_numbers(dashboard: Dashboard) -> None:  # noqa: F811
    r = dashboard.get("/coverage")
    assert r.status_code == 200, r.text
    shown = re.findall(r'<tr class="family" data-family="(\w+)">\s*<td>([^<]+)</td>\s*<td class="num done">(\d+)</td>'
                       r'\s*<td class="num total">(\d+)</td>', r.text)
    family_of = {label: family for family, label in FAMILY_LABELS.items()}
    assert [(f, htmllib.unescape(label), int(d), int(t)) for f, label, d, t in shown] == \
        [(family_of[label], label, done, total) for label, done, total, _ in coverage_rows()]
    done = sum(r[1] for r in coverage_rows())
    total = sum(r[2] for r in coverage_rows())
    assert re.search(rf"<strong>{done}</strong></td><td class=\"num\"><strong>{total}</strong>", r.text)
    assert f'style="width: {round(100 * done / total)}%"' in r.text


def test_each_family_lists_its_operations(dashboard: Dashboard) -> None:  # noqa: F811
    page_html = dashboard.get("/coverage").text
    for family in FAMILY_LABELS:
        block = re.search(rf'<details class="card ops" id="family-{family}">(.*?)</details>', page_html, re.S)
        assert block, family
        ops = [op for op in load_operations() if op.family == family]
        assert block.group(1).count("<tr") - 1 == len(ops)       # a header row, then one per operation
    meetings = re.search(r'<details class="card ops" id="family-meetings">(.*?)</details>', page_html, re.S)
    assert meetings
    create = re.search(r"<tr>\s*<td><span class=\"method m-post\">POST</span></td>\s*<td><code[^>]*>"
                       r"/v2/users/\{userId\}/meetings</code></td>\s*<td><code>meetingCreate</code></td>(.*?)</tr>",
                       meetings.group(1), re.S)
    assert create and '<code class="scope">meeting:write</code>' in create.group(1)
    assert "implemented" in create.group(1)
    missing = [label for label, done, total, _ in coverage_rows() if done < total]
    assert missing and page_html.count('<span class="badge warn">missing</span>') == \
        sum(total - done for _, done, total, _ in coverage_rows())


def test_not_signed_in_goes_to_login(server: Server) -> None:
    r = httpx.get(server.url + UI + "/coverage", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(UI + "/login?next=")


def test_coverage_in_the_browser(page: Any) -> None:  # noqa: F811
    page.goto(UI + "/")
    page.click(f'header nav a[href="{UI}/coverage"]')
    page.wait_for_url(f"**{UI}/coverage")
    ops = page.locator("#family-meetings table")
    assert not ops.is_visible()
    page.locator("#family-meetings summary").click()
    ops.wait_for(state="visible")
    assert ops.locator("code", has_text="meetingCreate").count() == 1
    shot(page, "coverage")
