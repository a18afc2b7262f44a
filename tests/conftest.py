"""Shared pytest configuration: fixtures live in the modules listed here."""

pytest_plugins = ["tests.fixtures_browser", "tests.fixtures_db", "tests.apptest"]
