"""The yearly reporting on equal access and wellbeing: a round per year with its questionnaire
(sections and questions, Danish and English, frozen once the first answer is saved), each
organisation's report from private links e-mailed to its contact people (drafts, submission,
corrections with their history), the invitations and reminders, the secretariat's status page,
the results with small-group protection (`results.py`), the exports and the import of earlier
years. Whether an organisation contributes to the reporting, and so may apply to a track, is
the partner register's (`Organisation.reporting_years`), which counts the submitted reports.

May import: handlespor.partners, handlespor.mail, handlespor.charts, handlespor.tables,
handlespor.downloads, handlespor.links, handlespor.attributes and handlespor.roles; never the
calls, which depend on it: a submission sends `signals.reporting_changed`, on which the calls
reassess the organisation's applications. Imported by: calls, trackyear (the hourly reminders)
and the project's urls.
"""
