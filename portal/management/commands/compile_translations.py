"""manage.py compile_translations — the .po files of our translation overlay to .mo, with Babel."""

from django.core.management.base import BaseCommand

from portal.translations import compile_catalog, sources


class Command(BaseCommand):
    help = "用 Babel 把 locale/ 下的 .po 翻译编译为 .mo（无需 msgfmt）"

    def handle(self, *args, **options):
        for po_path in sources():
            mo_path = compile_catalog(po_path)
            self.stdout.write(f"{po_path} → {mo_path.name}")
