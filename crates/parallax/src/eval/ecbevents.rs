//! Cross-document event coreference on ECB+ with gold event mentions.
//!
//! Every event mention (`ACTION_*` and `NEG_ACTION_*` markables) of the
//! sentences the release lists in `ECBplus_coreference_sentences.csv` is
//! clustered within its topic (gold topics, as the literature's "gold
//! mentions" setting). Gold clusters are the cross-document chains, the
//! within-document chains, and every other mention alone.
//!
//! parallax clusters with its own pieces, untrained: within a topic,
//! [`group::average_linkage`] joins mentions on a weighted mean of five
//! similarities: the same trigger stem (Snowball), the MiniLM cosine of the
//! trigger words, the MiniLM cosine of the mention's sentence, the share of
//! names ([`ner::Tagger`], folded by [`stories::name_key`]) the two
//! documents have in common, and the MiniLM cosine of the two documents
//! (the mean vectors of their annotated sentences). Two mentions of one
//! sentence are never one event. Blocking by parallax's stories
//! ([`stories::cluster`]) first was tried and is worse: the story stage
//! splits ECB+ topics far more finely than their two seminal events
//! (short, undated documents), which costs recall.
//!
//! The weights and the threshold were chosen on the train and development
//! topics (`parallax bench events --dev`); the test topics are for reporting.
//! In the same run two baselines are scored: the same trigger stem within
//! the gold topic (the literature's same-lemma baseline, with a Snowball stem
//! standing in for the lemma), and the same stem within parallax's stories.
//!
//! Scores are MUC, B-cubed and CEAF-e (entity-based, φ4) over all mentions,
//! singletons included, and their mean, the CoNLL F1.

use crate::embed::{cosine, Embedder};
use crate::group;
use crate::ner;
use crate::stories::{self, StoryConfig, StoryInput};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

/// Which topics to read (the split SOURCE.md gives, after Cybulska & Vossen 2015).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Topics 1, 3, 4, 6–11, 13–17, 19, 20, 22, 24–33.
    Train,
    /// Topics 2, 5, 12, 18, 21, 23, 34, 35.
    Dev,
    /// Train and dev together (topics 1–35): choose settings here.
    TrainDev,
    /// Topics 36–45: report here.
    Test,
}

impl Split {
    /// Whether `topic` belongs to the split.
    pub fn has(self, topic: u32) -> bool {
        const DEV: [u32; 8] = [2, 5, 12, 18, 21, 23, 34, 35];
        match self {
            Split::Test => (36..=45).contains(&topic),
            Split::Dev => DEV.contains(&topic),
            Split::Train => topic <= 35 && !DEV.contains(&topic),
            Split::TrainDev => topic <= 35,
        }
    }
}

/// One event mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Its topic.
    pub topic: u32,
    /// Index of its document in [`Corpus::docs`].
    pub doc: usize,
    /// Index of its sentence in [`Corpus::sentences`].
    pub sentence: usize,
    /// The trigger's words, space-separated.
    pub trigger: String,
    /// Its gold cluster (an index into [`Corpus::chains`]).
    pub gold: usize,
}

/// A document of the corpus.
#[derive(Debug, Clone)]
pub struct Doc {
    /// File name.
    pub name: String,
    /// Topic.
    pub topic: u32,
    /// The whole text (sentences on lines), for story clustering.
    pub text: String,
}

/// The mentions of a split and what they are read from.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Documents, by topic then name.
    pub docs: Vec<Doc>,
    /// The annotated sentences that hold mentions: (document, text).
    pub sentences: Vec<(usize, String)>,
    /// Event mentions, in document order.
    pub mentions: Vec<Mention>,
    /// Gold cluster keys (chain ids, or a document-local id).
    pub chains: Vec<String>,
}

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<token\s[^>]*?t_id="(\d+)"[^>]*?sentence="(\d+)"[^>]*>([^<]*)</token>"#)
        .expect("valid regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]+>").expect("valid regex"));
static ATTR_M_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bm_id="(\d+)""#).expect("valid regex"));
static ATTR_T_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bt_id="(\d+)""#).expect("valid regex"));
static ATTR_R_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\br_id="(\d+)""#).expect("valid regex"));
static ATTR_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bnote="([^"]*)""#).expect("valid regex"));

/// What one file holds: tokens (id → sentence, word), event markables
/// (m_id → token ids), and chains (m_id → chain key).
#[derive(Debug, Default)]
struct FileAnnotations {
    tokens: BTreeMap<u32, (u32, String)>,
    events: Vec<(u32, Vec<u32>)>,
    chain_of: BTreeMap<u32, String>,
}

