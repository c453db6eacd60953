"""The partner register: organisations in music life, the people with a mandate to act for them
and the reporting years each organisation took part in; the CSV/XLSX import in the admin.

May import: handlespor.attributes and handlespor.tables. Imported by: calls, inbox, privacy.
"""
