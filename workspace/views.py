from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Membership
from accounts.summary import what_you_can_do
from commitments.selectors import home_prompts
from conference.overview import overview_for
from notifications.selectors import attention
from publication.selectors import reconfirm_prompts
from recommendations import permissions as rec_perms
from recommendations.models import Recommendation, Status

ATTENTION_LIMIT = 10


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What needs the user's attention; the public sees a short introduction."""
    context: dict = {}
    user = request.user
    if user.is_authenticated:
        context["overview"] = overview_for(user, summary=True)
        context["memberships"] = list(
            Membership.objects.filter(user=user).select_related("organisation")
        )
        context["what_you_can_do"] = what_you_can_do(user, context["memberships"])
        context["can_draft"] = rec_perms.can_draft(user, context["memberships"])
        visible = Recommendation.objects.visible_to(user).for_list()
        context["my_open"] = list(
            Recommendation.objects.drafted_by(user)
            .filter(status__in=[Status.DRAFT, Status.IN_REVIEW, Status.APPROVED])
            .for_list()
            .order_by("-updated_at")[:ATTENTION_LIMIT]
        )
        if user.is_moderator:
            context["to_moderate"] = list(
                visible.filter(status=Status.IN_REVIEW).order_by("submitted_at")[:ATTENTION_LIMIT]
            )
        if user.is_secretariat:
            context["to_finalise"] = list(
                visible.filter(status=Status.APPROVED).order_by("approved_at")[:ATTENTION_LIMIT]
            )
        context["reconfirm"] = reconfirm_prompts(user)
        context.update(home_prompts(user))
        context["attention"] = attention(user, limit=ATTENTION_LIMIT)
        context["in_review"] = list(
            visible.filter(status=Status.IN_REVIEW).order_by("-updated_at")[:ATTENTION_LIMIT]
        )
    return render(request, "home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
