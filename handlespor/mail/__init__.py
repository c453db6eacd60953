"""E-mails out: the texts (the secretariat's templates edited in the admin, else the shipped
defaults in `templates/mail/`, in the reader's language), one function that renders and queues
(`domain.mail_queue`), and the outbox that stores each e-mail first, sends it after commit on
the task worker and retries with back-off until it gives up; the demo's .eml file backend.

May import: nothing of the project's. Imported by: calls, inbox, selection, privacy.
"""
