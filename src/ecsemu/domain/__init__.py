"""The rules of ECS resources: status machines, preconditions, policies. Pure: no SQL, no HTTP."""
