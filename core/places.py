"""Countries in the reader's language. Organisations keep their country as written (in English
in the demo: "Lebanon"); a country's English name that CLDR knows reads as that country's name
in the active language ("Liban", "لبنان"), through Babel. Anything else is shown as written."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language


@lru_cache(maxsize=1)
def _codes_by_english_name() -> dict[str, str]:
    return {name.casefold(): code for code, name in Locale.parse("en").territories.items()}


@lru_cache(maxsize=1024)
def _country_name(name: str, language: str) -> str:
    code = _codes_by_english_name().get(name.strip().casefold())
    if code is None:
        return name
    try:
        return Locale.parse(language.replace("-", "_")).territories.get(code, name)
    except (UnknownLocaleError, ValueError):
        return name


def country_name(name: str, language: str | None = None) -> str:
    """``name`` (a country as written on an organisation) in ``language`` (default: active)."""
    if not name:
        return ""
    return _country_name(name, language or get_language() or "en")
