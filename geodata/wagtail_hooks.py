"""Regions in the Wagtail admin, read-only: they are reference data from geodata/data/, which
`migrate` loads; an edit here would only be undone by the next load."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from geodata.models import Region


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - {"add", "change", "delete"})


def population_or_unknown(region):
    if region.population is None:
        return _("人口数据暂缺")
    return f"{region.population:,}"


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "site"
    menu_label = _("行政区划")
    add_to_settings_menu = True
    permission_policy = ReadOnlyPermissionPolicy(Region)
    inspect_view_enabled = True
    copy_view_enabled = False
    # Required by ModelViewSet; the policy refuses every add, edit and delete view anyway.
    exclude_form_fields = []
    search_backend_name = None
    search_fields = ["name"]
    list_filter = ["level", "is_directly_administered"]
    list_per_page = 50
    list_display = [
        "name",
        "adcode",
        "level",
        "parent",
        Column("population", label=_("常住人口"), accessor=population_or_unknown),
        Column(
            "is_directly_administered",
            label=_("省直辖县级单位"),
            accessor=lambda region: _("是") if region.is_directly_administered else _("否"),
        ),
    ]
    inspect_view_fields = [
        "adcode",
        "name",
        "level",
        "parent",
        "is_directly_administered",
        "population",
        "population_source",
    ]


@hooks.register("register_admin_viewset")
def register_region_viewset():
    return RegionViewSet("regions")
