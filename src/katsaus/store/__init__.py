"""The data layer: Django models (SQLite by default, PostgreSQL by URL) and repository functions."""
