"""JSON endpoints of distribution on the portal's one Ninja API (admin session): the live status
of a distribution, polled by its status page, and how many channels a selection reaches, asked by
the distribute form as the editor ticks regions."""

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from wagtail.models import Page

from distribution.admin_views import can_view_distributions
from distribution.models import Channel, Distribution
from distribution.services import can_distribute, reach_preview
from distribution.status import distribution_status
from geodata.models import Region
from portal.api_types import INVALID, UNAUTHORISED, AdCode, Id, Problem

router = Router(tags=["distribution"])

# At most every region (116) and a generous number of channels in one selection.
MAX_REGIONS = 200
MAX_CHANNELS = 2000


@router.get(
    "/distributions/{distribution_id}/status",
    auth=django_auth,
    url_name="distribution_status",
    response={200: dict, 403: Problem, 404: Problem, **INVALID, **UNAUTHORISED},
)
def status(request, distribution_id: Path[Id]):
    """Counts per state, per prefecture with its counties, and failing channels."""
    if not can_view_distributions(request.user):
        raise HttpError(403, "没有查看分发记录的权限")
    return distribution_status(get_object_or_404(Distribution, pk=distribution_id))


class SelectionQuery(Schema):
    everywhere: bool = Field(False, description="全省所有渠道")
    region: list[AdCode] = Field(
        default_factory=list, max_length=MAX_REGIONS, description="行政区代码（市州含下辖县市区）"
    )
    channel: list[Id] = Field(default_factory=list, max_length=MAX_CHANNELS, description="渠道 ID")
    resend: bool = Field(False, description="重新发送：不跳过已收到的渠道")


class ReachPreview(Schema):
    channels: int = Field(description="所选范围内可送达的渠道数（启用且未暂停）")
    already: int = Field(description="其中已收到或正在接收这篇内容、将被跳过的渠道数")
    to_send: int = Field(description="将发送的渠道数")


@router.get(
    "/pages/{page_id}/reach",
    auth=django_auth,
    response={200: ReachPreview, 403: Problem, 404: Problem, **INVALID, **UNAUTHORISED},
    url_name="distribution_reach",
)
def reach(request, page_id: Path[Id], selection: Query[SelectionQuery]):
    """How many channels a selection reaches before sending (unknown codes and ids reach none)."""
    page = get_object_or_404(Page, pk=page_id)
    if not can_distribute(request.user, page):
        raise HttpError(403, "没有分发这篇内容的权限")
    return reach_preview(
        page,
        regions=list(Region.objects.filter(pk__in=selection.region)),
        channels=list(Channel.objects.filter(pk__in=selection.channel)),
        everywhere=selection.everywhere,
        resend=selection.resend,
    )
