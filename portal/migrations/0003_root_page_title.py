"""The root of Wagtail's page tree is named "Root" by Wagtail's own migration; editors see it in
the explorer and the page chooser, so it gets a Chinese name."""

from django.db import migrations


def name_root_in_chinese(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title="全部站点", draft_title="全部站点")


def name_root_in_english(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="全部站点").update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_cache_table"), ("wagtailcore", "0002_initial_data")]

    operations = [migrations.RunPython(name_root_in_chinese, name_root_in_english)]
