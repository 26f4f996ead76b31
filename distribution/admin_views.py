"""Admin screens of distribution: the 一键分发全省 / 分发到… form, the live status page of a
distribution, the list of distributions, and the channel actions (test event, signing secret,
reporting token). Views parse and check permissions; services do the work."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import Page

from distribution import scheduling, services
from distribution.failures import explain
from distribution.forms import DistributeForm
from distribution.models import Channel, Delivery, Distribution
from distribution.status import distribution_status
from distribution.webhooks import send_webhook


def can_view_distributions(user):
    return user.has_perm("distribution.view_distribution")


class AdminPage(WagtailAdminTemplateMixin, View):
    header_icon = "globe"

    def get_breadcrumbs_items(self):
        return []

    def render(self, http_status=200, **context):
        return self.render_to_response(self.get_context_data(**context), status=http_status)


class DistributeView(AdminPage):
    """一键分发全省 (``?all=1``: only the whole province) and 分发到… (the target picker), now or
    later; for a page not live yet, 发布后分发 (or at a time)."""

    template_name = "distribution/admin/distribute.html"
    page_title = gettext_lazy("分发内容")

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not services.can_distribute(request.user, self.page):
            return permission_denied(request)
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["province"] = services.reach_preview(self.page, everywhere=True)
        context["page"] = self.page
        context["reach_url"] = reverse("api:distribution_reach", args=[self.page.pk])
        return context

    def get(self, request, page_id):
        form = DistributeForm(page=self.page)
        return self.render(form=form, everywhere_only="all" in request.GET)

    def post(self, request, page_id):
        form = DistributeForm(request.POST, page=self.page)
        if not form.is_valid():
            return self.render(http_status=400, form=form)
        targets = form.targets()
        timing = form.timing()
        try:
            if timing is None:
                distribution = services.distribute(self.page, request.user, **targets)
            else:
                distribution = scheduling.schedule(self.page, request.user, **targets, **timing)
        except services.DistributionError as exc:
            form.add_error(None, exc.message)
            return self.render(http_status=400, form=form)
        messages.success(request, describe(distribution))
        return redirect("distribution_status", distribution.pk)


def describe(distribution):
    """What the editor just did, in one sentence."""
    if distribution.status == Distribution.Status.SENT:
        return _("已创建分发，正在向 %(count)s 个渠道送达") % {
            "count": distribution.deliveries.count()
        }
    if distribution.on_publish:
        return _("已安排：《%(title)s》发布后自动分发") % {"title": distribution.page_title}
    return _("已安排在 %(when)s 分发") % {
        "when": timezone.localtime(distribution.send_at).strftime("%Y-%m-%d %H:%M")
    }


class DistributionMixin:
    def dispatch(self, request, pk):
        if not can_view_distributions(request.user):
            return permission_denied(request)
        self.distribution = get_object_or_404(Distribution, pk=pk)
        return super().dispatch(request, pk)


class StatusView(DistributionMixin, AdminPage):
    template_name = "distribution/admin/status.html"
    page_title = gettext_lazy("分发状态")

    def get_page_subtitle(self):
        return str(self.distribution)

    def get(self, request, pk):
        page = self.distribution.page
        may_distribute = page is not None and services.can_distribute(request.user, page)
        return self.render(
            distribution=self.distribution,
            status=distribution_status(self.distribution),
            status_url=reverse("api:distribution_status", args=[self.distribution.pk]),
            can_retry=may_distribute,
            can_cancel=may_distribute,
        )


class DeliveryView(AdminPage):
    """One delivery and every attempt made: time, HTTP status, latency, error explained."""

    template_name = "distribution/admin/delivery.html"
    page_title = gettext_lazy("送达记录")

    def get(self, request, pk):
        if not can_view_distributions(request.user):
            return permission_denied(request)
        delivery = get_object_or_404(
            Delivery.objects.select_related("channel__region", "distribution__page"), pk=pk
        )
        self.page_subtitle = delivery.channel.name
        page = delivery.distribution.page
        attempts = delivery.attempts.order_by("started_at")
        return self.render(
            delivery=delivery,
            attempts=[(a, explain(a.error_code, a.status_code)) for a in attempts],
            failure=explain(delivery.last_error_code, delivery.last_status_code),
            can_retry=(
                page is not None
                and services.can_distribute(request.user, page)
                and services.retryable(Delivery.objects.filter(pk=pk)).exists()
            ),
        )


class RetryFailedView(DistributionMixin, View):
    def post(self, request, pk):
        page = self.distribution.page
        if page is None or not services.can_distribute(request.user, page):
            return permission_denied(request)
        count = services.retry_failed(self.distribution, request.user)
        if count:
            messages.success(request, _("已重新排队 %(count)s 个失败的送达") % {"count": count})
        else:
            messages.warning(request, _("没有可重试的失败送达（已暂停或停用的渠道需先恢复）"))
        return redirect("distribution_status", pk)


class RetryDeliveryView(View):
    """重试 on one failed delivery (its channel fixed its receiver); back to where it was."""

    def post(self, request, pk):
        delivery = get_object_or_404(Delivery.objects.select_related("distribution__page"), pk=pk)
        page = delivery.distribution.page
        if page is None or not services.can_distribute(request.user, page):
            return permission_denied(request)
        if services.retry_delivery(delivery, request.user):
            messages.success(
                request, _("已重新排队：%(channel)s") % {"channel": delivery.channel.name}
            )
        else:
            messages.warning(
                request,
                _("这条送达不能重试：它没有失败，或渠道已暂停、停用（需先在渠道设置中恢复）"),
            )
        return redirect(safe_next(request) or reverse("distribution_delivery", args=[pk]))


class CancelView(DistributionMixin, View):
    def post(self, request, pk):
        page = self.distribution.page
        if page is None or not services.can_distribute(request.user, page):
            return permission_denied(request)
        if scheduling.cancel(self.distribution, request.user):
            messages.success(request, _("已取消这次定时分发"))
        else:
            messages.warning(request, _("这次分发已经发出或已结束，无法取消"))
        return redirect("distribution_status", pk)


def safe_next(request):
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return None


class DistributionListView(AdminPage):
    template_name = "distribution/admin/list.html"
    page_title = gettext_lazy("分发记录")

    def get(self, request):
        if not can_view_distributions(request.user):
            return permission_denied(request)
        paginator = Paginator(
            Distribution.objects.select_related("created_by").order_by("-created_at", "-pk"), 30
        )
        page_obj = paginator.get_page(request.GET.get("p"))
        rows = [(d, distribution_status(d)) for d in page_obj.object_list]
        return self.render(page_obj=page_obj, rows=rows)


# --- channel actions ----------------------------------------------------------------------


class ChannelActionView(AdminPage):
    """A channel action: GET explains and asks to confirm, POST does it."""

    template_name = "distribution/admin/channel_action.html"
    permission = "distribution.change_channel"

    def dispatch(self, request, pk):
        if not request.user.has_perm(self.permission):
            return permission_denied(request)
        self.channel = get_object_or_404(Channel, pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.channel.name

    def get(self, request, pk):
        return self.render(channel=self.channel, action=self)


class SendTestEventView(ChannelActionView):
    page_title = gettext_lazy("发送测试事件")
    description = gettext_lazy(
        "向渠道的 Webhook 地址发送一条签名的 channel.test 事件，用于检查对方的签名校验和连通性。"
    )
    button_label = gettext_lazy("发送")

    def post(self, request, pk):
        if not self.channel.is_webhook:
            messages.error(request, _("拉取方式的渠道没有 Webhook 地址，无需测试推送"))
            return redirect("distribution_channel:edit", pk)
        msg_id = f"msg_test_{timezone.now():%Y%m%d%H%M%S}_{self.channel.pk}"
        payload = {
            "type": "channel.test",
            "timestamp": timezone.now().isoformat(),
            "data": {"channel": self.channel.code, "message": "湖北网络普法测试事件"},
        }
        result = send_webhook(self.channel, msg_id, payload)
        log(
            instance=self.channel,
            action="distribution.test_event",
            user=request.user,
            data={"status_code": result.status_code, "error": result.error},
        )
        if result.succeeded:
            messages.success(
                request,
                _("测试事件已送达：HTTP %(status)s，耗时 %(ms)s 毫秒")
                % {"status": result.status_code, "ms": result.latency_ms},
            )
        else:
            messages.error(request, _("测试事件未送达：%(error)s") % {"error": result.error})
        return redirect("distribution_channel:edit", pk)


class SigningSecretView(ChannelActionView):
    template_name = "distribution/admin/channel_secret.html"
    page_title = gettext_lazy("签名密钥")
    button_label = gettext_lazy("轮换密钥")

    def post(self, request, pk):
        self.channel.rotate_secret()
        log(instance=self.channel, action="distribution.rotate_secret", user=request.user)
        messages.success(request, _("已生成新密钥；旧密钥在宽限期内继续参与签名"))
        return redirect("distribution_channel_secret", pk)

    def get(self, request, pk):
        return self.render(channel=self.channel, action=self, now=timezone.now())


class ReportingTokenView(ChannelActionView):
    page_title = gettext_lazy("报告令牌")
    description = gettext_lazy(
        "生成新的报告令牌后，旧令牌立即失效。令牌只显示这一次：本站只保存其摘要，无法再次查看。"
    )
    button_label = gettext_lazy("生成新令牌")
    shows_token_hint = True

    def post(self, request, pk):
        token = self.channel.issue_token()
        log(instance=self.channel, action="distribution.issue_token", user=request.user)
        return self.render(channel=self.channel, action=self, token=token)
