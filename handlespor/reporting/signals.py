"""The reporting's one signal, so that the apps that depend on the reporting need not be
imported by it: `reporting_changed` (keyword `organisation`) is sent when a report is submitted,
corrected or imported. The calls listen to it and reassess the organisation's applications that
wait for a check (see `calls.apps`)."""

from django.dispatch import Signal

reporting_changed = Signal()
