"""The production application for the fault tests' server, warmed in gunicorn's master before
it forks: the URL patterns (and so every view) imported and the form's template compiled, so a
worker forked again after a kill answers at once."""

from django.template.loader import get_template
from django.urls import get_resolver

from handlespor.wsgi import application

get_resolver().url_patterns  # noqa: B018 - imports every view module
get_template("calls/application_form.html")

__all__ = ["application"]
