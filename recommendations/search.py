"""Full-text search over recommendations and the texts around them, one function for both
databases (docs/search.md).

What is searched is a table of documents (``SearchDocument``): each recommendation's title,
summary and text, each translation, each visible comment. The apps that own those texts
register a ``Source`` here (comments registers its own in its ``ready()``, as it does for
panels), saying which live events change which documents; ``recommendations.events.emit``
calls ``refresh_for_event`` inside the writing transaction, so the index changes with the
data it describes and is rolled back with it.

Words are folded once, in Python (``text.search``), for the index and for what is asked, so
the databases only match plain words: PostgreSQL with a weighted ``tsvector`` and a GIN
index, SQLite with an FTS5 table (migration 0010). ``search`` ranks the recommendations of a
queryset (which already holds the visibility rule and the list's filters) by their best
document; ``attach_hits`` gives each recommendation of a page its best document's excerpt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

import text
from core.registry import Registry
from text.search import excerpt, index_words, query_terms

from .models import Recommendation, SearchDocument, Translation

TABLE = SearchDocument._meta.db_table
FTS = "recommendations_searchindex"
# A comment's match counts for less than the same words in the recommendation's own text.
COMMENT_WEIGHT = 0.5
BATCH = 500


@dataclass(frozen=True)
class Document:
    recommendation_id: int
    key: str
    language: str
    title: str
    text: str


@dataclass(frozen=True)
class Source:
    """Where one kind of document comes from.

    ``documents(recommendation_ids, keys)`` yields the documents of those recommendations (only
    those ``keys`` when given; a text that must not be found, such as a hidden comment, is
    simply not yielded). ``changed_by(event_type, data)`` names the keys an event changed:
    ``None`` for all of the recommendation's, an empty list for none."""

    documents: Callable[[list[int], list[str] | None], Iterable[Document]]
    changed_by: Callable[[str, dict], list[str] | None]


sources: Registry[Source] = Registry("sources of search documents")


# -- The recommendation's own text and its translations ------------------------------------


def _recommendation_documents(rec_ids: list[int], keys: list[str] | None) -> Iterator[Document]:
    rows = Recommendation.objects.filter(pk__in=rec_ids).values_list(
        "pk", "language", "title", "summary", "body_html"
    )
    for pk, language, title, summary, body_html in rows:
        yield Document(pk, "", language, title, f"{summary}\n{text.plain_text(body_html)}")


def _translation_documents(rec_ids: list[int], keys: list[str] | None) -> Iterator[Document]:
    rows = Translation.objects.filter(recommendation_id__in=rec_ids)
    if keys is not None:
        rows = rows.filter(language__in=keys)
    for rec_id, language, title, summary, body_html in rows.values_list(
        "recommendation_id", "language", "title", "summary", "body_html"
    ):
        yield Document(
            rec_id, language, language, title, f"{summary}\n{text.plain_text(body_html)}"
        )


def _all_or_nothing(types: frozenset[str]) -> Callable[[str, dict], list[str] | None]:
    return lambda type_, data: None if type_ in types else []


sources.register(
    "recommendation",
    Source(
        _recommendation_documents,
        _all_or_nothing(frozenset({"recommendation.created", "recommendation.updated"})),
    ),
)
sources.register(
    "translation",
    Source(
        _translation_documents,
        lambda type_, data: (
            [str(data.get("language", ""))] if type_ == "translation.updated" else []
        ),
    ),
)


# -- Keeping the index ---------------------------------------------------------------------


def _rows(kind: str, documents: Iterable[Document]) -> Iterator[SearchDocument]:
    for doc in documents:
        yield SearchDocument(
            recommendation_id=doc.recommendation_id,
            kind=kind,
            key=doc.key,
            language=doc.language,
            title=doc.title[:200],
            text=doc.text,
            title_words=index_words(doc.title),
            text_words=index_words(doc.text),
        )


def refresh(rec_id: int, kind: str, keys: list[str] | None = None) -> None:
    """Index again the ``kind`` documents of one recommendation (only ``keys`` when given)."""
    source = sources.get(kind)
    if source is None:
        raise KeyError(f"no search source {kind!r}")
    stale = SearchDocument.objects.filter(recommendation_id=rec_id, kind=kind)
    if keys is not None:
        if not keys:
            return
        stale = stale.filter(key__in=keys)
    stale.delete()
    SearchDocument.objects.bulk_create(_rows(kind, source.documents([rec_id], keys)))


def refresh_for_event(rec_id: int, type_: str, data: dict[str, Any]) -> None:
    """Index again what the live event ``type_`` changed (called by ``events.emit``)."""
    for kind, source in sources.items():
        keys = source.changed_by(type_, data)
        if keys is None or keys:
            refresh(rec_id, kind, keys)


def rebuild(rec_ids: Iterable[int] | None = None) -> int:
    """Index everything again (of ``rec_ids`` only, when given); returns the documents made."""
    ids = list(
        Recommendation.objects.order_by("pk").values_list("pk", flat=True)
        if rec_ids is None
        else rec_ids
    )
    made = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        SearchDocument.objects.filter(recommendation_id__in=batch).delete()
        for kind, source in sources.items():
            rows = list(_rows(kind, source.documents(batch, None)))
            SearchDocument.objects.bulk_create(rows, batch_size=BATCH)
            made += len(rows)
    return made