/// Reads one ECB+ file. `doc_key` makes within-document chain keys unique.
fn parse_file(xml: &str, doc_key: &str) -> FileAnnotations {
    let mut res = FileAnnotations::default();
    for caps in TOKEN.captures_iter(xml) {
        let (Ok(t_id), Ok(sentence)) = (caps[1].parse(), caps[2].parse()) else { continue };
        res.tokens.insert(t_id, (sentence, unescape(&caps[3])));
    }
    let markables = section(xml, "Markables");
    let mut current: Option<(bool, u32, Vec<u32>)> = None;
    for tag in TAG.find_iter(markables).map(|m| m.as_str()) {
        if tag.starts_with("</") {
            if let Some((true, m_id, anchors)) = current.take() {
                if !anchors.is_empty() {
                    res.events.push((m_id, anchors));
                }
            }
        } else if tag.starts_with("<token_anchor") {
            if let (Some((_, _, anchors)), Some(t)) = (current.as_mut(), ATTR_T_ID.captures(tag)) {
                if let Ok(t_id) = t[1].parse() {
                    anchors.push(t_id);
                }
            }
        } else if !tag.ends_with("/>") {
            let name = tag[1..].split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or("");
            let event = name.starts_with("ACTION_") || name.starts_with("NEG_ACTION_");
            if let Some(m) = ATTR_M_ID.captures(tag).and_then(|c| c[1].parse().ok()) {
                current = Some((event, m, Vec::new()));
            }
        }
    }
    let relations = section(xml, "Relations");
    let mut chain: Option<String> = None;
    for tag in TAG.find_iter(relations).map(|m| m.as_str()) {
        if tag.starts_with("<CROSS_DOC_COREF") {
            chain = ATTR_NOTE.captures(tag).map(|c| c[1].to_string());
        } else if tag.starts_with("<INTRA_DOC_COREF") {
            chain = ATTR_R_ID.captures(tag).map(|c| format!("{doc_key}/intra{}", &c[1]));
        } else if tag.starts_with("<source") {
            if let (Some(key), Some(m)) =
                (&chain, ATTR_M_ID.captures(tag).and_then(|c| c[1].parse().ok()))
            {
                res.chain_of.entry(m).or_insert_with(|| key.clone());
            }
        } else if tag.starts_with("</") {
            chain = None;
        }
    }
    res
}

/// The text between `<name>` and `</name>` (empty when absent).
fn section<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let Some(start) = xml.find(&open) else { return "" };
    let rest = &xml[start + open.len()..];
    let end = rest.find(&format!("</{name}>")).unwrap_or(rest.len());
    &rest[..end]
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

/// Reads the event mentions of `split`.
pub fn read(dir: &Path, split: Split) -> Result<Corpus, String> {
    let csv_path = dir.join("ECBplus_coreference_sentences.csv");
    let csv = std::fs::read_to_string(&csv_path)
        .map_err(|e| format!("cannot read {}: {e}", csv_path.display()))?;
    let mut selected: BTreeSet<(u32, String, u32)> = BTreeSet::new();
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if let [topic, file, sentence] = fields[..] {
            if let (Ok(topic), Ok(sentence)) = (topic.parse(), sentence.parse()) {
                selected.insert((topic, file.to_string(), sentence));
            }
        }
    }
    let root = dir.join("ECB+");
    let mut topics: Vec<u32> = std::fs::read_dir(&root)
        .map_err(|e| format!("cannot read {}: {e}", root.display()))?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&t| split.has(t))
        .collect();
    topics.sort_unstable();
    let mut corpus = Corpus::default();
    let mut chain_index: BTreeMap<String, usize> = BTreeMap::new();
    for topic in topics {
        for (name, xml) in super::ecbstories::xml_files(&root, topic)? {
            let stem = name.trim_end_matches(".xml");
            let file = stem.split_once('_').map_or(stem, |(_, f)| f);
            let plus = stem.ends_with("ecbplus");
            let ann = parse_file(&xml, stem);
            let doc = corpus.docs.len();
            let mut by_sentence: BTreeMap<u32, Vec<(u32, &str)>> = BTreeMap::new();
            for (&t_id, (sentence, word)) in &ann.tokens {
                by_sentence.entry(*sentence).or_default().push((t_id, word));
            }
            // The ecbplus documents carry their source address as sentence 0.
            let text = by_sentence
                .iter()
                .filter(|(&s, _)| !(plus && s == 0))
                .map(|(_, words)| words.iter().map(|w| w.1).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n");
            corpus.docs.push(Doc { name: name.clone(), topic, text });
            let mut sentence_index: BTreeMap<u32, usize> = BTreeMap::new();
            let mut events = ann.events.clone();
            events.sort_by_key(|(_, anchors)| anchors.iter().min().copied());
            for (m_id, anchors) in events {
                let Some(&(sentence, _)) = anchors.iter().find_map(|t| ann.tokens.get(t)) else {
                    continue;
                };
                if !selected.contains(&(topic, file.to_string(), sentence)) {
                    continue;
                }
                let trigger = anchors
                    .iter()
                    .filter_map(|t| ann.tokens.get(t).map(|x| x.1.trim()))
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                let sentence_idx = *sentence_index.entry(sentence).or_insert_with(|| {
                    let words = by_sentence.get(&sentence).map(Vec::as_slice).unwrap_or(&[]);
                    corpus
                        .sentences
                        .push((doc, words.iter().map(|w| w.1).collect::<Vec<_>>().join(" ")));
                    corpus.sentences.len() - 1
                });
                let key =
                    ann.chain_of.get(&m_id).cloned().unwrap_or_else(|| format!("{stem}/m{m_id}"));
                let next = chain_index.len();
                let gold = *chain_index.entry(key.clone()).or_insert(next);
                if gold == corpus.chains.len() {
                    corpus.chains.push(key);
                }
                corpus.mentions.push(Mention { topic, doc, sentence: sentence_idx, trigger, gold });
            }
        }
    }
    Ok(corpus)
}

