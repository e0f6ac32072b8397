"""Caching of the public answers (pages, Markdown, JSON) of published editions.

Conditional requests go through Django's ``condition``: the functions below give it the
``ETag`` and ``Last-Modified`` from a small query on the editions' rows, before any body is
built, so a 304 costs no rendering. ``public()`` adds what every public answer carries, a 304
too: ``Cache-Control: public`` and ``Vary: Accept-Language, Cookie``.

A page's tag stands for everything its bytes depend on: the URL, the language, the reader's time zone, the edition
shown and the latest one (listed, and named "earlier edition" or not), and what the site is
built from (``site_version()``). The Markdown's tag is the SHA-256 of the document itself.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from . import selectors
from .models import Edition, EditionDocument

PUBLIC_MAX_AGE = 300  # a new edition may replace the latest one; five minutes is fresh enough
IMMUTABLE_MAX_AGE = 60 * 60 * 24 * 365  # a published edition's document never changes
# Files whose change changes what the public answers look like (see site_version()).
_SOURCE_SUFFIXES = frozenset({".py", ".html", ".txt", ".mo"})


def public(
    *, max_age: int = PUBLIC_MAX_AGE, immutable: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let shared caches keep the view's 200 and 304 answers; other answers (a 404) keep the
    headers they have."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 304):
                cache: dict[str, Any] = {"public": True, "max_age": max_age}
                if immutable:
                    cache["immutable"] = True
                patch_cache_control(response, **cache)
                # The language (chosen by header or cookie) changes the page's words.
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response

        return wrapper

    return decorator


@functools.cache
def site_version() -> str:
    """One fingerprint of what the public answers are made of besides the data and the
    language: the publication app's code and templates, the project's templates, the
    translations, and the static files' manifest (whose names carry the files' hashes).
    Read once per process, the same in every process of one deployment: a deployment that
    changes any of these changes every public tag."""
    digest = hashlib.sha256(getattr(staticfiles_storage, "manifest_hash", "").encode())
    roots = [
        Path(__file__).resolve().parent,
        *(Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])),
        *(Path(d) for d in settings.LOCALE_PATHS),
    ]
    for root in roots:
        if not root.is_dir():
            continue
        for file in sorted(root.rglob("*")):
            if file.suffix in _SOURCE_SUFFIXES and file.is_file():
                digest.update(str(file.relative_to(root)).encode() + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()


def _tag(*parts: object) -> str:
    return hashlib.sha256("\n".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _stamp(edition: Edition) -> str:
    return f"{edition.number}:{edition.sha256}:{edition.published_at.isoformat()}"


# --- pages: /published/, /published/editions/<n>/ and its print view ------------------------
def page_etag(request: HttpRequest, number: int | None = None) -> str | None:
    edition, latest = selectors.edition_stamps(number)
    if edition is None:
        return None  # the view answers 404
    zone = timezone.get_current_timezone_name()  # times are shown in the reader's zone
    return _tag(request.path, get_language(), zone, _stamp(edition), _stamp(latest), site_version())


def page_last_modified(request: HttpRequest, number: int | None = None) -> datetime | None:
    """When the latest edition was published: a page lists every edition."""
    edition, latest = selectors.edition_stamps(number)
    return latest.published_at if edition is not None else None


# --- the edition's own answers: its Markdown, its JSON ---------------------------------------
def markdown_etag(request: HttpRequest, number: int) -> str | None:
    """The SHA-256 of the document: exactly the bytes served."""
    edition, _latest = selectors.edition_stamps(number)
    return edition.sha256 if edition is not None else None


def pdf_etag(request: HttpRequest, number: int) -> str | None:
    """The SHA-256 of the stored PDF: exactly the bytes served."""
    edition, _latest = selectors.edition_stamps(number, ("pdf_sha256",))
    return (edition.pdf_sha256 or None) if edition is not None else None


def document_etag(request: HttpRequest, number: int, language: str) -> str | None:
    """The SHA-256 of an edition's document in one language: exactly the bytes served."""
    return (
        EditionDocument.objects.filter(
            edition__number=number, edition__published_at__isnull=False, language=language
        )
        .values_list("sha256", flat=True)
        .first()
    )


def document_last_modified(request: HttpRequest, number: int, language: str) -> datetime | None:
    return edition_last_modified(request, number)


def json_etag(request: HttpRequest, number: int | None = None) -> str | None:
    """The JSON of one edition: its copy, and the absolute URLs in it (scheme and host)."""
    edition, _latest = selectors.edition_stamps(number)
    if edition is None:
        return None
    return _tag(request.build_absolute_uri(), _stamp(edition), site_version())


def edition_last_modified(request: HttpRequest, number: int | None = None) -> datetime | None:
    edition, _latest = selectors.edition_stamps(number)
    return edition.published_at if edition is not None else None
