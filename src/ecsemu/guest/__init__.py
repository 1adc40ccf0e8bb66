"""Instances that run: what a guest sees of the emulator."""
