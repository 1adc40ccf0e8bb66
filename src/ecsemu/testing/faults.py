"""Fault rules from a test: ``FaultRules`` adds them through the control plane
(``POST /_ecsemu/faults``) and clears the ones it added. The pytest fixture
``ecsemu_faults`` is one, cleared after each test.

    def test_retries(ecsemu_faults, ecsemu_acs_client):
        rule = ecsemu_faults.add(Action="DescribeDisks", Error="ServiceUnavailable", Count=2)
        ...
        assert ecsemu_faults.get(rule["RuleId"])["Injected"] == 2
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


class FaultRuleRefused(Exception):
    """The emulator refused a rule: ``code`` and ``message`` are its answer's."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class FaultRules:
    """The fault rules of the emulator at ``url`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, url: str, control_token: str | None = None) -> None:
        self._url = url.rstrip("/") + "/_ecsemu/faults"
        self._token = control_token
        self._added: list[str] = []

    def add(self, **rule: Any) -> dict[str, Any]:
        """A rule, its fields as in the JSON body (``Action="Describe*", Error="Throttling",
        Count=2``); returns it with its ``RuleId``. FaultRuleRefused when it is no rule."""
        added = self._call("POST", "", rule)
        self._added.append(added["RuleId"])
        return added

    def list(self) -> list[dict[str, Any]]:
        """Every rule of the emulator, with Matches, Injected, Remaining and Active."""
        return self._call("GET", "")["Rules"]

    def get(self, rule_id: str) -> dict[str, Any]:
        return next(rule for rule in self.list() if rule["RuleId"] == rule_id)

    def remove(self, rule_id: str) -> None:
        self._call("DELETE", f"/{rule_id}")

    def clear(self) -> None:
        """Removes the rules this object added (those still there)."""
        while self._added:
            try:
                self.remove(self._added.pop())
            except FaultRuleRefused as exc:
                if exc.status != 404:
                    raise

    def _call(self, method: str, path: str, body: dict | None = None) -> Any:
        headers = {"Content-Type": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        request = urllib.request.Request(self._url + path, method=method, headers=headers,
                                         data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            answer = json.loads(exc.read() or b"{}")
            raise FaultRuleRefused(exc.code, answer.get("Code", ""), answer.get("Message", "")) from None
