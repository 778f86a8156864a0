from django.db import models


class BaselineRow(models.Model):
    """The row the bare baseline view inserts: the cheapest useful write Django can do."""

    created_at = models.DateTimeField(auto_now_add=True)
    value = models.IntegerField(default=0)

    def __str__(self):
        return f"baseline row {self.pk}"
