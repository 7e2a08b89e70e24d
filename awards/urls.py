from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("xuat-excel/", views.dossier_export, name="export"),
    path("danh-muc/", views.catalogue, name="catalogue"),
    path("tao-ho-so/", views.dossier_create, name="create"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="detail"),
    path("ho-so/<int:pk>/cuoc-hop/", views.dossier_council, name="council"),
    path("ho-so/<int:pk>/doi-tuong/them/", views.nominee_add, name="nominee_add"),
    path("ho-so/<int:pk>/doi-tuong/<int:nominee_pk>/sua/", views.nominee_edit, name="nominee_edit"),
    path("ho-so/<int:pk>/doi-tuong/<int:nominee_pk>/xoa/", views.nominee_remove, name="nominee_remove"),
    path("ho-so/<int:pk>/tai-lieu/", views.document_upload, name="document_upload"),
    path("ho-so/<int:pk>/tai-lieu/<int:document_pk>/xoa/", views.document_delete, name="document_delete"),
    path("ho-so/<int:pk>/tai-lieu/<int:document_pk>/tai-ve/", views.document_download, name="document_download"),
    path("ho-so/<int:pk>/nop/", views.dossier_submit, name="submit"),
    path("ho-so/<int:pk>/rut/", views.dossier_withdraw, name="withdraw"),
    path("ho-so/<int:pk>/tiep-nhan/", views.dossier_receive, name="receive"),
    path("ho-so/<int:pk>/tham-dinh/", views.dossier_start, name="start"),
    path("ho-so/<int:pk>/tra-lai/", views.dossier_return, name="return"),
    path("ho-so/<int:pk>/de-nghi/", views.dossier_propose, name="propose"),
    path("ho-so/<int:pk>/khong-de-nghi/", views.dossier_not_propose, name="not_propose"),
    path("ho-so/<int:pk>/trinh-hoi-dong/", views.dossier_to_council, name="to_council"),
    path("ho-so/<int:pk>/quyet-dinh/", views.dossier_decide, name="decide"),
    path("ho-so/<int:pk>/khong-khen-thuong/", views.dossier_not_award, name="not_award"),
    path("ho-so/<int:pk>/mo-lai/", views.dossier_reopen, name="reopen"),
    path("hang-loat/xem-truoc/", views.bulk_preview, name="bulk_preview"),
    path("hang-loat/thuc-hien/", views.bulk_apply, name="bulk_apply"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("lich-su/", views.history, name="history"),
    path("lich-su/nhap-excel/", views.history_import, name="history_import"),
    path("lich-su/mau-excel/", views.history_template, name="history_template"),
    path("cong-khai/", views.posting_list, name="posting_list"),
    path("cong-khai/<int:pk>/", views.posting_detail, name="posting_detail"),
    path("cong-khai/<int:pk>/y-kien/", views.comment_add, name="comment_add"),
    path("cong-khai/<int:pk>/dong/", views.posting_close, name="posting_close"),
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/da-doc/", views.inbox_read, name="inbox_read"),
]
