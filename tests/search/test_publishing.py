"""The index follows publishing: publish, unpublish, move, delete and edits of live pages reach
the index through the outbox and the task worker, never inside the editor's request; nothing is
lost when the engine is down."""

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from search import indexing
from search.engines import EngineUnavailable, get_engine
from search.models import PendingChange
from search.query import parse_query
from tests.factories import ArticlePageFactory, TopicIndexPageFactory, VideoPageFactory


@pytest.fixture
def index(site_index):
    site_index.rebuild([])
    return site_index


def found(q, **filters):
    from search.engines import Filters

    return [h.document.title for h in get_engine().search(parse_query(q), Filters(**filters)).hits]


def publish(page, capture):
    with capture(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()


def draft_article(topic, **kwargs):
    return ArticlePageFactory(parent=topic, live=False, **kwargs)


def test_published_article_is_findable_once_the_worker_ran(
    index, topic, run_tasks, django_capture_on_commit_callbacks
):
    page = draft_article(topic, title="警惕新型电信网络诈骗")
    publish(page, django_capture_on_commit_callbacks)
    # Recorded in the editor's transaction, written by the worker, not by the request.
    assert PendingChange.objects.pending().filter(key=f"page:{page.pk}").exists()
    assert found("诈骗") == []
    run_tasks()
    assert found("诈骗") == ["警惕新型电信网络诈骗"]
    assert not PendingChange.objects.pending().exists()


def test_video_transcript_is_searchable(index, topic, django_capture_on_commit_callbacks):
    video = VideoPageFactory(
        parent=topic, live=False, title="普法小剧场", transcript="遇到校园欺凌要告诉老师和家长。"
    )
    publish(video, django_capture_on_commit_callbacks)
    indexing.apply_pending()
    assert found("校园欺凌") == ["普法小剧场"]


def test_unpublished_and_deleted_pages_leave_the_index(
    index, topic, django_capture_on_commit_callbacks
):
    kept = draft_article(topic, title="刷单返利都是诈骗")
    gone = draft_article(topic, title="冒充客服诈骗")
    publish(kept, django_capture_on_commit_callbacks)
    publish(gone, django_capture_on_commit_callbacks)
    indexing.apply_pending()
    assert sorted(found("诈骗")) == ["冒充客服诈骗", "刷单返利都是诈骗"]

    with django_capture_on_commit_callbacks(execute=True):
        gone.unpublish()
    indexing.apply_pending()
    assert found("诈骗") == ["刷单返利都是诈骗"]

    with django_capture_on_commit_callbacks(execute=True):
        kept.delete()
    indexing.apply_pending()
    assert found("诈骗") == []


def test_a_draft_edit_does_not_change_what_citizens_find(
    index, topic, django_capture_on_commit_callbacks
):
    page = draft_article(topic, title="虚假投资理财诈骗")
    publish(page, django_capture_on_commit_callbacks)
    indexing.apply_pending()
    page.title = "草稿中的新标题"
    page.save_revision()  # saved, not published
    indexing.apply_pending()
    assert found("诈骗") == ["虚假投资理财诈骗"]
    publish(page, django_capture_on_commit_callbacks)
    indexing.apply_pending()
    assert found("投资理财") == []
    assert found("草稿") == ["草稿中的新标题"]


def test_moving_and_renaming_a_topic_update_its_articles(
    index, home, topic, django_capture_on_commit_callbacks
):
    page = draft_article(topic, title="养老诈骗套路多")
    publish(page, django_capture_on_commit_callbacks)
    other = TopicIndexPageFactory(parent=home, title="老年人权益")
    with django_capture_on_commit_callbacks(execute=True):
        page.move(other, pos="last-child")
    indexing.apply_pending()
    assert found("诈骗", topic="老年人权益") == ["养老诈骗套路多"]

    other.title = "老年人权益保障"
    publish(other, django_capture_on_commit_callbacks)
    indexing.apply_pending()
    assert found("诈骗", topic="老年人权益保障") == ["养老诈骗套路多"]


def test_pages_behind_a_view_restriction_are_not_searchable(
    index, topic, django_capture_on_commit_callbacks
):
    page = draft_article(topic, title="内部学习材料：诈骗案例")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    publish(page, django_capture_on_commit_callbacks)
    indexing.apply_pending()
    assert found("诈骗") == []


def test_changes_wait_while_the_engine_is_down_and_are_replayed(
    index, topic, monkeypatch, django_capture_on_commit_callbacks
):
    page = draft_article(topic, title="网络诈骗新手法")
    engine = get_engine()

    def down(documents):
        raise EngineUnavailable("检索引擎停机维护")

    monkeypatch.setattr(engine, "index_documents", down)
    publish(page, django_capture_on_commit_callbacks)
    with pytest.raises(EngineUnavailable):
        indexing.apply_pending()
    change = PendingChange.objects.get(key=f"page:{page.pk}")
    assert change.applied_at is None
    assert change.attempts == 1
    assert "停机维护" in change.last_error

    monkeypatch.undo()  # the engine is back: the periodic task replays the queue
    assert indexing.apply_pending() >= 1
    assert not PendingChange.objects.pending().exists()
    assert found("诈骗") == ["网络诈骗新手法"]


def test_a_rebuild_replays_changes_applied_while_it_ran(index, topic, monkeypatch):
    page = ArticlePageFactory(parent=topic, title="防范电信诈骗")
    engine = get_engine()
    build = engine.rebuild

    def rebuild_while_the_worker_applies_a_change(documents, **kwargs):
        PendingChange.objects.record([f"page:{page.pk}"], PendingChange.Reason.PUBLISH)
        indexing.apply_pending()  # written to the old generation, which is being replaced
        return build([], **kwargs)

    monkeypatch.setattr(engine, "rebuild", rebuild_while_the_worker_applies_a_change)
    indexing.rebuild(progress=False)
    assert found("诈骗") == []
    # The change applied during the rebuild is queued again for the new index.
    assert PendingChange.objects.pending().filter(key=f"page:{page.pk}").exists()
    indexing.apply_pending()
    assert found("诈骗") == ["防范电信诈骗"]


def test_a_statute_import_queues_the_changed_laws_articles(
    db, index, laws, subset_file, django_capture_on_commit_callbacks
):
    from content.statutes import import_statutes

    with django_capture_on_commit_callbacks(execute=True):
        import_statutes(subset_file)  # sends statutes_imported after its commit
    assert found("网络诈骗") == []
    law = next(law for law in laws if law["name"].endswith("反电信网络诈骗法"))

    statute_changes = PendingChange.objects.pending().filter(reason=PendingChange.Reason.STATUTE)
    assert statute_changes.filter(key__startswith=f"law:{law['law_id']}:").count() == 50
    indexing.apply_pending()
    assert "中华人民共和国反电信网络诈骗法 第一条" in found("网络诈骗")


def test_changes_recorded_before_a_rebuild_are_settled_by_it(index, topic):
    page = ArticlePageFactory(parent=topic, title="防范养老诈骗")
    PendingChange.objects.record([f"page:{page.pk}"], PendingChange.Reason.PUBLISH)
    PendingChange.objects.update(updated_at=timezone.now() - timezone.timedelta(minutes=5))
    indexing.rebuild(progress=False)
    assert not PendingChange.objects.pending().exists()
    assert found("诈骗") == ["防范养老诈骗"]
