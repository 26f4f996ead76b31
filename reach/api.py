"""Reach endpoints of the portal's one API: the page-view beacon, channel reports and a channel's
own figures (``/api/reach/…``), and the coverage GeoJSON (``/api/coverage/``)."""

import datetime
import hashlib
import threading
from typing import Literal

from cachetools import TTLCache
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError
from wagtail.models import Page

from content.models import ArticlePage, VideoPage
from portal.api_types import (
    CHANNEL_CODE_PATTERN,
    INVALID,
    MAX_ID,
    PLAIN_TEXT_PATTERN,
    UNAUTHORISED,
    UNREADABLE,
    AdCode,
    Day,
    Id,
    Problem,
    WholeNumber,
    json_whole_number,
)
from reach import channels, coverage
from reach.counting import client_ip, parse_load, record_beacon
from reach.models import is_demo_install
from reach.reports import ReportRefused, record_report
from reach.scope import NoScope, is_official, official_scope, scope_name

router = Router(tags=["reach"])
coverage_router = Router(tags=["coverage"])


# --- The page-view beacon ------------------------------------------------------------------


class BeaconThrottle(SimpleRateThrottle):
    """Beacons per client within the window of REACH_BEACON_RATE. The cache key is a keyed hash
    of the address, so not even the rate limiter keeps a raw IP address.

    One instance per request: the throttle keeps the request's key and history on itself, and a
    web process answers several requests at once in its threads; a shared instance would write
    one reader's count under another's key."""

    def __init__(self):
        super().__init__(settings.REACH_BEACON_RATE)

    def get_cache_key(self, request):
        digest = hashlib.blake2b(
            client_ip(request).encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
        ).hexdigest()
        return f"reach:beacon:{digest}"


class ViewBeacon(Schema):
    page: WholeNumber = Field(
        ..., ge=1, le=MAX_ID, description="页面 ID（页面中 data-reach-page 的值）"
    )
    ch: str | None = Field(
        None,
        max_length=32,
        pattern=CHANNEL_CODE_PATTERN,
        description="跟踪链接中的渠道代码 ?ch=",
    )
    load: str | None = Field(
        None,
        pattern=r"^[0-9a-fA-F]{32}$",
        description="页面加载标识（页面中 data-reach-load 的值）：同一次加载不重复计数",
    )

    @field_validator("ch", mode="before")
    @classmethod
    def code_is_text(cls, value):
        if value is not None and not isinstance(value, str):
            raise PydanticCustomError("ch", "ch 须为渠道代码（文字）")
        return value


@router.post(
    "/view/",
    response={204: None, 404: Problem, 429: Problem, **UNREADABLE, **INVALID},
    url_name="reach_view",
    summary="记录一次页面浏览（缓存页面的信标）",
    description=(
        "页面加载后发送一次。服务器已渲染并计数的同一次加载不再计数；从缓存返回的页面由此计数。"
        "不设置任何 Cookie；爬虫与编辑本人的浏览不计入；同一客户端过于频繁时返回 429。"
    ),
)
def view_beacon(request, payload: ViewBeacon):
    if not BeaconThrottle().allow_request(request):
        raise HttpError(429, _("请求过于频繁，请稍后再试"))
    counted = is_counted_page(payload.page)
    if counted is None:
        raise HttpError(404, _("找不到该页面"))
    if counted:
        record_beacon(request, payload.page, payload.ch, parse_load(payload.load))
    return HttpResponse(status=204)


# Pages the beacon asked about in the last minute: True (a live article or video), False (a
# live page that is not counted) or None (no such live page).
_pages = TTLCache(maxsize=20_000, ttl=60)
_pages_lock = threading.Lock()


def is_counted_page(page_id):
    with _pages_lock:
        if page_id in _pages:
            return _pages[page_id]
    content_type = (
        Page.objects.live().filter(pk=page_id).values_list("content_type_id", flat=True).first()
    )
    counted = None
    if content_type is not None:
        types = ContentType.objects.get_for_models(ArticlePage, VideoPage).values()
        counted = content_type in {ct.pk for ct in types}
    with _pages_lock:
        _pages[page_id] = counted
    return counted


# --- Channels: reports and their own figures -----------------------------------------------


