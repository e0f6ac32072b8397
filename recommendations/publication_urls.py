"""Pages under /published/: the public text (no login) and the secretariat's and
representatives' forms."""

from django.urls import path

from . import publication_views as views

app_name = "publication"

urlpatterns = [
    path("", views.latest, name="latest"),
    path("editions/<int:number>/", views.edition_page, name="edition"),
    path("editions/<int:number>/print/", views.print_page, name="print"),
    path("editions/edition-<int:number>.md", views.markdown, name="markdown"),
    path("editions/new/", views.compose, name="compose"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/publish/", views.publish, name="publish"),
    path("endorsements/<int:pk>/", views.endorse, name="endorse"),
    path("endorsements/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("endorsements/<int:pk>/reconfirm/", views.reconfirm, name="reconfirm"),
]