/// Precision, recall and F1 (as fractions).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Prf {
        Prf { precision, recall, f1: super::f1(precision, recall) }
    }
}

/// The coreference scores of one clustering.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CorefScores {
    /// MUC (links).
    pub muc: Prf,
    /// B-cubed (mentions).
    pub b3: Prf,
    /// CEAF-e (clusters, φ4 similarity, best one-to-one alignment).
    pub ceafe: Prf,
}

impl CorefScores {
    /// The CoNLL F1: the mean of the three F1s.
    pub fn conll(&self) -> f64 {
        (self.muc.f1 + self.b3.f1 + self.ceafe.f1) / 3.0
    }
}

/// Clusters from labels: mention indices grouped by label, in order of first mention.
fn clusters_of(labels: &[usize]) -> Vec<Vec<usize>> {
    let mut by_label: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (m, &l) in labels.iter().enumerate() {
        by_label.entry(l).or_default().push(m);
    }
    let mut res: Vec<Vec<usize>> = by_label.into_values().collect();
    res.sort();
    res
}

/// Scores a clustering of the same mentions as gold: `gold[m]` and
/// `predicted[m]` are mention m's cluster labels.
pub fn evaluate(gold: &[usize], predicted: &[usize]) -> CorefScores {
    debug_assert_eq!(gold.len(), predicted.len());
    let key = clusters_of(gold);
    let response = clusters_of(predicted);
    // MUC: each cluster of one side needs |C| - 1 links; the other side
    // keeps |C| - (the number of its clusters C is spread over).
    let muc_side = |side: &[Vec<usize>], other: &[usize]| {
        let (mut num, mut den) = (0usize, 0usize);
        for cluster in side {
            let parts: BTreeSet<usize> = cluster.iter().map(|&m| other[m]).collect();
            num += cluster.len() - parts.len();
            den += cluster.len() - 1;
        }
        super::ratio(num, den)
    };
    let muc = Prf::new(muc_side(&response, gold), muc_side(&key, predicted));
    // B-cubed: per mention, the overlap of its two clusters.
    let size = |labels: &[usize]| {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for &l in labels {
            *counts.entry(l).or_default() += 1;
        }
        counts
    };
    let (gold_size, predicted_size) = (size(gold), size(predicted));
    let mut both: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (&g, &p) in gold.iter().zip(predicted) {
        *both.entry((g, p)).or_default() += 1;
    }
    let n = gold.len().max(1) as f64;
    let (mut p_sum, mut r_sum) = (0.0, 0.0);
    for (&g, &p) in gold.iter().zip(predicted) {
        let overlap = both[&(g, p)] as f64;
        p_sum += overlap / predicted_size[&p] as f64;
        r_sum += overlap / gold_size[&g] as f64;
    }
    let b3 = Prf::new(p_sum / n, r_sum / n);
    // CEAF-e: the best one-to-one alignment of key and response clusters by
    // φ4 = 2 |K ∩ R| / (|K| + |R|), solved exactly per connected group of
    // overlapping clusters (clusters that share no mention score 0).
    let mut parent: Vec<usize> = (0..key.len() + response.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let key_of: BTreeMap<usize, usize> =
        key.iter().enumerate().flat_map(|(k, c)| c.iter().map(move |&m| (m, k))).collect();
    let response_of: BTreeMap<usize, usize> =
        response.iter().enumerate().flat_map(|(r, c)| c.iter().map(move |&m| (m, r))).collect();
    let mut overlaps: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for m in 0..gold.len() {
        *overlaps.entry((key_of[&m], response_of[&m])).or_default() += 1;
        let (a, b) =
            (root(&mut parent, key_of[&m]), root(&mut parent, key.len() + response_of[&m]));
        parent[a.max(b)] = a.min(b);
    }
    let mut groups: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for k in 0..key.len() {
        groups.entry(root(&mut parent, k)).or_default().0.push(k);
    }
    for r in 0..response.len() {
        groups.entry(root(&mut parent, key.len() + r)).or_default().1.push(r);
    }
    let mut aligned = 0.0;
    for (keys, responses) in groups.values() {
        let weights: Vec<Vec<f64>> = keys
            .iter()
            .map(|&k| {
                responses
                    .iter()
                    .map(|&r| {
                        let common = overlaps.get(&(k, r)).copied().unwrap_or(0);
                        2.0 * common as f64 / (key[k].len() + response[r].len()) as f64
                    })
                    .collect()
            })
            .collect();
        aligned += best_assignment(&weights);
    }
    let ceafe = Prf::new(
        if response.is_empty() { 0.0 } else { aligned / response.len() as f64 },
        if key.is_empty() { 0.0 } else { aligned / key.len() as f64 },
    );
    CorefScores { muc, b3, ceafe }
}

/// The largest total weight of a one-to-one matching of rows to columns
/// (Kuhn–Munkres with potentials, O(n²m)); weights are non-negative.
pub fn best_assignment(weights: &[Vec<f64>]) -> f64 {
    let rows = weights.len();
    let cols = weights.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return 0.0;
    }
    // The algorithm needs rows ≤ columns: transpose when not.
    if rows > cols {
        let transposed: Vec<Vec<f64>> =
            (0..cols).map(|c| (0..rows).map(|r| weights[r][c]).collect()).collect();
        return best_assignment(&transposed);
    }
    let (n, m) = (rows, cols);
    // Minimise cost = -weight; 1-based arrays as in the classic formulation.
    let cost = |i: usize, j: usize| -weights[i - 1][j - 1];
    let mut u = vec![0.0f64; n + 1];
    let mut v = vec![0.0f64; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost(i0, j) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=m).filter(|&j| p[j] != 0).map(|j| weights[p[j] - 1][j - 1]).sum()
}

