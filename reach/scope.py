"""Who may see which figures, decided on the server, in one place for the API, the dashboard and
the export.

The public sees what the public map shows: totals for all content per prefecture and county over
a period. Figures per item or topic, the reconciliation and the export are for officials who are
logged in, cut to their scope: one prefecture (with its counties) or the whole province, as set
under 设置 → 官员辖区. An official with no scope set sees nothing until one is set; a superuser
without one sees the province.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from wagtail.permission_policies.base import BasePermissionPolicy

from geodata.models import Region
from reach.models import OfficialScope

DASHBOARD_PERMISSION = "reach.view_coverage_dashboard"


class NoScope(PermissionDenied):
    """An official whose scope has not been set: closed, not the whole province."""


def is_official(user):
    return bool(user and user.is_authenticated and user.has_perm(DASHBOARD_PERMISSION))


def official_scope(user):
    """The prefecture an official may see (a Region), or None for the whole province. Raises
    PermissionDenied for anyone who may not see officials' figures, NoScope for an official
    whose scope is not set."""
    if not is_official(user):
        raise PermissionDenied(_("您没有查看覆盖看板的权限"))
    scope = OfficialScope.objects.select_related("region").filter(user=user).first()
    if scope is None:
        if user.is_superuser:
            return None
        raise NoScope(_("您的账号尚未设置辖区，请联系管理员在“设置 → 官员辖区”中设置"))
    return scope.region


def scope_name(region):
    """全省 for the whole province (None, or its own region), else the prefecture's name."""
    if region is None or region.level == Region.Level.PROVINCE:
        return _("全省")
    return region.name


def official_region(region):
    """A scope as the dashboard's filters take it: None for the province, else the prefecture."""
    return None if region.level == Region.Level.PROVINCE else region


class DashboardPermissionPolicy(BasePermissionPolicy):
    """For records that the software writes for officials (the weekly reports): viewed by
    whoever may open the coverage dashboard, added, changed and deleted by nobody."""

    def user_has_permission(self, user, action):
        return action == "view" and is_official(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.with_perm(DASHBOARD_PERMISSION)
