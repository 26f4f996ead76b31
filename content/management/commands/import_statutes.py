"""Load the statute library from the data file shipped in content/data. Safe to run again: a
second run finds nothing to change and writes nothing."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from content.statutes import STATUTE_DATA_FILE, CorpusError, import_statutes


class Command(BaseCommand):
    help = "导入法律法规库（幂等：再次运行只更新有变化的条目）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--laws",
            nargs="+",
            metavar="LAW",
            help="只导入这些法律（法规编号、全称或简称，如 民法典）；测试用",
        )
        parser.add_argument("--file", default=str(STATUTE_DATA_FILE), help="数据文件（.jsonl.xz）")

    def handle(self, *args, laws=None, file, verbosity=1, **options):
        def progress(items):
            # tqdm hides itself when stderr is not a terminal (disable=None): quiet in CI logs.
            return tqdm(
                items,
                desc="导入法律法规",
                unit="部",
                file=self.stderr,
                disable=verbosity < 1 or None,
            )

        try:
            result = import_statutes(file, laws=laws, progress=progress)
        except CorpusError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(
                f"法律法规 {result.statutes} 部（新增 {result.statutes_created}，"
                f"更新 {result.statutes_updated}，未变 {result.statutes_unchanged}）；"
                f"条文新增 {result.articles_created}，更新 {result.articles_updated}，"
                f"删除 {result.articles_deleted}；版本关联变更 {result.versions_linked}"
            )
            if result.flagged:
                self.stdout.write(
                    f"引用的法条已变更：{len({flag.page_id for flag in result.flagged})} 个页面、"
                    f"{len(result.flagged)} 处引用已标记，请在后台“引用的法条已变更”中核对"
                )
