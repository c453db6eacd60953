"""The tracks' year, after the decisions: each selected person's private seat link, where they
confirm or decline and which then is their member page (the other members, the date polls to
answer, the meetings to answer, a calendar feed, leaving the track); the neutral page to ask for
a new link; a track's page for its leaders and the secretariat (members with contact details,
meetings, date polls, fixing a date, a venue proposal that shares the travel); the
invitations, updates and cancellations with their .ics files (`calendar.py`); venues; and the
hourly reminders (`tasks.py`, `reminders`). The seats' states and the offers to the waiting
list are the selection's (`selection.decisions`).

May import: handlespor.calls, handlespor.selection, handlespor.engine, handlespor.mail,
handlespor.periodic, handlespor.roles and handlespor.reporting (its reminders join the hourly
round). Imported by: the project's urls.
"""
