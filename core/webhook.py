# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Outbound webhooks: events, signatures, and what to do after an attempt.

The models store one event per subscription and business change, and a
scheduled action posts them. Which response means "delivered", "try again
later" or "stop", and when the next try is due, is decided here.
"""

import hashlib
import hmac

# The business events a subscription can listen to.
EVENT_TYPES = [
    ("status_changed", "Status Changed"),
    ("shipped", "Shipped"),
    ("delayed", "Delayed"),
    ("exception_opened", "Exception Opened"),
    ("cancelled", "Cancelled"),
]
EVENT_CODES = tuple(code for code, _label in EVENT_TYPES)

# Where a stored event stands.
EVENT_STATES = [
    ("pending", "Pending"),
    ("sent", "Sent"),
    ("failed", "Failed, Retrying"),
    ("given_up", "Given Up"),
]
# Events still to be delivered: they keep later events of their order waiting.
OPEN_EVENT_STATES = ("pending", "failed")

SIGNATURE_HEADER = "X-Fulfillment-Signature"
EVENT_ID_HEADER = "X-Fulfillment-Event-Id"
EVENT_TYPE_HEADER = "X-Fulfillment-Event"
SIGNATURE_PREFIX = "sha256="
TIMEOUT_SECONDS = 10
# Backoff after the n-th failed try: BACKOFF_BASE * 2 ** (n - 1), capped.
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600

# What a delivery attempt leads to.
DELIVERED = "delivered"
RETRY = "retry"
REJECTED = "rejected"

# (outcome, condition on the HTTP status; None = no response: timeout or
# connection error). The first row that matches wins; the last is the default.
DELIVERY_RULES = (
    (RETRY, lambda status: status is None),
    (DELIVERED, lambda status: 200 <= status < 300),
    (RETRY, lambda status: status == 429),
    (RETRY, lambda status: status >= 500),
    (REJECTED, lambda status: True),
)


def sign(secret, body):
    """The signature header value of ``body`` (bytes): ``sha256=<hex>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(secret, body, header):
    """The ``header`` signature matches ``body`` and ``secret`` (constant time)."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body), header.strip())


def classify_delivery(status):
    """delivered / retry / rejected for an HTTP status (None: no response)."""
    for outcome, condition in DELIVERY_RULES:
        if condition(status):
            return outcome
    raise AssertionError("DELIVERY_RULES has no default row")


def backoff_seconds(tries, base=BACKOFF_BASE_SECONDS, cap=BACKOFF_MAX_SECONDS):
    """Seconds to wait after the ``tries``-th failed try (1, 2, 4 ... x base)."""
    if tries < 1:
        return 0
    return min(base * 2 ** (tries - 1), cap)


def backoff_schedule(max_tries, base=BACKOFF_BASE_SECONDS, cap=BACKOFF_MAX_SECONDS):
    """The waits between the tries of an event that always fails."""
    return [backoff_seconds(tries, base, cap) for tries in range(1, max_tries)]


def next_state(outcome, tries, max_tries):
    """(state, seconds until the next try or None) after ``tries`` tries.

    A delivered event is sent. A rejected one (a 4xx answer other than 429:
    the receiver will not accept it as is) is given up at once. A retryable
    failure waits the backoff, unless the tries are used up.
    """
    if outcome == DELIVERED:
        return "sent", None
    if outcome == REJECTED or tries >= max_tries:
        return "given_up", None
    return "failed", backoff_seconds(tries)