class ChannelToken(HttpBearer):
    """The channel's reporting token (``Authorization: Bearer pfc_…``)."""

    def authenticate(self, request, token):
        from distribution.models import channel_for_token

        channel = channel_for_token(token)
        if channel is None:
            raise HttpError(401, _("渠道令牌无效或渠道已停用"))
        return channel


# Far above any real day (the population checks refuse absurd figures with a reason), and what
# the database column holds.
MAX_READS = 10**12


# Missing fields are refused with a Chinese message naming them (``complete``); the schema
# states the same rules: date and reads required, and item_id or item_url.
class ReportIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "required": ["date", "reads"],
            "anyOf": [{"required": ["item_id"]}, {"required": ["item_url"]}],
        }
    )

    item_id: WholeNumber = Field(
        None, ge=1, le=MAX_ID, description="内容（页面）ID；与 item_url 二选一"
    )
    item_url: str = Field(
        None,
        min_length=1,
        max_length=500,
        pattern=PLAIN_TEXT_PATTERN,
        description="内容在本站的网址",
    )
    date: Day = Field(None, description="阅读发生的日期 YYYY-MM-DD")
    reads: int = Field(None, ge=0, le=MAX_READS, description="当日阅读数（非负整数）")

    @field_validator("reads", mode="before")
    @classmethod
    def reads_is_count(cls, value):
        if value is None:
            return None
        value = json_whole_number(value)
        if value < 0:
            raise PydanticCustomError("reads", "阅读数不能为负数")
        return value

    @model_validator(mode="after")
    def complete(self):
        if self.item_id is None and not self.item_url:
            raise PydanticCustomError("item", "须提供 item_id 或 item_url")
        if self.date is None:
            raise PydanticCustomError("date", "缺少日期 date")
        if self.reads is None:
            raise PydanticCustomError("reads", "缺少阅读数 reads")
        return self


class ReportOut(Schema):
    item_id: int
    date: datetime.date
    reads: int
    replaced: bool = Field(..., description="是否替换了此前上报的同日数字")
    previous_reads: int | None


@router.post(
    "/reports/",
    auth=ChannelToken(),
    response={
        200: ReportOut,
        201: ReportOut,
        404: Problem,
        **UNREADABLE,
        **INVALID,
        **UNAUTHORISED,
    },
    url_name="reach_reports",
    summary="渠道上报自有平台的阅读数",
    description="同一渠道、同一内容、同一日期重复上报时替换原数字，不累加。",
)
def report_reads(request, payload: ReportIn):
    try:
        outcome = record_report(
            request.auth, payload.date, payload.reads, payload.item_id, payload.item_url
        )
    except ReportRefused as refusal:
        return refusal.status, {"detail": refusal.message}
    report = outcome.report
    return 200 if outcome.replaced else 201, {
        "item_id": report.page_id,
        "date": report.date,
        "reads": report.reads,
        "replaced": outcome.replaced,
        "previous_reads": outcome.previous_reads,
    }


class DeliveryOut(Schema):
    item_id: int | None
    title: str
    state: str
    state_label: str
    delivered_at: datetime.datetime | None


class ItemFiguresOut(Schema):
    item_id: int
    title: str
    delivered: int
    views: int
    visitors: int
    reported_reads: int | None


class ChannelFiguresOut(Schema):
    channel: str
    code: str
    region: str
    start: datetime.date
    end: datetime.date
    deliveries: list[DeliveryOut]
    items: list[ItemFiguresOut]


class PeriodQuery(Schema):
    start: Day = Field(None, description="开始日期 YYYY-MM-DD，默认最近 30 天")
    end: Day = Field(None, description="结束日期 YYYY-MM-DD，默认今天")


def checked_filter(**filters):
    """A filter set the schema let through but the data refuses (start after end, an unknown
    item): 400 with the reason in Chinese."""
    try:
        return coverage.make_filter(**filters)
    except coverage.InvalidFilter as exc:
        raise HttpError(400, exc.message) from None


@router.get(
    "/channel/",
    auth=ChannelToken(),
    response={200: ChannelFiguresOut, 400: Problem, **INVALID, **UNAUTHORISED},
    url_name="reach_channel",
    summary="渠道查看本渠道的送达与数字",
    description="只返回令牌所属渠道自己的送达记录和数字。",
)
def channel_figures(request, period: Query[PeriodQuery]):
    flt = checked_filter(start=period.start, end=period.end)
    return channels.channel_report(request.auth, flt.start, flt.end)


