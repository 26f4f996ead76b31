"""The editorial roles, by group name. The groups themselves, their permissions and the 法律审核
workflow are created by the data migration content/migrations/0002_editorial_roles.py, so they
exist on every install, not only where the demo was loaded."""

EDITORS = "编辑"  # write and edit pages, submit them for legal review; cannot publish
REVIEWERS = "审核"  # legal reviewers: approve or reject in the 法律审核 workflow
OFFICIALS = "官员"  # log in to the admin for dashboards; no content permissions

REVIEW_WORKFLOW = "法律审核"
REVIEW_TASK = "法律审核（审核组）"


def publish_approved(workflow_state, user=None):
    """What Wagtail does when the 法律审核 workflow is approved (WAGTAIL_FINISH_WORKFLOW_ACTION):
    publish the approved revision. The approval is the permission, so reviewers need no
    publish permission of their own, and so cannot publish anything outside the workflow."""
    workflow_state.content_object.get_latest_revision().publish(
        user=user, skip_permission_checks=True
    )
