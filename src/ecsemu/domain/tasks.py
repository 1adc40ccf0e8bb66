"""Asynchronous tasks (DescribeTasks, DescribeTaskAttribute): the names the API gives them,
and how far one is."""

from __future__ import annotations

from .snapshots import progress_percent
from .status import TASK

# DescribeTasks' TaskAction values (the API's; this emulator makes ImportImage and ExportImage tasks).
TASK_ACTIONS = ("ImportImage", "ExportImage", "RedeployInstance", "ModifyDiskSpec")
STATUSES = TASK.statuses
MAX_TASK_IDS = 100


def progress(status: str, created_at: float, completes_at: float, now: float) -> str:
    """``TaskProcess``: 100% once Finished, rising with time while Processing."""
    as_image = {"Finished": "Available", "Failed": "CreateFailed"}.get(status, "Creating")
    return f"{progress_percent(as_image, created_at, completes_at, now)}%"
