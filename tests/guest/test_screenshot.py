"""GetInstanceScreenshot: no instance of the emulator has a screen (state only, or a VM
with a serial console only): a Running one answers NotSupported, as the real service
answers for an instance it cannot take a screenshot of; any other status
IncorrectInstanceStatus; both 405, as the API reference lists them."""

from __future__ import annotations

from tests.ecsclient import Ecs


def test_a_screenshot_is_refused_with_the_real_codes(server):
    ecs = Ecs(server)
    instance_id = ecs.run_instance()
    assert ecs.error("GetInstanceScreenshot", RegionId="cn-hangzhou", InstanceId=instance_id) \
        == ("IncorrectInstanceStatus", 405)  # Pending or Starting
    ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Running")
    assert ecs.error("GetInstanceScreenshot", RegionId="cn-hangzhou", InstanceId=instance_id) \
        == ("NotSupported", 405)
    assert ecs.error("GetInstanceScreenshot", RegionId="cn-hangzhou", InstanceId="i-nosuchinstance00000") \
        == ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("GetInstanceScreenshot", RegionId="cn-hangzhou") == ("MissingParameter", 400)
