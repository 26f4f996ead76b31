"""The statute library's work, as plain functions: reading the derived corpus file, importing it
idempotently (flagging the pages that cite what changed), and linking old versions to the version
in force."""

import json
import lzma
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext as _

from content.citations import CHINESE_NUMERAL, chinese_to_int, entry_refs
from content.citing import flag_citing_pages
from content.models import Statute, StatuteArticle
from content.statute_structure import StructureError, structure_articles
from content.text import fold

STATUTE_DATA_FILE = Path(__file__).resolve().parent / "data" / "statutes.jsonl.xz"
NATIONAL_PREFIX = "中华人民共和国"

# Fields copied from the corpus as they are; short_name and the version link are derived.
STATUTE_FIELDS = (
    "name",
    "short_name",
    "sort_name",
    "doc_type",
    "level",
    "issuing_body",
    "department",
    "publish_date",
    "effective_date",
    "version_date",
    "status",
)
ARTICLE_FIELDS = (
    "position",
    "number",
    "sub_number",
    "item",
    "label",
    "part",
    "subpart",
    "chapter",
    "section",
    "text",
)
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


BRACKETED_NUMERAL_RE = re.compile(rf"（({CHINESE_NUMERAL})）")


def sort_name_of(name):
    """The name with a bracketed numeral as zero-padded digits (刑法修正案（三） → 刑法修正案
    （0003）), so amendments sort in their numeric order, not by the characters of the numeral."""

    def padded(match):
        try:
            return f"（{chinese_to_int(match[1]):04d}）"
        except ValueError:
            return match[0]

    return BRACKETED_NUMERAL_RE.sub(padded, name)


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
    # What a page citing the library must hear about: (statute, label, (number, sub_number,
    # item), old text, new text) of each article whose text changed or that is gone (new text
    # None), and the laws that left force in this import.
    changed_texts: list = field(default_factory=list)
    left_force: list = field(default_factory=list)
    # The CitationChange flags written on pages citing what changed.
    flagged: list = field(default_factory=list)

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
        "sort_name": sort_name_of(name),
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


def law_articles(law):
    """(position, model field values) of each article of a corpus law: its identity from the
    labels, its text and place from the structure. CorpusError where either cannot be read."""
    articles = law.get("articles") or []
    for position, article in enumerate(articles, start=1):
        if not (article.get("text") or "").strip():
            raise CorpusError(
                _("《%(name)s》第 %(position)s 项条文为空")
                % {"name": law["name"], "position": position}
            )
    try:
        structured = structure_articles(law)
    except StructureError as exc:
        raise CorpusError(str(exc)) from exc
    refs = entry_refs([article.get("label") or "" for article in articles])
    for position, (article, ref, parsed) in enumerate(
        zip(articles, refs, structured, strict=True), start=1
    ):
        yield {
            "position": position,
            "number": ref.number,
            "sub_number": ref.sub,
            "item": ref.item,
            "label": article.get("label") or "全文",  # the source's own word for a whole text
            "part": parsed.part,
            "subpart": parsed.subpart,
            "chapter": parsed.chapter,
            "section": parsed.section,
            "text": parsed.text,
        }


def _key(values):
    return (values["number"], values["sub_number"], values["item"])


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
    # Every law is read and its structure parsed before anything is written: a file that cannot
    # be read changes nothing.
    articles = {law["law_id"]: list(law_articles(law)) for law in corpus}
    with transaction.atomic():
        statutes = _upsert_statutes(corpus, result)
        _sync_articles(corpus, articles, statutes, result, progress or (lambda items: items))
        result.versions_linked = link_versions(result.changed_law_ids)
        result.flagged = flag_citing_pages(result)
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
            if statute.is_in_force and values["status"] not in Statute.IN_FORCE_STATUSES:
                result.left_force.append(statute)
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


