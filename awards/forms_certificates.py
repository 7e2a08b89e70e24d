"""Forms of the certificate pages (layouts, blanks, printers, printing, calibration), the award register and the
national-records export. No model-choice field: printers and register series are chosen by id or key from lists
the view gives (they are the province's configuration, not a unit's data)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .certificates import font_choices
from .models import FontStyle, Orientation, TextAlign

MM = {"max_digits": 5, "decimal_places": 1, "min_value": Decimal("0")}
PT = {"max_digits": 4, "decimal_places": 1, "min_value": Decimal("1"), "max_value": Decimal("99")}
OFFSET = {"max_digits": 4, "decimal_places": 1, "min_value": Decimal("-50"), "max_value": Decimal("50")}


def _number(widget_step="0.5"):
    return forms.NumberInput(attrs={"step": widget_step, "class": "form-control form-control-sm"})


class LayoutForm(forms.Form):
    paper_width = forms.DecimalField(label=_("Chiều rộng phôi (mm)"), min_value=Decimal("50"),
                                     max_value=Decimal("1000"), max_digits=5, decimal_places=1,
                                     widget=_number("1"))
    paper_height = forms.DecimalField(label=_("Chiều cao phôi (mm)"), min_value=Decimal("50"),
                                      max_value=Decimal("1000"), max_digits=5, decimal_places=1,
                                      widget=_number("1"))
    orientation = forms.ChoiceField(label=_("Hướng in"), choices=Orientation.choices)


class FieldForm(forms.Form):
    """One field of the layout; its prefix is the slot ("name-x", "name-y" …)."""

    enabled = forms.BooleanField(label=_("In"), required=False)
    x = forms.DecimalField(label=_("Ngang (mm)"), widget=_number(), **MM)
    y = forms.DecimalField(label=_("Dọc, chân chữ (mm)"), widget=_number(), **MM)
    width = forms.DecimalField(label=_("Rộng tối đa (mm)"), widget=_number(), max_digits=5, decimal_places=1,
                               min_value=Decimal("5"))
    font = forms.ChoiceField(label=_("Phông chữ"), choices=font_choices)
    size = forms.DecimalField(label=_("Cỡ chữ (pt)"), widget=_number(), **PT)
    min_size = forms.DecimalField(label=_("Cỡ nhỏ nhất (pt)"), widget=_number(), **PT)
    style = forms.ChoiceField(label=_("Kiểu chữ"), choices=FontStyle.choices)
    align = forms.ChoiceField(label=_("Căn lề"), choices=TextAlign.choices)
    max_lines = forms.IntegerField(label=_("Số dòng"), min_value=1, max_value=6, widget=_number("1"))
    uppercase = forms.BooleanField(label=_("In hoa"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("size") is not None and data.get("min_size") is not None and data["min_size"] > data["size"]:
            self.add_error("min_size", _("Cỡ chữ nhỏ nhất không được lớn hơn cỡ chữ."))
        return data


class BlankUploadForm(forms.Form):
    image = forms.FileField(label=_("Ảnh chụp hoặc bản quét phôi (JPG, PNG)"))


class PrinterForm(forms.Form):
    name = forms.CharField(label=_("Tên máy in"), max_length=100)
    offset_x = forms.DecimalField(label=_("Lệch ngang (mm)"), initial=0, widget=_number("0.1"), **OFFSET)
    offset_y = forms.DecimalField(label=_("Lệch dọc (mm)"), initial=0, widget=_number("0.1"), **OFFSET)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


def _printer_choices(printers):
    return [("", _("Không bù lệch"))] + [(str(p.pk), f"{p.name} ({p.offset_x}; {p.offset_y} mm)") for p in printers]


class PrintForm(forms.Form):
    """How to print a decision's certificates (read from the query string)."""

    printer = forms.ChoiceField(label=_("Máy in"), required=False)
    test_print = forms.BooleanField(label=_("In thử trên giấy trắng (in cả ảnh phôi)"), required=False)

    def __init__(self, *args, printers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["printer"].choices = _printer_choices(printers)


PAPERS = {"A4": (210, 297), "A3": (297, 420), "B4": (250, 353)}


class CalibrationForm(forms.Form):
    paper = forms.ChoiceField(label=_("Khổ giấy"), choices=[(k, k) for k in PAPERS], initial="A4")
    orientation = forms.ChoiceField(label=_("Hướng in"), choices=Orientation.choices, initial=Orientation.PORTRAIT)
    printer = forms.ChoiceField(label=_("Áp dụng độ lệch của máy in (để kiểm tra)"), required=False)

    def __init__(self, *args, printers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["printer"].choices = _printer_choices(printers)


class NationalExportForm(forms.Form):
    start = forms.DateField(label=_("Quyết định từ ngày"), widget=DateInput())
    end = forms.DateField(label=_("đến ngày"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