/// Weights and threshold of parallax's clustering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Weight of the same trigger stem.
    pub stem: f32,
    /// Weight of the trigger words' meaning (MiniLM cosine).
    pub trigger: f32,
    /// Weight of the sentence's meaning (MiniLM cosine).
    pub context: f32,
    /// Weight of the names the two documents share (Jaccard).
    pub names: f32,
    /// Weight of the documents' meaning (MiniLM cosine of the mean vectors of
    /// their annotated sentences; shared words without a model).
    pub document: f32,
    /// Mentions join while the mean similarity of their clusters reaches this.
    pub threshold: f32,
    /// Join only within a story of the topic (else within the whole topic).
    pub by_story: bool,
}

/// The settings chosen on the development topics (`parallax bench events --dev`).
/// Best on the train and development topics together (74.3 CoNLL F1; the
/// same stem within the gold topic: 72.0), and best on the development
/// topics alone as well.
pub const SETTINGS: Settings = Settings {
    stem: 0.0,
    trigger: 2.0,
    context: 0.5,
    names: 0.5,
    document: 1.0,
    threshold: 0.65,
    by_story: false,
};

/// What the mentions are compared by, computed once per run.
struct MentionFeatures {
    stems: Vec<String>,
    trigger_vectors: Option<Vec<Vec<f32>>>,
    sentence_vectors: Option<Vec<Vec<f32>>>,
    sentence_words: Vec<BTreeSet<String>>,
    doc_vectors: Option<Vec<Vec<f32>>>,
    doc_names: Vec<BTreeSet<String>>,
    doc_words: Vec<BTreeSet<String>>,
    story_of_doc: Vec<usize>,
}

