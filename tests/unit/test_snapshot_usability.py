"""The one rule for whether a snapshot can be used, and the code each action answers."""

from datetime import UTC, datetime

import pytest

from ecsemu import errors
from ecsemu.domain.snapshots import (
    MAX_USER_SNAPSHOTS_PER_DISK,
    OLDEST_USABLE_SNAPSHOT,
    Purpose,
    SnapshotState,
    check_usable,
    copy_refused,
    unusable,
)

NEW = OLDEST_USABLE_SNAPSHOT + 86400
OLD = OLDEST_USABLE_SNAPSHOT - 86400

READY = SnapshotState("accomplished", NEW)
PROGRESSING = SnapshotState("progressing", NEW)
FAILED = SnapshotState("failed", NEW)
TOO_OLD = SnapshotState("accomplished", OLD)
OLD_AND_PROGRESSING = SnapshotState("progressing", OLD)
MISSING = SnapshotState.gone()
DELETED = SnapshotState.gone("deleted")
EXPIRED = SnapshotState.gone("expired")

CD, CI, LD, RS, RI, CP = (Purpose.CREATE_DISK, Purpose.CREATE_IMAGE, Purpose.LAUNCH_DATA_DISK, Purpose.RESET_DISK,
                          Purpose.REINIT_DISK, Purpose.COPY_SNAPSHOT)

TABLE = [
    # purpose, snapshot, answer
    (CD, READY, None), (CD, MISSING, errors.SNAPSHOT_NOT_FOUND), (CD, EXPIRED, errors.SNAPSHOT_NOT_FOUND),
    (CD, PROGRESSING, errors.SNAPSHOT_CREATION_NOT_READY), (CD, FAILED, errors.SNAPSHOT_CREATION_NOT_READY),
    (CD, TOO_OLD, errors.SNAPSHOT_TOO_OLD_FOR_DISK), (CD, OLD_AND_PROGRESSING, errors.SNAPSHOT_CREATION_NOT_READY),
    (CI, READY, None), (CI, MISSING, errors.SNAPSHOT_NOT_FOUND),
    (CI, PROGRESSING, errors.IMAGE_SNAPSHOT_NOT_READY), (CI, TOO_OLD, errors.IMAGE_SNAPSHOT_TOO_OLD),
    (LD, READY, None), (LD, MISSING, errors.DATA_DISK_SNAPSHOT_NOT_FOUND),
    (LD, PROGRESSING, errors.SNAPSHOT_ID_NOT_READY),
    (LD, TOO_OLD, None),  # RunInstances/CreateInstance name no such error for DataDisk.N.SnapshotId
    (RS, READY, None), (RS, MISSING, errors.SNAPSHOT_NOT_FOUND), (RS, DELETED, errors.SNAPSHOT_NOT_FOUND),
    (RS, PROGRESSING, errors.SNAPSHOT_ID_NOT_READY), (RS, TOO_OLD, errors.RESET_SNAPSHOT_TOO_OLD),
    (RI, READY, None), (RI, DELETED, errors.REINIT_SNAPSHOT_DELETED), (RI, EXPIRED, errors.REINIT_SNAPSHOT_RELEASED),
    (RI, MISSING, errors.REINIT_SNAPSHOT_DELETED),  # gone with no record of why: as if deleted
    (RI, TOO_OLD, errors.REINIT_SNAPSHOT_TOO_OLD),
    (RI, PROGRESSING, None),  # a disk was made from it, so it was accomplished: not asked again
    (CP, READY, None), (CP, MISSING, errors.COPY_SOURCE_NOT_FOUND), (CP, EXPIRED, errors.COPY_SOURCE_NOT_FOUND),
    (CP, PROGRESSING, errors.SNAPSHOT_ID_NOT_READY), (CP, FAILED, errors.SNAPSHOT_ID_NOT_READY),
    (CP, TOO_OLD, None),  # CopySnapshot names no such error: the bytes copy whatever their age
]


def _case_id(purpose, snapshot) -> str:
    state = snapshot.status or snapshot.released or "gone"
    return f"{purpose.name}-{state}-{int(snapshot.created_at < OLDEST_USABLE_SNAPSHOT)}"


@pytest.mark.parametrize("purpose, snapshot, answer", TABLE, ids=[_case_id(p, s) for p, s, _ in TABLE])
def test_answer(purpose, snapshot, answer):
    assert unusable(purpose, snapshot) == answer


def test_every_purpose_is_in_the_table():
    assert {purpose for purpose, _, _ in TABLE} == set(Purpose)


def test_check_usable_raises_the_answer():
    check_usable(CD, READY)
    with pytest.raises(errors.EcsError) as raised:
        check_usable(CD, TOO_OLD)
    assert raised.value.error == errors.SNAPSHOT_TOO_OLD_FOR_DISK


def test_the_oldest_usable_day_is_2013_07_15():
    assert datetime.fromtimestamp(OLDEST_USABLE_SNAPSHOT, UTC).isoformat() == "2013-07-15T00:00:00+00:00"


@pytest.mark.parametrize("in_progress, there, answer", [
    (False, 0, None), (False, MAX_USER_SNAPSHOTS_PER_DISK - 1, None),
    (False, MAX_USER_SNAPSHOTS_PER_DISK, errors.COPY_QUOTA_EXCEEDED),
    (True, 0, errors.COPY_UNFINISHED),
    (True, MAX_USER_SNAPSHOTS_PER_DISK, errors.COPY_UNFINISHED),   # the unfinished copy is answered first
])
def test_what_copy_snapshot_answers_of_its_destination(in_progress, there, answer):
    assert copy_refused(in_progress, there) == answer
