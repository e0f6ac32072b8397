"""The API's URL names (what pages, scripts and clients reverse) stay bound to the same paths
and methods now that ViewSets and routers build them, and the router refuses to invent one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, resolve, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from core.routers import NamedRouter

# name, arguments, path, methods answered (besides HEAD and OPTIONS)
API_URLS = [
    ("api-recommendations", [], "/api/recommendations/", {"GET", "POST"}),
    ("api-recommendation", [3], "/api/recommendations/3/", {"GET", "PATCH"}),
    ("api-versions", [3], "/api/recommendations/3/versions/", {"GET"}),
    ("api-events", [3], "/api/recommendations/3/events/", {"GET"}),
    ("api-diff", [3], "/api/recommendations/3/diff/", {"GET"}),
    ("api-restore", [3], "/api/recommendations/3/restore/", {"POST"}),
    ("api-submit", [3], "/api/recommendations/3/submit/", {"POST"}),
    ("api-approve", [3], "/api/recommendations/3/approve/", {"POST"}),
    ("api-reject", [3], "/api/recommendations/3/reject/", {"POST"}),
    ("api-withdraw", [3], "/api/recommendations/3/withdraw/", {"POST"}),
    ("api-finalise", [3], "/api/recommendations/3/finalise/", {"POST"}),
    ("api-drafters", [3], "/api/recommendations/3/organisations/", {"POST"}),
    ("api-drafter", [3, "tunis"], "/api/recommendations/3/organisations/tunis/", {"DELETE"}),
    ("comments_api:list", [3], "/api/recommendations/3/comments/", {"GET", "POST"}),
    ("comments_api:detail", [5], "/api/comments/5/", {"GET", "PATCH"}),
    ("comments_api:resolve", [5], "/api/comments/5/resolve/", {"POST"}),
    ("comments_api:reopen", [5], "/api/comments/5/reopen/", {"POST"}),
    ("comments_api:hide", [5], "/api/comments/5/hide/", {"POST"}),
    ("comments_api:restore", [5], "/api/comments/5/restore/", {"POST"}),
    ("comments_api:report", [5], "/api/comments/5/report/", {"POST"}),
    ("comments_api:respond", [5], "/api/comments/5/respond/", {"POST"}),
    ("pub-api-endorsements", [3], "/api/recommendations/3/endorsements/", {"GET", "POST"}),
    ("pub-api-endorsement", [3, "tunis"], "/api/recommendations/3/endorsements/tunis/", {"DELETE"}),
    (
        "pub-api-reconfirm",
        [3, "tunis"],
        "/api/recommendations/3/endorsements/tunis/reconfirm/",
        {"POST"},
    ),
    ("pub-api-editions", [], "/api/editions/", {"POST"}),
    ("pub-api-publish", [7], "/api/editions/7/publish/", {"POST"}),
    ("pub-api-published", [], "/api/published/", {"GET"}),
    ("pub-api-published-edition", [2], "/api/published/editions/2/", {"GET"}),
]


def _methods(path: str) -> set[str]:
    view = resolve(path).func
    handled = set(view.actions) if hasattr(view, "actions") else set()
    if not handled:
        handled = {m for m in view.view_class.http_method_names if hasattr(view.view_class, m)}
    return {m.upper() for m in handled} - {"HEAD", "OPTIONS"}


@pytest.mark.parametrize(("name", "args", "path", "methods"), API_URLS)
def test_each_api_url_name_keeps_its_path_and_methods(name, args, path, methods):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name
    assert _methods(path) == methods


def test_object_ids_in_api_paths_are_integers():
    for path in (
        "/api/comments/x/",
        "/api/comments/x/resolve/",
        "/api/editions/x/publish/",
        "/api/recommendations/x/",
        "/api/recommendations/x/events/",
        "/api/recommendations/x/organisations/tunis/",
    ):
        with pytest.raises(Resolver404):
            resolve(path)


class _Things(ViewSet):
    lookup_value_converter = "int"

    @extend_schema(responses={200: None})
    def retrieve(self, request, pk):
        return Response()

    @extend_schema(responses={200: None})
    @action(detail=True, methods=["post"], url_path="poke")
    def poke(self, request, pk):
        return Response()


def test_the_router_names_each_route_as_told():
    router = NamedRouter()
    router.register("things", _Things, names={"detail": "thing", "poke": "poke-thing"})
    assert [(str(u.pattern), u.name) for u in router.urls] == [
        ("things/<int:pk>/", "thing"),
        ("things/<int:pk>/poke/", "poke-thing"),
    ]


def test_the_router_refuses_a_route_without_a_name():
    router = NamedRouter()
    router.register("things", _Things, names={"detail": "thing"})
    with pytest.raises(ImproperlyConfigured, match="'poke' route"):
        router.get_urls()


def test_the_router_refuses_a_name_for_no_route():
    router = NamedRouter()
    router.register("things", _Things, names={"detail": "thing", "poke": "p", "list": "things"})
    with pytest.raises(ImproperlyConfigured, match="list"):
        router.get_urls()
