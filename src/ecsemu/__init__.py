"""ecsemu: a faithful, local Alibaba Cloud ECS (API version 2014-05-26)."""

__version__ = "0.1.0"
