#!/usr/bin/env bash
# Reproduce two tables of the City of Seinäjoki's financial statements 2024 from input files built from the
# printed figures (build_inputs.py): 8.5, the binding units' appropriations and revenue estimates (1000 €), and
# 8.2, the income statement part (€). The two tables are of different scope, so each gets its own database.
# Writes every table format into out/seinajoki-2024/{sitovat-erat,tuloslaskelmaosa}/.
#
#   examples/seinajoki-2024/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${OUT:-$root/out/seinajoki-2024}"
katsaus="${KATSAUS:-$root/.venv/bin/katsaus}"
formats="${FORMATS:-csv,tables,html,pdf,docx,xlsx,datapackage}"

for table in sitovat-erat tuloslaskelmaosa; do
  mkdir -p "$out/$table"
  db="$out/$table/katsaus.sqlite3"
  rm -f "$db" "$db-wal" "$db-shm"
  export KATSAUS_DB="$db"
  input="$here/input/$table"
  "$katsaus" config load "$here/config"
  "$katsaus" import ledger "$input/kirjanpito-2024.csv"
  "$katsaus" import budget "$input/talousarvio-TA-2024.csv" --version "TA 2024" \
    --effective-date 2023-12-11 --decision "Seinäjoen kaupunginvaltuusto, talousarvio 2024"
  "$katsaus" import budget "$input/talousarvio-TA-2024-muutettu.csv" --version "MTA 2024" \
    --effective-date 2024-12-09 --decision "Seinäjoen kaupunginvaltuusto, talousarviomuutokset 2024"
  "$katsaus" report --period 2024-12 --unit SEINAJOKI --template "$table" --out "$out/$table" --format "$formats"
  # the printed table against the report: a printed cell that its own figures contradict is an error
  "$katsaus" check --period 2024-12 --unit SEINAJOKI --template "$table" --format json \
    --printed "$here/printed/${table//-/_}.csv" > "$out/$table/tarkistukset.json"
done
