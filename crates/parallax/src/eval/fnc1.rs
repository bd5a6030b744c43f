//! Stance of a body towards a headline's claim on FNC-1 (Fake News Challenge
//! stage 1): for each (headline, body) pair, `unrelated`, or the body's
//! stance on the claim: `agree`, `disagree` or `discuss`.
//!
//! parallax reads it with its own layers and no training:
//! - **Relatedness**: how much of the headline the body covers, as the
//!   share of the headline's content words ([`group::content_words`]) the body
//!   has, weighted by inverse document frequency over the training bodies,
//!   averaged with MiniLM meaning (the best cosine of the headline with a
//!   body sentence) when the model is used.
//! - **Stance**: every body sentence is read by [`claims::sentence_stance`]
//!   (stance verbs, reported speech from [`quotes::find`], refutation words
//!   and hedges). The sentences are weighed by how close they are to the
//!   headline (squared similarity), so the sentences about the claim decide:
//!   a body whose weighted share of refuting sentences reaches a threshold
//!   disagrees; otherwise one whose weighted share of hedged or attributed
//!   sentences stays at or below another threshold agrees (it states the
//!   claim plainly); the rest discuss it.
//!
//! The data set ships no training labels, and the competition test split is
//! only for reporting. The thresholds were therefore chosen without labels
//! on the training bodies ([`calibrate`], `parallax bench stance --dev`):
//! each body's first sentence stands for a headline, paired with the rest of
//! its own body (related) and with the rest of another body (unrelated);
//! the relatedness threshold minimises the expected loss of the FNC-1 score
//! on those pairs under the training split's published label shares, and
//! the stance thresholds give the related pairs the published shares of
//! agree, disagree and discuss.
//!
//! Scored with the official weighted score (`scorer.py`: 0.25 for a correct
//! related/unrelated decision, 0.75 more for the correct stance of a related
//! pair; reported as a percentage of the best possible), per-class F1 and
//! macro-F1 over the four classes (as Hanselowski et al. 2018 report it).

use crate::analysis::QuoteOut;
use crate::claims::{self, SentenceStance};
use crate::doc::Span;
use crate::embed::{cosine, Embedder};
use crate::group;
use crate::{ner, quotes};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// The four labels, in the order of the official scorer's confusion matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// The body supports the headline's claim.
    Agree,
    /// The body refutes it.
    Disagree,
    /// The body reports it without taking a stand.
    Discuss,
    /// The body is about something else.
    Unrelated,
}

impl Label {
    /// All labels in matrix order.
    pub const ALL: [Label; 4] = [Label::Agree, Label::Disagree, Label::Discuss, Label::Unrelated];

    /// The data set's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Agree => "agree",
            Label::Disagree => "disagree",
            Label::Discuss => "discuss",
            Label::Unrelated => "unrelated",
        }
    }

    /// Reads the data set's word.
    pub fn parse(word: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == word.trim())
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Scores of one labelling against gold.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// `confusion[gold][predicted]`, in [`Label::ALL`] order.
    pub confusion: [[usize; 4]; 4],
    /// The FNC-1 weighted score.
    pub score: f64,
    /// The best possible weighted score for this gold.
    pub max_score: f64,
    /// F1 of each label, in [`Label::ALL`] order.
    pub f1: [f64; 4],
    /// Mean F1 over the four labels.
    pub macro_f1: f64,
}

impl Scores {
    /// The weighted score as a percentage of the best possible.
    pub fn percent(&self) -> f64 {
        if self.max_score == 0.0 {
            0.0
        } else {
            100.0 * self.score / self.max_score
        }
    }
}

