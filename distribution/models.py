"""Channels, distributions and deliveries: what one click on 一键分发全省 creates and tracks.

A ``Distribution`` is one editor's click (what, who, when, which targets); it owns one
``Delivery`` per channel, and each delivery records every ``DeliveryAttempt``. A delivery is
delivered only when it happened: a webhook receiver answered 2xx, or a pull channel fetched its
authenticated feed while the item was in it.
"""

import base64
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "pfc_"
SECRET_PREFIX = "whsec_"
CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o/1/l: codes are read aloud on phones


def new_signing_secret():
    """A Standard Webhooks secret: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_webhook_id():
    return f"msg_{uuid.uuid4().hex}"


def new_channel_code():
    return get_random_string(8, CODE_ALPHABET)


def hash_token(token):
    # Tokens carry 256 random bits, so a plain SHA-256 is enough (no salt or stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


def validate_signing_secret(value):
    if not value.startswith(SECRET_PREFIX):
        raise ValidationError(_("签名密钥须以 whsec_ 开头"))
    try:
        raw = base64.b64decode(value.removeprefix(SECRET_PREFIX), validate=True)
    except ValueError as exc:
        raise ValidationError(_("签名密钥不是有效的 base64 编码")) from exc
    if not 24 <= len(raw) <= 64:
        raise ValidationError(_("签名密钥长度须为 24 至 64 字节"))


class ChannelQuerySet(models.QuerySet):
    def reachable(self):
        """Channels a distribution may go to: active and not paused."""
        return self.filter(active=True, paused=False)

    def for_token(self, token):
        if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
            return None
        return self.filter(token_hash=hash_token(token), active=True).first()


class Channel(models.Model):
    class Kind(models.TextChoices):
        PREFECTURE_PORTAL = "prefecture_portal", _("市州门户网站")
        MEDIA_CENTRE = "media_centre", _("县级融媒体中心")
        OFFICIAL_ACCOUNT = "official_account", _("政务新媒体账号")
        OTHER = "other", _("其他")

    class Mode(models.TextChoices):
        WEBHOOK = "webhook", _("推送（Webhook）")
        PULL = "pull", _("拉取（订阅源）")

    name = models.CharField(_("渠道名称"), max_length=120)
    code = models.SlugField(
        _("跟踪代码"),
        max_length=32,
        unique=True,
        default=new_channel_code,
        help_text=_("用于跟踪链接 ?ch=代码，创建后请勿修改"),
    )
    region = models.ForeignKey(
        "geodata.Region",
        verbose_name=_("行政区"),
        on_delete=models.PROTECT,
        related_name="channels",
    )
    kind = models.CharField(_("渠道类型"), max_length=20, choices=Kind.choices)
    delivery_mode = models.CharField(
        _("送达方式"), max_length=10, choices=Mode.choices, default=Mode.PULL
    )
    webhook_url = models.URLField(
        _("Webhook 地址"),
        max_length=500,
        blank=True,
        help_text=_("推送方式必填；不能指向内网、回环或云元数据地址"),
    )
    active = models.BooleanField(_("启用"), default=True)
    paused = models.BooleanField(
        _("已暂停"), default=False, help_text=_("持续失败的渠道会被自动暂停；排除故障后取消勾选")
    )
    paused_reason = models.CharField(_("暂停原因"), max_length=300, blank=True)
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    failing_since = models.DateTimeField(
        _("连续失败起始时间"), null=True, blank=True, editable=False
    )
    signing_secret = models.CharField(
        _("签名密钥"),
        max_length=100,
        default=new_signing_secret,
        validators=[validate_signing_secret],
        editable=False,
    )
    previous_secret = models.CharField(_("旧签名密钥"), max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        _("旧密钥失效时间"), null=True, blank=True, editable=False
    )
    token_hash = models.CharField(
        _("报告令牌摘要"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    token_hint = models.CharField(_("令牌开头"), max_length=12, blank=True, editable=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("分发渠道")
        verbose_name_plural = _("分发渠道")
        ordering = ["region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(delivery_mode="webhook") | ~Q(webhook_url=""),
                name="distribution_channel_webhook_has_url",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.delivery_mode == self.Mode.WEBHOOK:
            if not self.webhook_url:
                raise ValidationError({"webhook_url": _("推送方式的渠道必须填写 Webhook 地址")})
            from distribution.ssrf import UnsafeURL, check_webhook_url

            try:
                check_webhook_url(self.webhook_url)
            except UnsafeURL as exc:
                raise ValidationError({"webhook_url": exc.message}) from exc

    @property
    def is_webhook(self):
        return self.delivery_mode == self.Mode.WEBHOOK

    def signing_secrets(self, now=None):
        """The keys a webhook is signed with: the current one, and the previous one while its
        grace period lasts, so receivers can switch keys without losing a delivery."""
        now = now or timezone.now()
        keys = [self.signing_secret]
        if (
            self.previous_secret
            and self.previous_secret_expires_at
            and (self.previous_secret_expires_at > now)
        ):
            keys.append(self.previous_secret)
        return keys

    def rotate_secret(self, grace=None):
        grace = settings.DISTRIBUTION_SECRET_ROTATION_GRACE if grace is None else grace
        self.previous_secret = self.signing_secret
        self.previous_secret_expires_at = timezone.now() + grace
        self.signing_secret = new_signing_secret()
        self.save(
            update_fields=[
                "previous_secret",
                "previous_secret_expires_at",
                "signing_secret",
                "updated_at",
            ]
        )
        return self.signing_secret

    def issue_token(self):
        """A new reporting token; only its hash is kept, so the caller must show it once."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.token_hint = token[:10]
        if self.pk:
            self.save(update_fields=["token_hash", "token_hint", "updated_at"])
        return token

    def pause(self, reason):
        self.paused = True
        self.paused_reason = reason[:300]
        self.paused_at = timezone.now()
        self.save(update_fields=["paused", "paused_reason", "paused_at", "updated_at"])

    def tracked_url(self, url):
        """A link to our site that attributes the reader to this channel (``?ch=<code>``)."""
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}ch={self.code}"


