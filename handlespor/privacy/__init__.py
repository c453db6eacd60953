"""Personal data over time (GDPR): the page that says what is stored, why, for how long and who
sees it; an applicant's erasure (at once before the deadline, confirmed by the secretariat
after it); and retention: applications anonymised RETENTION_MONTHS after the decisions, raw
e-mails deleted after MAIL_RETENTION_MONTHS, counts and representation kept, each run logged.

May import: the models and domains of calls, selection, mail and partners, and
handlespor.roles. Imported by: the project's urls.
"""