/// Scores `predicted` against `gold` (same length) as the official
/// `scorer.py` does, with per-class and macro F1.
pub fn score(gold: &[Label], predicted: &[Label]) -> Scores {
    debug_assert_eq!(gold.len(), predicted.len());
    let related = |l: Label| l != Label::Unrelated;
    let mut confusion = [[0usize; 4]; 4];
    let (mut total, mut max_score) = (0.0, 0.0);
    for (&g, &p) in gold.iter().zip(predicted) {
        confusion[g.index()][p.index()] += 1;
        if g == p {
            total += 0.25;
            if related(g) {
                total += 0.5;
            }
        }
        if related(g) && related(p) {
            total += 0.25;
        }
        max_score += if related(g) { 1.0 } else { 0.25 };
    }
    let mut f1 = [0.0; 4];
    for (k, f) in f1.iter_mut().enumerate() {
        let tp = confusion[k][k];
        let predicted_k: usize = (0..4).map(|g| confusion[g][k]).sum();
        let gold_k: usize = confusion[k].iter().sum();
        *f = super::f1(super::ratio(tp, predicted_k), super::ratio(tp, gold_k));
    }
    let macro_f1 = f1.iter().sum::<f64>() / 4.0;
    Scores { confusion, score: total, max_score, f1, macro_f1 }
}

/// Parses CSV text (RFC 4180: quoted fields with doubled quotes, line breaks
/// inside quotes, `\n` or `\r\n` between records). Empty lines are skipped.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    let mut field_started = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                in_quotes = true;
                field_started = true;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                field_started = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if field_started || !field.is_empty() || !record.is_empty() {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                field_started = false;
            }
            _ => {
                field.push(c);
                field_started = true;
            }
        }
    }
    if field_started || !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Reads a bodies file (`Body ID,articleBody`).
fn read_bodies(path: &Path) -> Result<BTreeMap<u32, String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut res = BTreeMap::new();
    for (line, record) in parse_csv(&text).into_iter().enumerate().skip(1) {
        let [id, body] = &record[..] else {
            return Err(format!(
                "{}: record {} has {} fields",
                path.display(),
                line + 1,
                record.len()
            ));
        };
        let id: u32 = id
            .trim()
            .parse()
            .map_err(|_| format!("{}: record {}: bad body id {id:?}", path.display(), line + 1))?;
        res.insert(id, body.clone());
    }
    Ok(res)
}

/// Reads a stances file (`Headline,Body ID,Stance`).
fn read_stances(path: &Path) -> Result<Vec<(String, u32, Label)>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut res = Vec::new();
    for (line, record) in parse_csv(&text).into_iter().enumerate().skip(1) {
        let [headline, id, stance] = &record[..] else {
            return Err(format!(
                "{}: record {} has {} fields",
                path.display(),
                line + 1,
                record.len()
            ));
        };
        let id: u32 = id
            .trim()
            .parse()
            .map_err(|_| format!("{}: record {}: bad body id {id:?}", path.display(), line + 1))?;
        let label = Label::parse(stance).ok_or_else(|| {
            format!("{}: record {}: bad stance {stance:?}", path.display(), line + 1)
        })?;
        res.push((headline.clone(), id, label));
    }
    Ok(res)
}

/// Inverse document frequencies of content words over a set of bodies.
#[derive(Debug, Clone)]
pub struct Idf {
    df: BTreeMap<String, usize>,
    n: usize,
}

impl Idf {
    /// Counts the content words of `bodies`.
    pub fn new<'a>(bodies: impl IntoIterator<Item = &'a str>) -> Idf {
        let mut df: BTreeMap<String, usize> = BTreeMap::new();
        let mut n = 0;
        for body in bodies {
            n += 1;
            for word in group::content_words(body) {
                *df.entry(word).or_default() += 1;
            }
        }
        Idf { df, n }
    }

    /// `ln((n + 1) / (df + 1)) + 1`: rare words weigh more, unseen ones most.
    pub fn of(&self, word: &str) -> f32 {
        let df = self.df.get(word).copied().unwrap_or(0);
        (((self.n + 1) as f32) / ((df + 1) as f32)).ln() + 1.0
    }
}

