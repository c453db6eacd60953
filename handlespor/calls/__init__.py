"""The open call: calls, tracks and their representation targets, applications and their event
log; the public call page and application form, the applicant's private link (see, edit,
withdraw, complete, export), the receipts, the staff dashboard with each track's pool, the
exports and the demo data.

May import: handlespor.partners, handlespor.reporting (whether an organisation contributes to
the reporting; its signal reassesses the eligibility), handlespor.mail, handlespor.attributes,
handlespor.charts, handlespor.links, handlespor.downloads, handlespor.roles and handlespor.text;
the demo command alone also seeds the inbox and the tracks' year. Imported by: the inbox,
selection, the tracks' year and privacy.
"""
