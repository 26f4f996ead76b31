"""Loads the demo: each app's own loader, in the order data flows (regions → content → search →
distribution → reach). Safe to run twice: every loader is idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）：栏目、文章、视频、演示账号，以及各应用的演示数据"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示数据，再重新载入")

    def handle(self, *args, reset=False, **options):
        for dotted_path in settings.DEMO_LOADERS:
            loader = import_string(dotted_path)
            self.stdout.write(f"· {dotted_path}")
            with transaction.atomic():
                loader(stdout=self.stdout, reset=reset)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo content ready"))
