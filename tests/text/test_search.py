"""Words folded for search (``text.search``): one rule for what is indexed and what is asked,
so that accents, letter case and the several ways of writing Arabic letters do not hide a
text, and excerpts that mark what was found without letting any markup through."""

from hypothesis import given
from hypothesis import strategies as st

from text.search import MAX_TERMS, _fold_char, excerpt, fold, index_words, query_terms


def found(text: str, query: str) -> bool:
    """As the databases match: every asked word starts an indexed word."""
    words = index_words(text).split()
    return all(any(w.startswith(t) for w in words) for t in query_terms(query))


def test_french_with_and_without_accents():
    text = "L'accueil des réfugiés : un guichet unique, Économie locale, cœur de ville."
    for query in ("réfugiés", "refugies", "REFUGIES", "économie", "economie", "coeur", "cœur"):
        assert found(text, query), query
    # And the other way round: a text written without accents is found with them.
    assert found("Les refugies arrivent", "réfugiés")


def test_words_are_found_by_their_beginning():
    assert found("Recognise foreign qualifications", "qualif")
    assert found("Les recommandations de Beyrouth", "recommandation")
    assert not found("Recognise foreign qualifications", "qualifying")


def test_arabic_letter_forms_vowels_and_tatweel_are_one():
    text = "ينبغي للمدن أن تفتح نقطة استقبال موحدة"
    assert found(text, "ان")  # alef with hamza asked without it
    assert found(text, "نقطه")  # ta marbuta written as ha
    assert found("إِسْتِقْبَالُ الوافدين", "استقبال")  # short vowels and hamza below
    assert found("استقبـــال", "استقبال")  # tatweel
    assert found("مستشفى المدينة", "مستشفي")  # alef maqsura


def test_arabic_article_and_prepositions():
    assert found("نقطة الاستقبال", "استقبال")
    assert found("خدمات للمدينة", "مدينة")
    assert found("والمدينة", "مدينة")
    assert found("مدينة", "المدينة")  # asked with the article, found without
    # A short word is not cut down to almost nothing.
    assert "ل" not in index_words("الل").split()


def test_only_letters_and_digits_reach_the_database():
    terms = query_terms('"OR" NEAR(a b) * col:x -y ^2030')
    assert terms == ["or", "near", "a", "b", "col", "x", "y", "2030"]
    assert query_terms("*** ''' ---") == []
    assert len(query_terms(" ".join(f"w{i}" for i in range(30)))) == MAX_TERMS


@given(st.text(max_size=80))
def test_terms_are_always_plain_words(query):
    for term in query_terms(query):
        assert term and all(c.isalnum() for c in term)
        assert term == fold(term)


def test_excerpt_marks_matches_in_the_original_text():
    shown = excerpt("Les familles arrivées récemment ont besoin d'un guichet.", ["arrivees"])
    assert shown.found
    assert "<mark>arrivées</mark>" in shown.html
    shown = excerpt("تعاون البلديات مع الجمعيات المحلية للمدينة", query_terms("مدينة"))
    assert "<mark>للمدينة</mark>" in shown.html


def test_excerpt_is_cut_around_the_first_match_on_whole_words():
    text = " ".join(f"word{i}" for i in range(200)) + " needle " + "tail " * 50
    shown = excerpt(text, ["needle"], width=80)
    assert shown.html.startswith("…word")
    assert "<mark>needle</mark>" in shown.html
    assert shown.html.endswith("…")
    body = shown.html.strip("…")
    assert not body.startswith(("ord", "rd")) and len(body) <= 100


def test_excerpt_without_a_match_is_the_beginning():
    shown = excerpt("Nothing here matches at all.", ["zebra"])
    assert not shown.found
    assert shown.html == "Nothing here matches at all."


@given(st.text(max_size=80))
def test_folding_a_string_is_folding_each_character(text):
    # The excerpt maps folded characters back to the original ones: both must agree.
    assert fold(text) == "".join(_fold_char(c) for c in text)


@given(st.text(max_size=80))
def test_folding_twice_is_folding_once(text):
    assert fold(fold(text)) == fold(text)
    assert index_words(fold(text)) == index_words(text)


@given(st.text(max_size=200), st.text(max_size=20))
def test_excerpt_never_lets_markup_through(text, query):
    shown = excerpt(text, query_terms(query))
    stripped = shown.html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
