from django.urls import path

from . import views

app_name = "par"

urlpatterns = [
    path("", views.index, name="index"),
    path("cong-bo/<int:year>/", views.public_ranking, name="public_ranking"),
    path("bo-chi-so/them-moi/", views.set_create, name="set_create"),
    path("bo-chi-so/<int:pk>/", views.set_detail, name="set_detail"),
    path("bo-chi-so/<int:pk>/sua/", views.set_edit, name="set_edit"),
    path("bo-chi-so/<int:pk>/tieu-chi/them/", views.criterion_edit, name="criterion_add"),
    path("bo-chi-so/<int:pk>/tieu-chi/<int:criterion_pk>/sua/", views.criterion_edit, name="criterion_edit"),
    path("bo-chi-so/<int:pk>/tieu-chi/<int:criterion_pk>/xoa/", views.criterion_delete, name="criterion_delete"),
    path("bo-chi-so/<int:pk>/nhap-excel/", views.set_import, name="set_import"),
    path("bo-chi-so/<int:pk>/xuat-excel/", views.set_export, name="set_export"),
    path("bo-chi-so/<int:pk>/sao-chep-sang-nam-sau/", views.set_copy, name="set_copy"),
    path("bo-chi-so/<int:pk>/mo-cham-diem/", views.sheets_open, name="sheets_open"),
    path("bo-chi-so/<int:pk>/diem-dieu-tra/", views.survey_import, name="survey_import"),
    path("bo-chi-so/<int:pk>/cong-bo/", views.set_publish, name="set_publish"),
    path("bo-chi-so/<int:pk>/mo-lai/", views.set_reopen, name="set_reopen"),
    path("bo-chi-so/<int:pk>/xep-hang/", views.ranking, name="ranking"),
    path("bo-chi-so/<int:pk>/xep-hang/xuat-excel/", views.ranking_export, name="ranking_export"),
    path("bo-chi-so/<int:pk>/xep-hang/bieu-do.svg", views.ranking_chart, name="ranking_chart"),
    path("phieu/<int:pk>/", views.sheet_detail, name="sheet"),
    path("phieu/<int:pk>/tham-dinh/", views.sheet_appraisal, name="appraisal"),
    path("phieu/<int:pk>/tieu-chi/<int:criterion_pk>/", views.score_edit, name="score_edit"),
    path("phieu/<int:pk>/tieu-chi/<int:criterion_pk>/tham-dinh/", views.score_appraise, name="score_appraise"),
    path("phieu/<int:pk>/nop/", views.sheet_submit, name="submit"),
    path("phieu/<int:pk>/nop-lai/", views.sheet_resubmit, name="resubmit"),
    path("phieu/<int:pk>/nhan-tham-dinh/", views.sheet_start_appraisal, name="start_appraisal"),
    path("phieu/<int:pk>/tra-lai/", views.sheet_return, name="return"),
    path("phieu/<int:pk>/hoan-thanh-tham-dinh/", views.sheet_complete_appraisal, name="complete_appraisal"),
    path("phieu/<int:pk>/minh-chung/<int:file_pk>/", views.evidence_download, name="evidence_download"),
    path("phieu/<int:pk>/minh-chung-lien-ket/<int:file_pk>/", views.linked_evidence_download,
         name="linked_evidence_download"),
]
