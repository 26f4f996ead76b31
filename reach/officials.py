"""Where an official lands in the admin. An official's only work there is the coverage dashboard,
so the admin's home (where the log-in form sends everyone, and the logo links) opens the
dashboard for them instead of an empty page whose search and menus they may not use."""

from django.shortcuts import redirect
from wagtail.admin.auth import require_admin_access, user_has_any_page_permission
from wagtail.admin.views.home import HomeView

from reach.scope import DASHBOARD_PERMISSION

wagtail_home = HomeView.as_view()


def works_only_on_the_dashboard(user):
    """May open the coverage dashboard and edit no page: the 官员 group, not an editor or an
    administrator who also has the dashboard."""
    return user.has_perm(DASHBOARD_PERMISSION) and not user_has_any_page_permission(user)


@require_admin_access
def admin_home(request):
    if works_only_on_the_dashboard(request.user):
        return redirect("reach_dashboard")
    return wagtail_home(request)
