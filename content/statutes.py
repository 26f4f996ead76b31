"""The statute library's work, as plain functions: reading the derived corpus file, importing it
idempotently, linking old versions to the version in force, and finding the portal's pages that
cite an article."""

import json
import lzma
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Min
from django.dispatch import Signal
from django.utils.translation import gettext as _
from wagtail.fields import StreamField
from wagtail.models import Page, ReferenceIndex

from content.blocks import StatuteCitationBlock
from content.models import Statute, StatuteArticle

STATUTE_DATA_FILE = Path(__file__).resolve().parent / "data" / "statutes.jsonl.xz"
NATIONAL_PREFIX = "中华人民共和国"

# Fields copied from the corpus as they are; short_name and the version link are derived.
STATUTE_FIELDS = (
    "name",
    "short_name",
    "doc_type",
    "level",
    "issuing_body",
    "department",
    "publish_date",
    "effective_date",
    "version_date",
    "status",
)
ARTICLE_FIELDS = ("number", "label", "chapter", "section", "text")
DATE_FIELDS = ("publish_date", "effective_date", "version_date")
BATCH_SIZE = 1000

# Sent once an import has committed, with `law_ids`: the statutes whose row or articles changed.
# Apps later in the chain (search) listen to it; content never imports them.
statutes_imported = Signal()


class CorpusError(ValueError):
    """The data file is not what the importer expects; the message says where, in Chinese."""


# Reading and writing the data file -----------------------------------------------------------


