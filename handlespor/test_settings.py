"""The settings the test suite runs with: the "test" profile unless HANDLESPOR_ENV names
another, so that a plain `pytest` works as `make test` does."""

import os

os.environ.setdefault("HANDLESPOR_ENV", "test")

from handlespor.settings import *  # noqa: F403
