"""JSON API of recommendations, under /api/ (names start with "api-").

The URL names are the ones pages, scripts and clients reverse: the router is given them rather
than deriving ``<basename>-<action>``."""

from core.routers import NamedRouter

from . import api

router = NamedRouter()
router.register(
    "recommendations",
    api.RecommendationViewSet,
    names={
        "list": "api-recommendations",
        "detail": "api-recommendation",
        "versions": "api-versions",
        "events": "api-events",
        "diff": "api-diff",
        "restore": "api-restore",
        "submit": "api-submit",
        "approve": "api-approve",
        "reject": "api-reject",
        "withdraw": "api-withdraw",
        "finalise": "api-finalise",
    },
)
router.register(
    "recommendations/<int:pk>/organisations",
    api.DrafterViewSet,
    names={"list": "api-drafters", "detail": "api-drafter"},
)

router.register(
    "recommendations/<int:pk>/translations",
    api.TranslationViewSet,
    names={"list": "api-translations", "detail": "api-translation"},
)

urlpatterns = router.urls
