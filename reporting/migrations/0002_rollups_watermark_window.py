from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="watermark",
            name="window_count",
            field=models.BigIntegerField(default=0),
        ),
    ]
