from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from units import accounts as unit_accounts
from units import views as unit_views

urlpatterns = [
    path("", unit_views.home, name="home"),
    path("healthz/", unit_views.health, name="health"),
    path("dang-nhap/", unit_accounts.LoginView.as_view(), name="login"),
    path("quen-mat-khau/", unit_accounts.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", unit_accounts.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("dat-mat-khau/<uidb64>/<token>/", unit_accounts.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("dat-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("ngon-ngu/", set_language, name="set_language"),
    path("", include("units.urls")),
    path("", include("campaigns.urls")),
    path("chi-so-cchc/", include("par.urls")),
    path("khen-thuong/", include("awards.urls")),
    path("bao-cao/", include("reports.urls")),
    path("quan-tri/", admin.site.urls),
]

