"""JSON endpoints of distribution on the portal's one Ninja API: the live status of a
distribution, polled by its status page (admin session)."""

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError
from ninja.security import django_auth

from distribution.admin_views import can_view_distributions
from distribution.models import Distribution
from distribution.status import distribution_status

router = Router(tags=["distribution"])


@router.get(
    "/distributions/{distribution_id}/status", auth=django_auth, url_name="distribution_status"
)
def status(request, distribution_id: int):
    """Counts per state, per prefecture with its counties, and failing channels."""
    if not can_view_distributions(request.user):
        raise HttpError(403, "没有查看分发记录的权限")
    return distribution_status(get_object_or_404(Distribution, pk=distribution_id))