def _sync_articles(corpus, articles, statutes, result, progress):
    """Articles are matched by their identity (第N条之K or item), not their place, so that an
    article added in the middle of a law changes no other article's text."""
    stored = {}
    for row in StatuteArticle.objects.filter(statute__in=statutes.values()).values(
        "id", "statute_id", *ARTICLE_FIELDS
    ):
        stored[row["statute_id"], _key(row)] = row
    to_create, to_update = [], []
    for law in progress(corpus):
        statute = statutes[law["law_id"]]
        for values in articles[law["law_id"]]:
            row = stored.pop((statute.pk, _key(values)), None)
            if row is None:
                to_create.append(StatuteArticle(statute=statute, **values))
                result.changed_law_ids.add(statute.law_id)
            elif any(row[name] != value for name, value in values.items()):
                to_update.append(StatuteArticle(id=row["id"], **values))
                result.changed_law_ids.add(statute.law_id)
                if row["text"] != values["text"]:
                    result.changed_texts.append(
                        (statute, values["label"], _key(values), row["text"], values["text"])
                    )
        if len(to_create) >= BATCH_SIZE:
            result.articles_created += len(StatuteArticle.objects.bulk_create(to_create))
            to_create = []
    # Whatever is left in `stored` belongs to these laws but is no longer in the file.
    law_of = {statute.pk: statute for statute in statutes.values()}
    for row in stored.values():
        statute = law_of[row["statute_id"]]
        result.changed_law_ids.add(statute.law_id)
        result.changed_texts.append((statute, row["label"], _key(row), row["text"], None))
    to_delete = [row["id"] for row in stored.values()]
    for start in range(0, len(to_delete), BATCH_SIZE):
        StatuteArticle.objects.filter(id__in=to_delete[start : start + BATCH_SIZE]).delete()
    result.articles_deleted = len(to_delete)
    result.articles_created += len(StatuteArticle.objects.bulk_create(to_create))
    StatuteArticle.objects.bulk_update(to_update, ARTICLE_FIELDS, batch_size=BATCH_SIZE)
    result.articles_updated = len(to_update)


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


STATUS_FILTERS = {
    "": Q(status__in=Statute.IN_FORCE_STATUSES),
    "repealed": Q(status=Statute.Status.REPEALED),
    "historical": Q(status=Statute.Status.HISTORICAL),
    "all": Q(),
}


def filter_statutes(
    q="",
    status="",
    level="",
    issuing_body="",
    department="",
    published_from=None,
    published_to=None,
    **ignored,
):
    """The laws of /laws/ and /api/laws/: in force unless `status` says otherwise (repealed,
    historical, all), by part of the name in simplified or traditional characters, 效力级别,
    制定机关, 法律部门 and a range of 公布日期; in force first, amendments in numeric order."""
    statutes = Statute.objects.filter(STATUS_FILTERS[status])
    # Names are stored in simplified characters: a traditional query (勞動合同) is folded.
    term = fold((q or "").strip())
    if term:
        statutes = statutes.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
    for name, value in (
        ("level", level),
        ("issuing_body", issuing_body),
        ("department", department),
    ):
        if value:
            statutes = statutes.filter(**{name: value})
    if published_from:
        statutes = statutes.filter(publish_date__gte=published_from)
    if published_to:
        statutes = statutes.filter(publish_date__lte=published_to)
    return statutes.in_force_first()


def choices_of(field_name):
    """The values a statute field takes in the library (法律部门, 效力级别), as form choices."""
    values = Statute.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True)
    return [(value, value) for value in sorted(set(values))]


def neighbours(article):
    """The articles before and after this one in its law (None at either end)."""
    siblings = (
        StatuteArticle.objects.filter(statute_id=article.statute_id)
        .select_related("statute")
        .only("position", "label", "number", "sub_number", "item", "statute__law_id")
    )
    previous = siblings.filter(position__lt=article.position).order_by("-position").first()
    following = siblings.filter(position__gt=article.position).order_by("position").first()
    return previous, following
