"""On PostgreSQL, the database itself forbids overlapping management periods of one house.

SQLite has no exclusion constraints; there `HouseManagement.clean` (called by every form and service) holds the rule.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE locations_housemanagement
  ADD CONSTRAINT house_management_no_overlap
  EXCLUDE USING gist (house_id WITH =, daterange(valid_from, valid_until, '[)') WITH &&);
"""
DROP = "ALTER TABLE locations_housemanagement DROP CONSTRAINT IF EXISTS house_management_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("locations", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
