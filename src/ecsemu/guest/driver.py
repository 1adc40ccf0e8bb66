"""The instance driver of ``--instances none`` (the default): instances are state only, no
guest runs, so none has a Cloud Assistant agent to talk to."""

from __future__ import annotations

from pathlib import Path


class NoGuests:
    """The driver when no instance runs a guest."""

    def agent_socket(self, instance_id: str) -> Path | None:
        """The unix socket of the instance's agent port: never, here."""
        return None
