"""The embedded set-up's mail: one ``.eml`` file per message in ``var/mail/`` (Django's file
backend writes every message of a connection into one log file; a file per message is what a
person can open in a mail program, and what the README points to)."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_counter = threading.Lock()


class FileBackend(BaseEmailBackend):
    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages: Any) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            ident = re.sub(
                r"[^A-Za-z0-9_.-]+", "-", message.extra_headers.get("X-Workspace-Key", "")
            )
            name = f"{stamp}-{ident or 'message'}.eml"
            with _counter:
                (self.directory / name).write_bytes(message.message().as_bytes())
            sent += 1
        return sent
