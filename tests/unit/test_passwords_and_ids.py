import re

import pytest

from ecsemu.domain import passwords
from ecsemu.domain.ids import new_id


@pytest.mark.parametrize("password, windows, valid", [
    ("EcsV587!", False, True), ("Abcd1234", False, True), ("abcd1234!", False, True), ("ABCD!@#$a", False, True),
    ("abcdefgh", False, False), ("Abc12!", False, False), ("A" * 31 + "a1", False, False),
    ("/Abcd1234", False, True), ("/Abcd1234", True, False), ("Abcd 1234!", False, False),
    ("Abcd1234é", False, False), ("()`~!@#$%^&*-_+=|{}[]:;'<>,.?/a1", False, False),
    ("Aa1()`~!@#$%^&*-_+=|{}[]:;'<>,.", False, False), ("Aa1()`~!@#$%^&*-_+=|{}[]:;'<>,", False, True),
])
def test_password_policy(password, windows, valid):
    assert passwords.is_valid(password, windows=windows) is valid


def test_password_hash_is_salted_and_verifies():
    first, second = passwords.hash_password("EcsV587!"), passwords.hash_password("EcsV587!")
    assert first != second and "EcsV587!" not in first
    assert passwords.verify_password("EcsV587!", first) and not passwords.verify_password("EcsV587?", first)


def test_ids_look_real():
    disk_id = new_id("d", "cn-hangzhou")
    assert re.fullmatch(r"d-bp[a-z0-9]{18}", disk_id)
    assert new_id("i", "cn-shanghai").startswith("i-uf")
    assert len({new_id("s", "cn-beijing") for _ in range(1000)}) == 1000
