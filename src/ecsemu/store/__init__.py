"""Persistence: one database (SQLite by default, PostgreSQL when shared), one transaction
per unit of work, schema by Alembic migrations."""

from .database import Database

__all__ = ["Database"]
