"""Tests for the ``text`` package (pure Python: no Django, no database)."""

from __future__ import annotations

import re


def no_event_attributes(html: str) -> bool:
    """True when no tag in ``html`` carries an ``on...=`` event-handler attribute."""
    return re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE) is None
