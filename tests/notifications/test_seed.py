"""The demo shows notifications: Beirut has unread ones at the first login, every demo person
has an address (make run's e-mails land in var/mail/), and seeding again adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from notifications import selectors
from notifications.models import Notification, OutgoingMail
from tests.mailserver import run_tasks

pytestmark = pytest.mark.django_db


def test_the_demo_shows_beirut_unread_notifications(django_capture_on_commit_callbacks, smtp):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    beirut = User.objects.get(username="beirut")
    assert selectors.unread_count(beirut) >= 3
    assert not User.objects.filter(email="").exists()
    client = Client()
    client.force_login(beirut)
    page = client.get("/notifications/?show=unread").content.decode()
    assert page.count('class="notification unread"') >= 3
    count = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert Notification.objects.count() == count
    run_tasks()
    assert smtp.messages and OutgoingMail.objects.filter(state="sent").count() == len(smtp.messages)
