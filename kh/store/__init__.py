"""The only package that speaks SQL. Everything goes through SQLAlchemy so that SQLite (one
officer's laptop) and PostgreSQL (a province's shared server) behave the same."""

from kh.store.db import Store, open_store

__all__ = ["Store", "open_store"]
