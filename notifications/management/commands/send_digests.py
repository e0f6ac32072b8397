from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications import delivery, urgent
from notifications.digests import send_digests


class Command(BaseCommand):
    help = (
        "Mail at once what a deadline within a day asks for, write every daily digest that is "
        "due (each person's hour in their own time zone) and queue again e-mails whose sending "
        "stalled. Safe to run twice; run it hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        urgent_mails = urgent.send_urgent()
        written = send_digests()
        requeued = delivery.retry_stalled()
        self.stdout.write(
            f"{urgent_mails} e-mail(s) for a deadline within a day, {written} digest(s) "
            f"written, {requeued} stalled e-mail(s) queued again"
        )
