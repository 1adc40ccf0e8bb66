"""A throwaway Ceph cluster for tests: scripts/ceph-dev (one monitor, one OSD on a file,
replication 1, the pool ``ecsemu``), started once a session. Each caller gets an RBD
namespace of its own, as each emulator's database does."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "ceph-dev"
TOOLS = ("ceph-mon", "ceph-osd", "ceph", "rbd", "monmaptool")
POOL = "ecsemu"


def ceph_installed() -> bool:
    return all(shutil.which(tool) for tool in TOOLS)


class CephCluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ecsemu-ceph-"))
        self.conf: Path | None = None
        self._names = itertools.count(1)

    def start(self) -> CephCluster:
        done = subprocess.run([str(SCRIPT), "start", str(self.root)], capture_output=True, text=True, timeout=180)
        if done.returncode:
            raise RuntimeError(f"scripts/ceph-dev start failed: {done.stderr.strip()}")
        self.conf = Path(done.stdout.strip().splitlines()[-1])
        return self

    def stop(self) -> None:
        subprocess.run([str(SCRIPT), "stop", str(self.root)], capture_output=True, timeout=60)

    def new_namespace(self) -> str:
        return f"test-{next(self._names)}"

    def serve_args(self) -> list[str]:
        """What `ecsemu serve` needs to keep disk bytes in this cluster."""
        return ["--storage", "rbd", "--ceph-conf", str(self.conf), "--rbd-pool", POOL]


def storage_options(request, backend: str) -> dict:
    """Config(...) keywords for ``backend``; for rbd, the session's cluster (the ``ceph`` fixture)."""
    if backend != "rbd":
        return {"storage": backend}
    from ecsemu.storage import CephSettings
    return {"storage": "rbd", "ceph": CephSettings(conf=request.getfixturevalue("ceph").conf)}
