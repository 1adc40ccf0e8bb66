"""The console lists the fault rules that still apply: one added through the control plane
appears with what it matches, its effect and its uses left; cleared, it goes."""

from __future__ import annotations

from playwright.sync_api import expect

from ecsemu.testing.faults import FaultRules


def test_the_console_lists_a_rule_added_through_the_api(page, web_server):
    rules = FaultRules(web_server.url)
    try:
        rule = rules.add(Action="StopInstance", ResourceId="i-web", Error="ServiceUnavailable", Count=3)
        held = rules.add(Action="Describe*", Product="ECS", Parameters={"RegionId": "cn-beijing"},
                         HoldSeconds=30, Probability=0.5, Seed=7)
        page.click('nav.views a[data-view="console"]')
        row = page.locator(f'#table-faults tr[data-rule="{rule["RuleId"]}"]')
        expect(row).to_contain_text("StopInstance")
        expect(row).to_contain_text("resource i-web")
        expect(row).to_contain_text("ServiceUnavailable (503)")
        expect(row).to_contain_text("every match, 3 left")
        held_row = page.locator(f'#table-faults tr[data-rule="{held["RuleId"]}"]')
        expect(held_row).to_contain_text("RegionId=cn-beijing")
        expect(held_row).to_contain_text("hold 30 s")
        expect(held_row).to_contain_text("p=0.5, seed 7, until cleared")
        rules.clear()
        page.click("#console-refresh")
        expect(page.locator("#table-faults")).to_have_count(0)
    finally:
        rules.clear()