/// A body as the stance reader sees it.
#[derive(Debug, Clone)]
struct Body {
    text: String,
    sentences: Vec<Span>,
    words: Vec<BTreeSet<String>>,
    stances: Vec<SentenceStance>,
}

impl Body {
    fn new(text: String) -> Body {
        let tokens = ner::tokenize(&text);
        let sentences: Vec<Span> =
            ner::sentences(&text, &tokens).into_iter().map(|s| s.span).collect();
        let quote_outs = quote_outs(&text);
        let quote_refs: Vec<&QuoteOut> = quote_outs.iter().collect();
        let stances =
            sentences.iter().map(|&s| claims::sentence_stance(&text, s, &quote_refs)).collect();
        let words = sentences.iter().map(|s| group::content_words(&text[s.range()])).collect();
        Body { text, sentences, words, stances }
    }

    fn sentence(&self, idx: usize) -> &str {
        &self.text[self.sentences[idx].range()]
    }
}

/// The quotations of a text as the claim layer reads them (no speaker entities).
fn quote_outs(text: &str) -> Vec<QuoteOut> {
    quotes::find(text)
        .into_iter()
        .map(|q| QuoteOut {
            id: String::new(),
            doc: String::new(),
            start: q.span.start,
            end: q.span.end,
            text: text[q.span.range()].to_string(),
            kind: match q.kind {
                quotes::QuoteKind::Direct => "direct",
                quotes::QuoteKind::Indirect => "indirect",
            }
            .to_string(),
            speaker: None,
            speaker_text: q.speaker.map(|s| text[s.range()].to_string()),
            cue: q.cue.map(|s| text[s.range()].to_string()),
        })
        .collect()
}

/// What a (headline, body) pair is judged on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    /// How related the body is to the headline (0–1).
    pub related: f32,
    /// Weighted share of the body's sentences that refute something.
    pub refute: f32,
    /// Weighted share of the body's sentences that hedge or attribute.
    pub hedge: f32,
}

/// The thresholds of the decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Related when [`Features::related`] reaches this.
    pub related: f32,
    /// Disagree when [`Features::refute`] reaches this.
    pub refute: f32,
    /// Agree when [`Features::hedge`] is at most this.
    pub hedge: f32,
}

/// Settings with shared words only, chosen without labels on all training
/// bodies by [`calibrate`] (`parallax bench stance --dev`: 0.23, 0.2180, 0.0).
pub const WORDS_SETTINGS: Settings = Settings { related: 0.23, refute: 0.22, hedge: 0.0 };

/// Settings with MiniLM, chosen without labels on every fourth training body
/// by [`calibrate`] (`parallax bench stance --dev`: 0.32, 0.2357, 0.0101).
pub const MODEL_SETTINGS: Settings = Settings { related: 0.32, refute: 0.24, hedge: 0.01 };

/// The label of a pair.
pub fn decide(features: Features, settings: &Settings) -> Label {
    if features.related < settings.related {
        Label::Unrelated
    } else if features.refute >= settings.refute && features.refute > 0.0 {
        Label::Disagree
    } else if features.hedge <= settings.hedge {
        Label::Agree
    } else {
        Label::Discuss
    }
}

/// A headline's content words and, with a model, its vector.
struct Headline {
    words: BTreeSet<String>,
    vector: Option<Vec<f32>>,
}

