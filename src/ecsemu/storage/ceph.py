"""Reaching a Ceph cluster: Debian's ``rados``/``rbd`` Python bindings (python3-rados,
python3-rbd), and one connection per process.

The bindings are built for Debian's own python3; a venv on another interpreter of the same
minor version has the same ABI, so the two extension modules are loaded from where Debian
installs them, by file, without putting the rest of Debian's dist-packages on the path. The
bindings are used, not the ``rbd`` command: each command connects anew (tens of ms), while a
connection kept open makes a re-clone a few ms (docs/scaling-out.md).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

DEBIAN_DIST = "/usr/lib/python3/dist-packages"
PACKAGES = "Debian: apt-get install python3-rados python3-rbd ceph-common"


class CephUnavailable(Exception):
    """The bindings cannot be loaded, or the cluster cannot be reached."""


def _load(name: str) -> ModuleType:
    """``name`` as installed in this interpreter, else Debian's build of it for this minor version."""
    if name in sys.modules:
        return sys.modules[name]
    try:
        return importlib.import_module(name)
    except ImportError:
        pass
    tag = f"cpython-{sys.version_info.major}{sys.version_info.minor}"
    found = sorted(glob.glob(f"{DEBIAN_DIST}/{name}.{tag}-*.so"))
    if not found:
        raise CephUnavailable(f"the Python module {name} is missing for Python "
                              f"{sys.version_info.major}.{sys.version_info.minor} ({PACKAGES})")
    spec = importlib.util.spec_from_file_location(name, found[0])
    if spec is None or spec.loader is None:
        raise CephUnavailable(f"{found[0]} cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # rbd imports rados by name
    try:
        spec.loader.exec_module(module)
    except ImportError as exc:
        del sys.modules[name]
        raise CephUnavailable(f"{found[0]}: {exc} ({PACKAGES})") from None
    return module


def bindings() -> tuple[Any, Any]:
    """(rados, rbd)."""
    return _load("rados"), _load("rbd")


@dataclass(frozen=True)
class CephSettings:
    """Where disk bytes go with --storage rbd."""

    pool: str = "ecsemu"
    conf: Path | None = None   # None: Ceph's own default (/etc/ceph/ceph.conf, $CEPH_CONF)
    user: str | None = None    # the client name without "client." (None: admin)


class Connection:
    """One cluster connection and I/O context per process, made on first use: a forked
    worker (serve --workers) must not share its parent's librados threads."""

    def __init__(self, settings: CephSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._pid = 0
        self._cluster: Any = None
        self._ioctx: Any = None

    def ioctx(self, namespace: str) -> Any:
        with self._lock:
            if self._pid != os.getpid():
                self._open(namespace)
            return self._ioctx

    def _open(self, namespace: str) -> None:
        rados, rbd = bindings()
        options: dict[str, Any] = {}
        if self.settings.conf is not None:
            options["conffile"] = str(self.settings.conf)
        if self.settings.user:
            options["rados_id"] = self.settings.user
        try:
            cluster = rados.Rados(**options)
            cluster.conf_set("client_mount_timeout", "15")
            cluster.conf_set("rados_osd_op_timeout", "60")
            cluster.connect(timeout=15)
            ioctx = cluster.open_ioctx(self.settings.pool)
            if namespace not in rbd.RBD().namespace_list(ioctx):
                try:
                    rbd.RBD().namespace_create(ioctx, namespace)
                except rbd.ImageExists:  # another process made it first
                    pass
            ioctx.set_namespace(namespace)
        except (rados.Error, rbd.Error) as exc:
            raise CephUnavailable(f"Ceph pool {self.settings.pool!r}: {exc}") from exc
        self._cluster, self._ioctx, self._pid = cluster, ioctx, os.getpid()
