"""The personal-file access log: every full view and export is written down."""

from gongxin.core.clientip import client_ip

from .models import AccessLog


def log_access(request, *, what: str, cadre=None, detail: str = "") -> None:
    AccessLog.objects.create(user=request.user, cadre=cadre, what=what, detail=detail[:300],
                             address=client_ip(request))
