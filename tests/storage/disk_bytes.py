"""A disk's bytes through the control plane (``/_ecsemu/disks/{id}/data``), as the suites
that drive a running server read and write them."""

from __future__ import annotations

import urllib.request


def write(server, disk_id, offset, data):
    request = urllib.request.Request(f"{server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}", data=data,
                                     method="PUT")
    urllib.request.urlopen(request).read()


def read(server, disk_id, offset, length):
    with urllib.request.urlopen(f"{server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}&length={length}") as r:
        return r.read()
