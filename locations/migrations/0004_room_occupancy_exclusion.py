"""On PostgreSQL, the database itself forbids two claims on one room that overlap in time.

SQLite has no exclusion constraints; there `locations.services.room_claim` holds the rule under a write lock.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE locations_roomoccupancy
  ADD CONSTRAINT room_occupancy_no_overlap
  EXCLUDE USING gist (room_id WITH =, tstzrange(start, "end", '[)') WITH &&);
"""
DROP = "ALTER TABLE locations_roomoccupancy DROP CONSTRAINT IF EXISTS room_occupancy_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("locations", "0003_room_occupancy")]

    operations = [migrations.RunPython(forwards, backwards)]
