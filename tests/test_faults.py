"""Faults during the public submit: the database locked or a web worker killed midway."""

import sqlite3

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from handlespor.calls.models import Application
from handlespor.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def _lock_the_database():
    """Another client holding the write lock (SQLite) or a table lock (PostgreSQL); our own
    connection gives up after 0.2 s instead of the production busy timeout."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        connection.ensure_connection()
        connection.connection.execute("PRAGMA busy_timeout = 200")
        return other
    params = connection.get_connection_params()
    other = psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
        dbname=connection.settings_dict["NAME"],
        autocommit=False,
    )
    other.execute("LOCK TABLE partners_person IN ACCESS EXCLUSIVE MODE")
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")
    return other


def test_submit_with_the_database_locked_gives_a_clear_503_and_stores_nothing(
    client, call, form_data
):
    other = _lock_the_database()
    try:
        response = client.post(reverse("calls:apply", args=[call.year]), form_data)
    finally:
        other.rollback()
        other.close()

    assert response.status_code == 503
    assert "prøv igen om lidt" in response.content.decode()
    assert response["Retry-After"] == "30"
    assert Application.objects.count() == 0
    assert OutboxMessage.objects.count() == 0

    again = client.post(reverse("calls:apply", args=[call.year]), form_data)

    assert again.status_code == 302
    assert Application.objects.count() == 1
