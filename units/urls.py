from django.urls import path

from . import import_views, views

app_name = "units"

urlpatterns = [
    path("don-vi/", views.unit_list, name="list"),
    path("don-vi/xuat-excel/", views.unit_export, name="export"),
    path("don-vi/them-moi/", views.unit_create, name="create"),
    path("don-vi/nhap-excel/", import_views.unit_import, name="import"),
    path("don-vi/<str:code>/", views.unit_detail, name="detail"),
    path("don-vi/<str:code>/sua/", views.unit_edit, name="edit"),
    path("ca-nhan/", views.people_list, name="people"),
    path("ca-nhan/xuat-excel/", views.people_export, name="people_export"),
    path("ca-nhan/them-moi/", views.person_create, name="person_create"),
    path("ca-nhan/nhap-excel/", import_views.people_import, name="people_import"),
    path("ca-nhan/<int:pk>/", views.person_detail, name="person_detail"),
    path("ca-nhan/<int:pk>/sua/", views.person_edit, name="person_edit"),
]
