//! CoNLL-2003 English NER evaluation of [`crate::ner::Tagger`] beside spaCy `en_core_web_sm`.
//!
//! [`run`] reads `eng.testb` (the test split: report only, never tune on it),
//! gives the tagger each sentence's gold tokens joined by single spaces, maps
//! the mentions it returns back to gold tokens and scores exact span + type
//! entities per type and overall as `conlleval` does (micro-averaged precision,
//! recall and F1; gold read as IOB1). It also tags each document whole (its
//! sentences one a line), as the pipeline tags an article, since the tagger
//! uses document-wide cues. The peer column comes from
//! `scripts/spacy_conll.py`, run in `target/peer-venv` (made by
//! `scripts/peer-venv.sh` when missing) on the same sentences and tokens.
//! Speed is words per second of recognition, one thread each, model loading
//! excluded.

use crate::ner::train::{iob_entities, read_conll, ConllDocument, Counts};
use crate::ner::{EntityType, Tagger};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Which file of the data set to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// `eng.testa`, the development split used to choose training settings.
    Dev,
    /// `eng.testb`, the test split: report here only.
    Test,
}

impl Split {
    fn file(self) -> &'static str {
        match self {
            Split::Dev => "eng.testa",
            Split::Test => "eng.testb",
        }
    }
}

/// Where the peer runs.
#[derive(Debug, Clone)]
pub struct Peer {
    /// The venv's Python.
    pub python: PathBuf,
    /// `scripts/spacy_conll.py`.
    pub script: PathBuf,
    /// Script that creates the venv when `python` is missing.
    pub setup: Option<PathBuf>,
}

impl Default for Peer {
    fn default() -> Peer {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Peer {
            python: root.join("target/peer-venv/bin/python"),
            script: root.join("scripts/spacy_conll.py"),
            setup: Some(root.join("scripts/peer-venv.sh")),
        }
    }
}

/// One system's run over the split.
#[derive(Debug, Clone)]
pub struct SystemRun {
    /// Name in the table.
    pub name: String,
    /// Counts for PER, ORG, LOC, MISC, then overall.
    pub counts: Vec<Counts>,
    /// Seconds of recognition.
    pub seconds: f64,
    /// Words tagged.
    pub words: usize,
}

impl SystemRun {
    /// Words per second.
    pub fn words_per_second(&self) -> f64 {
        self.words as f64 / self.seconds.max(1e-9)
    }
}

/// The outcome of [`run`].
#[derive(Debug, Clone)]
pub struct ConllReport {
    /// The file scored.
    pub file: String,
    /// Sentences scored.
    pub sentences: usize,
    /// Gold tokens.
    pub words: usize,
    /// Gold entities.
    pub gold_entities: usize,
    /// parallax, sentence by sentence.
    pub parallax: SystemRun,
    /// parallax, each CoNLL document as one text.
    pub parallax_documents: SystemRun,
    /// spaCy en_core_web_sm, sentence by sentence, or why it could not run.
    pub spacy: Result<SystemRun, String>,
    /// Seconds to decode the shipped weights.
    pub load_seconds: f64,
}

const TYPE_NAMES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];
const TYPES: [EntityType; 4] =
    [EntityType::Person, EntityType::Org, EntityType::Loc, EntityType::Misc];

impl ConllReport {
    /// A Markdown table: F1 per type and overall, then speed.
    pub fn table(&self) -> String {
        let mut out = format!(
            "CoNLL-2003 {}: {} sentences, {} words, {} gold entities; exact span + type, conlleval micro scores.\n\n",
            self.file, self.sentences, self.words, self.gold_entities
        );
        let mut systems = vec![&self.parallax, &self.parallax_documents];
        if let Ok(spacy) = &self.spacy {
            systems.push(spacy);
        }
        out += "| type |";
        for s in &systems {
            let _ = write!(out, " {} P / R / F1 |", s.name);
        }
        out += "\n|---|";
        out += &"---|".repeat(systems.len());
        out += "\n";
        for (k, name) in TYPE_NAMES.iter().chain(["overall"].iter()).enumerate() {
            let _ = write!(out, "| {name} |");
            for s in &systems {
                let c = s.counts[k];
                let _ = write!(out, " {:.2} / {:.2} / {:.2} |", c.precision(), c.recall(), c.f1());
            }
            out += "\n";
        }
        out += "| words/s |";
        for s in &systems {
            let _ = write!(out, " {:.0} |", s.words_per_second());
        }
        out += "\n";
        match &self.spacy {
            Ok(spacy) => {
                let _ = writeln!(
                    out,
                    "\nSpeed ratio parallax / spaCy-sm (sentence by sentence): {:.1}x. Weights decoded in {:.3} s.",
                    self.parallax.words_per_second() / spacy.words_per_second(),
                    self.load_seconds
                );
            }
            Err(why) => {
                let _ = writeln!(out, "\nspaCy-sm did not run: {why}");
            }
        }
        out += "spaCy labels: PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC, NORP/EVENT/WORK_OF_ART/LAW/LANGUAGE/PRODUCT->MISC; numeric and date labels dropped.\n";
        out
    }
}

