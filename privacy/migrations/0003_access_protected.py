"""The access log can no longer be changed at all on PostgreSQL: every UPDATE is refused (a link to a user or house
included: users and houses are anonymised, never deleted, and the links are PROTECT), TRUNCATE is refused, and a
DELETE passes only inside the retention prune (`huizen.access_prune` set for its transaction) and only for a row
older than the category's minimum period (365 days), so that setting the flag by hand cannot empty the log."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION privacy_access_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('huizen.access_prune', true) = 'on' AND OLD.at < now() - interval '365 days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the access log is append-only: only the retention prune deletes from it, and only '
            'records older than 365 days';
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'the access log is append-only: it cannot be truncated';
    END IF;
    RAISE EXCEPTION 'the access log is append-only: it cannot be changed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_access_no_truncate BEFORE TRUNCATE ON privacy_accessrecord
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_access_append_only();
"""

UNDO = "DROP TRIGGER IF EXISTS privacy_access_no_truncate ON privacy_accessrecord;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO)
        previous = importlib.import_module("privacy.migrations.0002_access_append_only")
        schema_editor.execute(previous.CREATE.split("CREATE TRIGGER")[0])  # the old function, the trigger stays


class Migration(migrations.Migration):
    dependencies = [
        ("locations", "0009_house_signal_readers"),
        ("privacy", "0002_access_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="accessrecord",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="looked by",
            ),
        ),
        migrations.AlterField(
            model_name="accessrecord",
            name="house",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="locations.house",
                verbose_name="house",
            ),
        ),
        migrations.AlterField(
            model_name="accessrecord",
            name="subject_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="whose data",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
