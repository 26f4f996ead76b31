"""Distribution in the Wagtail admin: the channel viewset with its actions, the 一键分发全省 and
分发到… buttons on live articles and videos, the status pages, audit-log actions, and a home
panel that flags paused channels."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton

from content.models import ArticlePage, VideoPage
from distribution import admin_views
from distribution.history import channel_history
from distribution.models import Channel
from distribution.services import can_distribute


def channel_status(channel):
    if not channel.active:
        return _("已停用")
    if channel.paused:
        return format_html('<strong class="channel-paused">{}</strong>', _("已暂停"))
    if channel.failing_since:
        return _("送达失败中")
    return _("正常")


class ChannelInspectView(InspectView):
    """The channel's page: its settings, and below them its history (what it received, when, in
    what state, the reads it reported), with 重试 on a failed delivery."""

    template_name = "distribution/admin/channel_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels, rows = channel_history(self.object)
        context.update(
            figure_labels=labels,
            history=rows,
            may_retry=self.request.user.has_perm("distribution.add_distribution"),
        )
        return context


class ChannelEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        pk = self.object.pk
        return [
            *super().header_more_buttons,
            Button(
                _("送达历史"),
                url=reverse("distribution_channel:inspect", args=[pk]),
                icon_name="history",
                priority=29,
            ),
            Button(
                _("发送测试事件"),
                url=reverse("distribution_channel_test", args=[pk]),
                icon_name="mail",
                priority=30,
            ),
            Button(
                _("签名密钥"),
                url=reverse("distribution_channel_secret", args=[pk]),
                icon_name="key",
                priority=31,
            ),
            Button(
                _("报告令牌"),
                url=reverse("distribution_channel_token", args=[pk]),
                icon_name="key",
                priority=32,
            ),
        ]


class ChannelViewSet(ModelViewSet):
    model = Channel
    icon = "globe"
    menu_label = _("分发渠道")
    menu_order = 310
    add_to_admin_menu = True
    name = "distribution_channel"
    url_prefix = "distribution/channels"
    edit_view_class = ChannelEditView
    inspect_view_class = ChannelInspectView
    form_fields = [
        "name",
        "region",
        "kind",
        "delivery_mode",
        "webhook_url",
        "active",
        "paused",
        "paused_reason",
        "contact_name",
        "contact_phone",
        "contact_email",
        "code",
    ]
    list_display = [
        "name",
        "region",
        "kind",
        "delivery_mode",
        Column("status", label=_("状态"), accessor=channel_status),
        "paused_reason",
    ]
    list_filter = ["kind", "delivery_mode", "active", "paused"]
    search_fields = ["name", "code", "region__name"]
    ordering = ["region_id", "name"]
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["signing_secret", "previous_secret", "token_hash"]
    list_per_page = 50


channel_viewset = ChannelViewSet()


@hooks.register("register_admin_viewset")
def register_channel_viewset():
    return channel_viewset


@hooks.register("register_admin_urls")
def register_distribution_urls():
    return [
        path("distribution/", admin_views.DistributionListView.as_view(), name="distribution_list"),
        path(
            "distribution/page/<int:page_id>/",
            admin_views.DistributeView.as_view(),
            name="distribution_distribute",
        ),
        path(
            "distribution/<int:pk>/", admin_views.StatusView.as_view(), name="distribution_status"
        ),
        path(
            "distribution/deliveries/<int:pk>/",
            admin_views.DeliveryView.as_view(),
            name="distribution_delivery",
        ),
        path(
            "distribution/<int:pk>/retry/",
            admin_views.RetryFailedView.as_view(),
            name="distribution_retry",
        ),
        path(
            "distribution/<int:pk>/cancel/",
            admin_views.CancelView.as_view(),
            name="distribution_cancel",
        ),
        path(
            "distribution/deliveries/<int:pk>/retry/",
            admin_views.RetryDeliveryView.as_view(),
            name="distribution_delivery_retry",
        ),
        path(
            "distribution/channels/<int:pk>/test/",
            admin_views.SendTestEventView.as_view(),
            name="distribution_channel_test",
        ),
        path(
            "distribution/channels/<int:pk>/secret/",
            admin_views.SigningSecretView.as_view(),
            name="distribution_channel_secret",
        ),
        path(
            "distribution/channels/<int:pk>/token/",
            admin_views.ReportingTokenView.as_view(),
            name="distribution_channel_token",
        ),
    ]


class DistributionsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_view_distributions(request.user)


@hooks.register("register_admin_menu_item")
def register_distributions_menu_item():
    return DistributionsMenuItem(
        _("分发记录"), reverse("distribution_list"), icon_name="globe", order=300
    )


def distributable(page, user):
    """An article or video the user may distribute (live or not: see the buttons)."""
    specific_class = page.specific_class
    return (
        specific_class is not None
        and issubclass(specific_class, ArticlePage | VideoPage)
        and can_distribute(user, page)
    )


def distribute_url(page, everywhere):
    url = reverse("distribution_distribute", args=[page.pk])
    return f"{url}?all=1" if everywhere else url


def distribute_buttons(page, user, button_class, priority):
    """Live pages: 一键分发全省 and 分发到…; a page not live yet: 发布后分发… (or at a time), so
    nothing is offered that would be refused after the click."""
    if not distributable(page, user):
        return
    if page.live:
        yield button_class(
            _("一键分发全省"), url=distribute_url(page, True), icon_name="globe", priority=priority
        )
        yield Button(
            _("分发到…"), url=distribute_url(page, False), icon_name="site", priority=priority + 1
        )
    else:
        yield Button(
            _("发布后分发…"),
            url=distribute_url(page, False),
            icon_name="globe",
            priority=priority + 1,
        )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield from distribute_buttons(page, user, HeaderButton, 5)


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    yield from distribute_buttons(page, user, Button, 45)


class DistributeMenuItem(ActionMenuItem):
    """一键分发全省 in the edit page's action menu (beside 保存草稿), for live pages."""

    name = "action-distribute"
    label = _("一键分发全省")
    icon_name = "globe"
    order = 60

    def is_shown(self, context):
        if context["view"] != "edit":  # the create view has no page yet
            return False
        page = context["page"]
        return page.live and distributable(page, context["request"].user)

    def get_url(self, parent_context):
        return distribute_url(parent_context["page"], True)


