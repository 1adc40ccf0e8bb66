"""How long transitional states last, per mode.

- ``realistic`` (default): short real delays, so wait loops see Stopping, Attaching,
  ReIniting, a snapshot ``progressing``;
- ``instant``: every delay is zero: a change is complete before the next request sees it;
- ``manual``: realistic delays on a clock that moves only when told to
  (``POST /_ecsemu/clock/advance``), for tests that step through states.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

MODES = ("realistic", "instant", "manual")


@dataclass(frozen=True)
class Delays:
    """Seconds each transitional state lasts in realistic and manual modes."""

    instance_pending: float = 1.0    # Pending -> Starting (RunInstances) / Stopped (CreateInstance)
    instance_starting: float = 2.0   # Starting -> Running
    instance_stopping: float = 2.0   # Stopping -> Stopped
    disk_creating: float = 1.0       # Creating -> Available
    disk_attaching: float = 1.0      # Attaching -> In_use
    disk_detaching: float = 1.0      # Detaching -> Available
    disk_reiniting: float = 2.0      # ReIniting -> In_use
    disk_modifying: float = 3.0      # Modifying -> In_use / Available (ModifyDiskSpec)
    snapshot: float = 4.0            # progressing -> accomplished
    image: float = 4.0               # Creating -> Available
    eni_attaching: float = 1.0       # an ENI's Attaching -> InUse
    eni_detaching: float = 1.0       # an ENI's Detaching -> Available
    vpc_pending: float = 2.0         # a VPC's Pending -> Available (CreateVpc)
    vswitch_pending: float = 1.0     # a vSwitch's Pending -> Available (CreateVSwitch)

    def zero(self) -> Delays:
        return Delays(**{f.name: 0.0 for f in dataclasses.fields(self)})

    def with_overrides(self, overrides: dict[str, float]) -> Delays:
        """``{"disk_reiniting": 5}`` -> a copy with that delay; unknown names are refused."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise ValueError(f"unknown delay {', '.join(sorted(unknown))}; known: {', '.join(sorted(names))}")
        return dataclasses.replace(self, **overrides)

    @staticmethod
    def parse_override(text: str) -> tuple[str, float]:
        """``NAME=SECONDS`` as given to ``--delay``."""
        name, sep, value = text.partition("=")
        if not sep:
            raise ValueError(f"--delay takes NAME=SECONDS, got {text!r}")
        seconds = float(value)
        if seconds < 0:
            raise ValueError(f"--delay {name}: seconds must not be negative")
        return name.strip(), seconds
