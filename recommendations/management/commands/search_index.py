"""``manage.py search_index``: build the full-text index again from the texts."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from recommendations import search


class Command(BaseCommand):
    help = "Index every recommendation, translation and visible comment again for search."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        made = search.rebuild()
        self.stdout.write(f"{made} documents indexed in {time.monotonic() - started:.1f} s")
