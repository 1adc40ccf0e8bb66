"""Fixed data the real service publishes: regions and zones, instance types, disk categories."""