/// The features of a headline against the sentences `from..` of a body.
fn features(
    headline: &Headline,
    body: &Body,
    vectors: Option<&[Vec<f32>]>,
    from: usize,
    idf: &Idf,
) -> Features {
    let n = body.sentences.len();
    let head_weight: f32 = headline.words.iter().map(|w| idf.of(w)).sum();
    let coverage = |has: &dyn Fn(&str) -> bool| {
        if head_weight == 0.0 {
            return 0.0;
        }
        headline.words.iter().filter(|w| has(w)).map(|w| idf.of(w)).sum::<f32>() / head_weight
    };
    let lexical = coverage(&|w| (from..n).any(|s| body.words[s].contains(w)));
    // Similarity of each sentence to the headline: meaning with a model,
    // else the weighted share of the headline's words the sentence has.
    let sims: Vec<f32> = (from..n)
        .map(|s| match (&headline.vector, vectors) {
            (Some(h), Some(v)) => cosine(h, &v[s]).max(0.0),
            _ => coverage(&|w| body.words[s].contains(w)),
        })
        .collect();
    let related = match (&headline.vector, vectors) {
        (Some(_), Some(_)) => (lexical + sims.iter().copied().fold(0.0, f32::max)) / 2.0,
        _ => lexical,
    };
    let (mut total, mut refute, mut hedge) = (0.0f32, 0.0f32, 0.0f32);
    for (k, s) in (from..n).enumerate() {
        let weight = sims[k] * sims[k];
        let stance = body.stances[s];
        total += weight;
        if stance.refutes {
            refute += weight;
        }
        if stance.hedges {
            hedge += weight;
        }
    }
    if total > 0.0 {
        refute /= total;
        hedge /= total;
    }
    Features { related, refute, hedge }
}

/// The published train-split label shares (FNC-1 README): unrelated,
/// discuss, agree, disagree.
const TRAIN_SHARES: [(Label, f64); 4] = [
    (Label::Unrelated, 0.73131),
    (Label::Discuss, 0.17828),
    (Label::Agree, 0.0736012),
    (Label::Disagree, 0.0168094),
];

/// One scored system.
#[derive(Debug, Clone)]
pub struct SystemScores {
    /// What it is.
    pub name: String,
    /// Its scores.
    pub scores: Scores,
}

/// The outcome of a test run.
#[derive(Debug, Clone)]
pub struct Report {
    /// Pairs scored.
    pub pairs: usize,
    /// Distinct headlines and bodies.
    pub headlines: usize,
    /// Distinct bodies.
    pub bodies: usize,
    /// Body sentences.
    pub sentences: usize,
    /// Systems scored in this run, the main one first.
    pub systems: Vec<SystemScores>,
    /// Seconds spent reading and preparing bodies (sentences, quotes, stances).
    pub prepare_seconds: f64,
    /// Seconds spent embedding (0 without a model).
    pub embed_seconds: f64,
    /// Seconds spent judging the pairs.
    pub judge_seconds: f64,
}

impl Report {
    /// Markdown tables: scores beside the published figures, and the main
    /// system's confusion matrix.
    pub fn table(&self) -> String {
        let mut out = format!(
            "FNC-1 competition test: {} pairs, {} headlines, {} bodies ({} sentences)\n\n",
            self.pairs, self.headlines, self.bodies, self.sentences
        );
        out += "| system | FNC-1 score (% of max) | F1 agree | F1 disagree | F1 discuss | F1 unrelated | macro-F1 |\n|---|---|---|---|---|---|---|\n";
        for system in &self.systems {
            let s = &system.scores;
            let _ = writeln!(
                out,
                "| {} | {:.2} ({:.2} / {:.2}) | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
                system.name,
                s.percent(),
                s.score,
                s.max_score,
                s.f1[0],
                s.f1[1],
                s.f1[2],
                s.f1[3],
                s.macro_f1
            );
        }
        for (name, score, macro_f1) in [
            ("SOLAT in the SWEN (Talos), published", "82.02", "0.582"),
            ("Athene (UKP), published", "81.97", "0.604"),
            ("UCL Machine Reading, published", "81.72", "0.583"),
            ("featMLP (Hanselowski et al. 2018), published", "–", "0.607"),
            ("official baseline (gradient boosting), published", "75.20", "–"),
        ] {
            let _ = writeln!(out, "| {name} | {score} | | | | | {macro_f1} |");
        }
        if let Some(main) = self.systems.first() {
            let _ = write!(
                out,
                "\nConfusion matrix of {} (rows gold, columns predicted):\n\n| gold \\ predicted | agree | disagree | discuss | unrelated |\n|---|---|---|---|---|\n",
                main.name
            );
            for (g, row) in main.scores.confusion.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    Label::ALL[g].as_str(),
                    row[0],
                    row[1],
                    row[2],
                    row[3]
                );
            }
        }
        let _ = write!(
            out,
            "\nTime: {:.1} s preparing bodies (sentences, quotations, stances), {:.1} s embedding, {:.1} s judging pairs.\n",
            self.prepare_seconds, self.embed_seconds, self.judge_seconds
        );
        out
    }
}

