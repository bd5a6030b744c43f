//! Training the tagger: an averaged structured perceptron over CoNLL-2003 data.
//!
//! [`read_conll`] reads the CoNLL-2003 column format (one `word POS chunk NER`
//! line per token, a blank line between sentences, `-DOCSTART-` between
//! documents; NER tags in IOB1). [`train_model`] learns BILOU weights with the
//! averaged perceptron (Collins 2002): each epoch visits the training sentences
//! in a fixed pseudo-random order, decodes each with Viterbi under the current
//! weights and, where the best sequence differs from the gold one, adds the
//! gold features and subtracts the predicted ones. The averaged weights of the
//! epoch with the best entity F1 on the development set are kept, small weights
//! are pruned and the rest quantised to `i16`.

use super::features::{
    cluster_key, document_features, normalize, stage2_features, word_hash, Lexicon,
    SentenceFeatures, CLUSTER_SETS, GAZETTEERS, GAZETTEER_MAX_TOKENS,
};
use super::model::{
    self, decode_entities, label, IdentityMap, Layer, Model, Part, N_LABELS, TYPES,
};
use super::EntityType;
use std::collections::HashMap;
use std::path::Path;

/// One sentence of a CoNLL file: words and their IOB1 entity tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConllSentence {
    /// The tokens.
    pub words: Vec<String>,
    /// The NER column (`O`, `I-PER`, `B-LOC`, ...).
    pub tags: Vec<String>,
}

/// One document of a CoNLL file.
pub type ConllDocument = Vec<ConllSentence>;

/// Reads a CoNLL-2003 file into documents of sentences.
pub fn read_conll(path: &Path) -> Result<Vec<ConllDocument>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(parse_conll(&text))
}

/// Parses CoNLL-2003 text (see [`read_conll`]).
pub fn parse_conll(text: &str) -> Vec<ConllDocument> {
    let mut docs: Vec<ConllDocument> = Vec::new();
    let mut doc: ConllDocument = Vec::new();
    let mut sentence = ConllSentence::default();
    let flush = |sentence: &mut ConllSentence, doc: &mut ConllDocument| {
        if !sentence.words.is_empty() {
            doc.push(std::mem::take(sentence));
        }
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut sentence, &mut doc);
            continue;
        }
        let mut cols = line.split(' ');
        let word = cols.next().unwrap_or_default();
        let tag = cols.next_back().unwrap_or("O");
        if word == "-DOCSTART-" {
            flush(&mut sentence, &mut doc);
            if !doc.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        sentence.words.push(word.to_string());
        sentence.tags.push(tag.to_string());
    }
    flush(&mut sentence, &mut doc);
    if !doc.is_empty() {
        docs.push(doc);
    }
    docs
}

/// The type named by a CoNLL tag suffix.
pub fn conll_type(name: &str) -> Option<EntityType> {
    match name {
        "PER" => Some(EntityType::Person),
        "ORG" => Some(EntityType::Org),
        "LOC" => Some(EntityType::Loc),
        "MISC" => Some(EntityType::Misc),
        _ => None,
    }
}

/// The entities of an IOB1 (or IOB2) tag sequence as conlleval reads them:
/// `(first token, one past the last, type)`.
pub fn iob_entities(tags: &[String]) -> Vec<(usize, usize, EntityType)> {
    let mut res = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (prefix, name) = tag.split_once('-').unwrap_or((tag.as_str(), ""));
        let ty = conll_type(name);
        let continues = prefix == "I" && open.is_some_and(|(_, t)| Some(t) == ty);
        if continues {
            continue;
        }
        if let Some((start, t)) = open.take() {
            res.push((start, i, t));
        }
        if let (Some(t), "I" | "B") = (ty, prefix) {
            open = Some((i, t));
        }
    }
    if let Some((start, t)) = open {
        res.push((start, tags.len(), t));
    }
    res
}

fn type_index(t: EntityType) -> usize {
    TYPES.iter().position(|&x| x == t).expect("a CoNLL type")
}

