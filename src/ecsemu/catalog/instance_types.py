"""Real ECS instance types: vCPUs and memory, and what DescribeInstanceTypes says of each
(family, processor, network, burst credits). Every other module derives from this table:
DescribeInstanceTypes and its filters, DescribeInstanceTypeFamilies, what a zone offers
(catalog/offers.py), the instances' views.

The network and credit figures are those of the families' published tables, rounded where
the tables give ranges (docs/decisions.md, "Zones and instance types").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    family_id: str         # InstanceTypeFamily, e.g. ecs.g7
    generation: str        # DescribeInstanceTypeFamilies' Generation
    category: str          # InstanceCategory
    level: str             # InstanceFamilyLevel
    processor: str         # PhysicalProcessorModel
    base_ghz: float        # CpuSpeedFrequency
    turbo_ghz: float       # CpuTurboFrequency


@dataclass(frozen=True)
class Network:
    """What one size of a family gets: ENIs, addresses, queues, bandwidth (Kbit/s), packets."""

    eni_quantity: int
    eni_private_ips: int
    eni_ipv6: int
    queues: int            # per ENI: primary, secondary and maximum alike here
    bandwidth_kbps: int
    pps: int


@dataclass(frozen=True)
class InstanceType:
    type_id: str
    family: str
    generation: str
    cpu_cores: int
    memory_gib: float
    category: str
    level: str
    processor: str
    base_ghz: float
    turbo_ghz: float
    network: Network
    initial_credit: int = 0   # burstable families only
    baseline_credit: int = 0
    architecture: str = "X86"
    nvme_support: str = "unsupported"
    disk_quantity: int = 17   # disks an instance takes (system disk and 16 data disks)


_G7 = "Intel Xeon(Ice Lake) Platinum 8369B"
_G6 = "Intel Xeon(Cascade Lake) Platinum 8269CY"
_T6 = "Intel Xeon(Skylake) Platinum 8163"


def _family(family: Family, sizes: dict[str, tuple[int, float, Network]], *, prefix: str | None = None,
            credits: tuple[int, int] = (0, 0)) -> tuple[InstanceType, ...]:
    """A family's sizes; ``prefix`` names types whose ID is not the family's (ecs.t6-c1m1.large in ecs.t6)."""
    return tuple(
        InstanceType(f"{prefix or family.family_id}.{size}", family.family_id, family.generation, cpu, float(memory),
                     family.category, family.level, family.processor, family.base_ghz, family.turbo_ghz,
                     network, initial_credit=credits[0], baseline_credit=credits[1])
        for size, (cpu, memory, network) in sizes.items())


def _seventh(large_memory: float, largest: str = "4xlarge") -> dict[str, tuple[int, float, Network]]:
    """The sizes of a 7th-generation family up to ``largest``, its memory per vCPU given by
    the large size."""
    per_cpu = large_memory / 2
    sizes = {
        "large": (2, large_memory, Network(3, 6, 6, 2, 2048000, 900000)),
        "xlarge": (4, per_cpu * 4, Network(4, 15, 15, 4, 3072000, 1000000)),
        "2xlarge": (8, per_cpu * 8, Network(4, 15, 15, 8, 5120000, 1600000)),
        "4xlarge": (16, per_cpu * 16, Network(8, 30, 30, 8, 10240000, 3000000)),
    }
    names = list(sizes)
    return {name: sizes[name] for name in names[:names.index(largest) + 1]}


def _sixth(large_memory: float) -> dict[str, tuple[int, float, Network]]:
    per_cpu = large_memory / 2
    return {
        "large": (2, large_memory, Network(2, 6, 1, 2, 1024000, 300000)),
        "xlarge": (4, per_cpu * 4, Network(3, 10, 1, 2, 1536000, 500000)),
    }


_BURSTABLE_LARGE = Network(2, 2, 1, 1, 102400, 60000)

G7 = Family("ecs.g7", "ecs-7", "General-purpose", "EnterpriseLevel", _G7, 2.7, 3.5)
C7 = Family("ecs.c7", "ecs-7", "Compute-optimized", "EnterpriseLevel", _G7, 2.7, 3.5)
R7 = Family("ecs.r7", "ecs-7", "Memory-optimized", "EnterpriseLevel", _G7, 2.7, 3.5)
G6 = Family("ecs.g6", "ecs-5", "General-purpose", "EnterpriseLevel", _G6, 2.5, 3.2)
C6 = Family("ecs.c6", "ecs-5", "Compute-optimized", "EnterpriseLevel", _G6, 2.5, 3.2)
T6 = Family("ecs.t6", "ecs-6", "Shared", "CreditEntryLevel", _T6, 2.5, 0.0)

INSTANCE_TYPES: tuple[InstanceType, ...] = (
    *_family(G7, _seventh(8)),
    *_family(C7, _seventh(4)),
    *_family(R7, _seventh(16, largest="2xlarge")),
    *_family(G6, _sixth(8)),
    *_family(C6, _sixth(4)),
    *_family(T6, {"large": (2, 2, _BURSTABLE_LARGE)}, prefix="ecs.t6-c1m1", credits=(60, 20)),
    *_family(T6, {"large": (2, 4, _BURSTABLE_LARGE)}, prefix="ecs.t6-c1m2", credits=(60, 20)),
    *_family(T6, {"large": (2, 8, _BURSTABLE_LARGE)}, prefix="ecs.t6-c1m4", credits=(60, 60)),
)

INSTANCE_TYPES_BY_ID: dict[str, InstanceType] = {t.type_id: t for t in INSTANCE_TYPES}
FAMILIES: tuple[Family, ...] = (G7, C7, R7, G6, C6, T6)
INSTANCE_TYPE_FAMILIES: tuple[str, ...] = tuple(family.family_id for family in FAMILIES)
INSTANCE_GENERATIONS: tuple[str, ...] = tuple(dict.fromkeys(family.generation for family in FAMILIES))

# Zones that no longer sell a family (newer zones open with the current families only).
NOT_SOLD_IN: dict[str, frozenset[str]] = {
    "cn-hangzhou-k": frozenset({G6.family_id, C6.family_id}),
}


def offered_in(instance_type: InstanceType, zone_id: str) -> bool:
    """Whether the zone sells the type."""
    return instance_type.family not in NOT_SOLD_IN.get(zone_id, frozenset())
