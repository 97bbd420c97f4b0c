from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("excel/template.xlsx", views.excel_template, name="excel_template"),
    path("excel/upload/", views.excel_upload, name="excel_upload"),
    path("excel/<int:staged_id>/mapping/", views.excel_mapping, name="excel_mapping"),
    path("excel/<int:staged_id>/preview/", views.excel_preview, name="excel_preview"),
    path("excel/<int:staged_id>/rows/<int:number>/", views.excel_row, name="excel_row"),
    path("excel/<int:staged_id>/apply/", views.excel_apply, name="excel_apply"),
    path("lrmx/upload/", views.lrmx_upload, name="lrmx_upload"),
    path("lrmx/<int:staged_id>/", views.lrmx_preview, name="lrmx_preview"),
    path("lrmx/export/", views.lrmx_export_many, name="lrmx_export_many"),
    path("cases/forms/", views.case_forms, name="case_forms"),
    path("cadres/<int:cadre_id>/form.pdf", views.cadre_form_pdf, name="cadre_form_pdf"),
    path("cadres/<int:cadre_id>/form.docx", views.cadre_form_docx, name="cadre_form_docx"),
    path("cadres/<int:cadre_id>/person.lrmx", views.cadre_lrmx, name="cadre_lrmx"),
]
