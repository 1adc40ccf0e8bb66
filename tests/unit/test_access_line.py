"""The access line shows every further field of the gateway's Outcome once it is set, in
both formats (serve --log-format)."""

from __future__ import annotations

import json
import logging

from ecsemu import gateway
from ecsemu.access_line import as_json, as_text
from ecsemu.wire.render import WireResponse
from ecsemu.wire.request import build_request


def line_of(outcome, render, caplog) -> str:
    request = build_request("GET", "/", b"", [], b"", "http")
    response = WireResponse(503, "application/json", b"{}")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="ecsemu.access"):
        gateway._log_access(request, response, outcome, 0.0015, render)
    (record,) = caplog.records
    return record.getMessage()


def test_further_fields_appear_once_set(caplog):
    plain = gateway.Outcome("RID", action="StopInstance", code="ServiceUnavailable")
    assert json.loads(line_of(plain, as_json, caplog)) == {
        "RequestId": "RID", "Action": "StopInstance", "Account": None, "Status": 503,
        "Code": "ServiceUnavailable", "LatencyMs": 1.5}
    noted = gateway.Outcome("RID", action="StopInstance", code="ServiceUnavailable", fault="rule-1 error",
                         idempotency="replayed")
    assert json.loads(line_of(noted, as_json, caplog))["Fault"] == "rule-1 error"
    assert json.loads(line_of(noted, as_json, caplog))["Idempotency"] == "replayed"
    assert line_of(noted, as_text, caplog) == ('RequestId=RID Action=StopInstance Account= Status=503 '
                                               'Code=ServiceUnavailable LatencyMs=1.5 Idempotency=replayed '
                                               'Fault="rule-1 error"')
