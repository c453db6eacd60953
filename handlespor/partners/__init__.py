"""The partner register: organisations in music life, the people with a mandate to act for them
and the reporting years each organisation took part in (recorded by hand or imported, and the
reports it submitted in the reporting rounds, read through their reverse relation); the CSV/XLSX
import in the admin.

May import: handlespor.attributes and handlespor.tables. Imported by: calls, inbox, privacy,
reporting.
"""
