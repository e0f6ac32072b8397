"""``make run``'s one command: Daphne and one task worker side by side, the digests hourly,
all stopped together on Ctrl-C (or when either process ends)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

DIGEST_EVERY_SECONDS = 3600


class Command(BaseCommand):
    help = "Serve the workspace with Daphne and run one task worker beside it (embedded set-up)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        daphne = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [
                python,
                "-m",
                "daphne",
                "-b",
                options["host"],
                "-p",
                str(options["port"]),
                "workspace.asgi:application",
            ]
        )
        worker = subprocess.Popen(  # noqa: S603
            [python, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "-v", "0"]
        )
        children = [daphne, worker]
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        next_digest = time.monotonic()
        try:
            while not stopping and all(child.poll() is None for child in children):
                if time.monotonic() >= next_digest:
                    try:
                        call_command("send_digests", stdout=self.stdout)
                    except Exception as exc:  # the server keeps running; say why
                        self.stderr.write(f"digests failed: {exc}")
                    next_digest = time.monotonic() + DIGEST_EVERY_SECONDS
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write("Stopped the server and the worker.")
