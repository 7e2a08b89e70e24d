"""The plan side of a campaign: plan, contents, milestones, themes, registration, monitoring, inspections."""

from django.urls import path

from .views import plan as views

urlpatterns = [
    path("phong-trao/", views.campaign_list, name="list"),
    path("phong-trao/them-moi/", views.campaign_create, name="create"),
    path("phong-trao/<int:pk>/", views.campaign_detail, name="detail"),
    path("phong-trao/<int:pk>/sua/", views.campaign_edit, name="edit"),
    path("phong-trao/<int:pk>/phat-dong/", views.campaign_launch, name="launch"),
    path("phong-trao/<int:pk>/ket-thuc/", views.campaign_close, name="close"),
    path("phong-trao/<int:pk>/noi-dung/them-moi/", views.content_edit, name="content_create"),
    path("phong-trao/<int:pk>/noi-dung/<int:content_pk>/sua/", views.content_edit, name="content_edit"),
    path("phong-trao/<int:pk>/moc/them-moi/", views.milestone_edit, name="milestone_create"),
    path("phong-trao/<int:pk>/moc/<int:milestone_pk>/sua/", views.milestone_edit, name="milestone_edit"),
    path("phong-trao/<int:pk>/chu-de/them-moi/", views.theme_create, name="theme_create"),
    path("chu-de/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("chu-de/<int:pk>/sua/", views.theme_edit, name="theme_edit"),
    path("chu-de/<int:pk>/tai-len/", views.theme_upload, name="theme_upload"),
    path("chu-de/<int:pk>/cong-bo/", views.theme_publish, name="theme_publish"),
    path("chu-de/tai-lieu/<int:pk>/tai-ve/", views.theme_document_download, name="theme_document"),
    path("phong-trao/chon/", views.campaign_choose, name="choose"),
    path("dang-ky-thi-dua/", views.registration_go, name="registration_go"),
    path("phong-trao/<int:pk>/dang-ky/", views.registration_overview, name="registrations"),
    path("phong-trao/<int:pk>/dang-ky/nhac/", views.registration_remind, name="registration_remind"),
    path("phong-trao/<int:pk>/dang-ky/<str:code>/<int:year>/", views.registration_register, name="register"),
    path("dang-ky/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("dang-ky/<int:pk>/sua/", views.registration_edit, name="registration_edit"),
    path("theo-doi/", views.monitoring_go, name="monitoring_go"),
    path("phong-trao/<int:pk>/theo-doi/", views.monitoring, name="monitoring"),
    path("phong-trao/<int:pk>/theo-doi/xuat-excel/", views.monitoring_export, name="monitoring_export"),
    path("phong-trao/<int:pk>/theo-doi/nhac/", views.monitoring_remind, name="monitoring_remind"),
    path("phong-trao/<int:pk>/kiem-tra/", views.inspection_list, name="inspections"),
    path("phong-trao/<int:pk>/kiem-tra/them-moi/", views.inspection_create, name="inspection_create"),
    path("kiem-tra/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("kiem-tra/viec/<int:pk>/hoan-thanh/", views.task_complete, name="task_complete"),
]
