"""The outgoing-document register (sổ đăng ký văn bản đi) of Decree 30/2020/NĐ-CP: numbers, symbols, signers.

Each issuing body (`IssuingBody`, keyed by the code of its unit or a code of its own for a council) numbers its
documents in yearly series, one per kind of document, from 01 on the first day of the year. `register` takes the
next number of a series inside the caller's transaction: the series row is locked (`select_for_update`), created
race-safely the first time, incremented and written with the register line, so two concurrent requests never get
the same number and a number once taken is never given again (the transaction that took it either commits it with
its document or rolls both back). On SQLite the project opens write transactions IMMEDIATE, which serialises them
the same way.

Nothing here knows what a document is about: apps pass the body, the kind, the date, the subject and the row the
number belongs to. The signature block (`signature_lines`) follows the signing capacities of Decree 30/2020
(Phụ lục I): the head signs with the title alone, a deputy "KT." (ký thay) the head, an acting head "Q." (quyền),
and a document of a collective body "TM." (thay mặt) above them.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import DocumentSequence, IssuingBody, RegisteredDocument, Signer, SignerPosition

# Abbreviations of the kinds of administrative documents (Decree 30/2020/NĐ-CP, Phụ lục III), those the apps use.
KINDS = {
    "QĐ": gettext_lazy("Quyết định"), "BC": gettext_lazy("Báo cáo"), "TTr": gettext_lazy("Tờ trình"),
    "BB": gettext_lazy("Biên bản"), "KH": gettext_lazy("Kế hoạch"), "TB": gettext_lazy("Thông báo"),
    "HD": gettext_lazy("Hướng dẫn"),
}


def _require_transaction():
    if not connection.in_atomic_block:
        raise RuntimeError("core.register must be called inside transaction.atomic()")


def _locked_sequence(issuer, kind, year):
    """The series row, locked until the transaction ends; created the first time (a concurrent creator wins)."""
    rows = DocumentSequence.objects.select_for_update()
    row = rows.filter(issuer=issuer, kind=kind, year=year).first()
    if row is None:
        try:
            with transaction.atomic():  # a savepoint: losing the race leaves the outer transaction usable
                DocumentSequence.objects.create(issuer=issuer, kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # another registration created it meanwhile; wait for its lock below
        row = rows.get(issuer=issuer, kind=kind, year=year)
    return row


def next_number(*, issuer, kind, year, count=1):
    """The next number of a series (for numbers that are not documents, e.g. a dossier's "HS-2025-0042"); with
    `count`, that many consecutive numbers are taken at once and the first is returned."""
    _require_transaction()
    if count < 1:
        raise ValueError("count must be at least 1")
    row = _locked_sequence(issuer, kind, year)
    first = row.last + 1
    row.last += count
    row.save(update_fields=["last"])
    return first


def register(*, body, kind, issued_on, subject="", target=None, by=None):
    """Give the document the next number of `body`'s series of `kind` for the year of `issued_on`."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    number = next_number(issuer=body.key, kind=kind, year=issued_on.year)
    return RegisteredDocument.objects.create(
        issuer=body.key, issuer_name=body.name, kind=kind, year=issued_on.year, number=number,
        symbol=body.symbol(kind), issued_on=issued_on, subject=(subject or "")[:2000],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        registered_by=by if getattr(by, "is_authenticated", False) else None)


def last_number(*, issuer, kind, year):
    row = DocumentSequence.objects.filter(issuer=issuer, kind=kind, year=year).first()
    return row.last if row else 0


@transaction.atomic
def continue_from(*, body, kind, year, last, by):
    """Start the application's series after the numbers the body's register already used this year (only up)."""
    row = _locked_sequence(body.key, kind, year)
    if last < row.last:
        raise ValidationError(_("Sổ đăng ký đã dùng đến số %(n)s; không thể lùi số (số đã cấp không được dùng "
                                "lại).") % {"n": row.last})
    before, row.last = row.last, last
    row.save(update_fields=["last"])
    audit.record(actor=by, action="register_continue", target=body,
                 changes={"kind": kind, "year": year, "last": [before, last]})
    return row


def reference(number, symbol):
    return f"{number:02d}/{symbol}"


def body(key):
    return IssuingBody.objects.filter(key=key).first()


def signers_on(body, day):
    """Who may sign for `body` on `day`: the head first, then deputies, then an acting head."""
    order = {SignerPosition.HEAD: 0, SignerPosition.ACTING: 1, SignerPosition.DEPUTY: 2}
    rows = (Signer.objects.filter(body=body, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).select_related("body"))
    return sorted(rows, key=lambda s: (order[s.position], s.full_name))


def signature_lines(signer, *, collective=False):
    """The signer block's title lines in capitals: "CHỦ TỊCH"; "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"; "Q. CHỦ TỊCH";
    with `collective`, "TM. ỦY BAN NHÂN DÂN" above them."""
    body = signer.body
    lines = [_("TM. %(body)s") % {"body": body.collective}] if collective and body.collective else []
    head = body.head_title
    if signer.position == SignerPosition.DEPUTY:
        lines += [_("KT. %(head)s") % {"head": head}, body.deputy_title]
    elif signer.position == SignerPosition.ACTING:
        lines.append(_("Q. %(head)s") % {"head": head})
    else:
        lines.append(head)
    return [line.upper() for line in lines]
