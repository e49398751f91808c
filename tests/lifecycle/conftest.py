"""Each test gets a fresh repository of proposals (helpers/lifecycle.py)."""

from __future__ import annotations

import pytest

from helpers.lifecycle import make_repo


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path)
