from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .models import DailyReport
from .tasks import build_daily_report


@require_GET
def health(request):
    """Liveness for the load balancer: answers without touching the database."""
    return JsonResponse({"status": "ok"})


def report_list(request):
    return render(request, "reports/list.html", {"reports": DailyReport.objects.all()[:30]})


@require_POST
def rebuild(request):
    build_daily_report.delay(request.POST.get("day") or None)
    return redirect("reports:list")