/// Prepares bodies in parallel.
fn prepare(texts: Vec<String>) -> Vec<Body> {
    use rayon::prelude::*;
    texts.into_par_iter().map(Body::new).collect()
}

/// Embeds every sentence of every body and every headline, once.
fn embed_all(
    embedder: &Embedder,
    bodies: &[Body],
    headlines: &[&str],
) -> (Vec<Vec<Vec<f32>>>, Vec<Vec<f32>>) {
    let mut flat: Vec<&str> = headlines.to_vec();
    for body in bodies {
        flat.extend((0..body.sentences.len()).map(|s| body.sentence(s)));
    }
    let mut vectors = embedder.embed(&flat).into_iter();
    let head_vectors: Vec<Vec<f32>> = vectors.by_ref().take(headlines.len()).collect();
    let body_vectors =
        bodies.iter().map(|b| vectors.by_ref().take(b.sentences.len()).collect()).collect();
    (body_vectors, head_vectors)
}

/// Runs the benchmark on the competition test split: parallax with shared
/// words only, with MiniLM when `embedder` is given, and for each the
/// same relatedness with every related pair called `discuss` (the majority
/// stance), to show what the stance reading adds.
pub fn run(dir: &Path, embedder: Option<&Embedder>) -> Result<Report, String> {
    let started = Instant::now();
    let train = read_bodies(&dir.join("train_bodies.csv"))?;
    let idf = Idf::new(train.values().map(String::as_str));
    let test_bodies = read_bodies(&dir.join("competition_test_bodies.csv"))?;
    let stances = read_stances(&dir.join("competition_test_stances.csv"))?;
    let body_ids: Vec<u32> = test_bodies.keys().copied().collect();
    let body_index: BTreeMap<u32, usize> =
        body_ids.iter().enumerate().map(|(k, &id)| (id, k)).collect();
    let mut headline_index: BTreeMap<&str, usize> = BTreeMap::new();
    for (headline, _, _) in &stances {
        let next = headline_index.len();
        headline_index.entry(headline.as_str()).or_insert(next);
    }
    let mut headline_texts: Vec<&str> = vec![""; headline_index.len()];
    for (&text, &k) in &headline_index {
        headline_texts[k] = text;
    }
    let bodies = prepare(test_bodies.into_values().collect());
    let prepare_seconds = started.elapsed().as_secs_f64();
    let embedding = Instant::now();
    let (body_vectors, head_vectors) = match embedder {
        Some(e) => {
            let (b, h) = embed_all(e, &bodies, &headline_texts);
            (Some(b), Some(h))
        }
        None => (None, None),
    };
    let embed_seconds = if embedder.is_some() { embedding.elapsed().as_secs_f64() } else { 0.0 };
    let judging = Instant::now();
    let mut pairs: Vec<(usize, usize, Label)> = Vec::with_capacity(stances.len());
    for (headline, id, label) in &stances {
        let body = *body_index.get(id).ok_or_else(|| format!("stance names unknown body {id}"))?;
        pairs.push((headline_index[headline.as_str()], body, *label));
    }
    let gold: Vec<Label> = pairs.iter().map(|p| p.2).collect();
    let mut systems = Vec::new();
    let mut modes: Vec<(&str, bool, Settings)> = Vec::new();
    if embedder.is_some() {
        modes.push(("parallax (MiniLM + shared words)", true, MODEL_SETTINGS));
    }
    modes.push(("parallax (shared words only)", false, WORDS_SETTINGS));
    for (name, model, settings) in modes {
        let headlines: Vec<Headline> = headline_texts
            .iter()
            .enumerate()
            .map(|(k, text)| Headline {
                words: group::content_words(text),
                vector: if model { head_vectors.as_ref().map(|v| v[k].clone()) } else { None },
            })
            .collect();
        let predicted: Vec<(Label, Label)> = pairs
            .iter()
            .map(|&(h, b, _)| {
                let vectors =
                    if model { body_vectors.as_ref().map(|v| v[b].as_slice()) } else { None };
                let f = features(&headlines[h], &bodies[b], vectors, 0, &idf);
                let label = decide(f, &settings);
                let majority = if label == Label::Unrelated { label } else { Label::Discuss };
                (label, majority)
            })
            .collect();
        let labels: Vec<Label> = predicted.iter().map(|p| p.0).collect();
        let majority: Vec<Label> = predicted.iter().map(|p| p.1).collect();
        systems.push(SystemScores { name: name.to_string(), scores: score(&gold, &labels) });
        systems.push(SystemScores {
            name: format!("{name}, every related pair discuss"),
            scores: score(&gold, &majority),
        });
    }
    Ok(Report {
        pairs: pairs.len(),
        headlines: headline_texts.len(),
        bodies: bodies.len(),
        sentences: bodies.iter().map(|b| b.sentences.len()).sum(),
        systems,
        prepare_seconds,
        embed_seconds,
        judge_seconds: judging.elapsed().as_secs_f64(),
    })
}

