"""Real ECS instance types with their vCPU and memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InstanceType:
    type_id: str
    family: str
    generation: str
    cpu_cores: int
    memory_gib: float


def _family(family: str, generation: str, sizes: dict[str, tuple[int, float]]) -> tuple[InstanceType, ...]:
    return tuple(InstanceType(f"{family}.{size}", family, generation, cpu, mem)
                 for size, (cpu, mem) in sizes.items())


INSTANCE_TYPES: tuple[InstanceType, ...] = (
    *_family("ecs.g7", "ecs-7", {"large": (2, 8), "xlarge": (4, 16), "2xlarge": (8, 32), "4xlarge": (16, 64)}),
    *_family("ecs.c7", "ecs-7", {"large": (2, 4), "xlarge": (4, 8), "2xlarge": (8, 16), "4xlarge": (16, 32)}),
    *_family("ecs.r7", "ecs-7", {"large": (2, 16), "xlarge": (4, 32), "2xlarge": (8, 64)}),
    *_family("ecs.g6", "ecs-6", {"large": (2, 8), "xlarge": (4, 16)}),
    *_family("ecs.c6", "ecs-6", {"large": (2, 4), "xlarge": (4, 8)}),
    *_family("ecs.t6-c1m1", "ecs-6", {"large": (2, 2)}),
    *_family("ecs.t6-c1m2", "ecs-6", {"large": (2, 4)}),
    *_family("ecs.t6-c1m4", "ecs-6", {"large": (2, 8)}),
)

INSTANCE_TYPES_BY_ID: dict[str, InstanceType] = {t.type_id: t for t in INSTANCE_TYPES}
INSTANCE_TYPE_FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(t.family for t in INSTANCE_TYPES))
INSTANCE_GENERATIONS: tuple[str, ...] = tuple(dict.fromkeys(t.generation for t in INSTANCE_TYPES))

# Zones that no longer sell a generation (newer zones open with the current one only).
_NOT_SOLD_IN: dict[str, frozenset[str]] = {
    "cn-hangzhou-k": frozenset({"ecs-6"}),
}


def offered_in(instance_type: InstanceType, zone_id: str) -> bool:
    """Whether the zone sells the type."""
    return instance_type.generation not in _NOT_SOLD_IN.get(zone_id, frozenset())
