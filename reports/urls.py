from django.urls import path

from . import views, views_signing

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("tong-quan/", views.dashboard, name="dashboard"),
    path("phong-trao/<int:pk>/mo-du-thao/", views.draft_open, name="draft_open"),
    path("du-thao/<int:pk>/", views.draft_detail, name="draft"),
    path("du-thao/<int:pk>/xem-truoc/", views.draft_preview, name="preview"),
    path("du-thao/<int:pk>/dang-ky-so/", views.draft_register, name="register"),
    path("du-thao/<int:pk>/tao-bao-cao/", views.draft_generate, name="generate"),
    path("du-thao/<int:pk>/ky-so/", views_signing.draft_sign, name="sign"),
    path("du-thao/<int:pk>/ban-ky-so/<int:version>/", views_signing.signed_download, name="signed_download"),
    path("du-thao/<int:pk>/phien-ban/", views.draft_versions, name="versions"),
    path("phien-ban/<int:pk>/tai-ve/", views.version_download, name="version"),
    path("phien-ban/<int:pk>/tao-lai/", views.version_retry, name="retry"),
]
