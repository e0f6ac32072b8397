"""Which paragraphs of a new text changed since an old one (what a translator must update)."""

from text import changed_paragraphs


def test_an_edited_and_an_added_paragraph_are_named_by_their_new_numbers():
    old = "One.\n\nTwo words here.\n\nThree."
    new = "One.\n\nTwo more words here.\n\nThree.\n\nFour."
    assert changed_paragraphs(old, new) == ([2, 4], 0)


def test_a_removed_paragraph_is_counted_and_an_unchanged_text_names_nothing():
    assert changed_paragraphs("One.\n\nTwo.\n\nThree.", "One.\n\nThree.") == ([], 1)
    assert changed_paragraphs("One.\n\nTwo.", "One.\n\nTwo.") == ([], 0)


def test_a_paragraph_inserted_before_others_shifts_nothing_else():
    old = "Alpha paragraph.\n\nBeta paragraph."
    new = "New first.\n\nAlpha paragraph.\n\nBeta paragraph."
    assert changed_paragraphs(old, new) == ([1], 0)