/// Scores the test split (`eng.testb`) with the default peer.
pub fn run(dir: &Path) -> Result<ConllReport, String> {
    run_with(dir, Split::Test, Some(&Peer::default()))
}

/// Scores `split`; `peer: None` skips spaCy.
pub fn run_with(dir: &Path, split: Split, peer: Option<&Peer>) -> Result<ConllReport, String> {
    let docs = read_conll(&dir.join(split.file()))?;
    let started = Instant::now();
    let tagger = Tagger::load();
    let _ = tagger.recognize("Warm up.");
    let load_seconds = started.elapsed().as_secs_f64();
    let sentences: Vec<&Vec<String>> = docs.iter().flatten().map(|s| &s.words).collect();
    let gold: Vec<Vec<(usize, usize, EntityType)>> =
        docs.iter().flatten().map(|s| iob_entities(&s.tags)).collect();
    let words = sentences.iter().map(|s| s.len()).sum();

    // Sentence by sentence.
    let texts: Vec<(String, Vec<usize>)> = sentences.iter().map(|s| join(s, " ")).collect();
    let started = Instant::now();
    let predicted: Vec<Vec<(usize, usize, EntityType)>> = texts
        .iter()
        .map(|(text, starts)| to_tokens(&tagger.recognize(text), starts, text.len()))
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let parallax = score("parallax (sentences)", &gold, &predicted, seconds, words);

    // Document by document.
    let started = Instant::now();
    let mut by_document = Vec::new();
    for doc in &docs {
        let (text, starts, first_token) = join_document(doc);
        let found = to_tokens(&tagger.recognize(&text), &starts, text.len());
        // Split the document's entities back into its sentences.
        for (k, sentence) in doc.iter().enumerate() {
            let (from, to) = (first_token[k], first_token[k] + sentence.words.len());
            by_document.push(
                found
                    .iter()
                    .filter(|e| e.0 >= from && e.1 <= to)
                    .map(|&(s, e, t)| (s - from, e - from, t))
                    .collect(),
            );
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let parallax_documents = score("parallax (documents)", &gold, &by_document, seconds, words);

    let spacy = match peer {
        Some(peer) => run_peer(peer, &sentences, &gold, words),
        None => Err("not requested".to_string()),
    };
    Ok(ConllReport {
        file: split.file().to_string(),
        sentences: sentences.len(),
        words,
        gold_entities: gold.iter().map(Vec::len).sum(),
        parallax,
        parallax_documents,
        spacy,
        load_seconds,
    })
}

/// Joins tokens with `sep`, returning the text and each token's start byte.
fn join(words: &[String], sep: &str) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push_str(sep);
        }
        starts.push(text.len());
        text.push_str(w);
    }
    (text, starts)
}

/// A document's sentences one a line; token starts and each sentence's first token.
fn join_document(doc: &ConllDocument) -> (String, Vec<usize>, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::new();
    let mut first_token = Vec::new();
    for sentence in doc {
        if !text.is_empty() {
            text.push('\n');
        }
        first_token.push(starts.len());
        let offset = text.len();
        let (joined, sentence_starts) = join(&sentence.words, " ");
        starts.extend(sentence_starts.iter().map(|s| s + offset));
        text.push_str(&joined);
    }
    (text, starts, first_token)
}

/// Maps mention spans to gold token ranges: a mention covers every token it
/// touches.
fn to_tokens(
    mentions: &[crate::ner::EntityMention],
    starts: &[usize],
    len: usize,
) -> Vec<(usize, usize, EntityType)> {
    let token_at = |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
    let mut res: Vec<(usize, usize, EntityType)> = Vec::new();
    for m in mentions {
        if m.span.is_empty() || m.span.end as usize > len {
            continue;
        }
        let first = token_at(m.span.start as usize);
        let last = token_at(m.span.end as usize - 1);
        // Two mentions inside one gold token collapse into the first.
        if res.last().is_some_and(|p| p.1 > first) {
            continue;
        }
        res.push((first, last + 1, m.label));
    }
    res
}

