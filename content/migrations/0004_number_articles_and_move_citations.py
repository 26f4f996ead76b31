"""Existing articles get their identity (第N条之K or item) and laws their sort name; citation
blocks move from (statute pk, article_number) to (law_id, article key), in pages and revisions."""

import json

from django.db import migrations

from content.citations import entry_refs
from content.statutes import sort_name_of


def number_articles(apps, schema_editor):
    """Give every stored article its identity (第N条之K or item) from its label, as the importer
    does; the next import_statutes adds the 编/分编 structure and takes headings out of texts."""
    Statute = apps.get_model("content", "Statute")
    StatuteArticle = apps.get_model("content", "StatuteArticle")
    for statute in Statute.objects.all():
        statute.sort_name = sort_name_of(statute.name)
        statute.save(update_fields=["sort_name"])
        articles = list(StatuteArticle.objects.filter(statute=statute).order_by("position"))
        for article, ref in zip(articles, entry_refs([a.label for a in articles])):
            article.number, article.sub_number, article.item = ref.number, ref.sub, ref.item
        StatuteArticle.objects.bulk_update(articles, ["number", "sub_number", "item"])


def _move_citations(stream, law_ids, keys):
    """Citation blocks from {statute: pk, article_number: N} to {statute: law_id, article: key}.
    N meant the first article numbered N in the law: 第N条 itself, or 条目N where the law has
    items only."""
    changed = False
    for block in stream:
        if block.get("type") != "statute_citation" or "article_number" not in block["value"]:
            continue
        value = block["value"]
        pk, number = value.get("statute"), value.pop("article_number")
        value["statute"] = law_ids.get(pk, pk)
        value["article"] = keys.get((pk, number), str(number)) if number is not None else ""
        changed = True
    return changed


def move_citations(apps, schema_editor):
    Statute = apps.get_model("content", "Statute")
    StatuteArticle = apps.get_model("content", "StatuteArticle")
    ArticlePage = apps.get_model("content", "ArticlePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    law_ids = dict(Statute.objects.values_list("pk", "law_id"))
    keys = {}
    for statute_id, number, item in StatuteArticle.objects.filter(sub_number=0).values_list(
        "statute_id", "number", "item"
    ):
        if number is not None:
            keys[statute_id, number] = str(number)
        else:
            keys.setdefault((statute_id, item), f"item-{item}")
    connection = schema_editor.connection
    table = ArticlePage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT page_ptr_id, body FROM {table}")
        rows = cursor.fetchall()
    for page_id, body in rows:
        stream = json.loads(body) if isinstance(body, str) else body
        if stream and _move_citations(stream, law_ids, keys):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET body = %s WHERE page_ptr_id = %s",
                    [json.dumps(stream, ensure_ascii=False), page_id],
                )
    content_type = ContentType.objects.filter(app_label="content", model="articlepage").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        body = revision.content.get("body")
        stream = json.loads(body) if isinstance(body, str) else body
        if stream and _move_citations(stream, law_ids, keys):
            revision.content["body"] = json.dumps(stream, ensure_ascii=False)
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0003_statute_numbers_and_structure"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunPython(number_articles, migrations.RunPython.noop),
        migrations.RunPython(move_citations, migrations.RunPython.noop),
    ]
