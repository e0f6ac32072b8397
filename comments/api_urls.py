"""JSON API of comments (mounted at /api/). Namespaced, so that its names stay apart from the
recommendations app's ``api-*`` names.

The URL names are the ones clients reverse (``comments_api:respond``): the router is given them
rather than deriving ``<basename>-<action>``."""

from core.routers import NamedRouter

from . import api

app_name = "comments_api"

router = NamedRouter()
router.register(
    "recommendations/<int:pk>/comments",
    api.RecommendationCommentViewSet,
    names={"list": "list"},
)
router.register(
    "comments",
    api.CommentViewSet,
    names={
        "detail": "detail",
        "resolve": "resolve",
        "reopen": "reopen",
        "hide": "hide",
        "restore": "restore",
        "report": "report",
        "respond": "respond",
    },
)

urlpatterns = router.urls
