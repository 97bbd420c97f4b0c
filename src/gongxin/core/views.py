from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database is "unhealthy"
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request):
    # Each role's home is its workbench (gongxin.workbench) when that app is installed.
    if apps.is_installed("gongxin.workbench"):
        from gongxin.workbench.views import workbench

        return workbench(request)
    return render(request, "core/home.html", {"breadcrumbs": []})
