#!/usr/bin/env bash
# Reproduce two tables of the City of Kauhava's financial statements 2024 from input files built from the printed
# figures (build_inputs.py): 2.3, the income statement part (€ with cents), and 2.5, the operating budget by
# council committee (whole €), both from one ledger and one budget. Writes every table format into
# out/kauhava-2024/{tuloslaskelmaosa,yhteenveto}/ and checks each printed table against the report.
#
#   examples/kauhava-2024/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${OUT:-$root/out/kauhava-2024}"
katsaus="${KATSAUS:-$root/.venv/bin/katsaus}"
formats="${FORMATS:-csv,tables,html,pdf,docx,xlsx,datapackage}"

mkdir -p "$out"
db="$out/katsaus.sqlite3"
rm -f "$db" "$db-wal" "$db-shm"
export KATSAUS_DB="$db"

"$katsaus" config load "$here/config"
"$katsaus" import ledger "$here/input/kirjanpito-2023.csv" "$here/input/kirjanpito-2024.csv"
"$katsaus" import budget "$here/input/talousarvio-TA-2024.csv" --version "TA 2024" \
  --effective-date 2023-12-11 --decision "Kauhavan kaupunginvaltuusto, talousarvio 2024"
for template in tuloslaskelmaosa yhteenveto; do
  mkdir -p "$out/$template"
  "$katsaus" report --period 2024-12 --unit KAUHAVA --template "$template" --out "$out/$template" --format "$formats"
done
# the printed tables against the report: a printed cell that its own figures contradict is an error
"$katsaus" check --period 2024-12 --unit KAUHAVA --template tuloslaskelmaosa --format json \
  --printed "$here/printed/tuloslaskelmaosa.csv" > "$out/tuloslaskelmaosa/tarkistukset.json"
"$katsaus" check --period 2024-12 --unit KAUHAVA --template yhteenveto --format json \
  $(for t in toteutuminen_tuotot toteutuminen_kulut vuosimuutos_tuotot vuosimuutos_kulut; do echo --printed "$here/printed/$t.csv"; done) \
  > "$out/yhteenveto/tarkistukset.json"
