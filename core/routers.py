"""A DRF router for ViewSets that keep the URL names their clients already reverse."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, path
from rest_framework.routers import DynamicRoute, SimpleRouter

# What SimpleRouter's name templates become here: the registration and the route's kind
# ("list", "detail", or an @action's url_name), split again in get_urls().
_SEPARATOR = "\n"
_KIND = {"{basename}-list": "list", "{basename}-detail": "detail"}


class NamedRouter(SimpleRouter):
    """SimpleRouter with Django path converters (``<int:pk>``, from the ViewSet's
    ``lookup_value_converter``) and URL names given at registration instead of derived as
    ``<basename>-<action>``::

        router.register("comments", CommentViewSet, names={"detail": "detail", "hide": "hide"})

    ``names`` maps "list", "detail" and the ``url_name`` of each @action to the URL name. A
    route the ViewSet answers but ``names`` leaves out is an error, so no URL appears under a
    name nobody chose. The prefix may hold converters of its own
    (``recommendations/<int:pk>/comments``)."""

    routes = [
        route._replace(
            name=f"{{basename}}{_SEPARATOR}"
            + ("{url_name}" if isinstance(route, DynamicRoute) else _KIND[route.name])
        )
        for route in SimpleRouter.routes
    ]

    def __init__(self) -> None:
        super().__init__(trailing_slash=True, use_regex_path=False)
        self._names: dict[str, dict[str, str]] = {}

    def register(self, prefix, viewset, basename=None, *, names: dict[str, str]) -> None:
        basename = basename or prefix
        super().register(prefix, viewset, basename)
        self._names[basename] = dict(names)

    def get_urls(self) -> list[URLPattern]:
        urls = []
        unused = {(basename, kind) for basename, names in self._names.items() for kind in names}
        for url in super().get_urls():
            basename, kind = url.name.split(_SEPARATOR)
            name = self._names[basename].get(kind)
            if name is None:
                raise ImproperlyConfigured(
                    f"NamedRouter: no URL name for the {kind!r} route of {basename!r}"
                )
            unused.discard((basename, kind))
            urls.append(path(str(url.pattern), url.callback, name=name))
        if unused:
            raise ImproperlyConfigured(f"NamedRouter: names given for no route: {sorted(unused)}")
        return urls
