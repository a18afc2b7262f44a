"""Shared pytest configuration: fixtures live in the modules listed here.

Under CI (`CI` set) hypothesis runs derandomized, so a CI run is repeatable; local runs keep
exploring new examples.
"""

import os

from hypothesis import settings

pytest_plugins = ["tests.fixtures_browser", "tests.fixtures_db", "tests.apptest"]

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
