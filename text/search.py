"""Words for full-text search in English, French and Arabic, and the excerpts that show them.

One normalisation for what is indexed and what is asked, so the database (PostgreSQL's
``simple`` configuration or SQLite's FTS5 ``unicode61`` tokenizer) only has to match plain
words, whatever its own language support:

- case folded (``Économie`` and ``économie``);
- accents and other combining marks dropped (``economie`` finds ``économie``; the Arabic short
  vowels and the shadda too, which writers mostly leave out);
- the Arabic letters that are written several ways brought to one: alef with hamza or madda,
  alef wasla (to ``ا``), alef maqsura (to ``ي``), ta marbuta (to ``ه``), hamza on waw and ya;
  the tatweel (a stretching stroke, ``ـ``) removed;
- Arabic words with the article or a one-letter preposition in front of it (``ال``, ``وال``,
  ``بال``, ``كال``, ``فال``, ``لل``) are indexed with and without it, so ``مدينة`` finds
  ``المدينة`` and ``للمدينة``.

Each asked word matches the indexed words that start with it (``recommand`` finds
``recommandations``). The excerpt is cut from the original text around the first match, with
every match marked, by mapping the normalised text back to the original characters.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Excerpt", "excerpt", "fold", "index_words", "query_terms"]

_WORD_RE = re.compile(r"[^\W_]+")
_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
_ARABIC_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_MIN_STEM = 2  # letters left after the article for the stripped form to be indexed
_LETTERS = {
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0649": "\u064a",  # alef maqsura -> ya
    "\u0629": "\u0647",  # ta marbuta -> ha
    "\u0640": "",  # tatweel
    "œ": "oe",
    "æ": "ae",
    "ı": "i",
}
MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def _fold_char(char: str) -> str:
    # Compatibility forms first (a mathematical capital is a capital), then case, then the
    # decomposition again (casefold can make letters that decompose), marks dropped.
    folded = unicodedata.normalize("NFKD", char).casefold()
    out = []
    for part in unicodedata.normalize("NFKD", folded):
        if unicodedata.combining(part):
            continue
        out.append(_LETTERS.get(part, part))
    return "".join(out)


@functools.cache
def _table() -> dict[int, str | None]:
    """Combining marks dropped, letter forms mapped: made on first use (0.2 s), not at import."""
    marks: dict[int, str | None] = {
        c: None for c in range(0x110000) if unicodedata.combining(chr(c))
    }
    return {**marks, **{ord(k): v for k, v in _LETTERS.items()}}


def fold(text: str) -> str:
    """``text`` folded for matching (case, accents, Arabic letter forms).

    The same as folding each character (``_fold_char``, which excerpts need to map back to
    the original), done on the whole string: ten times faster on a large index."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return decomposed.translate(_table())


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original one."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def _strip_article(word: str) -> str | None:
    if not _ARABIC_RE.match(word):
        return None
    for article in _ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= _MIN_STEM:
            return word[len(article) :]
    return None


def index_words(text: str) -> str:
    """The words to index for ``text``: folded, Arabic ones also without their article."""
    words: list[str] = []
    for word in _WORD_RE.findall(fold(text)):
        words.append(word)
        stem = _strip_article(word)
        if stem:
            words.append(stem)
    return " ".join(words)


def query_terms(query: str) -> list[str]:
    """The words of what someone typed, folded, in order, without repeats (at most eight).

    Only letters and digits are kept, so nothing typed can become query syntax of either
    database. An Arabic word asked with its article is looked for without it (which finds
    both forms, since both are indexed)."""
    terms: list[str] = []
    for word in _WORD_RE.findall(fold(query)):
        word = (_strip_article(word) or word)[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def _matches(word: str, terms: list[str]) -> bool:
    stem = _strip_article(word)
    return any(word.startswith(t) or (stem is not None and stem.startswith(t)) for t in terms)


@dataclass(frozen=True)
class Excerpt:
    html: str  # escaped text with <mark> around each match
    found: bool  # whether any of the terms is in the text


def excerpt(text: str, terms: list[str], *, width: int = 220, before: int = 60) -> Excerpt:
    """At most ``width`` characters of ``text`` around its first match, matches marked.

    The text is escaped; only the ``<mark>`` elements are markup. Without a match, the
    beginning of the text."""
    text = " ".join((text or "").split())
    folded, origin = _folded_with_map(text)
    spans: list[tuple[int, int]] = []
    for match in _WORD_RE.finditer(folded):
        if terms and _matches(match.group(), terms):
            spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    if spans:
        start = max(0, spans[0][0] - before)
        if start and text[start - 1] != " ":  # begin on a whole word
            space = text.find(" ", start, spans[0][0])
            start = space + 1 if space >= 0 else spans[0][0]
    else:
        start = 0
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    parts: list[str] = ["…"] if start else []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= cursor or span_start >= end:
            continue
        span_start = max(span_start, cursor)
        span_end = min(span_end, end)
        parts.append(html.escape(text[cursor:span_start]))
        parts.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(html.escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return Excerpt("".join(parts), bool(spans))