/// BILOU labels of a CoNLL sentence.
fn gold_labels(sentence: &ConllSentence) -> Vec<usize> {
    let mut res = vec![0; sentence.words.len()];
    for (start, end, t) in iob_entities(&sentence.tags) {
        let t = type_index(t);
        if end - start == 1 {
            res[start] = label(Part::Unit, t);
        } else {
            res[start] = label(Part::Begin, t);
            for slot in &mut res[start + 1..end - 1] {
                *slot = label(Part::Inside, t);
            }
            res[end - 1] = label(Part::Last, t);
        }
    }
    res
}

/// Settings of a training run.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Maximum number of passes over the training data.
    pub epochs: usize,
    /// Features seen fewer times in training are dropped.
    pub min_count: u32,
    /// Averaged weights with an absolute value below this share of the largest
    /// one are pruned before quantisation.
    pub prune: f32,
    /// Seed of the sentence order.
    pub seed: u64,
    /// Folds of the training documents for the second layer's inputs (each
    /// fold labelled by a first layer trained on the others); 0 or 1 trains a
    /// single layer.
    pub folds: usize,
    /// Also train on every sentence as a document of its own.
    pub sentence_copies: bool,
    /// Train the second layer on the sentence copies too.
    pub layer2_copies: bool,
}

impl Default for TrainConfig {
    fn default() -> TrainConfig {
        TrainConfig {
            epochs: 30,
            min_count: 1,
            prune: 0.0,
            seed: 0x5eed,
            folds: 5,
            sentence_copies: true,
            layer2_copies: true,
        }
    }
}

/// Entity-level counts for precision, recall and F1 (conlleval's definition).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Entities both systems agree on exactly (span and type).
    pub correct: usize,
    /// Entities the system proposed.
    pub predicted: usize,
    /// Entities in the gold data.
    pub gold: usize,
}

impl Counts {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.predicted as f64
        }
    }

    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.gold as f64
        }
    }

    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds the comparison of one sentence's entities.
    pub fn add(
        &mut self,
        gold: &[(usize, usize, EntityType)],
        predicted: &[(usize, usize, EntityType)],
        only: Option<EntityType>,
    ) {
        let keep = |e: &&(usize, usize, EntityType)| only.is_none_or(|t| e.2 == t);
        let gold: Vec<_> = gold.iter().filter(keep).collect();
        let predicted: Vec<_> = predicted.iter().filter(keep).collect();
        self.gold += gold.len();
        self.predicted += predicted.len();
        self.correct += predicted.iter().filter(|p| gold.contains(p)).count();
    }
}

/// What a training run did.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// Development F1 after each epoch (averaged weights, before quantisation).
    pub dev_f1: Vec<f64>,
    /// The epoch kept (1-based).
    pub best_epoch: usize,
    /// Features kept in the model.
    pub features: usize,
    /// Development scores of the shipped (pruned, quantised) model per type,
    /// then overall.
    pub dev: Vec<(String, Counts)>,
}

/// Name lists by category, read by [`read_gazetteers`], and word clusters.
#[derive(Debug, Clone, Default)]
pub struct Gazetteers {
    /// `(category bit, entry)` pairs; the entry as written in the list.
    pub entries: Vec<(u8, String)>,
    /// Sets of word clusters (see [`super::clusters`]), each from its own
    /// source; the features read the first ([`CLUSTER_SETS`]).
    pub clusters: Vec<Vec<super::clusters::WordPath>>,
}

/// Reads `DIR/{country,city,region,first,last}.txt` (one name a line; missing
/// files are skipped), as written by `scripts/gazetteers.sh`.
pub fn read_gazetteers(dir: &Path) -> Result<Gazetteers, String> {
    let mut res = Gazetteers::default();
    for (bit, name) in GAZETTEERS.iter().enumerate() {
        let path = dir.join(format!("{name}.txt"));
        if !path.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        res.entries.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| (bit as u8, l.to_string())),
        );
    }
    Ok(res)
}

