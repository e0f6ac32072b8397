"""One Markdown converter per thread is reused (``text.render._markdown``): nothing of one
document (abbreviations, footnotes, heading ids) may reach the next one."""

from concurrent.futures import ThreadPoolExecutor

from text import render_markdown, render_paragraphs


def test_abbreviations_and_footnotes_do_not_leak_into_the_next_document():
    first = render_markdown(
        "*[IOM]: International Organization for Migration\n\nIOM here[^1]\n\n[^1]: A note."
    )
    assert "<abbr" in first and "footnote" in first
    second = render_markdown("IOM again[^1]")
    assert "<abbr" not in second
    assert "footnote" not in second and "[^1]" in second


def test_heading_ids_start_again_in_each_document():
    html = render_markdown("## Funding")
    assert render_markdown("## Funding") == html
    assert 'id="user-content-funding"' in html


def test_threads_render_at_once_without_mixing():
    def render(i: int) -> str:
        paragraphs, notes = render_paragraphs([f"Text {i}[^n]", f"[^n]: Note {i}."], ["a", "b"])
        return paragraphs[0]["html"] + notes

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(render, range(40)))
    for i, html in enumerate(results):
        assert f"Text {i}" in html and f"Note {i}." in html
        assert all(f"Note {j}." not in html for j in range(40) if j != i)
