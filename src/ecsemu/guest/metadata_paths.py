"""The instance metadata an ECS guest reads at 100.100.100.200, as a tree of paths built
from plain values: what each item holds and in what format, and how a path resolves.
Pure: guest/metadata.py reads the values from the store and answers HTTP."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field

VERSIONS = ("2016-01-01", "latest")   # GET / lists them; each serves the same tree
NAMESERVERS = ("100.100.2.136", "100.100.2.138")
NTP_SERVERS = ("ntp1.cloud.aliyuncs.com", "ntp2.cloud.aliyuncs.com", "ntp3.cloud.aliyuncs.com")
SOURCE_ADDRESS = "http://mirrors.cloud.aliyuncs.com"   # the package mirror inside VPCs
VIRTUALIZATION = ("ECS Virt", "2.0")                   # instance/virtualization-solution(-version)

Node = str | bytes | dict[str, "Node"]


@dataclass(frozen=True)
class Interface:
    """An ENI as the metadata shows it under network/interfaces/macs/<mac>/."""
    mac: str
    eni_id: str
    private_ip: str
    vpc_id: str
    vswitch_id: str
    vpc_cidr: str
    vswitch_cidr: str
    secondary_ips: tuple[str, ...] = ()   # AssignPrivateIpAddresses', in the order assigned


@dataclass(frozen=True)
class Disk:
    serial: str
    disk_id: str
    name: str


@dataclass(frozen=True)
class InstanceFacts:
    """Everything the tree shows of one instance; the primary ENI is ``interfaces[0]``."""
    instance_id: str
    region_id: str
    zone_id: str
    host_name: str
    image_id: str
    instance_type: str
    instance_name: str
    owner_account_id: str
    serial_number: str
    interfaces: tuple[Interface, ...]
    public_ip: str | None = None
    public_key: str | None = None        # the key pair's public key, OpenSSH form
    user_data: bytes | None = None       # decoded
    disks: tuple[Disk, ...] = field(default=())


def netmask(cidr: str) -> str:
    return str(ipaddress.IPv4Network(cidr).netmask)


def gateway(cidr: str) -> str:
    """A vSwitch's gateway: the address before its last two (of 192.168.1.0/24, .253)."""
    network = ipaddress.IPv4Network(cidr)
    return str(network.network_address + network.num_addresses - 3)


def _interface(eni: Interface) -> dict[str, Node]:
    return {"gateway": gateway(eni.vswitch_cidr), "netmask": netmask(eni.vswitch_cidr),
            "network-interface-id": eni.eni_id, "primary-ip-address": eni.private_ip,
            "private-ipv4s": json.dumps([eni.private_ip, *eni.secondary_ips]),
            "vpc-cidr-block": eni.vpc_cidr, "vpc-id": eni.vpc_id,
            "vswitch-cidr-block": eni.vswitch_cidr, "vswitch-id": eni.vswitch_id}


def identity_document(facts: InstanceFacts) -> str:
    """/latest/dynamic/instance-identity/document: JSON, keys as ECS gives them."""
    return json.dumps({"zone-id": facts.zone_id, "serial-number": facts.serial_number,
                       "instance-id": facts.instance_id, "region-id": facts.region_id,
                       "private-ipv4": facts.interfaces[0].private_ip, "owner-account-id": facts.owner_account_id,
                       "mac": facts.interfaces[0].mac, "image-id": facts.image_id,
                       "instance-type": facts.instance_type}, separators=(",", ":"))


def meta_data(facts: InstanceFacts) -> dict[str, Node]:
    """/latest/meta-data/: every item of the instance, an item it lacks (a public IP, a
    key pair) not listed."""
    primary = facts.interfaces[0]
    tree: dict[str, Node] = {
        "dns-conf": {"nameservers": "\n".join(NAMESERVERS)},
        "disks": {disk.serial: {"id": disk.disk_id, "name": disk.name} for disk in facts.disks},
        "hostname": facts.host_name,
        "image-id": facts.image_id,
        "instance": {"instance-name": facts.instance_name, "instance-type": facts.instance_type,
                     "virtualization-solution": VIRTUALIZATION[0],
                     "virtualization-solution-version": VIRTUALIZATION[1]},
        "instance-id": facts.instance_id,
        "mac": primary.mac,
        "network": {"interfaces": {"macs": {eni.mac: _interface(eni) for eni in facts.interfaces}}},
        "network-type": "vpc",
        "ntp-conf": {"ntp-servers": "\n".join(NTP_SERVERS)},
        "owner-account-id": facts.owner_account_id,
        "private-ipv4": primary.private_ip,
        "region-id": facts.region_id,
        "serial-number": facts.serial_number,
        "source-address": SOURCE_ADDRESS,
        "vpc-cidr-block": primary.vpc_cidr,
        "vpc-id": primary.vpc_id,
        "vswitch-cidr-block": primary.vswitch_cidr,
        "vswitch-id": primary.vswitch_id,
        "zone-id": facts.zone_id,
    }
    if primary.secondary_ips:
        tree["sub-private-ipv4-list"] = "\n".join(primary.secondary_ips)
    if facts.public_ip:
        tree["eipv4"] = tree["public-ipv4"] = facts.public_ip
    if facts.public_key:
        tree["public-keys"] = {"0": {"openssh-key": facts.public_key}}
    return tree


def version_tree(facts: InstanceFacts) -> dict[str, Node]:
    """What /latest/ (or /2016-01-01/) holds."""
    tree: dict[str, Node] = {"meta-data": meta_data(facts),
                             "dynamic": {"instance-identity": {"document": identity_document(facts)}}}
    if facts.user_data is not None:
        tree["user-data"] = facts.user_data
    return tree


def listing(node: dict[str, Node]) -> str:
    """A directory: one name a line, sub-directories with a trailing ``/``, in the order of
    those lines (``instance-id`` before ``instance/``, as ECS lists them)."""
    return "\n".join(sorted(name + "/" if isinstance(child, dict) else name for name, child in node.items()))


def segments(path: str) -> list[str]:
    """The path's names: the query, empty names (``//``, a trailing ``/``) dropped."""
    return [part for part in path.split("?", 1)[0].split("/") if part]


def resolve(facts: InstanceFacts, path: str) -> str | bytes | None:
    """The body at ``path`` (``/latest/meta-data/instance-id``): a value, or a directory's
    listing; None when there is nothing there."""
    parts = segments(path)
    if not parts:
        return "\n".join(VERSIONS)
    if parts[0] not in VERSIONS:
        return None
    node: Node = version_tree(facts)
    for part in parts[1:]:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return listing(node) if isinstance(node, dict) else node
