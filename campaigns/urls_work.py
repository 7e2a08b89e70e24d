"""URLs of the units' work (included in the "campaigns" namespace by campaigns/urls.py)."""

from django.urls import path

from .views import work as views

urlpatterns = [
    path("thanh-tich/", views.achievement_list, name="achievement_list"),
    path("thanh-tich/xem-xet/", views.review_queue, name="review_queue"),
    path("thanh-tich/ghi-nhan/", views.achievement_create, name="achievement_create"),
    path("thanh-tich/<int:pk>/", views.achievement_detail, name="achievement_detail"),
    path("thanh-tich/<int:pk>/minh-chung/", views.achievement_files, name="achievement_files"),
    path("thanh-tich/<int:pk>/minh-chung/bo-sung/", views.achievement_add_files, name="achievement_add_files"),
    path("thanh-tich/<int:pk>/minh-chung/<int:file_pk>/tai-ve/", views.evidence_download, name="evidence_download"),
    path("thanh-tich/<int:pk>/chap-nhan/", views.achievement_accept, name="achievement_accept"),
    path("thanh-tich/<int:pk>/yeu-cau-lam-ro/", views.achievement_clarify, name="achievement_clarify"),
    path("thanh-tich/<int:pk>/giai-trinh/", views.achievement_resubmit, name="achievement_resubmit"),
    path("sang-kien/", views.initiative_list, name="initiative_list"),
    path("sang-kien/de-xuat/", views.initiative_create, name="initiative_create"),
    path("sang-kien/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("sang-kien/<int:pk>/tep/<int:file_pk>/tai-ve/", views.initiative_file_download,
         name="initiative_file_download"),
    path("sang-kien/<int:pk>/cong-nhan/", views.initiative_recognise, name="initiative_recognise"),
    path("sang-kien/<int:pk>/khong-cong-nhan/", views.initiative_refuse, name="initiative_refuse"),
    path("quan-ly-guong-dien-hinh/", views.exemplary_manage, name="exemplary_manage"),
    path("quan-ly-guong-dien-hinh/them-moi/", views.exemplary_create, name="exemplary_create"),
    path("quan-ly-guong-dien-hinh/<int:pk>/sua/", views.exemplary_edit, name="exemplary_edit"),
    path("quan-ly-guong-dien-hinh/<int:pk>/cong-bo/", views.exemplary_publish, name="exemplary_publish"),
    path("quan-ly-guong-dien-hinh/<int:pk>/go-cong-bo/", views.exemplary_unpublish, name="exemplary_unpublish"),
    path("quan-ly-guong-dien-hinh/<int:pk>/anh/", views.exemplary_preview_photo, name="exemplary_preview_photo"),
    path("guong-dien-hinh/", views.public_models, name="public_models"),
    path("guong-dien-hinh/<int:pk>/", views.public_model, name="public_model"),
    path("guong-dien-hinh/<int:pk>/anh/", views.public_photo, name="public_photo"),
]
