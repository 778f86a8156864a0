"""On PostgreSQL the database itself keeps the access log append-only: UPDATE and DELETE are refused, except the
retention prune (which sets `huizen.access_prune` for its transaction) and blanking a link when a user or house
is deleted (the foreign keys' SET NULL)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_access_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('huizen.access_prune', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the access log is append-only: only the retention prune deletes from it';
    END IF;
    IF (to_jsonb(NEW) - 'actor_id' - 'subject_user_id' - 'house_id')
            = (to_jsonb(OLD) - 'actor_id' - 'subject_user_id' - 'house_id')
        AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
        AND (NEW.subject_user_id IS NULL OR NEW.subject_user_id = OLD.subject_user_id)
        AND (NEW.house_id IS NULL OR NEW.house_id = OLD.house_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: it cannot be changed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_access_append_only BEFORE UPDATE OR DELETE ON privacy_accessrecord
    FOR EACH ROW EXECUTE FUNCTION privacy_access_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS privacy_access_append_only ON privacy_accessrecord;
DROP FUNCTION IF EXISTS privacy_access_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
