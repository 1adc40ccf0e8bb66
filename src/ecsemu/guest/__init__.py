"""Instances that run: what a guest sees of the emulator, and the host's side of it."""
