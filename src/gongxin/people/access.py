"""The personal-file access log: every full view and export is written down."""

from gongxin.core.clientip import client_ip

from .models import AccessLog


def log_access(request, *, what: str, cadre=None, detail: str = "") -> None:
    AccessLog.objects.create(user=request.user, cadre=cadre, what=what, detail=detail[:300],
                             address=client_ip(request))


def log_id_numbers_shown(request, cadres, *, detail: str) -> None:
    """Full 身份证号 shown to someone: one row per cadre, so each person's log says who saw it."""
    address = client_ip(request)
    AccessLog.objects.bulk_create([
        AccessLog(user=request.user, cadre=c, what=AccessLog.What.ID_NUMBER, detail=detail[:300], address=address)
        for c in cadres
    ])
