"""Fixtures of the notification tests: on-commit work run as it would be after a request."""

from __future__ import annotations

import pytest

from tests.mailserver import html_of, run_tasks, text_of

__all__ = ["html_of", "run_tasks", "text_of"]


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run a service and what it does after commit (notifications, e-mails queued)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
