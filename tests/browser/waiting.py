"""Waiting for a condition in the page under the portal's Content-Security-Policy.

Playwright's ``page.wait_for_function`` compiles its predicate inside the page, which a policy
without 'unsafe-eval' refuses; ``page.evaluate`` runs through the browser's debugging protocol,
which the policy does not govern. So the condition is asked again until it holds."""

import time

POLL_MS = 50


def wait_until(page, expression, arg=None, timeout_ms=15_000):
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(POLL_MS)