/// Builds the lexicon facts from training documents and gazetteers.
fn build_lexicon(docs: &[ConllDocument], gazetteers: &Gazetteers) -> Lexicon {
    let mut lexicon = Lexicon::default();
    for (bit, entry) in &gazetteers.entries {
        let tokens = super::tokenize(entry);
        if tokens.is_empty() || tokens.len() > GAZETTEER_MAX_TOKENS {
            continue;
        }
        let key: Vec<String> =
            tokens.iter().map(|t| normalize(&entry[t.span.range()]).to_lowercase()).collect();
        *lexicon.gazetteer.entry(word_hash(&key.join(" "))).or_default() |= 1 << bit;
    }
    for (set, paths) in gazetteers.clusters.iter().enumerate().take(CLUSTER_SETS) {
        for path in paths {
            let key = cluster_key(set as u32, &path.word);
            lexicon.clusters.insert(key, super::clusters::packed_path(&path.bits));
        }
    }
    for sentence in docs.iter().flatten() {
        for word in &sentence.words {
            let norm = normalize(word);
            if norm.chars().any(char::is_alphabetic) && norm.chars().all(|c| !c.is_uppercase()) {
                lexicon.lower_seen.insert(word_hash(&norm));
            }
        }
    }
    lexicon
}

/// Observation features of every sentence, per document.
fn features_of(docs: &[ConllDocument], lexicon: &Lexicon) -> Vec<Vec<SentenceFeatures>> {
    use rayon::prelude::*;
    docs.par_iter()
        .map(|doc| {
            let words: Vec<Vec<&str>> =
                doc.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
            document_features(&words, lexicon)
        })
        .collect()
}

fn words_of(doc: &ConllDocument) -> Vec<Vec<&str>> {
    doc.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect()
}

/// Per-type and overall counts of a model on gold-tokenised documents.
pub(crate) fn evaluate(model: &Model, docs: &[ConllDocument]) -> Vec<(String, Counts)> {
    let mut per_type = [Counts::default(); 4];
    let mut overall = Counts::default();
    for doc in docs {
        let labels = super::label_document(model, &words_of(doc));
        for (sentence, labels) in doc.iter().zip(&labels) {
            let predicted: Vec<(usize, usize, EntityType)> =
                decode_entities(labels).into_iter().map(|(s, e, t)| (s, e, TYPES[t])).collect();
            let gold = iob_entities(&sentence.tags);
            overall.add(&gold, &predicted, None);
            for (k, t) in TYPES.iter().enumerate() {
                per_type[k].add(&gold, &predicted, Some(*t));
            }
        }
    }
    let mut res: Vec<(String, Counts)> =
        TYPES.iter().zip(per_type).map(|(t, c)| (t.conll_name().to_string(), c)).collect();
    res.push(("overall".to_string(), overall));
    res
}

/// Weights during training: current weights and the running sums that give
/// their average (`avg = w - u / c`).
struct Weights {
    w: Vec<f32>,
    u: Vec<f64>,
    trans: Vec<f32>,
    trans_u: Vec<f64>,
}

impl Weights {
    fn new(n_features: usize) -> Weights {
        let n_trans = N_LABELS * N_LABELS + 2 * N_LABELS;
        Weights {
            w: vec![0.0; n_features * N_LABELS],
            u: vec![0.0; n_features * N_LABELS],
            trans: vec![0.0; n_trans],
            trans_u: vec![0.0; n_trans],
        }
    }

    fn bump(&mut self, feature: usize, label: usize, delta: f32, c: f64) {
        let k = feature * N_LABELS + label;
        self.w[k] += delta;
        self.u[k] += c * f64::from(delta);
    }

    fn bump_trans(&mut self, k: usize, delta: f32, c: f64) {
        self.trans[k] += delta;
        self.trans_u[k] += c * f64::from(delta);
    }

    fn decode(&self, tokens: &[Vec<u32>], averaged: Option<f64>) -> Vec<usize> {
        let weight = |k: usize| match averaged {
            Some(c) => (f64::from(self.w[k]) - self.u[k] / c) as f32,
            None => self.w[k],
        };
        let tw = |k: usize| match averaged {
            Some(c) => (f64::from(self.trans[k]) - self.trans_u[k] / c) as f32,
            None => self.trans[k],
        };
        let emissions: Vec<[f32; N_LABELS]> = tokens
            .iter()
            .map(|feats| {
                let mut e = [0f32; N_LABELS];
                for &f in feats {
                    for (l, slot) in e.iter_mut().enumerate() {
                        *slot += weight(f as usize * N_LABELS + l);
                    }
                }
                e
            })
            .collect();
        let mut trans = [[0f32; N_LABELS]; N_LABELS];
        for (from, row) in trans.iter_mut().enumerate() {
            for (to, slot) in row.iter_mut().enumerate() {
                *slot = tw(from * N_LABELS + to);
            }
        }
        let base = N_LABELS * N_LABELS;
        let start: [f32; N_LABELS] = std::array::from_fn(|l| tw(base + l));
        let end: [f32; N_LABELS] = std::array::from_fn(|l| tw(base + N_LABELS + l));
        model::viterbi(&emissions, &trans, &start, &end)
    }

