"""Every write on endorsements and editions (views, API views and the demo seed call these)."""

from .editions import (
    MAX_PREAMBLE,
    collect_entries,
    create_edition,
    publish_edition,
    update_edition,
)
from .endorsements import (
    MAX_STATEMENT,
    endorse,
    event_data,
    reconfirm_endorsement,
    withdraw_endorsement,
)

__all__ = [
    "MAX_PREAMBLE",
    "MAX_STATEMENT",
    "collect_entries",
    "create_edition",
    "endorse",
    "event_data",
    "publish_edition",
    "reconfirm_endorsement",
    "update_edition",
    "withdraw_endorsement",
]