@hooks.register("register_page_action_menu_item")
def register_distribute_menu_item():
    return DistributeMenuItem()


@hooks.register("register_log_actions")
def register_distribution_log_actions(actions):
    actions.register_action("distribution.distribute", _("分发"), _("已分发到渠道"))
    actions.register_action("distribution.schedule", _("安排分发"), _("已安排定时或发布后分发"))
    actions.register_action("distribution.cancel", _("取消分发"), _("已取消定时分发"))
    actions.register_action("distribution.not_sent", _("分发未发出"), _("到时未能发出分发"))
    actions.register_action("distribution.retract", _("撤回"), _("已向渠道发送撤回"))
    actions.register_action("distribution.update", _("更正"), _("已向渠道发送更正"))
    actions.register_action("distribution.retry", _("重试失败送达"), _("已重试失败的送达"))
    actions.register_action("distribution.channel_paused", _("暂停渠道"), _("渠道已自动暂停"))
    actions.register_action("distribution.test_event", _("测试事件"), _("已发送测试事件"))
    actions.register_action("distribution.rotate_secret", _("轮换密钥"), _("已轮换签名密钥"))
    actions.register_action("distribution.issue_token", _("生成令牌"), _("已生成报告令牌"))


class PausedChannelsPanel(Component):
    name = "paused_channels"
    order = 120
    template_name = "distribution/admin/paused_channels_panel.html"

    def get_context_data(self, parent_context):
        return {
            "channels": list(Channel.objects.filter(active=True, paused=True)[:20]),
            "count": Channel.objects.filter(active=True, paused=True).count(),
            "list_url": reverse("distribution_channel:index") + "?paused=true",
        }


@hooks.register("construct_homepage_panels")
def add_paused_channels_panel(request, panels):
    if request.user.has_perm("distribution.view_channel") and (
        Channel.objects.filter(active=True, paused=True).exists()
    ):
        panels.append(PausedChannelsPanel())


@hooks.register("insert_global_admin_css")
def distribution_css():
    return format_html('<link rel="stylesheet" href="{}">', static("distribution/distribution.css"))
