"""Instances that really run: the instance driver, the guest image and what talks to a guest."""
