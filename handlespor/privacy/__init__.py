"""Personal data: the privacy notice, erasure on request, the retention command and task that
delete or anonymise what is kept longer than needed, and the log of what was removed.

May import: every app's models and domain functions (it removes their data). Imported by: the
project's urls and the periodic tasks.
"""
