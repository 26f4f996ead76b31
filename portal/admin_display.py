"""How plain model values read in the admin's inspect views (Wagtail's public display-class
registry): 是/否 for booleans, times in local time, and "—" for an empty value, instead of
Python's True, False and None. And the headers of Wagtail's sites listing, named after the
fields' (translated) verbose names, and the name of the page search's results."""

from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class
from wagtail.admin.views.pages.search import SearchView as PageSearchView
from wagtail.models import Site
from wagtail.sites.views import IndexView as SiteIndexView

EMPTY = "—"


class ValueDisplay(BaseFieldDisplay):
    def text(self):
        return localize(self.value)

    def render_html(self, parent_context=None):
        if self.value is None or self.value == "":
            return format_html("{}", EMPTY)
        return format_html("{}", self.text())


class BooleanDisplay(ValueDisplay):
    def text(self):
        return _("是") if self.value else _("否")


class DateTimeDisplay(ValueDisplay):
    def text(self):
        return timezone.localtime(self.value).strftime("%Y-%m-%d %H:%M")


def register():
    register_display_class(models.BooleanField, display_class=BooleanDisplay)
    register_display_class(models.DateTimeField, display_class=DateTimeDisplay)
    for field_class in (
        models.DateField,
        models.IntegerField,
        models.CharField,
        models.ForeignKey,  # a link not set (a statute's 现行版本) reads "—", not None
    ):
        register_display_class(field_class, display_class=ValueDisplay)


def label_site_columns():
    """Wagtail's sites listing declares three columns without a label, so their headers are
    made from the field names in English (Port, Site name, Root page): they get the fields'
    verbose names, which Wagtail's catalog translates. A column that has a label of its own
    (a later Wagtail's) keeps it."""
    for column in SiteIndexView.columns:
        made_from_name = capfirst(column.name.replace("_", " "))
        if column.label == made_from_name and column.name in {f.name for f in Site._meta.fields}:
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


def name_page_search_results():
    """Wagtail's page search counts its results as "1–4 of 4 <the listing's item name>" but
    gives the listing no item name, so the count read 共 4 个None: its items are pages. A later
    Wagtail's own name is kept."""
    if PageSearchView.verbose_name is None:
        PageSearchView.verbose_name = gettext_lazy("页面")
    if PageSearchView.verbose_name_plural is None:
        PageSearchView.verbose_name_plural = gettext_lazy("页面")
