"""ModifyDiskSpec's rules over plain values: which category and performance level a disk
may take, and the size each needs (catalog/disk_categories.py holds the matrix)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import errors
from ..catalog.disk_categories import BY_NAME, ESSD, spec_targets
from .disks import PERFORMANCE_LEVELS, data_size_range, system_size_range

DEFAULT_LEVEL = "PL1"      # an ESSD's level when the request names none
LOWEST_LEVEL = "PL0"       # a pay-as-you-go ESSD is never changed down to it


@dataclass(frozen=True)
class Spec:
    category: str
    level: str | None    # ESSD only


@dataclass(frozen=True)
class DiskFacts:
    """What of a disk the rules read."""
    spec: Spec
    size: int
    system: bool
    subscription: bool


def target(current: Spec, category: str | None, level: str | None) -> Spec:
    """The spec a request asks for: an absent category keeps the disk's; an ESSD keeps its
    level unless one is named, and a disk that becomes an ESSD gets PL1 by default."""
    wanted = category or current.category
    if wanted != ESSD:
        return Spec(wanted, level)   # a level here is refused by ``check``
    if level is None:
        level = current.level if current.category == ESSD else DEFAULT_LEVEL
    return Spec(wanted, level)


def check(disk: DiskFacts, wanted: Spec) -> None:
    """Raises the error the real service answers for a change it refuses; in this order:
    the category's own, the level's, nothing to change, the size."""
    current = disk.spec
    if wanted.category != current.category:
        if not spec_targets(current.category):
            raise errors.SPEC_OPERATION_DENIED()
        if wanted.category not in spec_targets(current.category):
            raise errors.SPEC_CATEGORY_NOT_SUPPORTED()
        if disk.subscription and _speed(wanted.category) > _speed(current.category):
            raise errors.SPEC_OPERATION_DENIED()   # a subscription disk only goes up
    if wanted.level is not None and wanted.category != ESSD:
        raise errors.SPEC_OPERATION_DENIED()       # levels are an ESSD's
    if wanted == current:
        raise errors.SPEC_UNCHANGED()
    if current.category == ESSD == wanted.category and wanted.level != current.level:
        lower = _rank(wanted.level) < _rank(current.level)
        if lower and (disk.subscription or wanted.level == LOWEST_LEVEL):
            raise errors.SPEC_OPERATION_DENIED()
    sizes = (system_size_range if disk.system else data_size_range)(wanted.category, wanted.level)
    if disk.size not in sizes:
        if wanted.category == ESSD and disk.size < sizes.minimum:
            raise errors.SPEC_LEVEL_SIZE_MISMATCH()
        raise errors.INVALID_DISK_SIZE()


def _speed(category: str) -> int:
    speed = BY_NAME[category].speed
    assert speed is not None, f"{category} has no place in the spec order"
    return speed


def _rank(level: str | None) -> int:
    return PERFORMANCE_LEVELS.index(level or DEFAULT_LEVEL)