# -- Asking --------------------------------------------------------------------------------


def _match(terms: list[str]) -> tuple[str, str, str, list[str]]:
    """FROM clause, WHERE clause and score expression matching documents ``d`` with every
    term as a word or the start of one, and the parameters of the FROM and WHERE."""
    if connection.vendor == "postgresql":
        query = " & ".join(f"{term}:*" for term in terms)
        return (
            f"{TABLE} d, to_tsquery('pg_catalog.simple', %s) q",
            "d.vector @@ q",
            "ts_rank(d.vector, q)",
            [query],
        )
    query = " ".join(f'"{term}"*' for term in terms)
    # bm25() may only be called in the FTS query itself, not under an aggregate: the ranks
    # are read in a subquery (its LIMIT keeps SQLite from flattening it into the outer one).
    return (
        f"(SELECT rowid AS id, bm25({FTS}, 4.0, 1.0) AS bm FROM {FTS} "  # noqa: S608
        f"WHERE {FTS} MATCH %s LIMIT -1) m JOIN {TABLE} d ON d.id = m.id",
        "1 = 1",
        f"-m.bm * (CASE WHEN d.kind = 'comment' THEN {COMMENT_WEIGHT} ELSE 1 END)",
        [query],
    )


def _subquery(qs: QuerySet) -> tuple[str, tuple]:
    return qs.order_by().values("pk").query.get_compiler(using=qs.db).as_sql()


def matching(qs: QuerySet, query: str) -> QuerySet:
    """``qs`` narrowed to the recommendations with a document matching ``query`` (for orders
    other than relevance)."""
    terms = query_terms(query)
    if not terms:
        return qs.none()
    from_, where, _score, params = _match(terms)
    # The fragments are this module's constants; the words are parameters.
    sql = f"SELECT d.recommendation_id FROM {from_} WHERE {where}"  # noqa: S608
    return qs.filter(pk__in=RawSQL(sql, params))  # noqa: S611


class Ranked(Sequence):
    """The recommendations of a search in order of relevance, as a sequence a paginator can
    slice: the ranking is one query; each slice is one more (the page's rows)."""

    def __init__(self, rows: QuerySet, ids: list[int], terms: list[str]) -> None:
        self._rows = rows
        self.ids = ids
        self.terms = terms

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Recommendation: ...
    @overload
    def __getitem__(self, index: slice) -> list[Recommendation]: ...
    def __getitem__(self, index: int | slice) -> Recommendation | list[Recommendation]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self.ids[index]
        found = self._rows.filter(pk__in=ids).in_bulk()
        return [found[pk] for pk in ids if pk in found]


def search(qs: QuerySet, query: str) -> Ranked:
    """The recommendations of ``qs`` that match ``query``, best first.

    ``qs`` carries who may see what and the list's filters; nothing outside it is ever
    returned. A query without a word (only punctuation, say) matches nothing."""
    terms = query_terms(query)
    if not terms:
        return Ranked(qs.none(), [], [])
    from_, where, score, params = _match(terms)
    within, within_params = _subquery(qs)
    # The fragments are this module's constants; the words and ids are parameters.
    sql = (
        f"SELECT d.recommendation_id, MAX({score}) AS score FROM {from_} "  # noqa: S608
        f"WHERE {where} AND d.recommendation_id IN ({within}) "
        "GROUP BY d.recommendation_id ORDER BY score DESC, d.recommendation_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *within_params])
        ids = [row[0] for row in cursor.fetchall()]
    return Ranked(qs, ids, terms)


@dataclass(frozen=True)
class Hit:
    kind: str  # "recommendation", "translation", "comment"
    key: str
    language: str
    excerpt: SafeString


def attach_hits(recs: Sequence[Recommendation], query: str) -> None:
    """Give each of ``recs`` its best matching document as ``search_hit`` (None if none), with
    an excerpt around the words found: one query for the page."""
    for rec in recs:
        rec.search_hit = None
    terms = query_terms(query)
    if not recs or not terms:
        return
    from_, where, score, params = _match(terms)
    by_id = {rec.pk: rec for rec in recs}
    marks = ", ".join(["%s"] * len(by_id))
    sql = (  # the fragments are constants; the words and ids are parameters
        f"SELECT d.recommendation_id, d.kind, d.key, d.language, d.title, d.text, {score} AS s "  # noqa: S608
        f"FROM {from_} WHERE {where} AND d.recommendation_id IN ({marks}) "
        "ORDER BY d.recommendation_id, s DESC, d.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *by_id])
        rows = cursor.fetchall()
    for rec_id, kind, key, language, title, body, _s in rows:
        rec = by_id[rec_id]
        if rec.search_hit is not None:
            continue
        shown = excerpt(body, terms)
        if not shown.found:
            shown = excerpt(title, terms)
        rec.search_hit = Hit(kind, key, language, mark_safe(shown.html))  # noqa: S308 (escaped)