    /// The averaged weights and transitions.
    fn averaged(&self, c: f64) -> (Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], u: &[f64]| {
            w.iter().zip(u).map(|(&w, &u)| (f64::from(w) - u / c) as f32).collect()
        };
        (avg(&self.w, &self.u), avg(&self.trans, &self.trans_u))
    }
}

/// Deterministic xorshift for the sentence order.
fn shuffle<T>(items: &mut [T], seed: &mut u64) {
    for i in (1..items.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let j = (*seed % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// A sentence to learn from: hashed features per token and gold labels.
struct Example<'a> {
    feats: &'a SentenceFeatures,
    gold: Vec<usize>,
}

fn make<'a>(feats: &'a [SentenceFeatures], gold: &[Vec<usize>]) -> Vec<Example<'a>> {
    feats.iter().zip(gold).map(|(f, g)| Example { feats: f, gold: g.clone() }).collect()
}

/// What [`train_layer`] returns.
struct LayerRun {
    layer: Layer,
    best_epoch: usize,
    dev_f1: Vec<f64>,
}

/// Trains one layer with the averaged perceptron. With development examples,
/// keeps the epoch with the best dev F1 (stopping five epochs after it);
/// without, runs `epochs` epochs.
fn train_layer(
    train: &[Example<'_>],
    dev: &[Example<'_>],
    epochs: usize,
    config: &TrainConfig,
    log: &mut dyn FnMut(&str),
) -> LayerRun {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for example in train {
        for &h in &example.feats.feats {
            *counts.entry(h).or_default() += 1;
        }
    }
    let mut kept: Vec<u32> =
        counts.iter().filter(|(_, &c)| c >= config.min_count).map(|(&h, _)| h).collect();
    kept.sort_unstable();
    drop(counts);
    let index: HashMap<u32, u32> = kept.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
    let indexed = |f: &SentenceFeatures| -> Vec<Vec<u32>> {
        (0..f.len())
            .map(|i| f.token(i).iter().filter_map(|h| index.get(h).copied()).collect())
            .collect()
    };
    let train_tokens: Vec<Vec<Vec<u32>>> = train.iter().map(|e| indexed(e.feats)).collect();
    let dev_tokens: Vec<Vec<Vec<u32>>> = dev.iter().map(|e| indexed(e.feats)).collect();
    let mut weights = Weights::new(kept.len());
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut seed = config.seed | 1;
    let mut c = 1.0f64;
    let mut dev_f1 = Vec::new();
    let mut best: Option<(f64, usize, Vec<f32>, Vec<f32>)> = None;
    let base = N_LABELS * N_LABELS;
    for epoch in 1..=epochs {
        shuffle(&mut order, &mut seed);
        let mut errors = 0usize;
        for &k in &order {
            let (tokens, gold) = (&train_tokens[k], &train[k].gold);
            let predicted = weights.decode(tokens, None);
            if &predicted != gold {
                errors += 1;
                for (i, feats) in tokens.iter().enumerate() {
                    if predicted[i] != gold[i] {
                        for &f in feats {
                            weights.bump(f as usize, gold[i], 1.0, c);
                            weights.bump(f as usize, predicted[i], -1.0, c);
                        }
                    }
                    let (g_prev, p_prev) = if i == 0 {
                        (None, None)
                    } else {
                        (Some(gold[i - 1]), Some(predicted[i - 1]))
                    };
                    if (g_prev, gold[i]) != (p_prev, predicted[i]) {
                        let slot = |prev: Option<usize>, cur: usize| match prev {
                            None => base + cur,
                            Some(p) => p * N_LABELS + cur,
                        };
                        weights.bump_trans(slot(g_prev, gold[i]), 1.0, c);
                        weights.bump_trans(slot(p_prev, predicted[i]), -1.0, c);
                    }
                }
                let n = gold.len();
                if gold[n - 1] != predicted[n - 1] {
                    weights.bump_trans(base + N_LABELS + gold[n - 1], 1.0, c);
                    weights.bump_trans(base + N_LABELS + predicted[n - 1], -1.0, c);
                }
            }
            c += 1.0;
        }
        if dev.is_empty() {
            continue;
        }
        let mut counts = Counts::default();
        for (tokens, example) in dev_tokens.iter().zip(dev) {
            let entities = |labels: &[usize]| -> Vec<(usize, usize, EntityType)> {
                decode_entities(labels).into_iter().map(|(s, e, t)| (s, e, TYPES[t])).collect()
            };
            counts.add(&entities(&example.gold), &entities(&weights.decode(tokens, Some(c))), None);
        }
        let f1 = counts.f1();
        dev_f1.push(f1);
        log(&format!("  epoch {epoch}: {errors} sentences wrong, dev F1 {f1:.2}"));
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            let (avg, trans) = weights.averaged(c);
            best = Some((f1, epoch, avg, trans));
        }
        if best.as_ref().is_some_and(|b| epoch >= b.1 + 5) {
            break;
        }
    }
    let (best_epoch, avg, trans) = match best {
        Some((_, epoch, avg, trans)) => (epoch, avg, trans),
        None => {
            let (avg, trans) = weights.averaged(c);
            (epochs, avg, trans)
        }
    };
    LayerRun { layer: quantise(&kept, &avg, &trans, config.prune), best_epoch, dev_f1 }
}

/// Trains a model on `train`, choosing epochs on `dev`. `log` receives
/// progress lines. Returns the model file's bytes.
pub fn train_model(
    train: &[ConllDocument],
    dev: &[ConllDocument],
    gazetteers: &Gazetteers,
    config: &TrainConfig,
    mut log: impl FnMut(&str),
) -> (Vec<u8>, TrainReport) {
    let lexicon = build_lexicon(train, gazetteers);
    let original_docs = train.len();
    // Each training sentence is seen twice: inside its document and alone, so
    // that the document-wide features help without being relied upon when a
    // caller tags a sentence by itself. Folds follow the original documents.
    let (train, fold_of): (Vec<ConllDocument>, Vec<usize>) = if config.sentence_copies {
        let mut docs = train.to_vec();
        let mut fold_of: Vec<usize> = (0..train.len()).collect();
        for (d, doc) in train.iter().enumerate() {
            for sentence in doc {
                docs.push(vec![sentence.clone()]);
                fold_of.push(d);
            }
        }
        (docs, fold_of)
    } else {
        (train.to_vec(), (0..train.len()).collect())
    };
    let train = train.as_slice();
    log(&format!("{} gazetteer entries", lexicon.gazetteer.len()));
    let train_feats = features_of(train, &lexicon);
    let dev_feats = features_of(dev, &lexicon);
    let train_gold: Vec<Vec<usize>> = train.iter().flatten().map(gold_labels).collect();
    let dev_gold: Vec<Vec<usize>> = dev.iter().flatten().map(gold_labels).collect();
    let flat_train: Vec<SentenceFeatures> = train_feats.iter().flatten().cloned().collect();
    let flat_dev: Vec<SentenceFeatures> = dev_feats.iter().flatten().cloned().collect();
    log("layer 1");
    let first = train_layer(
        &make(&flat_train, &train_gold),
        &make(&flat_dev, &dev_gold),
        config.epochs,
        config,
        &mut log,
    );
    let mut dev_f1 = first.dev_f1.clone();
    let mut best_epoch = first.best_epoch;
    let mut layers = vec![first.layer];
    if config.folds > 1 {
        // First-layer labels of the training documents, each from a layer that
        // did not see it (so the second layer learns how far to trust them).
        let mut train_labels: Vec<Vec<Vec<usize>>> = vec![Vec::new(); train.len()];
        for fold in 0..config.folds {
            let mut fold_feats = Vec::new();
            let mut fold_gold = Vec::new();
            for (d, doc_feats) in train_feats.iter().enumerate() {
                if fold_of[d] % config.folds != fold {
                    fold_feats.extend(doc_feats.iter().cloned());
                }
            }
            for (d, doc) in train.iter().enumerate() {
                if fold_of[d] % config.folds != fold {
                    fold_gold.extend(doc.iter().map(gold_labels));
                }
            }
            let run =
                train_layer(&make(&fold_feats, &fold_gold), &[], best_epoch, config, &mut log);
            for (d, doc_feats) in train_feats.iter().enumerate() {
                if fold_of[d] % config.folds == fold {
                    train_labels[d] = doc_feats
                        .iter()
                        .map(|f| {
                            run.layer.decode(&(0..f.len()).map(|i| f.token(i)).collect::<Vec<_>>())
                        })
                        .collect();
                }
            }
            log(&format!("fold {} of {} labelled", fold + 1, config.folds));
        }
        let dev_labels: Vec<Vec<Vec<usize>>> = dev_feats
            .iter()
            .map(|doc| {
                doc.iter()
                    .map(|f| {
                        layers[0].decode(&(0..f.len()).map(|i| f.token(i)).collect::<Vec<_>>())
                    })
                    .collect()
            })
            .collect();
        let second = |docs: &[ConllDocument],
                      feats: &[Vec<SentenceFeatures>],
                      labels: &[Vec<Vec<usize>>]| {
            docs.iter()
                .zip(feats)
                .zip(labels)
                .flat_map(|((doc, f), l)| stage2_features(&words_of(doc), f, l))
                .collect::<Vec<SentenceFeatures>>()
        };
        let train2 = second(train, &train_feats, &train_labels);
        let dev2 = second(dev, &dev_feats, &dev_labels);
        log("layer 2");
        // Optionally the second layer learns from whole documents only.
        let n2 = if config.layer2_copies {
            train2.len()
        } else {
            train[..original_docs].iter().map(Vec::len).sum()
        };
        let run = train_layer(
            &make(&train2[..n2], &train_gold[..n2]),
            &make(&dev2, &dev_gold),
            config.epochs,
            config,
            &mut log,
        );
        dev_f1 = run.dev_f1;
        best_epoch = run.best_epoch;
        layers.push(run.layer);
    }
    let model = Model { layers, lexicon };
    let bytes = model.to_bytes();
    let dev_scores = evaluate(&Model::from_bytes(&bytes).expect("own format"), dev);
    let features = model.n_features();
    (bytes, TrainReport { dev_f1, best_epoch, features, dev: dev_scores })
}

fn quantise(keys: &[u32], avg: &[f32], trans: &[f32], prune: f32) -> Layer {
    let max = avg.iter().chain(trans).fold(0f32, |m, &w| m.max(w.abs())).max(1e-9);
    let scale = f32::from(i16::MAX) / max;
    let q = |w: f32| (w * scale).round().clamp(-32767.0, 32767.0) as i16;
    let threshold = prune * max;
    let mut index = IdentityMap::default();
    let mut weights = Vec::new();
    for (k, &key) in keys.iter().enumerate() {
        let row: [i16; N_LABELS] = std::array::from_fn(|l| {
            let w = avg[k * N_LABELS + l];
            if w.abs() < threshold {
                0
            } else {
                q(w)
            }
        });
        if row.iter().any(|&w| w != 0) {
            index.insert(key, weights.len() as u32);
            weights.push(row);
        }
    }
    let base = N_LABELS * N_LABELS;
    let mut t = [[0i16; N_LABELS]; N_LABELS];
    for (from, row) in t.iter_mut().enumerate() {
        for (to, slot) in row.iter_mut().enumerate() {
            *slot = q(trans[from * N_LABELS + to]);
        }
    }
    let start = std::array::from_fn(|l| q(trans[base + l]));
    let end = std::array::from_fn(|l| q(trans[base + N_LABELS + l]));
    Layer { index, weights, trans: t, start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_reading() {
        let tags: Vec<String> =
            ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "B-ORG"].map(String::from).to_vec();
        assert_eq!(
            iob_entities(&tags),
            vec![
                (0, 2, EntityType::Person),
                (2, 3, EntityType::Person),
                (4, 5, EntityType::Loc),
                (5, 6, EntityType::Org),
                (6, 7, EntityType::Org)
            ]
        );
    }

    #[test]
    fn conll_parsing() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nX NN I-NP O\n";
        let docs = parse_conll(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].len(), 2);
        assert_eq!(docs[0][0].words, ["EU", "rejects"]);
        assert_eq!(gold_labels(&docs[0][0]), vec![label(Part::Unit, 1), 0]);
    }
}
