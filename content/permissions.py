"""Permission policies of the content app's admin screens."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions as usual, but add, change and delete for nobody, superusers
    included: for records that only the software writes (the statute library, imported from the
    data file; the flags an import raises). Other actions (view, confirm) go by the user's
    permissions."""

    WRITE_ACTIONS = {"add", "change", "delete"}

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, set(actions) - self.WRITE_ACTIONS)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - self.WRITE_ACTIONS)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)
