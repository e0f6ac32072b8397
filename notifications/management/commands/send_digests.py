from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications import delivery
from notifications.digests import send_digests


class Command(BaseCommand):
    help = (
        "Write every daily digest that is due (each person's hour in their own time zone) and "
        "queue again e-mails whose sending stalled. Safe to run twice; run it hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        written = send_digests()
        requeued = delivery.retry_stalled()
        self.stdout.write(f"{written} digest(s) written, {requeued} stalled e-mail(s) queued again")
