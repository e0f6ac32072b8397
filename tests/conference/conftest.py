from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield
