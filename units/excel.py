"""Excel in and out for units and people (django-import-export resources + openpyxl). STUB: to be written."""


def export_units(units):
    raise NotImplementedError


def export_people(people):
    raise NotImplementedError
