#!/usr/bin/env bash
# Install the Debian packages Katsaus needs, only if they are missing.
#   scripts/install-system-deps.sh venv   python3-venv (to create .venv)
#   scripts/install-system-deps.sh test   the above + the PostgreSQL server for `make test`
# Silent when everything is there; `apt-get update` runs only when something must be installed.
set -euo pipefail

what="${1:-test}"
missing=()

python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)

case "$what" in
  venv) ;;
  test)
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
    command -v runuser >/dev/null || [ -x /usr/sbin/runuser ] || missing+=(util-linux)
    ;;
  *) echo "usage: $0 [venv|test]" >&2; exit 2 ;;
esac

[ ${#missing[@]} -eq 0 ] && exit 0

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
