"""Boot benchmark: how long StartInstance takes to Running with ``--instances qemu``, and
how much memory one running instance's VM holds.

Why: an instance is Running only once its guest is up (the boot record on its serial
console), so a test that starts instances waits for a real boot; the target is under 20 s
with TCG (no KVM) on 2 cores. The VM's resident memory bounds how many instances a laptop
or a CI machine can run at once.

How: an in-process server (``EmulatorServer``, ``--transitions instant``, qcow2 storage in
a temporary data dir) runs one instance of the public busybox image (its image built
first, outside the timing); it is stopped, then --runs times started and timed from the
StartInstance call to the first DescribeInstances that says Running (polled every 0.1 s)
and stopped again (ForceStop). The figure is the median; the memory is the QEMU process's
VmRSS once Running.

    python bench/boot.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.ecsclient import Ecs

from ecsemu.config import Config
from ecsemu.guest.image import BOOTABLE_IMAGE_ID
from ecsemu.testing import EmulatorServer


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecsemu-boot-") as data_dir:
        config = Config(data_dir=Path(data_dir), instances="qemu", transitions="instant", storage="qcow2")
        with EmulatorServer(config) as server:
            ecs = Ecs(server)
            instance_id = ecs.run_instance(ImageId=BOOTABLE_IMAGE_ID, InstanceType="ecs.g7.large")
            status = lambda: ecs.instance(instance_id)["Status"]  # noqa: E731
            ecs.wait(status, "Running", timeout=120)
            ecs("StopInstance", InstanceId=instance_id, ForceStop=True)
            ecs.wait(status, "Stopped", timeout=30)
            boots, memory = [], []
            for _ in range(args.runs):
                started = time.monotonic()
                ecs("StartInstance", InstanceId=instance_id)
                ecs.wait(status, "Running", timeout=120)
                boots.append(time.monotonic() - started)
                memory.append(rss_mib(server.emulator.instances.running()[instance_id]))
                ecs("StopInstance", InstanceId=instance_id, ForceStop=True)
                ecs.wait(status, "Stopped", timeout=30)
    print(f"StartInstance to Running: median {statistics.median(boots):.1f} s "
          f"(runs: {', '.join(f'{b:.1f}' for b in boots)})")
    print(f"QEMU resident memory once Running: median {statistics.median(memory):.0f} MiB "
          f"(runs: {', '.join(f'{m:.0f}' for m in memory)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
