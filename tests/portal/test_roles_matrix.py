"""Roles follow the 法律审核 workflow. The whole matrix of roles × actions, walked cell by cell:
only administrators publish, unpublish or delete; editors write, submit and distribute; legal
reviewers approve or request changes on what the workflow puts in front of them, and nothing
else; officials see the coverage dashboard and export it."""

import pytest
from django.urls import reverse
from wagtail.models import Workflow

from content.roles import EDITORS, REVIEW_WORKFLOW, REVIEWERS
from distribution.services import can_distribute
from tests.factories import ArticlePageFactory, UserFactory
from tests.reach.factories import OfficialFactory

ACTIONS = [
    "edit",
    "submit",
    "approve",
    "publish",
    "unpublish",
    "delete",
    "distribute",
    "view dashboard",
    "export",
]
ALLOWED = {
    "admin": set(ACTIONS),
    "editor": {"edit", "submit", "distribute"},
    "reviewer": {"approve"},
    "official": {"view dashboard", "export"},
}
GROUPS = {"editor": EDITORS, "reviewer": REVIEWERS}


@pytest.fixture
def users(db):
    made = {"admin": UserFactory(username="admin", is_superuser=True, is_staff=True)}
    for role, group in GROUPS.items():
        made[role] = UserFactory(username=role, groups=[group])
    # In the 官员 group, with a scope (the whole province): an official without one sees nothing.
    made["official"] = OfficialFactory(username="official")
    return made


@pytest.fixture
def pages(topic, users):
    """A live article, and another whose new revision the editor submitted for review."""
    live = ArticlePageFactory(parent=topic, title="遇到电信诈骗怎么办", owner=users["editor"])
    live.save_revision(user=users["editor"]).publish()
    submitted = ArticlePageFactory(parent=topic, title="高空抛物谁担责", owner=users["editor"])
    revision = submitted.save_revision(user=users["editor"])
    Workflow.objects.get(name=REVIEW_WORKFLOW).start(submitted, users["editor"])
    assert revision.content_object.workflow_in_progress
    return {"live": live, "submitted": submitted}


def can(action, user, pages, client):
    live = pages["live"]
    permissions = live.permissions_for_user(user)
    if action == "edit":
        return permissions.can_edit()
    if action == "submit":  # from the editor, which the user must be able to open
        return permissions.can_edit() and permissions.can_submit_for_moderation()
    if action == "approve":
        submitted = pages["submitted"]
        task = submitted.current_workflow_task
        return "approve" in {name for name, _, _ in task.get_actions(submitted, user)}
    if action == "publish":
        return permissions.can_publish()
    if action == "unpublish":
        return permissions.can_unpublish()
    if action == "delete":
        return permissions.can_delete()
    if action == "distribute":
        return can_distribute(user, live)
    client.force_login(user)
    if action == "view dashboard":
        return client.get(reverse("reach_dashboard")).status_code == 200
    response = client.get(reverse("reach_dashboard"), {"format": "xlsx"})
    return response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(ALLOWED))
def test_the_roles_matrix(client, users, pages, role, action):
    assert can(action, users[role], pages, client) == (action in ALLOWED[role])


def test_a_reviewer_cannot_open_a_page_outside_the_workflow(client, users, pages):
    client.force_login(users["reviewer"])
    edit = reverse("wagtailadmin_pages:edit", args=[pages["live"].pk])
    assert client.get(edit).status_code == 302  # sent away: no permission


def test_a_reviewer_reviews_the_submitted_page_in_the_editor(client, users, pages):
    client.force_login(users["reviewer"])
    edit = reverse("wagtailadmin_pages:edit", args=[pages["submitted"].pk])
    assert client.get(edit).status_code == 200


def test_an_editor_cannot_delete_even_an_own_draft(client, users, topic):
    draft = ArticlePageFactory(parent=topic, title="草稿", owner=users["editor"], live=False)
    client.force_login(users["editor"])
    response = client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert type(draft).objects.filter(pk=draft.pk).exists()
