"""The selection: reviews and declared conflicts, the composition board (runs of the engine on
the task worker, locks, proposals, comparisons, the overview in `overview.py`), approval, the
decisions and their e-mails, the waiting lists and seat offers, the report and the groups'
export.

May import: handlespor.calls, handlespor.engine, handlespor.mail, handlespor.charts,
handlespor.attributes and handlespor.roles. Imported by: privacy and the project's urls.
"""