def write_corpus(laws, path):
    """Write laws (dicts with their articles) as xz-compressed JSON Lines, one law a line.
    Returns (laws, articles) written. Deterministic: same input, same bytes."""
    law_count = article_count = 0
    with lzma.open(path, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as out:
        for law in laws:
            out.write(json.dumps(law, ensure_ascii=False, separators=(",", ":")) + "\n")
            law_count += 1
            article_count += len(law["articles"])
    return law_count, article_count


def read_corpus(path=STATUTE_DATA_FILE):
    """Yield each law of the data file as a dict with its articles, in file order."""
    try:
        with lzma.open(path, "rt", encoding="utf-8") as lines:
            for line_number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorpusError(
                        _("数据文件第 %(line)s 行不是有效的 JSON：%(error)s")
                        % {"line": line_number, "error": exc}
                    ) from exc
    except (lzma.LZMAError, EOFError, OSError) as exc:
        raise CorpusError(
            _("无法读取数据文件 %(path)s：%(error)s") % {"path": path, "error": exc}
        ) from exc


def short_name_of(name):
    """The name citizens use: 中华人民共和国民法典 → 民法典; other names stay whole."""
    return name.removeprefix(NATIONAL_PREFIX) or name


def select_laws(laws, wanted):
    """The laws named in `wanted` (law_id, full name or short name; a name may match several
    versions) and the wanted names that matched nothing."""
    wanted = {w.strip() for w in wanted if w.strip()}
    chosen, matched = [], set()
    for law in laws:
        keys = {law["law_id"], law["name"], short_name_of(law["name"])} & wanted
        if keys:
            chosen.append(law)
            matched |= keys
    return chosen, sorted(wanted - matched)


# Importing ----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    statutes_created: int = 0
    statutes_updated: int = 0
    statutes_unchanged: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    articles_deleted: int = 0
    versions_linked: int = 0
    changed_law_ids: set = field(default_factory=set)

    @property
    def statutes(self):
        return self.statutes_created + self.statutes_updated + self.statutes_unchanged


def statute_values(law):
    """Model field values for one corpus law, checked."""
    law_id = law.get("law_id") or ""
    name = (law.get("name") or "").strip()
    if not law_id or not name:
        raise CorpusError(_("数据文件中有缺少编号或名称的法律：%(law)r") % {"law": law_id or name})
    if law.get("status") not in Statute.Status.values:
        raise CorpusError(
            _("《%(name)s》的时效性“%(status)s”无法识别")
            % {"name": name, "status": law.get("status")}
        )
    values = {
        "name": name,
        "short_name": short_name_of(name),
        "doc_type": law.get("doc_type") or "",
        "level": law.get("level") or "",
        "issuing_body": law.get("issuing_body") or "",
        "department": law.get("department") or "",
        "status": law["status"],
    }
    for date_field in DATE_FIELDS:
        raw = law.get(date_field)
        try:
            values[date_field] = date.fromisoformat(raw) if raw else None
        except ValueError as exc:
            raise CorpusError(
                _("《%(name)s》的日期“%(value)s”格式不对") % {"name": name, "value": raw}
            ) from exc
    return values


def article_values(law, position, article):
    """Model field values for one article. Entries without a number (全文) keep number empty;
    numbers may repeat within a law (第一百二十条之一 shares 120 with 第一百二十条)."""
    text = article.get("text") or ""
    if not text.strip():
        raise CorpusError(
            _("《%(name)s》第 %(position)s 项条文为空")
            % {"name": law["name"], "position": position}
        )
    number = article.get("number")
    return {
        "number": int(number) if number is not None else None,
        "label": article.get("label") or "全文",  # the source's own word for an unnumbered text
        "chapter": article.get("chapter") or "",
        "section": article.get("section") or "",
        "text": text,
    }


def import_statutes(path=STATUTE_DATA_FILE, laws=None, progress=None):
    """Bring the database in line with the data file: create what is new, update what changed,
    drop articles that are no longer in a law, and leave unchanged rows alone (so a second run
    writes nothing). `laws` limits the import to some laws (see select_laws). Statutes are never
    deleted: citations in pages point at them. `progress` wraps the iterable of laws (tqdm)."""
    corpus = list(read_corpus(path))
    result = ImportResult()
    if laws:
        corpus, missing = select_laws(corpus, laws)
        if missing:
            raise CorpusError(
                _("数据文件中没有这些法律：%(names)s") % {"names": "、".join(missing)}
            )
    with transaction.atomic():
        statutes = _upsert_statutes(corpus, result)
        _sync_articles(corpus, statutes, result, progress or (lambda items: items))
        result.versions_linked = link_versions(result.changed_law_ids)
        if result.changed_law_ids:
            law_ids = frozenset(result.changed_law_ids)
            transaction.on_commit(lambda: statutes_imported.send(sender=Statute, law_ids=law_ids))
    return result


def _upsert_statutes(corpus, result):
    existing = Statute.objects.in_bulk([law["law_id"] for law in corpus], field_name="law_id")
    to_create, to_update, seen = [], [], set()
    for law in corpus:
        values = statute_values(law)
        if law["law_id"] in seen:
            raise CorpusError(
                _("数据文件中法规编号 %(law_id)s 出现了两次") % {"law_id": law["law_id"]}
            )
        seen.add(law["law_id"])
        statute = existing.get(law["law_id"])
        if statute is None:
            to_create.append(Statute(law_id=law["law_id"], **values))
        elif any(getattr(statute, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(statute, name, value)
            to_update.append(statute)
        else:
            result.statutes_unchanged += 1
    Statute.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Statute.objects.bulk_update(to_update, STATUTE_FIELDS, batch_size=BATCH_SIZE)
    result.statutes_created, result.statutes_updated = len(to_create), len(to_update)
    result.changed_law_ids.update(s.law_id for s in [*to_create, *to_update])
    return Statute.objects.in_bulk([law["law_id"] for law in corpus], field_name="law_id")


def _sync_articles(corpus, statutes, result, progress):
    stored = {}
    for row in StatuteArticle.objects.filter(statute__in=statutes.values()).values(
        "id", "statute_id", "position", *ARTICLE_FIELDS
    ):
        stored[row["statute_id"], row["position"]] = row
    to_create, to_update = [], []
    for law in progress(corpus):
        statute = statutes[law["law_id"]]
        for position, article in enumerate(law.get("articles") or [], start=1):
            values = article_values(law, position, article)
            row = stored.pop((statute.pk, position), None)
            if row is None:
                to_create.append(StatuteArticle(statute=statute, position=position, **values))
                result.changed_law_ids.add(statute.law_id)
            elif any(row[name] != value for name, value in values.items()):
                to_update.append(StatuteArticle(id=row["id"], **values))
                result.changed_law_ids.add(statute.law_id)
        if len(to_create) >= BATCH_SIZE:
            result.articles_created += len(StatuteArticle.objects.bulk_create(to_create))
            to_create = []
    # Whatever is left in `stored` belongs to these laws but is no longer in the file.
    to_delete = [row["id"] for row in stored.values()]
    law_id_of = {statute.pk: law_id for law_id, statute in statutes.items()}
    result.changed_law_ids.update(law_id_of[row["statute_id"]] for row in stored.values())
    result.articles_created += len(StatuteArticle.objects.bulk_create(to_create))
    StatuteArticle.objects.bulk_update(to_update, ARTICLE_FIELDS, batch_size=BATCH_SIZE)
    result.articles_updated = len(to_update)
    for start in range(0, len(to_delete), BATCH_SIZE):
        StatuteArticle.objects.filter(id__in=to_delete[start : start + BATCH_SIZE]).delete()
    result.articles_deleted = len(to_delete)


def link_versions(changed_law_ids=None):
    """Point every repealed or historical statute at the version in force with the same name,
    where there is one (names repeat across versions: 宪法 1982 and the current 宪法), and clear
    the link on laws in force. Returns how many links changed, adding their law_ids to
    `changed_law_ids` if given."""
    in_force = {}
    for statute in Statute.objects.in_force().order_by("version_date", "pk"):
        in_force[statute.name] = statute.pk  # the latest version wins if a name repeats
    changed = 0
    for statute in Statute.objects.only("pk", "law_id", "name", "status", "current_version_id"):
        target = None if statute.is_in_force else in_force.get(statute.name)
        if statute.current_version_id != target:
            Statute.objects.filter(pk=statute.pk).update(current_version_id=target)
            changed += 1
            if changed_law_ids is not None:
                changed_law_ids.add(statute.law_id)
    return changed


# Reading the library --------------------------------------------------------------------------


def choices_of(field_name):
    """The values a statute field takes in the library (法律部门, 效力级别), as form choices."""
    values = Statute.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True)
    return [(value, value) for value in sorted(set(values))]


@dataclass
class ChapterEntry:
    title: str
    position: int
    sections: list = field(default_factory=list)  # (title, position) pairs


def table_of_contents(articles):
    """Chapters, each with its sections, and the position of the first article under each."""
    chapters = []
    for article in articles:
        if article.chapter and (not chapters or chapters[-1].title != article.chapter):
            chapters.append(ChapterEntry(article.chapter, article.position))
        if article.section and chapters:
            sections = chapters[-1].sections
            if not sections or sections[-1][0] != article.section:
                sections.append((article.section, article.position))
    return chapters


def neighbours(article):
    """The articles before and after this one in its law (None at either end)."""
    siblings = StatuteArticle.objects.filter(statute_id=article.statute_id).only(
        "position", "label", "statute_id"
    )
    previous = siblings.filter(position__lt=article.position).order_by("-position").first()
    following = siblings.filter(position__gt=article.position).order_by("position").first()
    return previous, following


def is_citable(article):
    """A citation names a law and a number; where numbers repeat (第一百二十条之一) the block
    resolves to the first article with that number, so only that one can be cited."""
    if article.number is None:
        return False
    first = (
        StatuteArticle.objects.filter(statute_id=article.statute_id, number=article.number)
        .aggregate(first=Min("position"))
        .get("first")
    )
    return first == article.position


def citations_in(page):
    """The values of every statute citation block in the page's StreamFields."""
    for model_field in page._meta.get_fields():
        if not isinstance(model_field, StreamField):
            continue
        for block in getattr(page, model_field.name) or []:
            if isinstance(block.block, StatuteCitationBlock):
                yield block.value


def citing_pages(article):
    """The portal's live, public pages whose citation blocks cite this article. Wagtail's
    reference index says which pages refer to the law at all (kept current by its own
    background task on every save); reading their blocks says which article they cite."""
    if not is_citable(article):
        return []
    page_ids = (
        ReferenceIndex.get_references_to(article.statute)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    pages = (
        Page.objects.live()
        .public()
        .filter(pk__in=[int(pk) for pk in page_ids])
        .specific()
        .order_by("-first_published_at", "-pk")
    )
    return [
        page
        for page in pages
        if any(
            getattr(value.get("statute"), "pk", None) == article.statute_id
            and value.get("article_number") == article.number
            for value in citations_in(page)
        )
    ]
