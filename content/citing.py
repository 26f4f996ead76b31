"""Which of the portal's pages cite which article, and what happens to them when a statute
import changes the law under them.

An import that changes the text of an article a live page cites, removes the article, or takes
its law out of force flags the page (a CitationChange: the admin's 引用的法条已变更, with the old
and new text side by side), and the page shows its readers a notice. The flag is settled when an
editor confirms that the page may keep citing the article, or when a revision saved after the
change is published that cites the article as it now reads (or no longer cites it). Every step
is in the page's history (Wagtail's audit log)."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex

from content.blocks import StatuteCitationBlock, find_article
from content.citations import ArticleNumberError, ArticleRef, parse_article
from content.models import CitationChange, Statute
from content.statute_structure import split_trailing_headings

# Sent once the change is committed, with `page_ids`: pages whose notice appeared or went, so
# that apps later in the chain refresh what they keep of them (the page cache, the search index).
citation_notices_changed = Signal()

Kind, Resolution = CitationChange.Kind, CitationChange.Resolution

# Spaces of any kind within a line (ASCII, U+3000, tabs); a line break is not one of them.
SPACES_RE = re.compile(r"[^\S\n]+")


def citations_in(page):
    """The values of every statute citation block in the page's StreamFields."""
    for model_field in page._meta.get_fields():
        if not isinstance(model_field, StreamField):
            continue
        for block in getattr(page, model_field.name) or []:
            if isinstance(block.block, StatuteCitationBlock):
                yield block.value


def _cites(value, statute_id, key):
    return getattr(value.get("statute"), "pk", None) == statute_id and value.get("article") == key


def pages_citing(statute_ids, public_only=True):
    """The live pages that refer to any of these laws, newest first. Wagtail's reference index
    says which pages refer to a law at all (kept current by its own background task on every
    save); reading their blocks says which article they cite."""
    page_ids = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(Statute),
        to_object_id__in=[str(pk) for pk in statute_ids],
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", flat=True)
    pages = Page.objects.live().filter(pk__in=[int(pk) for pk in set(page_ids)])
    if public_only:
        pages = pages.public()
    return pages.specific().order_by("-first_published_at", "-pk")


def citing_pages(article):
    """The portal's live, public pages whose citation blocks cite this article."""
    return [
        page
        for page in pages_citing([article.statute_id])
        if any(_cites(value, article.statute_id, article.key) for value in citations_in(page))
    ]


# Flagging after an import ----------------------------------------------------------------------


def flag_citing_pages(result):
    """Flag the live pages citing what an import (its ImportResult) changed: an article whose
    wording changed (see same_wording), an article gone, any article of a law that left force.
    An open flag on the same citation is brought up to date rather than repeated, keeping the
    text the page was flagged from. Returns the flags written."""
    changes = {}
    for statute, label, key, old, new in result.changed_texts:
        if new is not None and same_wording(old, new):
            continue  # a heading moved out or stray spaces taken out: the law is as it was
        kind = Kind.REMOVED if new is None else Kind.CHANGED
        changes[statute.pk, ArticleRef(*key).key] = (kind, label, old, new or "")
    left_force = {statute.pk: statute for statute in result.left_force}
    statutes = {statute.pk: statute for statute, *_rest in result.changed_texts} | left_force
    if not statutes:
        return []
    written = {}
    for page in pages_citing(statutes, public_only=False):
        for value in citations_in(page):
            statute_id, key = getattr(value.get("statute"), "pk", None), value.get("article")
            if (statute_id, key) in changes:
                kind, label, old, new = changes[statute_id, key]
            elif statute_id in left_force:
                kind, label, old, new = _unchanged_article(left_force[statute_id], key)
            else:
                continue
            if statute_id in left_force:
                kind = Kind.REPEALED
            if (page.pk, statute_id, key) not in written:
                written[page.pk, statute_id, key] = _flag(
                    page, statutes[statute_id], key, kind, label, old, new
                )
    _announce({page_id for page_id, *_rest in written})
    return list(written.values())


def same_wording(old, new):
    """Whether an article's new text says what its old text said: equal once the heading lines
    glued to the old text's end are taken out (they moved into the structure) and spaces within
    lines are left aside (an import taking out the stray spaces of the source's PDF, "生活垃 圾"
    becoming "生活垃圾", changes no word of the law). A line break still counts: it divides the
    article into its 款, which readers count when they cite one."""
    old = split_trailing_headings(old)[0]
    return SPACES_RE.sub("", old) == SPACES_RE.sub("", new)


def _unchanged_article(statute, key):
    """(kind, label, old, new) for a cited article of a law that left force."""
    try:
        ref = parse_article(key)
    except ArticleNumberError:
        return Kind.REPEALED, key, "", ""
    article = find_article(statute, ref)
    text = article.text if article else ""
    return Kind.REPEALED, article.label if article else (ref.label or key), text, text


def _flag(page, statute, key, kind, label, old, new):
    flag = CitationChange.objects.open().filter(page=page, statute=statute, article_key=key).first()
    if flag is None:
        flag = CitationChange(page=page, statute=statute, article_key=key, old_text=old)
    flag.kind, flag.article_label, flag.new_text = kind, label, new
    flag.save()
    log(
        instance=page,
        action="content.citation_flagged",
        data={"law": statute.name, "article": label, "kind": flag.get_kind_display()},
    )
    return flag


def _announce(page_ids):
    if page_ids:
        page_ids = frozenset(page_ids)
        transaction.on_commit(
            lambda: citation_notices_changed.send(sender=CitationChange, page_ids=page_ids)
        )


# Settling a flag ------------------------------------------------------------------------------


def confirm(flag, user):
    """An editor has read the new text: the page may keep citing the article as it is."""
    _settle(flag, Resolution.CONFIRMED, user, "content.citation_confirmed")
    _announce({flag.page_id})


def settle_on_publish(sender, instance, revision=None, **kwargs):
    """page_published: a revision saved after a flag that cites the article as it now reads (the
    article is there, its law in force: the editor saw the current text when saving), or no
    longer cites it, settles the flag. Publishing a revision older than the change does not."""
    if revision is None:
        return
    settled = []
    flags = CitationChange.objects.notices_for(instance)
    for flag in flags.filter(detected_at__lte=revision.created_at):
        cited = [v for v in citations_in(instance) if _cites(v, flag.statute_id, flag.article_key)]
        if cited and not _cites_current_text(flag):
            continue
        _settle(flag, Resolution.UPDATED, revision.user, "content.citation_updated")
        settled.append(flag.page_id)
    _announce(settled)


def _cites_current_text(flag):
    if not flag.statute.is_in_force:
        return False
    try:
        return find_article(flag.statute, parse_article(flag.article_key)) is not None
    except ArticleNumberError:
        return False


def _settle(flag, resolution, user, action):
    flag.resolved_at = timezone.now()
    flag.resolved_by = user if getattr(user, "pk", None) else None
    flag.resolution = resolution
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    log(
        instance=flag.page.specific_deferred,
        action=action,
        user=flag.resolved_by,
        data={"law": flag.statute.name, "article": flag.article_label},
    )