def channel_for_token(token):
    """The active channel a reporting/feed token belongs to, or None."""
    return Channel.objects.for_token(token)


class Distribution(models.Model):
    class Kind(models.TextChoices):
        PUBLISH = "publish", _("分发")
        # The item was changed and republished: the channels that have it get the new version.
        UPDATE = "update", _("更正")
        RETRACT = "retract", _("撤回")

    class Status(models.TextChoices):
        # Waiting for its time (send_at) or for the page to go live (on_publish).
        SCHEDULED = "scheduled", _("待分发")
        SENT = "sent", _("已发出")
        CANCELLED = "cancelled", _("已取消")
        # Its time came but there was nothing to send (page no longer live, no channel left).
        NOT_SENT = "not_sent", _("未发出")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("内容"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="distributions",
    )
    page_title = models.CharField(_("标题"), max_length=255)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.PUBLISH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    status = models.CharField(
        _("分发状态"), max_length=10, choices=Status.choices, default=Status.SENT, db_index=True
    )
    send_at = models.DateTimeField(_("定时分发时间"), null=True, blank=True)
    on_publish = models.BooleanField(_("发布后分发"), default=False)
    # When the deliveries were created and queued: at the click, at send_at, or on publication.
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    # Why a scheduled distribution was cancelled or not sent, in words for the editor.
    note = models.CharField(_("说明"), max_length=300, blank=True)
    # What the editor asked for, e.g. {"all": true} or {"regions": [420100], "channels": [3]}.
    targets = models.JSONField(_("分发目标"), default=dict)
    resend = models.BooleanField(_("重新发送"), default=False)
    skipped_count = models.PositiveIntegerField(_("已送达而跳过的渠道数"), default=0)
    # The republishable item as it was when distributed; every channel gets the same content.
    payload = models.JSONField(_("分发内容"), null=True, blank=True)

    class Meta:
        verbose_name = _("分发记录")
        verbose_name_plural = _("分发记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}《{self.page_title}》"


class DeliveryQuerySet(models.QuerySet):
    def active(self):
        """Item deliveries that are done or under way and not retracted: a channel has (or is
        being sent) the item."""
        return self.filter(
            distribution__kind=Distribution.Kind.PUBLISH, retracted_at__isnull=True
        ).exclude(state=Delivery.State.DEAD)

    def active_for_page(self, page_id):
        """A page's active deliveries: the ones that make a repeat distribution to the same
        channel a no-op."""
        return self.active().filter(distribution__page_id=page_id)

    def failed(self):
        return self.filter(state__in=[Delivery.State.FAILED_RETRYING, Delivery.State.DEAD])


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待送达")
        SENDING = "sending", _("发送中")
        DELIVERED = "delivered", _("已送达")
        FAILED_RETRYING = "failed_retrying", _("失败重试中")
        DEAD = "dead", _("已放弃")

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("分发记录"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("渠道"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # Stable across retries (receivers de-duplicate on it); a resend gets a new delivery and id.
    webhook_id = models.CharField(
        _("消息 ID"),
        max_length=40,
        unique=True,
        default=new_webhook_id,
        editable=False,
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempt_count = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    # While a worker sends, it holds the delivery until this time; a worker killed mid-send
    # leaves the lease to expire and the recovery sweep sends again with the same webhook-id.
    lease_expires_at = models.DateTimeField(_("占用到期"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近 HTTP 状态"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    # What kind of failure it was (distribution.failures.Failure), explained to editors.
    last_error_code = models.CharField(_("最近错误类型"), max_length=20, blank=True)
    retracted_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("送达")
        verbose_name_plural = _("送达")
        ordering = ["distribution", "channel__region_id", "channel__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "channel"], name="distribution_one_delivery_per_channel"
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.distribution} → {self.channel}"

    @property
    def event_type(self):
        if self.distribution.kind == Distribution.Kind.RETRACT:
            return "item.retracted"
        if self.distribution.kind == Distribution.Kind.UPDATE:
            return "item.updated"
        return "item.published"


class DeliveryAttempt(models.Model):
    class Kind(models.TextChoices):
        WEBHOOK = "webhook", _("推送")
        FEED_FETCH = "feed_fetch", _("订阅源拉取")

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("送达"), on_delete=models.CASCADE, related_name="attempts"
    )
    kind = models.CharField(_("方式"), max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField(_("时间"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP 状态"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    error_code = models.CharField(_("错误类型"), max_length=20, blank=True)
    succeeded = models.BooleanField(_("成功"), default=False)

    class Meta:
        verbose_name = _("送达尝试")
        verbose_name_plural = _("送达尝试")
        ordering = ["delivery", "started_at"]

    def __str__(self):
        return f"{self.delivery} @ {self.started_at:%Y-%m-%d %H:%M:%S}"
