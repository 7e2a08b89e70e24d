"""Browser import: upload → preview (dry run) → confirm. STUB: to be written."""

from django.http import HttpResponse


def unit_import(request):
    return HttpResponse(status=501)


def people_import(request):
    return HttpResponse(status=501)
