from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Membership


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What needs the user's attention; the public sees a short introduction."""
    context: dict = {}
    if request.user.is_authenticated:
        context["memberships"] = list(
            Membership.objects.filter(user=request.user).select_related("organisation")
        )
    return render(request, "home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
