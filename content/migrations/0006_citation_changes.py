"""Flags on pages whose cited article an import changed (CitationChange), and the editorial
roles' right to see and confirm them: 编辑 and 审核 both."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from content.roles import EDITORS, REVIEWERS

CITATION_PERMISSIONS = ["view_citationchange", "confirm_citationchange"]


def grant_citation_permissions(apps, schema_editor):
    # The model's permissions are made after migrating; this migration needs them now.
    app_config = apps.get_app_config("content")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="content", codename__in=CITATION_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=[EDITORS, REVIEWERS]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_article_identity_constraints"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CitationChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("article_key", models.CharField(max_length=32, verbose_name="条号")),
                ("article_label", models.CharField(max_length=64, verbose_name="条文序号")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("changed", "条文已修改"),
                            ("removed", "条文已删除"),
                            ("repealed", "法律已失效"),
                        ],
                        max_length=16,
                        verbose_name="变化",
                    ),
                ),
                (
                    "old_text",
                    models.TextField(
                        blank=True, help_text="导入前法律法规库中的条文", verbose_name="原条文"
                    ),
                ),
                (
                    "new_text",
                    models.TextField(
                        blank=True, help_text="导入后的条文；已删除则为空", verbose_name="新条文"
                    ),
                ),
                (
                    "detected_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="发现时间"
                    ),
                ),
                (
                    "resolved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="处理时间"),
                ),
                (
                    "resolution",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("confirmed", "编辑已核对，引用不变"),
                            ("updated", "页面已重新发布"),
                        ],
                        max_length=16,
                        verbose_name="处理结果",
                    ),
                ),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.page",
                        verbose_name="页面",
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="处理人",
                    ),
                ),
                (
                    "statute",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="content.statute",
                        verbose_name="法律法规",
                    ),
                ),
            ],
            options={
                "verbose_name": "引用的法条已变更",
                "verbose_name_plural": "引用的法条已变更",
                "ordering": ["-detected_at", "-pk"],
                "permissions": [("confirm_citationchange", "可以确认引用的法条无需修改")],
                "default_permissions": ("view",),
                "indexes": [
                    models.Index(fields=["page", "resolved_at"], name="citation_change_page")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("resolved_at__isnull", True)),
                        fields=("page", "statute", "article_key"),
                        name="one_open_citation_change",
                    )
                ],
            },
        ),
        migrations.RunPython(grant_citation_permissions, migrations.RunPython.noop, elidable=False),
    ]
