"""Pages of publication: the public text under /published/ (no login), the secretariat's
composing pages, and the representatives' endorsement forms under the recommendation they
are about. The forms' former paths under /published/endorsements/ answer 308 (the method is
kept, so an old form posted from a page still open works).

The public pages also answer under a language prefix (``/fr/published/``,
``/ar/published/editions/<n>/``...), in that language whatever the browser, cookie or profile
say; the unprefixed ones follow the person's language as every page does. The Markdown and
the JSON have no prefix: their bytes are the same in every language."""

from django.urls import path, register_converter

from core.http import moved_permanently

from . import views

app_name = "publication"

register_converter(views.LanguageConverter, "language")

urlpatterns = [
    path("published/", views.latest, name="latest"),
    path("published/editions/<int:number>/", views.edition_page, name="edition"),
    path("published/editions/<int:number>/print/", views.print_page, name="print"),
    path("<language:language>/published/", views.latest, name="latest"),
    path(
        "<language:language>/published/editions/<int:number>/",
        views.edition_page,
        name="edition",
    ),
    path(
        "<language:language>/published/editions/<int:number>/print/",
        views.print_page,
        name="print",
    ),
    path("published/editions/edition-<int:number>.md", views.markdown, name="markdown"),
    path("published/editions/edition-<int:number>.pdf", views.pdf, name="pdf"),
    path(
        "published/editions/edition-<int:number>.<language:language>.md",
        views.language_markdown,
        name="language_markdown",
    ),
    path("published/editions/new/", views.compose, name="compose"),
    path("published/drafts/<int:pk>/", views.draft, name="draft"),
    path("published/drafts/<int:pk>/choose/", views.choose, name="choose"),
    path("published/drafts/<int:pk>/publish/", views.publish, name="publish"),
    path("recommendations/<int:pk>/endorsement/", views.endorse, name="endorse"),
    path("recommendations/<int:pk>/endorsement/withdraw/", views.withdraw, name="withdraw"),
    path("recommendations/<int:pk>/endorsement/reconfirm/", views.reconfirm, name="reconfirm"),
    # Where the forms were until the layout of November 2026.
    path("published/endorsements/<int:pk>/", moved_permanently("publication:endorse")),
    path("published/endorsements/<int:pk>/withdraw/", moved_permanently("publication:withdraw")),
    path("published/endorsements/<int:pk>/reconfirm/", moved_permanently("publication:reconfirm")),
]
