#!/usr/bin/env bash
# Installs the OS packages the application and its tests need, only when they are missing.
# WeasyPrint needs Pango; PDFs need a Times-metric font with full Vietnamese coverage (Liberation Serif 2);
# the PDF checks need poppler; the workbook checks LibreOffice Calc (headless); browser tests need Debian's
# chromium; translations need gettext's msgfmt; PKCS#11 signing tests need SoftHSM2;
# front-end assets come from the npm registry, so npm is needed at set-up.
set -euo pipefail

missing=()
has_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

has_lib 'libpango-1.0.so' || missing+=(libpango-1.0-0)
has_lib 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
command -v fc-list >/dev/null || missing+=(fontconfig)
if ! { command -v fc-list >/dev/null && fc-list : file | grep -q 'liberation2/LiberationSerif-Regular'; }; then
  missing+=(fonts-liberation2)
fi
# Certificates (awards/certificates.py): two more faces with every Vietnamese letter, EB Garamond (its italic is the
# display face for names; no script face packaged by Debian has the Vietnamese letters) and Charis SIL.
fc-list : file | grep -q 'EBGaramond12-Italic' || missing+=(fonts-ebgaramond)
fc-list : file | grep -q 'CharisSIL-Regular' || missing+=(fonts-sil-charis)
command -v pdftotext >/dev/null && command -v pdffonts >/dev/null || missing+=(poppler-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
# The report workbooks are checked by converting them to PDF with LibreOffice Calc, headless (tests/reports).
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
# The generated dossier documents (DOCX) are checked by converting them with LibreOffice Writer (tests/awards).
dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || [ -e /usr/lib/libreoffice/program/libswlo.so ] \
  || missing+=(libreoffice-writer-nogui)
command -v npm >/dev/null || missing+=(npm)
# Signing on a PKCS#11 token is tested against SoftHSM2, a software token (tests/signing/test_pkcs11.py).
{ [ -e /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null; } || missing+=(softhsm2)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  apt=(sudo apt-get)
else
  echo "Thiếu gói hệ điều hành: ${missing[*]} — hãy cài bằng: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Đang cài gói hệ điều hành còn thiếu: ${missing[*]}"
"${apt[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${missing[@]}" >/dev/null
