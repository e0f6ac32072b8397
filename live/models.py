"""The numbered log of each co-edited document (``live.coedit``).

A document is named by a key (``"recommendation.12"``): ``live`` knows nothing of the model
behind it. Each row is one CRDT update (Yjs' binary encoding, version 1), stored before it is
applied or broadcast; ``seq`` grows by one per update of a key. Compaction replaces the rows
``first_seq..seq`` by their merge, kept under the last of their numbers, so a reader asking
for everything after any number still gets every update it lacks.
"""

from __future__ import annotations

from django.db import models


class DocumentUpdate(models.Model):
    key = models.CharField(max_length=100)
    seq = models.PositiveIntegerField()
    # The first number this row covers: ``seq`` for one update, lower for a compacted merge.
    first_seq = models.PositiveIntegerField()
    data = models.BinaryField()
    # Who wrote the updates of this row (user ids; the server's own changes have none).
    authors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "seq"], name="live_update_key_seq_unique")
        ]
        ordering = ["key", "seq"]

    def __str__(self) -> str:
        return f"{self.key} #{self.seq}"
