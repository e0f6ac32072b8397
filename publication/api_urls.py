"""API of endorsements and editions, under /api/ (names start with "pub-api-").

The URL names are the ones clients reverse: the router is given them rather than deriving
``<basename>-<action>``. ``/api/published/`` answers a GET with one object and has no lookup,
which no router route expresses: it is mapped by hand."""

from django.urls import path

from core.routers import NamedRouter

from . import api

router = NamedRouter()
router.register(
    "recommendations/<int:pk>/endorsements",
    api.EndorsementViewSet,
    names={
        "list": "pub-api-endorsements",
        "detail": "pub-api-endorsement",
        "reconfirm": "pub-api-reconfirm",
    },
)
router.register(
    "editions",
    api.EditionViewSet,
    names={"list": "pub-api-editions", "publish": "pub-api-publish"},
)
router.register(
    "published/editions",
    api.PublishedViewSet,
    names={"detail": "pub-api-published-edition"},
)

urlpatterns = [
    path(
        "published/",
        api.PublishedViewSet.as_view({"get": "latest"}),
        name="pub-api-published",
    ),
    *router.urls,
]