/// The Snowball stems of a trigger's words, lowercased.
pub fn trigger_stem(trigger: &str) -> String {
    static STEMMER: LazyLock<rust_stemmers::Stemmer> =
        LazyLock::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
    trigger
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| STEMMER.stem(&w.to_lowercase()).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn mention_features(corpus: &Corpus, embedder: Option<&Embedder>) -> MentionFeatures {
    let stems = corpus.mentions.iter().map(|m| trigger_stem(&m.trigger)).collect();
    let (trigger_vectors, sentence_vectors) = match embedder {
        Some(e) => {
            let mut flat: Vec<&str> = corpus.mentions.iter().map(|m| m.trigger.as_str()).collect();
            flat.extend(corpus.sentences.iter().map(|s| s.1.as_str()));
            let mut vectors = e.embed(&flat).into_iter();
            let triggers: Vec<Vec<f32>> = vectors.by_ref().take(corpus.mentions.len()).collect();
            (Some(triggers), Some(vectors.collect()))
        }
        None => (None, None),
    };
    let tagger = ner::Tagger::load();
    let doc_names = corpus
        .docs
        .iter()
        .map(|d| {
            tagger.tag(&d.text).iter().map(|m| stories::name_key(&d.text[m.span.range()])).collect()
        })
        .collect();
    let sentence_words = corpus.sentences.iter().map(|(_, t)| group::content_words(t)).collect();
    let doc_words = corpus.docs.iter().map(|d| group::content_words(&d.text)).collect();
    // A document's meaning: the mean of its annotated sentences' vectors.
    let doc_vectors = sentence_vectors.as_ref().map(|vectors: &Vec<Vec<f32>>| {
        let mut sums = vec![vec![0f32; crate::embed::DIM]; corpus.docs.len()];
        for ((doc, _), v) in corpus.sentences.iter().zip(vectors) {
            for (s, x) in sums[*doc].iter_mut().zip(v) {
                *s += x;
            }
        }
        sums
    });
    // Stories within each topic.
    let mut story_of_doc = vec![0; corpus.docs.len()];
    let mut by_topic: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (d, doc) in corpus.docs.iter().enumerate() {
        by_topic.entry(doc.topic).or_default().push(d);
    }
    let mut next = 0;
    for docs in by_topic.values() {
        let inputs: Vec<StoryInput<'_>> = docs
            .iter()
            .map(|&d| StoryInput { body: &corpus.docs[d].text, title: None, date: None })
            .collect();
        let clustering = stories::cluster(&inputs, &StoryConfig::default());
        for story in &clustering.stories {
            for &k in &story.documents {
                story_of_doc[docs[k]] = next;
            }
            next += 1;
        }
    }
    MentionFeatures {
        stems,
        trigger_vectors,
        sentence_vectors,
        sentence_words,
        doc_vectors,
        doc_names,
        doc_words,
        story_of_doc,
    }
}

/// The share of the smaller set found in the other (0 when either is empty).
fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        0.0
    } else {
        a.intersection(b).count() as f32 / smaller as f32
    }
}

/// The share of the union two sets have in common (0 when both are empty).
fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    let union = a.union(b).count();
    if union == 0 {
        0.0
    } else {
        a.intersection(b).count() as f32 / union as f32
    }
}

/// The five similarities of two mentions: same stem, trigger meaning,
/// sentence meaning (shared words without a model), the names their
/// documents share, and document meaning (shared words without a model).
fn components(corpus: &Corpus, f: &MentionFeatures, a: usize, b: usize) -> [f32; 5] {
    let (ma, mb) = (&corpus.mentions[a], &corpus.mentions[b]);
    let stem = if f.stems[a] == f.stems[b] { 1.0 } else { 0.0 };
    let trigger = match &f.trigger_vectors {
        Some(v) => cosine(&v[a], &v[b]).max(0.0),
        None => stem,
    };
    let context = match &f.sentence_vectors {
        Some(v) => cosine(&v[ma.sentence], &v[mb.sentence]).max(0.0),
        None => overlap(&f.sentence_words[ma.sentence], &f.sentence_words[mb.sentence]),
    };
    let names = jaccard(&f.doc_names[ma.doc], &f.doc_names[mb.doc]);
    let document = match &f.doc_vectors {
        Some(v) => cosine(&v[ma.doc], &v[mb.doc]).max(0.0),
        None => jaccard(&f.doc_words[ma.doc], &f.doc_words[mb.doc]),
    };
    [stem, trigger, context, names, document]
}

/// A block of mentions compared together, with their pairwise components.
struct Block {
    items: Vec<usize>,
    /// `parts[i * n + j]` for positions i, j in `items`; `None` for two
    /// mentions of one sentence.
    parts: Vec<Option<[f32; 5]>>,
}

fn blocks(corpus: &Corpus, f: &MentionFeatures, by_story: bool) -> Vec<Block> {
    let mut by_key: BTreeMap<(u32, usize), Vec<usize>> = BTreeMap::new();
    for (m, mention) in corpus.mentions.iter().enumerate() {
        let story = if by_story { f.story_of_doc[mention.doc] } else { 0 };
        by_key.entry((mention.topic, story)).or_default().push(m);
    }
    by_key
        .into_values()
        .map(|items| {
            let n = items.len();
            let mut parts = vec![None; n * n];
            for i in 0..n {
                for j in i + 1..n {
                    let (a, b) = (items[i], items[j]);
                    if corpus.mentions[a].sentence != corpus.mentions[b].sentence {
                        let c = components(corpus, f, a, b);
                        parts[i * n + j] = Some(c);
                        parts[j * n + i] = Some(c);
                    }
                }
            }
            Block { items, parts }
        })
        .collect()
}

