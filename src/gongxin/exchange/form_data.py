"""What the 干部任免审批表 shows, as text, in the form's conventions: every month as
``yyyy.MM`` (the cadre's birth, the family's births, party and work dates alike), the age
as of 计算年龄时间 (or today), the resume one line per entry. Both renderers (form_docx,
form_pdf) take this and nothing else, so the .docx and the PDF cannot disagree."""

import datetime as dt

from django.utils import timezone

from . import people_map


def dotted_month(value) -> str:
    """A date, or a stored ``yyyyMM`` / ``yyyy.MM`` text, as ``yyyy.MM``."""
    if not value:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%Y.%m}"
    digits = str(value).replace(".", "").strip()
    return f"{digits[:4]}.{digits[4:6]}" if len(digits) >= 6 and digits[:6].isdigit() else str(value)


def form_data(cadre) -> dict:
    on = cadre.age_reference_date or timezone.localdate()
    resume = list(cadre.resume_entries.all())
    relations = list(cadre.relations.all())
    education = lambda code, degree: " ".join(x for x in (people_map.EDUCATION_LABEL.get(code, ""),  # noqa: E731
                                                          people_map.DEGREE_LABEL.get(degree, "")) if x)
    party = cadre.party_joined
    return {
        "name": cadre.name,
        "sex": "男" if cadre.sex == "M" else "女",
        "birth": f"{dotted_month(cadre.birth_date)}（{cadre.age_on(on)}岁）",
        "ethnicity": cadre.ethnicity, "native_place": cadre.native_place, "birthplace": cadre.birthplace,
        "party_joined": dotted_month(party) if cadre.political_status in ("cpc", "cpc_probationary") and party
        else people_map.POLITICAL_LABEL.get(cadre.political_status, ""),
        "work_started": dotted_month(cadre.work_started), "health": cadre.health,
        "professional_title": cadre.professional_title, "expertise": cadre.expertise,
        "fulltime_education": education(cadre.fulltime_education, cadre.fulltime_degree),
        "fulltime_school": "\n".join(x for x in (cadre.fulltime_education_school, cadre.fulltime_degree_school
                                                 if cadre.fulltime_degree_school != cadre.fulltime_education_school
                                                 else "") if x),
        "parttime_education": education(cadre.parttime_education, cadre.parttime_degree),
        "parttime_school": "\n".join(x for x in (cadre.parttime_education_school, cadre.parttime_degree_school
                                                 if cadre.parttime_degree_school != cadre.parttime_education_school
                                                 else "") if x),
        "current_post": cadre.current_post_title, "proposed_post": cadre.proposed_post_title,
        "proposed_removal": cadre.proposed_removal_title,
        "resume": [f"{dotted_month(e.start)}--{dotted_month(e.end)}  {e.description}" for e in resume],
        "rewards": cadre.rewards_and_punishments, "annual": cadre.annual_assessment_text,
        "reason": cadre.appointment_reason,
        "family": [{"title": r.title, "name": r.name, "birth": dotted_month(r.birth),
                    "political_status": r.political_status, "work": r.work_unit_and_post} for r in relations],
        "reporting_unit": cadre.reporting_unit,
        "filled_by": cadre.form_filled_by,
        "filled_on": dotted_month(cadre.form_filled_date),
        "photo": bytes(cadre.photo) if cadre.photo else b"",
        "photo_type": cadre.photo_type or people_map.photo_type(bytes(cadre.photo or b"")),
    }
