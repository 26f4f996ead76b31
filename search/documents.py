"""What the index holds: one SearchDocument per live article, live video and statute article,
built from the content models. Engines store these; they never read the content models."""

import hashlib
from dataclasses import dataclass, fields

from django.db.models import Q
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from content.amendments import amendments_by_article
from content.blocks import find_article
from content.citations import ArticleNumberError, parse_article
from content.models import ArticlePage, Statute, StatuteArticle, VideoPage

ARTICLE, VIDEO, STATUTE = "article", "video", "statute"
TYPES = (ARTICLE, VIDEO, STATUTE)
PAGE_MODELS = {ARTICLE: ArticlePage, VIDEO: VideoPage}
IN_FORCE_STATUSES = tuple(str(s) for s in Statute.IN_FORCE_STATUSES)
STATUSES = tuple(str(s) for s in Statute.Status.values)


@dataclass(frozen=True)
class SearchDocument:
    key: str  # "page:<id>" or "law:<law_id>:<article key>" (133-1, item-3): stable across imports
    type: str
    title: str
    body: str
    url: str
    topic: str = ""
    law_id: str = ""
    law_name: str = ""
    law_short_name: str = ""
    article_no: str = ""
    level: str = ""
    status: str = ""
    published: str = ""  # ISO date

    @property
    def stamp(self):
        """A digest of everything indexed, so search_verify can tell a stale entry."""
        data = "\x1f".join(getattr(self, name) for name in FIELD_NAMES)
        return hashlib.blake2b(data.encode(), digest_size=8).hexdigest()

    @property
    def in_force(self):
        return self.type != STATUTE or self.status in IN_FORCE_STATUSES

    def as_dict(self):
        # By hand: dataclasses.asdict deep-copies every value, too slow for 26k documents.
        return {name: getattr(self, name) for name in FIELD_NAMES} | {"stamp": self.stamp}


FIELD_NAMES = tuple(f.name for f in fields(SearchDocument))


def page_key(page_id):
    return f"page:{page_id}"


def statute_key(law_id, article_key):
    return f"law:{law_id}:{article_key}"


# Pages ---------------------------------------------------------------------------------------


def searchable_pages():
    """Live articles and videos that anyone may read (pages behind a view restriction are not
    shown to the public, so they are not searchable either)."""
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    pages = Page.objects.live().type(ArticlePage, VideoPage)
    for path in restricted:
        pages = pages.exclude(path__startswith=path)
    return pages


def page_document(page):
    """The document of a page, or None when the page must not be in the index."""
    page = page.specific
    if isinstance(page, ArticlePage):
        kind, body = ARTICLE, [page.summary, page.body_text()]
    elif isinstance(page, VideoPage):
        kind, body = VIDEO, [page.summary, page.transcript]
    else:
        return None
    tags = [tag.name for tag in page.tags.all()]
    topic = page.get_parent()
    return SearchDocument(
        key=page_key(page.pk),
        type=kind,
        title=page.title,
        body="\n".join(part for part in [*body, " ".join(tags)] if part),
        url=page.get_url() or page.url_path,
        topic=topic.title if topic and topic.depth > 2 else "",
        published=(page.date or page.first_published_at).isoformat()[:10],
    )


def page_documents():
    for page in searchable_pages().specific().iterator(chunk_size=200):
        doc = page_document(page)
        if doc is not None:
            yield doc


def document_for_page_key(page_id):
    """The document a page should have now, or None when it should not be in the index."""
    page = searchable_pages().filter(pk=page_id).specific().first()
    return page_document(page) if page is not None else None


def affected_page_ids(page):
    """Pages whose documents change when this page changes: itself and, for a topic, every
    article and video under it (their topic name and URL come from it)."""
    return list(
        Page.objects.filter(Q(pk=page.pk) | Q(path__startswith=page.path, depth__gt=page.depth))
        .type(ArticlePage, VideoPage)
        .values_list("pk", flat=True)
    ) or [page.pk]


# Statutes ------------------------------------------------------------------------------------


def statute_document(article, statute, amendments=None):
    """The document of one article. Its date is the one the source gives for its text: the
    施行日期 of the last amendment that added or changed it, else its law's."""
    changed_by = (amendments or {}).get(article.key) or []
    dates = [a.effective_date for a in changed_by if a.effective_date] or [statute.effective_date]
    return SearchDocument(
        key=statute_key(statute.law_id, article.key),
        type=STATUTE,
        title=f"{statute.name} {article.label}".strip(),
        body=article.text,
        url=reverse("statute_article", args=[statute.law_id, article.key]),
        law_id=statute.law_id,
        law_name=statute.name,
        law_short_name=statute.short_name or statute.name,
        article_no=article.label,
        level=statute.level,
        status=statute.status,
        published=dates[-1].isoformat() if dates[-1] else "",
    )


ARTICLE_DOCUMENT_FIELDS = (
    "statute_id",
    "position",
    "number",
    "sub_number",
    "item",
    "label",
    "text",
)


def statute_documents(statutes=None):
    statutes = {s.pk: s for s in (statutes if statutes is not None else Statute.objects.all())}
    articles = (
        StatuteArticle.objects.filter(statute_id__in=statutes)
        .only(*ARTICLE_DOCUMENT_FIELDS)
        .order_by("statute_id", "position")
    )
    amendments = {}
    for article in articles.iterator(chunk_size=2000):
        statute = statutes[article.statute_id]
        if statute.pk not in amendments:
            amendments = {statute.pk: amendments_by_article(statute)}
        yield statute_document(article, statute, amendments[statute.pk])


def statute_article(law_id, article_key):
    """The article of a law by its key (133-1), or None."""
    statute = Statute.objects.filter(law_id=law_id).first()
    try:
        ref = parse_article(article_key)
    except ArticleNumberError:
        return None
    return find_article(statute, ref) if statute else None


def document_for_statute_key(law_id, article_key):
    article = statute_article(law_id, article_key)
    if article is None:
        return None
    return statute_document(article, article.statute, amendments_by_article(article.statute))


def statute_article_for_key(key):
    """The article a statute document's key (law:<law_id>:<article key>) names, or None."""
    kind, _, rest = key.partition(":")
    law_id, _, article_key = rest.rpartition(":")
    return statute_article(law_id, article_key) if kind == "law" else None


def all_documents():
    yield from page_documents()
    yield from statute_documents()


def document_for_key(key):
    """The document that key should have now (None: it should not be in the index)."""
    kind, _, rest = key.partition(":")
    if kind == "page" and rest.isdigit():
        return document_for_page_key(int(rest))
    if kind == "law":
        law_id, _, article_key = rest.rpartition(":")
        return document_for_statute_key(law_id, article_key)
    return None


def count_documents():
    return searchable_pages().count() + StatuteArticle.objects.count()