/// parallax's clustering of precomputed blocks: a label per mention.
fn cluster(n_mentions: usize, blocks: &[Block], settings: &Settings) -> Vec<usize> {
    let weights =
        [settings.stem, settings.trigger, settings.context, settings.names, settings.document];
    let total: f32 = weights.iter().sum::<f32>().max(f32::MIN_POSITIVE);
    let mut labels: Vec<usize> = (0..n_mentions).collect();
    for block in blocks {
        let n = block.items.len();
        let positions: Vec<usize> = (0..n).collect();
        let sim = |i: usize, j: usize| match block.parts[i * n + j] {
            Some(c) => c.iter().zip(&weights).map(|(x, w)| x * w).sum::<f32>() / total,
            // Two mentions of one sentence are two events.
            None => -1.0,
        };
        for members in group::average_linkage(&positions, sim, settings.threshold) {
            let label = block.items[members[0]];
            for &i in &members {
                labels[block.items[i]] = label;
            }
        }
    }
    labels
}

/// Same stem within each block: a label per mention.
fn same_stem(corpus: &Corpus, f: &MentionFeatures, by_story: bool) -> Vec<usize> {
    let mut first: BTreeMap<(u32, usize, &str), usize> = BTreeMap::new();
    corpus
        .mentions
        .iter()
        .enumerate()
        .map(|(m, mention)| {
            let story = if by_story { f.story_of_doc[mention.doc] } else { 0 };
            *first.entry((mention.topic, story, f.stems[m].as_str())).or_insert(m)
        })
        .collect()
}

/// One scored system.
#[derive(Debug, Clone)]
pub struct SystemScores {
    /// What it is.
    pub name: String,
    /// Its scores.
    pub scores: CorefScores,
    /// Its number of clusters.
    pub clusters: usize,
}

/// The outcome of one run.
#[derive(Debug, Clone)]
pub struct Report {
    /// The split read.
    pub split: Split,
    /// Topics, documents, mentions and gold clusters.
    pub topics: usize,
    /// Documents read.
    pub documents: usize,
    /// Event mentions scored.
    pub mentions: usize,
    /// Gold clusters (singletons included).
    pub gold_clusters: usize,
    /// Stories parallax found (sum over topics).
    pub stories: usize,
    /// Mentions of the largest block clustered together; blocks above
    /// [`group::MAX_LINKAGE_BLOCK`] are cut into consecutive parts.
    pub largest_block: usize,
    /// Systems, parallax first.
    pub systems: Vec<SystemScores>,
    /// Settings search on the development topics (`--dev`), best first:
    /// (settings, CoNLL F1).
    pub search: Vec<(Settings, f64)>,
    /// Seconds reading the XML, embedding, and clustering.
    pub seconds: (f64, f64, f64),
}

impl Report {
    /// Markdown tables.
    pub fn table(&self) -> String {
        let mut out = format!(
            "ECB+ {:?} topics: {} topics, {} documents, {} event mentions, {} gold clusters (singletons included); parallax found {} stories; largest block {} mentions (cut into parts above {})\n\n",
            self.split,
            self.topics,
            self.documents,
            self.mentions,
            self.gold_clusters,
            self.stories,
            self.largest_block,
            group::MAX_LINKAGE_BLOCK
        );
        out += "| system | clusters | MUC P | MUC R | MUC F1 | B3 P | B3 R | B3 F1 | CEAF-e P | CEAF-e R | CEAF-e F1 | CoNLL F1 |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
        for s in &self.systems {
            let c = &s.scores;
            let _ = writeln!(
                out,
                "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
                s.name,
                s.clusters,
                100.0 * c.muc.precision,
                100.0 * c.muc.recall,
                100.0 * c.muc.f1,
                100.0 * c.b3.precision,
                100.0 * c.b3.recall,
                100.0 * c.b3.f1,
                100.0 * c.ceafe.precision,
                100.0 * c.ceafe.recall,
                100.0 * c.ceafe.f1,
                100.0 * c.conll()
            );
        }
        if self.split == Split::Test {
            for (name, conll) in [
                ("Barhom et al. 2019, joint, gold mentions (published)", "79.5"),
                ("Cattan et al. 2021, predicted mentions (published)", "~81.0"),
                (
                    "Held et al. 2021 / CDLM (Caciularu et al. 2021), gold mentions (published)",
                    "~85.6–85.7",
                ),
                ("same-lemma baseline, gold mentions, gold topics (published range)", "~74–76"),
            ] {
                let _ = writeln!(out, "| {name} | | | | | | | | | | | {conll} |");
            }
        }
        if !self.search.is_empty() {
            out += "\nSettings search (best first):\n\n| stem | trigger | sentence | names | document | threshold | by story | CoNLL F1 |\n|---|---|---|---|---|---|---|---|\n";
            for (s, conll) in &self.search {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {:.2} | {} | {:.2} |",
                    s.stem,
                    s.trigger,
                    s.context,
                    s.names,
                    s.document,
                    s.threshold,
                    s.by_story,
                    100.0 * conll
                );
            }
        }
        let _ = write!(
            out,
            "\nTime: {:.1} s reading, {:.1} s features (stories, names, embeddings), {:.1} s clustering and scoring.\n",
            self.seconds.0, self.seconds.1, self.seconds.2
        );
        out
    }
}

