from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import WORKSPACE_ROLES, Membership


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    roles = [r for r in WORKSPACE_ROLES if request.user.has_role(r)]
    return render(request, "accounts/profile.html", {"memberships": memberships, "roles": roles})
