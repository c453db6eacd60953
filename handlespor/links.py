"""Private links, the key to the pages of people without a login (applicants, members, the
partners' contact people): their tokens, and the decorator for the pages behind them.

May import: Django and django-ratelimit only. Imported by: calls, selection, trackyear, privacy
and reporting.
"""

import base64
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def derive_token(nonce: str) -> str:
    """The private-link token of a nonce: an HMAC under the secret key, so the database alone
    cannot give the links."""
    digest = salted_hmac("handlespor.calls.private-link", nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages behind a private link: limited per address (against guessing links), never cached,
    never leaking the link as a referrer to other sites. ("no-referrer" would make browsers send
    `Origin: null`, failing Django's CSRF check.)"""

    limited = ratelimit(key="ip", rate=lambda _g, _r: settings.RATELIMIT_PRIVATE_LINK)(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = never_cache(limited)(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper
