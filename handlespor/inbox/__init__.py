"""The e-mail intake: the secretariat's mailbox read over IMAP (`imap.py`) or uploaded as files,
each e-mail stored once and whole, parsed (`mailparse.py`) and its tracks recognised
(`recognise.py`, both pure Python), then made into an application, joined to one or set aside as
unsorted (`domain.py`); the staff's inbox pages and corrections, the periodic mailbox round on
the task worker and the `fetchmail` command.

May import: handlespor.calls (applications, the private link, eligibility), handlespor.partners,
handlespor.mail, handlespor.roles and handlespor.text. Imported by: the project's urls, privacy
(erasure and retention) and the demo command.
"""
