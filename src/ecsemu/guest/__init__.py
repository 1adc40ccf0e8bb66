"""Instances that run: the instance driver, the guest image, what a guest sees of the emulator
and the host's side of it."""