# --- Coverage ------------------------------------------------------------------------------


class CoverageQuery(Schema):
    level: Literal["prefecture", "county"] = Field(
        "prefecture", description="prefecture（市州）或 county（县市区）"
    )
    item: Id = Field(None, description="内容（页面）ID；不填为全部内容")
    topic: Id = Field(None, description="栏目（页面）ID")
    region: AdCode = Field(None, description="只看一个地级单位（行政区划代码）")
    start: Day = Field(None, description="开始日期 YYYY-MM-DD；默认最近 30 天")
    end: Day = Field(None, description="结束日期 YYYY-MM-DD；默认今天")


class CoverageProperties(Schema):
    adcode: int
    name: str
    population: int | None = Field(..., description="常住人口；未知为 null")
    delivered: int | None = Field(
        ..., description="送达：不重复的“渠道 × 内容”数（重发不再计）；尚未汇总时为 null"
    )
    delivered_channels: int | None = Field(..., description="送达渠道：收到内容的不重复渠道数")
    views: int | None = Field(..., description="浏览量：页面加载次数；尚未汇总时为 null")
    visitors: int | None = Field(..., description="访客：每天每条内容的独立访客之和")
    reported_reads: int | None = Field(
        ..., description="上报阅读量；无渠道上报时为 null（未知，不是 0）"
    )
    views_per_10k: float | None
    visitors_per_10k: float | None
    reported_reads_per_10k: float | None


class CoverageFeature(Schema):
    type: str = "Feature"
    id: int
    properties: CoverageProperties
    geometry: dict | None


class CoverageCollection(Schema):
    type: str = "FeatureCollection"
    demo: bool = Field(..., description="本站数据是否为演示数据")
    properties: dict
    features: list[CoverageFeature]


def coverage_scope(request, query):
    """What the asker may see: the public gets totals for all content (what /map/ shows);
    an item or topic needs an official's log-in and is cut to the official's scope. Returns
    (scope adcode or None for the province, the scope's name); raises 401/403."""
    if not (query.item or query.topic):
        return query.region, None
    if not is_official(request.user):
        raise HttpError(401, _("按内容或栏目查看覆盖数据需要以官员身份登录"))
    try:
        region = official_scope(request.user)
    except NoScope as closed:
        raise HttpError(403, str(closed)) from None
    if region is None:
        return query.region, scope_name(None)
    if query.region not in (None, region.pk):
        raise HttpError(403, _("只能查看本辖区（%(name)s）的数据") % {"name": region.name})
    return region.pk, scope_name(region)


# RFC 7946's media type; clients that ask for application/json alone get that instead.
GEOJSON = "application/geo+json"


@coverage_router.get(
    "/",
    response={200: CoverageCollection, 400: Problem, 403: Problem, **UNAUTHORISED, **INVALID},
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    GEOJSON: {"schema": {"$ref": "#/components/schemas/CoverageCollection"}}
                }
            }
        }
    },
    url_name="coverage",
    summary="各地区覆盖数据（GeoJSON）",
    description=(
        "按市州或县市区返回送达、送达渠道、浏览量、访客、上报阅读量（互不相加）及每万人数字；"
        "人口未知的地区每万人数字为 null，未知的数字为 null（不是 0）。"
        "公开部分为全部内容的合计（与普法地图相同）；按内容（item）或栏目（topic）查看需以官员身份"
        "登录，并只返回其辖区。顶层 demo 为 true 时本站数据为演示数据。"
        "只读每日汇总，按筛选条件缓存。"
    ),
)
def coverage_geojson(request, response: HttpResponse, query: Query[CoverageQuery]):
    if request.accepts(GEOJSON):
        response["Content-Type"] = GEOJSON
    scope, name = coverage_scope(request, query)
    flt = checked_filter(
        level=query.level,
        start=query.start,
        end=query.end,
        item=query.item,
        topic=query.topic,
        scope=scope,
    )
    result = coverage.coverage(flt)
    return coverage.coverage_geojson(
        result, demo=is_demo_install(), as_of=result.as_of, scope_name=name
    )
