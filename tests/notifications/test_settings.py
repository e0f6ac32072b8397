"""Mail settings from the environment: files embedded, SMTP from EMAIL_URL or EMAIL_*."""

from __future__ import annotations

import pytest

from tests.workspace.test_settings import run_manage

# Settings are read in a subprocess from the environment: checked in the embedded pass only.
pytestmark = pytest.mark.once


CODE = (
    "from django.conf import settings as s;"
    "print(s.EMAIL_BACKEND, getattr(s, 'EMAIL_HOST', '-'), getattr(s, 'EMAIL_PORT', '-'),"
    " getattr(s, 'EMAIL_HOST_USER', '-') or '-', getattr(s, 'EMAIL_USE_TLS', '-'),"
    " s.TASKS['default']['BACKEND'])"
)


def test_embedded_mail_goes_to_files_through_the_database_queue():
    out = run_manage("shell", "-v", "0", "-c", CODE)
    assert out.returncode == 0, out.stderr
    backend, *_rest, tasks = out.stdout.split()
    assert backend == "notifications.backends.FileBackend"
    assert tasks == "django_tasks_db.DatabaseBackend"


def test_email_url_switches_to_smtp():
    out = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        CODE,
        EMAIL_URL="smtp://ws%40example.org:secret@mail.example.org:587/?tls=True",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "587",
        "ws@example.org",
        "True",
        "django_tasks_db.DatabaseBackend",
    ]


def test_email_host_switches_to_smtp():
    out = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        CODE,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="25",
        EMAIL_USE_TLS="false",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:5] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "25",
        "-",
        "False",
    ]
