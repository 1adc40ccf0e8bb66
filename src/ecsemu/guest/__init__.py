"""What runs inside instances, and the host's side of it."""
