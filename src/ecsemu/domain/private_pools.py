"""Private pools (elasticity assurances, capacity reservations) an instance may draw from.
The emulator sells neither, so no pool exists: an instance matches open pools (Open, and
finds none) or none (None); one naming a pool (Target) names one that does not exist."""

from __future__ import annotations

MATCH_CRITERIA = ("Open", "Target", "None")
DEFAULT_MATCH_CRITERIA = "None"
TARGET = "Target"
