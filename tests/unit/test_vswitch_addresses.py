"""Which addresses of a vSwitch's block may be handed out or chosen (the first and the
last three are the vSwitch's), and which one comes next when the block is nearly full."""

import pytest

from ecsemu.domain.network_interfaces import consecutive, first_free, last_usable_offset, usable_in


@pytest.mark.parametrize(("address", "usable"), [
    ("192.168.1.0", False),      # the network address
    ("192.168.1.1", True),       # the first host: not kept as a gateway
    ("192.168.1.252", True),     # the last usable one
    ("192.168.1.253", False),    # the last three are reserved
    ("192.168.1.254", False),
    ("192.168.1.255", False),
    ("192.168.2.1", False),      # outside the block
    ("192.168.1.1/32", False),
    ("not-an-ip", False),
    ("", False),
    ("fd00::1", False),
])
def test_usable_addresses_of_a_24(address, usable):
    assert usable_in("192.168.1.0/24", address) is usable


def test_a_28_has_twelve_addresses_to_hand_out_then_none():
    block = "10.0.0.16/28"
    assert last_usable_offset(block) == 12
    handed = []
    while (address := first_free(block, handed)) is not None:
        handed.append(address)
    assert handed == [f"10.0.0.{n}" for n in range(17, 29)]
    assert first_free(block, handed[:3] + handed[4:]) == "10.0.0.20"   # a released one comes back


def test_consecutive_addresses():
    assert consecutive("172.16.0.254", 3) == ["172.16.0.254", "172.16.0.255", "172.16.1.0"]
    assert consecutive("255.255.255.254", 3) is None
    assert consecutive("nope", 1) is None
