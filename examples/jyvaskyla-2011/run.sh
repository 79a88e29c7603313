#!/usr/bin/env bash
# Import the City of Jyväskylä's real 2011 budget and actual by account into a fresh database and write the
# external income statement of the city and each Taso 03 unit: out/jyvaskyla-2011/tuloslaskelma.csv
# (unit,line,…,budget,actual,… in euros, plain numbers, statement signs) and the open-data package
# out/jyvaskyla-2011/jkl-toteumavertailu-1-12-2011-datapackage/ (+ .zip, docs/open-data.md).
#
#   examples/jyvaskyla-2011/run.sh [path/to/jyvaskyla-2011-talousarvio-ja-toteuma-tileittain.csv]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${1:-$root/reference/public/jyvaskyla-2011-talousarvio-ja-toteuma-tileittain.csv}"
out="${OUT:-$root/out/jyvaskyla-2011}"
katsaus="${KATSAUS:-$root/.venv/bin/katsaus}"

mkdir -p "$out"
db="$out/katsaus.sqlite3"
rm -f "$db" "$db-wal" "$db-shm"
export KATSAUS_DB="$db"

"$katsaus" config load "$here/config"
"$katsaus" import ledger "$data" --mapping "$here/toteuma.toml"
"$katsaus" import budget "$data" --mapping "$here/talousarvio.toml" --version "TA 2011" \
  --effective-date 2010-12-13 --decision "Jyväskylän kaupunginvaltuusto, talousarvio 2011"
"$katsaus" report --period 2011-12 --unit JKL --out "$out" --format csv,xlsx,datapackage
