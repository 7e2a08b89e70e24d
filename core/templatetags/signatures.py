"""Digital signatures in the lists and pages: `{% signature_results files as results %}` (one query for a whole
list), `{% signature_badge results file %}` ("đã ký số" with signer, time and result, or "chưa ký số"), and
`{% signing_panel entry sign_url download_name %}` (the signed versions of a registered document, the button)."""

from django import template

from core import signing

register = template.Library()


@register.simple_tag
def signature_results(files):
    return signing.verifications_for(list(files))


@register.inclusion_tag("core/_signature_badge.html")
def signature_badge(results, file):
    is_pdf = file.content_type == "application/pdf" or (file.original_name or "").lower().endswith(".pdf")
    return {"is_pdf": is_pdf, "result": results.get(file.sha256) if is_pdf else None}


@register.inclusion_tag("core/_signing_panel.html", takes_context=True)
def signing_panel(context, entry, signer, sign_url, download_url_name, owner_pk):
    """The signed versions of `entry` (newest first), the job's progress while it runs, and the button for the
    signer's own account (`signing.may_sign`)."""
    from core.models import SignedDocument

    user = context["user"]
    versions = list(SignedDocument.objects.filter(entry=entry).select_related("signer")) if entry else []
    running = next((v for v in versions if not v.is_finished), None)
    refusal = signing.signing_refusal(entry, signer) if entry else ""
    return {"versions": versions, "running": running, "can_sign": entry is not None and not refusal
            and signing.may_sign(user, signer), "sign_url": sign_url, "download_url_name": download_url_name,
            "owner_pk": owner_pk, "csrf_token": context.get("csrf_token"), "request": context.get("request"),
            "results": signing.verifications_for([v for v in versions if v.sha256]),
            "test_identity": bool(signer and signing.is_test_identity(getattr(signing.signing_profile(signer),
                                                                              "identity", "")))}
