from django.urls import path

from . import accounts, import_views, restructuring_views, signing_views, views

app_name = "units"

urlpatterns = [
    path("don-vi/", views.unit_list, name="list"),
    path("don-vi/xuat-excel/", views.unit_export, name="export"),
    path("don-vi/them-moi/", views.unit_create, name="create"),
    path("don-vi/nhap-excel/", import_views.unit_import, name="import"),
    path("don-vi/sap-xep/", restructuring_views.restructuring, name="restructuring"),
    path("don-vi/<str:code>/", views.unit_detail, name="detail"),
    path("don-vi/<str:code>/sua/", views.unit_edit, name="edit"),
    path("ca-nhan/", views.people_list, name="people"),
    path("ca-nhan/xuat-excel/", views.people_export, name="people_export"),
    path("ca-nhan/them-moi/", views.person_create, name="person_create"),
    path("ca-nhan/nhap-excel/", import_views.people_import, name="people_import"),
    path("ca-nhan/<int:pk>/", views.person_detail, name="person_detail"),
    path("ca-nhan/<int:pk>/sua/", views.person_edit, name="person_edit"),
    path("tai-khoan/", accounts.account_list, name="accounts"),
    path("tai-khoan/them-moi/", accounts.account_create, name="account_create"),
    path("tai-khoan/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("tai-khoan/<int:pk>/sua/", accounts.account_edit, name="account_edit"),
    path("tai-khoan/<int:pk>/dat-lai-mat-khau/", accounts.account_reset, name="account_reset"),
    path("tai-khoan/<int:pk>/khoa/", accounts.account_deactivate, name="account_deactivate"),
    path("tai-khoan/<int:pk>/mo-lai/", accounts.account_activate, name="account_activate"),
    path("tai-khoan/<int:pk>/mo-khoa-dang-nhap/", accounts.account_unlock, name="account_unlock"),
    path("nhat-ky/", accounts.activity_list, name="activity"),
    path("nhat-ky/<int:pk>/", accounts.activity_detail, name="activity_detail"),
    # The signature and seal images of the digital signatures (Sở Nội vụ administrators)
    path("chu-ky-so/", signing_views.signing_images, name="signing_images"),
    path("chu-ky-so/nguoi-ky/<int:pk>/tai-len/", signing_views.image_upload, {"kind": "signer"},
         name="signature_upload"),
    path("chu-ky-so/nguoi-ky/<int:pk>/anh/", signing_views.image_preview, {"kind": "signer"},
         name="signature_preview"),
    path("chu-ky-so/nguoi-ky/<int:pk>/thoi-dung/", signing_views.image_retire, {"kind": "signer"},
         name="signature_retire"),
    path("chu-ky-so/co-quan/<int:pk>/tai-len/", signing_views.image_upload, {"kind": "body"}, name="seal_upload"),
    path("chu-ky-so/co-quan/<int:pk>/anh/", signing_views.image_preview, {"kind": "body"}, name="seal_preview"),
    path("chu-ky-so/co-quan/<int:pk>/thoi-dung/", signing_views.image_retire, {"kind": "body"}, name="seal_retire"),
]
