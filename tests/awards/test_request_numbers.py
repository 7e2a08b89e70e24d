"""Whole numbers read from a request (core.text.number_or_none): a number no column holds, or digits int() refuses,
is no key at all, never a 500 (SQLite's driver raised OverflowError past 64 bits; "²".isdigit() is true)."""

import pytest
from django.urls import reverse

from core.text import NUMBER_MAX, number_or_none, numbers

HUGE = "9" * 30
HOSTILE = [HUGE, "²", "١٢", str(NUMBER_MAX + 1), "9" * 5000]


@pytest.mark.parametrize(("text", "number"), [
    ("0", 0), ("42", 42), (str(NUMBER_MAX), NUMBER_MAX), ("", None), (None, None), ("-1", None), (" 1", None),
    ("1.5", None), *[(text, None) for text in HOSTILE],
])
def test_number_or_none(text, number):
    assert number_or_none(text) == number


def test_numbers_keeps_only_the_whole_numbers():
    assert numbers(["3", HUGE, "x", "²", "7"]) == [3, 7]


def test_hostile_numbers_in_requests_get_an_answer_not_a_500(client_for, users, make_dossier):
    proposed = make_dossier("proposed")
    admin = client_for(users["admin"])
    for hostile in HOSTILE:
        preview = admin.post(reverse("awards:bulk_preview"), {"action": "publish", "ids": [hostile, proposed.pk]})
        assert preview.status_code == 200 and proposed.code in preview.content.decode()  # the real key still counts
        assert admin.get(reverse("awards:history") + f"?person={hostile}").status_code == 200
        assert admin.get(reverse("reports:dashboard") + f"?campaign={hostile}").status_code == 200
        assert admin.get(reverse("awards:national_export") + f"?decision={hostile}").status_code == 200
        switched = admin.post(reverse("campaigns:choose"), {"campaign": hostile, "next": "/"}, follow=True)
        assert switched.status_code == 200 and "Hãy chọn một phong trào trong danh sách." in switched.content.decode()
