from django.db import models


class DailyReport(models.Model):
    day = models.DateField(unique=True)
    orders = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Report for {self.day}"
