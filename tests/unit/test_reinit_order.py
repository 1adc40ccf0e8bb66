"""ReInitDisk's order of checks (docs/reinitdisk.md), as a table over plain values: no HTTP,
no database. Each row breaks one condition; breaking it together with every later one
must still answer its code, which is what "the first condition that fails decides" means.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ecsemu import errors
from ecsemu.actions import all_actions
from ecsemu.domain.reinit import Credentials, DiskFacts, ImageFacts, InstanceFacts, ReInitFacts, first_error
from ecsemu.domain.snapshots import OLDEST_USABLE_SNAPSHOT, SnapshotState

NEW = OLDEST_USABLE_SNAPSHOT + 86400

SYSTEM = ReInitFacts(disk=DiskFacts("In_use", system=True, source_image_id="m-1"), instance=InstanceFacts(),
                     image=ImageFacts(public=True))
FROM_SNAPSHOT = ReInitFacts(disk=DiskFacts("In_use", system=False, source_snapshot_id="s-1"),
                            instance=InstanceFacts(), source_snapshot=SnapshotState("accomplished", NEW))
EMPTY_DATA = ReInitFacts(disk=DiskFacts("In_use", system=False), instance=InstanceFacts())


def _disk(**changes):
    return lambda f: f if f.disk is None else replace(f, disk=replace(f.disk, **changes))


def _instance(**changes):
    return lambda f: replace(f, instance=replace(f.instance, **changes))


def _credentials(**changes):
    return lambda f: replace(f, credentials=replace(f.credentials, **changes))


def _facts(**changes):
    return lambda f: replace(f, **changes)


# (docs step, what is broken, how, the answer), in the documented order.
SYSTEM_ORDER = [
    ("2", "no such disk", _facts(disk=None), errors.DISK_NOT_FOUND),
    ("3", "disk Available", _disk(status="Available"), errors.INCORRECT_DISK_STATUS),
    ("3", "disk ReIniting", _disk(status="ReIniting"), errors.INCORRECT_DISK_STATUS),
    ("4", "security lock", _instance(locks=("security",)), errors.INSTANCE_LOCKED_FOR_SECURITY_DISK),
    ("4", "financial lock", _instance(locks=("financial",)), errors.INSTANCE_EXPIRED_OR_IN_ARREARS),
    ("5", "instance Running", _instance(status="Running"), errors.INCORRECT_INSTANCE_STATUS),
    ("6", "never started", _instance(ever_started=False), errors.INCORRECT_INSTANCE_STATUS),
    ("7", "snapshot progressing", _facts(snapshot_in_progress=True), errors.DISK_CREATING_SNAPSHOT),
    ("8", "attached Bootable: no image", _disk(source_image_id=None), errors.IMAGE_NOT_FOUND),
    ("8", "custom image deleted", _facts(image=None), errors.REINIT_IMAGE_DELETED),
    ("9", "malformed password", _credentials(password="short"), errors.INVALID_PASSWORD),
    ("9", "key pair on Windows", lambda f: _credentials(key_pair_name="kp")(_instance(windows=True)(f)),
     errors.KEY_PAIR_WINDOWS),
    ("9", "unknown key pair", _credentials(key_pair_name="kp", key_pair_exists=False),
     errors.REINIT_KEY_PAIR_NOT_FOUND),
    ("9", "Active on a custom image",
     lambda f: _credentials(security_enhancement="Active")(
         f if f.image is None else _facts(image=ImageFacts(False))(f)),
     errors.INVALID_PARAMETER),
]

DATA_ORDER = [
    ("7", "snapshot progressing", _facts(snapshot_in_progress=True), errors.DISK_CREATING_SNAPSHOT),
    ("8", "source snapshot deleted", _facts(source_snapshot=SnapshotState.gone("deleted")),
     errors.REINIT_SNAPSHOT_DELETED),
]


def _with_later(order, index, base):
    """Break condition ``index`` and every later one; the earliest applied last, so it wins
    where two would set the same fact."""
    facts = base
    for _, _, breaks, _ in reversed(order[index:]):
        facts = breaks(facts)
    return facts


@pytest.mark.parametrize("index", range(len(SYSTEM_ORDER)),
                         ids=[f"{step} {what}" for step, what, _, _ in SYSTEM_ORDER])
def test_system_disk_order(index):
    _, _, breaks, answer = SYSTEM_ORDER[index]
    assert first_error(breaks(SYSTEM)).error == answer, "alone"
    assert first_error(_with_later(SYSTEM_ORDER, index, SYSTEM)).error == answer, "with every later one"


@pytest.mark.parametrize("index", range(len(DATA_ORDER)), ids=[f"{s} {w}" for s, w, _, _ in DATA_ORDER])
def test_data_disk_order(index):
    _, _, breaks, answer = DATA_ORDER[index]
    assert first_error(breaks(FROM_SNAPSHOT)).error == answer
    assert first_error(_with_later(DATA_ORDER, index, FROM_SNAPSHOT)).error == answer


@pytest.mark.parametrize("snapshot, answer", [
    (SnapshotState.gone("deleted"), errors.REINIT_SNAPSHOT_DELETED),          # DeleteSnapshot
    (SnapshotState.gone("expired"), errors.REINIT_SNAPSHOT_RELEASED),         # RetentionDays ran out
    (SnapshotState("accomplished", OLDEST_USABLE_SNAPSHOT - 1), errors.REINIT_SNAPSHOT_TOO_OLD),
    (SnapshotState("accomplished", NEW), None),
])
def test_what_a_disk_from_a_snapshot_goes_back_to(snapshot, answer):
    error = first_error(replace(FROM_SNAPSHOT, source_snapshot=snapshot))
    assert (error and error.error) == answer


def test_the_invalid_parameter_names_security_enhancement():
    error = first_error(replace(SYSTEM, image=ImageFacts(public=False),
                                credentials=Credentials(security_enhancement="Active")))
    assert error.message == 'The specified parameter "SecurityEnhancementStrategy" is not valid.'


@pytest.mark.parametrize("facts", [SYSTEM, FROM_SNAPSHOT, EMPTY_DATA], ids=["system", "from snapshot", "empty data"])
def test_nothing_broken_passes(facts):
    assert first_error(facts) is None


def test_windows_password_may_not_start_with_a_slash():
    windows = replace(SYSTEM, instance=InstanceFacts(windows=True))
    assert first_error(replace(windows, credentials=Credentials(password="/Abcdefg12"))).error == \
        errors.INVALID_PASSWORD
    assert first_error(replace(windows, credentials=Credentials(password="Abcdefg12/"))) is None


def test_credentials_are_not_used_on_data_disks():
    asked = Credentials(password="short", key_pair_name="kp", security_enhancement="Active")
    assert first_error(replace(EMPTY_DATA, credentials=asked)) is None
    assert first_error(replace(FROM_SNAPSHOT, credentials=asked)) is None


# Step 1 is the declaration's, before the handler: parsed without HTTP either.
@pytest.mark.parametrize("raw, answer", [
    ({}, errors.MISSING_PARAMETER),
    ({"AutoStartInstance": "maybe"}, errors.MISSING_PARAMETER),  # DiskId first
    ({"DiskId": "d-1", "AutoStartInstance": "maybe"}, errors.INVALID_PARAMETER),
    ({"DiskId": "d-1", "SecurityEnhancementStrategy": "Strong"}, errors.INVALID_PARAMETER),
])
def test_step_1_parameters(raw, answer):
    with pytest.raises(errors.EcsError) as raised:
        all_actions()["ReInitDisk"].parse(raw)
    assert raised.value.error.code == answer.code


def test_step_1_accepts_the_documented_values():
    args = all_actions()["ReInitDisk"].parse({"DiskId": "d-1", "AutoStartInstance": "true",
                                              "SecurityEnhancementStrategy": "Active"})
    assert (args["AutoStartInstance"], args["SecurityEnhancementStrategy"]) == (True, "Active")
