"""Login guessing, throttled by django-axes in the database (every web process sees the same
failures). An account locks after LOGIN_FAILURES_PER_ACCOUNT failures and an address after
LOGIN_FAILURES_PER_ADDRESS, each within LOGIN_COOL_OFF; the address limit is higher because a
whole office may sit behind one address and one person's typing must not lock out the rest."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes compares one count with one limit (AXES_FAILURE_LIMIT, the account's). The count it
    is given here is the account's failures, or the address's scaled to the account's limit, so
    that the one comparison locks at either limit."""

    def get_failures(self, request, credentials=None):
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        per_account = settings.LOGIN_FAILURES_PER_ACCOUNT
        per_address = settings.LOGIN_FAILURES_PER_ADDRESS
        return max(by_account, by_address * per_account // per_address)
