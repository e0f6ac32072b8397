"""Plural phrases for scripts: a count that changes on the page (a comment arrives) is written
with the same plural forms as the server's catalogues.

The browser picks the CLDR category of a number with ``Intl.PluralRules``; the server gives the
phrase for each category, taken from the catalogue with a number of that category. The sample
numbers below fall into the same category in gettext's rules and CLDR's for the workspace's
languages (English, French, Arabic: zero 0, one 1, two 2, few 3, many 11, other 100).
"""

from __future__ import annotations

import json
from collections.abc import Callable

_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


def plural_phrases(phrase: Callable[[int], str]) -> str:
    """JSON ``{category: phrase}``; ``phrase(n)`` returns the translated phrase for ``n`` with
    ``{n}`` where the number goes (e.g. ``ngettext("%(n)s comment", ...) % {"n": "{n}"}``)."""
    return json.dumps({category: phrase(n) for category, n in _SAMPLES.items()}, ensure_ascii=False)
