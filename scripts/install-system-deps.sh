#!/usr/bin/env bash
# Install the Debian packages Katsaus needs, only if they are missing.
#   scripts/install-system-deps.sh venv   python3-venv (to create .venv)
#   scripts/install-system-deps.sh test   the above + the PostgreSQL server for `make test`,
#                                         + the document tools the document tests use:
#                                         LibreOffice (Writer, Calc; headless), Chromium, poppler-utils,
#                                         and axe-core from npm into node_modules/ (package-lock.json)
# Silent when everything is there; `apt-get update` runs only when something must be installed.
set -euo pipefail

what="${1:-test}"
missing=()
root="$(cd "$(dirname "$0")/.." && pwd)"

python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)

case "$what" in
  venv) ;;
  test)
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
    command -v runuser >/dev/null || [ -x /usr/sbin/runuser ] || missing+=(util-linux)
    # Documents: .docx/.xlsx conversion checks, the HTML page's accessibility check, PDF pages as PNG.
    command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    command -v npm >/dev/null || missing+=(npm)
    fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
    ;;
  *) echo "usage: $0 [venv|test]" >&2; exit 2 ;;
esac

install_axe() {
  # axe-core at the version package-lock.json pins, into the project's node_modules/ (gitignored).
  [ "$what" = test ] || return 0
  [ -f "$root/node_modules/axe-core/axe.min.js" ] && return 0
  echo "==> npm ci (axe-core into node_modules/)"
  (cd "$root" && npm ci --no-audit --no-fund --silent)
}

if [ ${#missing[@]} -eq 0 ]; then
  install_axe
  exit 0
fi

echo "==> installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "error: missing Debian packages (${missing[*]}); install them as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Keep the packages' maintainer scripts from starting services (the `postgresql` package would
# start a system-wide cluster; the tests start their own), unless a policy is already in place.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
  trap '"${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_axe
