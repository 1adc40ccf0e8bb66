"""The console's traffic chart (traffic.mjs) follows the calls a client makes: its figures
of calls and errors move, and its lines are drawn."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.ecsclient import Ecs


def figures(page) -> tuple[int, int]:
    shown = page.locator("#traffic-figures")
    return int(shown.get_attribute("data-requests")), int(shown.get_attribute("data-errors"))


def test_chart_figures_move_with_calls(page, web_server):
    page.click('nav.views a[data-view="console"]')
    expect(page.locator("#traffic-figures")).to_have_attribute("data-requests", re.compile(r"^\d+$"))
    requests, errors = figures(page)
    ecs = Ecs(web_server)
    for _ in range(3):
        ecs("DescribeRegions")
    for _ in range(2):
        assert ecs.error("DeleteDisk", DiskId="d-nothere") == ("InvalidDiskId.NotFound", 404)
    # The console's own calls count too: at least what this test made, and its errors exactly.
    # (The page's policy allows no eval, so Python polls what it shows.)
    deadline = time.monotonic() + 10
    while not (figures(page)[0] >= requests + 5 and figures(page)[1] == errors + 2):
        assert time.monotonic() < deadline, (figures(page), requests, errors)
        page.wait_for_timeout(200)
    expect(page.locator("#traffic-figures")).to_contain_text(f"{errors + 2} errors since the start")
    errors_line = page.locator("#traffic-chart polyline.errors")
    while len(points := errors_line.get_attribute("points").split(" ")) < 2:  # a line: two polls at least
        assert time.monotonic() < deadline, points
        page.wait_for_timeout(200)
    heights = [float(point.split(",")[1]) for point in points]
    assert len(points) >= 2 and min(heights) < 59, points  # the errors lifted their line off the floor


def test_chart_stops_polling_off_the_console(page, web_server):
    page.click('nav.views a[data-view="console"]')
    expect(page.locator("#traffic-figures")).to_have_attribute("data-requests", re.compile(r"^\d+$"))
    page.click('nav.views a[data-view="errors"]')
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "web/traffic.json" in request.url else None)
    page.wait_for_timeout(2500)
    assert polls == []