/// Runs the benchmark on `split`. With `search`, also tries a grid of
/// settings and lists the best (use on the development topics only).
pub fn run(
    dir: &Path,
    split: Split,
    embedder: Option<&Embedder>,
    search: bool,
) -> Result<Report, String> {
    let started = Instant::now();
    let corpus = read(dir, split)?;
    let read_seconds = started.elapsed().as_secs_f64();
    let featuring = Instant::now();
    let f = mention_features(&corpus, embedder);
    let feature_seconds = featuring.elapsed().as_secs_f64();
    let clustering = Instant::now();
    let gold: Vec<usize> = corpus.mentions.iter().map(|m| m.gold).collect();
    let n = corpus.mentions.len();
    let story_blocks = blocks(&corpus, &f, true);
    let topic_blocks = blocks(&corpus, &f, false);
    let settings = SETTINGS;
    let main = cluster(n, if settings.by_story { &story_blocks } else { &topic_blocks }, &settings);
    let count = |labels: &[usize]| labels.iter().collect::<BTreeSet<_>>().len();
    let mut systems = vec![SystemScores {
        name: format!(
            "**parallax** ({})",
            if embedder.is_some() {
                "MiniLM + stems + names"
            } else {
                "stems + shared words + names"
            }
        ),
        scores: evaluate(&gold, &main),
        clusters: count(&main),
    }];
    for (name, labels) in [
        ("same stem within the gold topic (same-lemma baseline)", same_stem(&corpus, &f, false)),
        ("same stem within parallax's stories", same_stem(&corpus, &f, true)),
        ("every mention alone", (0..n).collect()),
    ] {
        systems.push(SystemScores {
            name: name.to_string(),
            scores: evaluate(&gold, &labels),
            clusters: count(&labels),
        });
    }
    let mut found = Vec::new();
    if search {
        // Story blocks split ECB+ topics too finely (documents are short and
        // undated), so the search compares mentions within the whole topic.
        for stem in [0.0f32, 1.0] {
            for trigger in [1.0f32, 2.0] {
                for context in [0.0f32, 0.5, 1.0] {
                    for names in [0.0f32, 0.5] {
                        for document in [0.0f32, 0.5, 1.0, 2.0] {
                            for step in 6..=17 {
                                let s = Settings {
                                    stem,
                                    trigger,
                                    context,
                                    names,
                                    document,
                                    threshold: step as f32 * 0.05,
                                    by_story: false,
                                };
                                let labels = cluster(n, &topic_blocks, &s);
                                found.push((s, evaluate(&gold, &labels).conll()));
                            }
                        }
                    }
                }
            }
        }
        found.sort_by(|a, b| b.1.total_cmp(&a.1));
        found.truncate(15);
    }
    let topics: BTreeSet<u32> = corpus.docs.iter().map(|d| d.topic).collect();
    Ok(Report {
        split,
        topics: topics.len(),
        documents: corpus.docs.len(),
        mentions: n,
        gold_clusters: corpus.chains.len(),
        stories: f.story_of_doc.iter().collect::<BTreeSet<_>>().len(),
        largest_block: if settings.by_story { &story_blocks } else { &topic_blocks }
            .iter()
            .map(|b| b.items.len())
            .max()
            .unwrap_or(0),
        systems,
        search: found,
        seconds: (read_seconds, feature_seconds, clustering.elapsed().as_secs_f64()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn metrics_match_a_hand_computed_example() {
        // Key {0,1,2} {3,4}; response {0,1} {2,3,4}.
        let s = evaluate(&[0, 0, 0, 1, 1], &[7, 7, 8, 8, 8]);
        // MUC: recall (3-2 + 2-1) / (2 + 1) = 2/3; precision (2-1 + 3-2) / (1 + 2) = 2/3.
        assert!(close(s.muc.recall, 2.0 / 3.0) && close(s.muc.precision, 2.0 / 3.0));
        // B3: precision (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = 11/15; recall
        // (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15.
        assert!(close(s.b3.precision, 11.0 / 15.0) && close(s.b3.recall, 11.0 / 15.0));
        // CEAF-e: φ4(K1,R1) = 4/5, φ4(K2,R2) = 4/5; 1.6 over 2 clusters each side.
        assert!(close(s.ceafe.precision, 0.8) && close(s.ceafe.recall, 0.8));
        assert!(close(s.conll(), (2.0 / 3.0 + 11.0 / 15.0 + 0.8) / 3.0));
    }

    #[test]
    fn metrics_of_perfect_and_singleton_clusterings() {
        let gold = [0, 0, 1, 2, 2, 2];
        let perfect = evaluate(&gold, &[5, 5, 3, 9, 9, 9]);
        assert!(close(perfect.conll(), 1.0));
        let alone = evaluate(&gold, &[0, 1, 2, 3, 4, 5]);
        // MUC: no response links: recall 0, precision 0/0 = 0.
        assert_eq!((alone.muc.recall, alone.muc.precision), (0.0, 0.0));
        // B3: precision 1; recall (1/2 + 1/2 + 1 + 3 × 1/3) / 6 = 1/2.
        assert!(close(alone.b3.precision, 1.0) && close(alone.b3.recall, 0.5));
        // CEAF-e: each key cluster aligns with one of its singletons:
        // φ4 = 2/3 (size 2), 1 (size 1), 2/4 (size 3); sum 13/6.
        assert!(
            close(alone.ceafe.recall, 13.0 / 18.0) && close(alone.ceafe.precision, 13.0 / 36.0)
        );
    }

    #[test]
    fn assignment_is_optimal_where_greedy_is_not() {
        // Greedy takes 0.9 then 0.1; the best is 0.8 + 0.8.
        assert!(close(best_assignment(&[vec![0.9, 0.8], vec![0.8, 0.1]]), 1.6));
        // Rectangular, both ways round.
        assert!(close(best_assignment(&[vec![0.2, 0.5, 0.4]]), 0.5));
        assert!(close(best_assignment(&[vec![0.2], vec![0.5], vec![0.4]]), 0.5));
        assert!(close(
            best_assignment(&[vec![1.0, 0.9, 0.0], vec![0.9, 0.0, 0.0], vec![0.0, 0.0, 0.3]]),
            2.1
        ));
        assert_eq!(best_assignment(&[]), 0.0);
    }

    #[test]
    fn a_file_gives_event_mentions_and_chains() {
        let xml = r#"<Document doc_name="1_1ecb.xml">
<token t_id="1" sentence="0" number="0">Police</token>
<token t_id="2" sentence="0" number="1">arrested</token>
<token t_id="3" sentence="0" number="2">him</token>
<token t_id="4" sentence="1" number="0">The</token>
<token t_id="5" sentence="1" number="1">arrest</token>
<Markables>
<ACTION_OCCURRENCE m_id="10"  >
  <token_anchor t_id="2"/>
</ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="11"  >
  <token_anchor t_id="1"/>
</HUMAN_PART_PER>
<NEG_ACTION_OCCURRENCE m_id="12"  >
  <token_anchor t_id="5"/>
</NEG_ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="20" RELATED_TO="" TAG_DESCRIPTOR="t1_arrest" instance_id="ACT1" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT1" >
  <source m_id="10" />
  <target m_id="20" />
</CROSS_DOC_COREF>
<INTRA_DOC_COREF r_id="2" >
<source m_id="12" />
<target m_id="21" />
</INTRA_DOC_COREF>
</Relations>
</Document>"#;
        let ann = parse_file(xml, "1_1ecb");
        assert_eq!(ann.events, [(10, vec![2]), (12, vec![5])]);
        assert_eq!(ann.chain_of.get(&10).map(String::as_str), Some("ACT1"));
        assert_eq!(ann.chain_of.get(&12).map(String::as_str), Some("1_1ecb/intra2"));
        assert_eq!(ann.tokens.get(&5), Some(&(1, "arrest".to_string())));
        assert_eq!(trigger_stem("Arrested"), trigger_stem("arrests"));
    }

    #[test]
    fn splits_follow_the_literature() {
        assert!(Split::Test.has(36) && Split::Test.has(45) && !Split::Test.has(35));
        assert!(Split::Dev.has(2) && Split::Dev.has(35) && !Split::Dev.has(1));
        assert!(Split::Train.has(1) && Split::Train.has(33) && !Split::Train.has(34));
        assert!(Split::TrainDev.has(1) && Split::TrainDev.has(34) && !Split::TrainDev.has(36));
    }
}