fn score(
    name: &str,
    gold: &[Vec<(usize, usize, EntityType)>],
    predicted: &[Vec<(usize, usize, EntityType)>],
    seconds: f64,
    words: usize,
) -> SystemRun {
    let mut counts = vec![Counts::default(); 5];
    for (g, p) in gold.iter().zip(predicted) {
        for (k, t) in TYPES.iter().enumerate() {
            counts[k].add(g, p, Some(*t));
        }
        counts[4].add(g, p, None);
    }
    SystemRun { name: name.to_string(), counts, seconds, words }
}

/// Makes the peer's venv with its setup script when its Python is missing.
pub(crate) fn ensure_peer_venv(peer: &Peer) -> Result<(), String> {
    if !peer.python.exists() {
        let setup = peer.setup.as_ref().ok_or("the peer venv is missing")?;
        let venv = peer.python.parent().and_then(Path::parent).unwrap_or(Path::new("."));
        let status = std::process::Command::new("bash")
            .arg(setup)
            .env("PEER_VENV", venv)
            .status()
            .map_err(|e| format!("cannot run {}: {e}", setup.display()))?;
        if !status.success() {
            return Err(format!("{} failed ({status})", setup.display()));
        }
    }
    Ok(())
}

/// Runs the peer's script on `input` and reads the JSON it prints.
pub(crate) fn peer_output(peer: &Peer, input: &Path) -> Result<serde_json::Value, String> {
    let output = std::process::Command::new(&peer.python)
        .arg(&peer.script)
        .arg(input)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", peer.python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}",
            peer.script.display(),
            String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or_default()
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("peer output is not JSON: {e}"))
}

fn run_peer(
    peer: &Peer,
    sentences: &[&Vec<String>],
    gold: &[Vec<(usize, usize, EntityType)>],
    words: usize,
) -> Result<SystemRun, String> {
    ensure_peer_venv(peer)?;
    let mut input = tempfile::NamedTempFile::new().map_err(|e| format!("temporary file: {e}"))?;
    {
        use std::io::Write as _;
        for s in sentences {
            writeln!(input, "{}", s.join(" ")).map_err(|e| format!("temporary file: {e}"))?;
        }
        input.flush().map_err(|e| format!("temporary file: {e}"))?;
    }
    let value = peer_output(peer, input.path())?;
    let seconds = value["seconds"].as_f64().ok_or("peer output has no seconds")?;
    let entities = value["entities"].as_array().ok_or("peer output has no entities")?;
    if entities.len() != sentences.len() {
        return Err(format!("peer tagged {} sentences of {}", entities.len(), sentences.len()));
    }
    let predicted: Vec<Vec<(usize, usize, EntityType)>> = entities
        .iter()
        .map(|sentence| {
            sentence
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|e| {
                            let start = e[0].as_u64()? as usize;
                            let end = e[1].as_u64()? as usize;
                            let t = crate::ner::train::conll_type(e[2].as_str()?)?;
                            Some((start, end, t))
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let name = format!(
        "spaCy-sm {} ({})",
        value["model"].as_str().unwrap_or("?"),
        value["spacy"].as_str().unwrap_or("?")
    );
    Ok(score(&name, gold, &predicted, seconds, words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_map_back_to_tokens() {
        let words: Vec<String> = ["EU", "rejects", "U.S.-based", "call"].map(String::from).to_vec();
        let (text, starts) = join(&words, " ");
        let mention = |s: usize, e: usize| crate::ner::EntityMention {
            span: crate::doc::Span::new(s, e),
            label: EntityType::Org,
            origin: crate::ner::Origin::Model,
        };
        // "EU" and "U.S." (part of the third token).
        let got = to_tokens(&[mention(0, 2), mention(11, 15)], &starts, text.len());
        assert_eq!(got, vec![(0, 1, EntityType::Org), (2, 3, EntityType::Org)]);
    }

    /// The benchmark on eng.testb with the spaCy peer: slow, needs the data set
    /// and PyPI for the peer's venv.
    #[test]
    #[ignore]
    fn conll_testb_table() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets/conll2003");
        let report = run(&dir).expect("the benchmark runs");
        eprintln!("{}", report.table());
        assert!(report.parallax.counts[4].f1() > 80.0);
    }

    /// The same on the development split, without the peer (for choosing settings).
    #[test]
    #[ignore]
    fn conll_testa_table() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets/conll2003");
        let report = run_with(&dir, Split::Dev, None).expect("the benchmark runs");
        eprintln!("{}", report.table());
    }
}
