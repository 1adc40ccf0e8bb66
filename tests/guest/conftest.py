"""What a guest sees, on each store: the resource suites' servers (a SQLite file and a
real PostgreSQL server, a new database a module)."""

from tests.resources.conftest import ecs, manual, store  # noqa: F401  (fixtures shared with the resource suites)