/// Settings chosen without labels on the training bodies, with what led to them.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The chosen settings.
    pub settings: Settings,
    /// Pseudo pairs (related and unrelated) read.
    pub pairs: usize,
    /// A Markdown account: the relatedness sweep and the stance shares.
    pub notes: String,
}

/// Loss weights of the relatedness decision, from the FNC-1 score: a related
/// pair called unrelated loses 0.25 plus the 0.75 of its stance when that
/// would have been right (taken as one time in two); an unrelated pair called
/// related loses 0.25. Each is weighted by its published share of pairs.
fn relatedness_loss(false_unrelated: f64, false_related: f64) -> f64 {
    let related_share = 1.0 - TRAIN_SHARES[0].1;
    related_share * false_unrelated * (0.25 + 0.75 * 0.5) + TRAIN_SHARES[0].1 * false_related * 0.25
}

/// Chooses the settings on the training bodies without labels: each body's
/// first sentence is a pseudo headline, paired with the rest of its body
/// (related) and with the rest of the body half the list away (unrelated).
/// `stride` reads every stride-th body (to bound embedding time).
pub fn calibrate(
    dir: &Path,
    embedder: Option<&Embedder>,
    stride: usize,
) -> Result<Calibration, String> {
    let train = read_bodies(&dir.join("train_bodies.csv"))?;
    let idf = Idf::new(train.values().map(String::as_str));
    let texts: Vec<String> = train.into_values().step_by(stride.max(1)).collect();
    let bodies: Vec<Body> = prepare(texts).into_iter().filter(|b| b.sentences.len() >= 4).collect();
    let n = bodies.len();
    let head_texts: Vec<&str> = bodies.iter().map(|b| b.sentence(0)).collect();
    let (body_vectors, head_vectors) = match embedder {
        Some(e) => {
            let (b, _) = embed_all(e, &bodies, &[]);
            // The pseudo headline is the body's first sentence: its vector is there already.
            let h: Vec<Vec<f32>> = b.iter().map(|v| v[0].clone()).collect();
            (Some(b), Some(h))
        }
        None => (None, None),
    };
    let headlines: Vec<Headline> = head_texts
        .iter()
        .enumerate()
        .map(|(k, text)| Headline {
            words: group::content_words(text),
            vector: head_vectors.as_ref().map(|v| v[k].clone()),
        })
        .collect();
    let feature = |h: usize, b: usize| {
        features(&headlines[h], &bodies[b], body_vectors.as_ref().map(|v| v[b].as_slice()), 1, &idf)
    };
    let related: Vec<Features> = (0..n).map(|k| feature(k, k)).collect();
    let unrelated: Vec<Features> = (0..n).map(|k| feature(k, (k + n / 2) % n)).collect();
    let mut notes = String::from(
        "| related threshold | pseudo related called unrelated | pseudo unrelated called related | expected loss |\n|---|---|---|---|\n",
    );
    let mut best = (f64::MAX, 0.0f32);
    for step in 1..100 {
        let t = step as f32 / 100.0;
        let missed = related.iter().filter(|f| f.related < t).count() as f64 / n.max(1) as f64;
        let spurious = unrelated.iter().filter(|f| f.related >= t).count() as f64 / n.max(1) as f64;
        let loss = relatedness_loss(missed, spurious);
        if loss < best.0 {
            best = (loss, t);
        }
        if step % 5 == 0 {
            let _ = writeln!(notes, "| {t:.2} | {missed:.3} | {spurious:.3} | {loss:.4} |");
        }
    }
    let related_threshold = best.1;
    // Stance thresholds: the related pairs get the published shares.
    let related_total: f64 = TRAIN_SHARES[1..].iter().map(|s| s.1).sum();
    let disagree_share = TRAIN_SHARES[3].1 / related_total;
    let agree_share = TRAIN_SHARES[2].1 / related_total;
    let mut refutes: Vec<f32> = related.iter().map(|f| f.refute).collect();
    refutes.sort_by(|a, b| b.total_cmp(a));
    let refute_threshold = refutes
        .get((disagree_share * n as f64) as usize)
        .copied()
        .unwrap_or(1.0)
        .max(f32::MIN_POSITIVE);
    let mut hedges: Vec<f32> =
        related.iter().filter(|f| f.refute < refute_threshold).map(|f| f.hedge).collect();
    hedges.sort_by(f32::total_cmp);
    let target = agree_share / (1.0 - disagree_share);
    let hedge_threshold =
        hedges.get((target * hedges.len() as f64) as usize).copied().unwrap_or(0.0);
    let settings =
        Settings { related: related_threshold, refute: refute_threshold, hedge: hedge_threshold };
    let shares = |features: &[Features]| {
        let mut counts = [0usize; 4];
        for f in features {
            counts[decide(*f, &settings).index()] += 1;
        }
        counts.map(|c| c as f64 / features.len().max(1) as f64)
    };
    let (on_related, on_unrelated) = (shares(&related), shares(&unrelated));
    let _ = write!(
        notes,
        "\n{n} bodies with four sentences or more; chosen: related ≥ {:.2}, disagree when refute ≥ {:.4}, agree when hedge ≤ {:.4}\n\n| pseudo pairs | agree | disagree | discuss | unrelated |\n|---|---|---|---|---|\n| related (first sentence, rest of its body) | {:.3} | {:.3} | {:.3} | {:.3} |\n| unrelated (first sentence, another body) | {:.3} | {:.3} | {:.3} | {:.3} |\n| target shares of related pairs (published train shares) | {:.3} | {:.3} | {:.3} | – |\n",
        settings.related,
        settings.refute,
        settings.hedge,
        on_related[0],
        on_related[1],
        on_related[2],
        on_related[3],
        on_unrelated[0],
        on_unrelated[1],
        on_unrelated[2],
        on_unrelated[3],
        agree_share,
        disagree_share,
        TRAIN_SHARES[1].1 / related_total,
    );
    Ok(Calibration { settings, pairs: 2 * n, notes })
}

