"""Staff accounts: the one login page (the admin's login goes there too), where each role
lands after login, login throttling (django-axes), two-factor authentication (django-otp) and
the admin site, which asks the rules of `handlespor.roles` like every other page, with the
libraries' admin sections named in Danish (their app configs are in `apps.py`).

May import: handlespor.roles and the models of every app. Imported by: the project's urls.
"""
