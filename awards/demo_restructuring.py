"""Demo step after the awards demo: the 1 July 2025 restructuring (`units.demo.restructuring`), run once the
registrations, PAR sheets, dossiers and commendation history it carries over exist, then the issuing bodies of
the new province (its People's Committee, its Sở Nội vụ, its council) so documents dated after it are issued by
them. Listed in `AwardsConfig.demo` right after `awards.demo`."""

from units.demo import restructuring

from .catalogue import ensure_issuers


def build():
    summary = restructuring.build()
    ensure_issuers()
    return summary
