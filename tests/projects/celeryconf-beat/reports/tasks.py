import datetime

from celery import shared_task
from django.utils import timezone

from .models import DailyReport


@shared_task
def build_daily_report(day=None):
    """Build (or rebuild) yesterday's report; beat runs it every morning."""
    if day is None:
        day = timezone.localdate() - datetime.timedelta(days=1)
    else:
        day = datetime.date.fromisoformat(day)
    report, _ = DailyReport.objects.update_or_create(day=day, defaults={"orders": 0})
    return report.pk
