"""The upload form of the signing images page (units/signing_images.py checks the file)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import UploadField


class SigningImageForm(forms.Form):
    """One PNG: a signer's signature image or an issuing body's seal image (the URL says which)."""

    image = UploadField(label=_("Ảnh PNG nền trong suốt"),
                        widget=forms.ClearableFileInput(attrs={"accept": "image/png,.png"}))
