"""A host without what the bootable public image is built from (a kernel, a static busybox,
mkfs.ext4) answers a launch from that image with ServiceUnavailable, and makes nothing;
the log names the Debian package to install."""

from __future__ import annotations

import logging

from ecsemu.guest import image
from ecsemu.guest.image import BOOTABLE_IMAGE_ID, GuestImageMissing
from tests.ecsclient import REGION


def test_a_launch_from_the_bootable_image_without_its_packages_is_refused(ecs, monkeypatch, caplog):
    def no_kernel():
        raise GuestImageMissing("a Linux kernel is needed to boot instances: install the Debian package "
                                "linux-image-amd64")
    monkeypatch.setattr(image, "_kernel", no_kernel)
    before = ecs("DescribeInstances", RegionId=REGION, PageSize=100)["TotalCount"]
    with caplog.at_level(logging.WARNING, logger="ecsemu.gateway"):
        assert ecs.error("RunInstances", RegionId=REGION, ImageId=BOOTABLE_IMAGE_ID, InstanceType="ecs.g7.large",
                         SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch()) \
            == ("ServiceUnavailable", 503)
    assert ecs("DescribeInstances", RegionId=REGION, PageSize=100)["TotalCount"] == before
    assert "install the Debian package linux-image-amd64" in caplog.text