/// Sentences of the training bodies with their stance reading, for hand
/// checks: `(sentence, reading)` for the first `limit` sentences that
/// refute or hedge, every `stride`-th body.
pub fn stance_samples(
    dir: &Path,
    stride: usize,
    limit: usize,
) -> Result<Vec<(String, SentenceStance)>, String> {
    let train = read_bodies(&dir.join("train_bodies.csv"))?;
    let texts: Vec<String> = train.into_values().step_by(stride.max(1)).collect();
    let mut res = Vec::new();
    for body in prepare(texts) {
        for (s, stance) in body.stances.iter().enumerate() {
            if (stance.refutes || stance.hedges) && res.len() < limit {
                res.push((body.sentence(s).to_string(), *stance));
            }
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Label::*;

    #[test]
    fn csv_reads_quotes_commas_and_line_breaks() {
        let text = "a,b\r\n1,\"x, \"\"y\"\"\nz\"\n2,plain\n\n";
        assert_eq!(parse_csv(text), [vec!["a", "b"], vec!["1", "x, \"y\"\nz"], vec!["2", "plain"]]);
        assert_eq!(parse_csv("x,\n"), [vec!["x", ""]]);
    }

    #[test]
    fn score_follows_the_official_scorer() {
        // Gold: agree, disagree, discuss, unrelated, unrelated.
        let gold = [Agree, Disagree, Discuss, Unrelated, Unrelated];
        // Predicted: agree (1.0), discuss (0.25: both related), unrelated (0),
        // unrelated (0.25), agree (0).
        let predicted = [Agree, Discuss, Unrelated, Unrelated, Agree];
        let s = score(&gold, &predicted);
        assert!((s.score - 1.5).abs() < 1e-9);
        assert!((s.max_score - 3.5).abs() < 1e-9);
        assert!((s.percent() - 100.0 * 1.5 / 3.5).abs() < 1e-9);
        assert_eq!(s.confusion[Disagree.index()][Discuss.index()], 1);
        // Agree: tp 1, predicted 2, gold 1: P 0.5, R 1, F1 2/3.
        assert!((s.f1[0] - 2.0 / 3.0).abs() < 1e-9);
        // Disagree: never predicted: 0. Discuss: predicted once wrongly: 0.
        assert_eq!((s.f1[1], s.f1[2]), (0.0, 0.0));
        // Unrelated: tp 1, predicted 2, gold 2: F1 0.5.
        assert!((s.f1[3] - 0.5).abs() < 1e-9);
        assert!((s.macro_f1 - (2.0 / 3.0 + 0.5) / 4.0).abs() < 1e-9);
        let perfect = score(&gold, &gold);
        assert!((perfect.percent() - 100.0).abs() < 1e-9 && (perfect.macro_f1 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn refuting_and_hedged_bodies_get_their_stance() {
        let idf = Idf::new(["the tower fell", "a ship sank"]);
        let headline = |text: &str| Headline { words: group::content_words(text), vector: None };
        let judge = |head: &str, body: &str| {
            let body = Body::new(body.to_string());
            decide(features(&headline(head), &body, None, 0, &idf), &WORDS_SETTINGS)
        };
        let claim = "Clock tower collapses in storm";
        assert_eq!(judge(claim, "The clock tower collapsed in the storm on Monday."), Agree);
        assert_eq!(
            judge(claim, "Pictures of the clock tower collapsing in the storm are a hoax."),
            Disagree
        );
        assert_eq!(
            judge(claim, "The clock tower reportedly collapsed in the storm, rumours say."),
            Discuss
        );
        assert_eq!(judge(claim, "Grain prices rose sharply at the market."), Unrelated);
    }

    /// The test split's table; run with
    /// `cargo test --release -p parallax fnc1_table -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn fnc1_table() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets/fnc1");
        if !dir.exists() {
            eprintln!("skipped: {} is absent", dir.display());
            return;
        }
        let report = run(&dir, None).expect("the benchmark runs");
        println!("{}", report.table());
        assert!(report.systems[0].scores.percent() > 25.0);
    }
}
