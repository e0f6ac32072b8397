"""Every write on endorsements and editions (views, API views and the demo seed call these)."""

from .editions import (
    MAX_CORRECTION,
    MAX_PREAMBLE,
    LanguageCoverage,
    choose_recommendations,
    clean_choice,
    collect_entries,
    create_edition,
    language_coverage,
    publish_edition,
    update_edition,
    warning_count,
    warnings_for,
)
from .endorsements import (
    MAX_STATEMENT,
    can_endorse_again,
    endorse,
    event_data,
    reconfirm_endorsement,
    withdraw_endorsement,
)

__all__ = [
    "MAX_CORRECTION",
    "MAX_PREAMBLE",
    "MAX_STATEMENT",
    "LanguageCoverage",
    "can_endorse_again",
    "choose_recommendations",
    "clean_choice",
    "collect_entries",
    "create_edition",
    "endorse",
    "event_data",
    "language_coverage",
    "publish_edition",
    "reconfirm_endorsement",
    "update_edition",
    "warning_count",
    "warnings_for",
    "withdraw_endorsement",
]
