//! The embedded store: articles kept between runs, analysed incrementally.
//!
//! [`ingest`] adds the articles under some paths to a [`Store`]. An article
//! whose id and bytes are already stored (its content hash) is left alone; a new
//! or changed article goes through the per-document stages
//! ([`pipeline::process`]) and is written with their result, one transaction per
//! batch of articles. [`refresh`] then recomputes the cross-document stages
//! (stories, entity linking, quote groups, and every later layer of
//! [`pipeline::assemble_processed`]) from the stored per-document results,
//! never re-processing an old article, and stores the analysis file's bytes so
//! that a server or `parallax analyze --db` answers without recomputing.
//!
//! The analysis a store gives is byte for byte the one `parallax analyze` gives
//! over the same articles: both run the same per-document stages and
//! `assemble_processed` over the documents sorted by id, with the input
//! diagnostics in the order a batch run over one folder reports them.
//!
//! [`Store`] is the interface the logic here is written against; [`SqliteStore`]
//! implements it over one SQLite file (WAL journal, FTS5 index over bodies).
//!
//! **Architecture Invariant:** only `store` knows the database format, and a
//! write is one transaction: a process killed at any point leaves every article
//! either fully stored (article, per-document result, search index) or absent.
//!
//! ```
//! use parallax::store::{ingest, IngestOptions, SqliteStore};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.txt"), "The harbour reopened on Monday, officials said.").unwrap();
//! let mut store = SqliteStore::open(&dir.path().join("parallax.db")).unwrap();
//! let report = ingest(&mut store, &[dir.path().to_path_buf()], &IngestOptions::default(), &|_, _| {}).unwrap();
//! assert_eq!(report.new, 1);
//! let again = ingest(&mut store, &[dir.path().to_path_buf()], &IngestOptions::default(), &|_, _| {}).unwrap();
//! assert_eq!((again.new, again.unchanged), (0, 1));
//! ```

pub mod bench;
mod sqlite;

pub use sqlite::SqliteStore;

use crate::doc::{Diagnostic, SourceFormat};
use crate::ingest::{self, Limits};
use crate::pipeline::{self, Config, Processed};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What can go wrong with a store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database refused or failed an operation.
    #[error("database: {0}")]
    Database(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// A path to ingest does not exist or cannot be read.
    #[error(transparent)]
    Ingest(#[from] ingest::Error),
    /// The database was written in a format this version does not read.
    #[error("{0}")]
    Format(String),
}

/// Result of this module.
pub type Result<T> = std::result::Result<T, Error>;

/// What the store holds about one article, to decide whether an input changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleKey {
    /// Its document id (unique in the store).
    pub id: String,
    /// Where it was read from (`path` or `path:line`).
    pub origin: String,
    /// SHA-256 (hex) of the id, a zero byte and the article's raw bytes.
    pub hash: String,
}

/// One article to write, with the result of the per-document stages.
#[derive(Debug, Clone)]
pub struct ArticleWrite {
    /// Document id (unique in the store; a repeated id was renamed `id~2`, …).
    pub id: String,
    /// Where it was read from.
    pub origin: String,
    /// The input file it came from.
    pub file: String,
    /// The input format.
    pub format: SourceFormat,
    /// The bytes it was read from: the file for `.txt` and `.html`, the
    /// record's line for JSONL.
    pub raw: Vec<u8>,
    /// See [`ArticleKey::hash`].
    pub hash: String,
    /// Its title for search (the input's, else the headline the cleaner kept).
    pub title: Option<String>,
    /// The per-document stages' result.
    pub processed: Processed,
}

/// Where an input diagnostic sits in the order a batch run reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Walking a folder (link loops, unreadable folders), keyed by the path given.
    Walk = 0,
    /// Reading one file, keyed by the file.
    File = 1,
    /// Ids renamed because another input holds them, keyed by the file.
    Rename = 2,
}

/// The diagnostics of one input (a walked path or a file), which replace those
/// stored for it before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDiagnostics {
    /// Which step produced them.
    pub phase: Phase,
    /// The path given (walk) or the file.
    pub key: String,
    /// The diagnostics, in the order they were reported.
    pub diagnostics: Vec<Diagnostic>,
}

/// What one transaction writes.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// New and changed articles.
    pub articles: Vec<ArticleWrite>,
    /// Input diagnostics that differ from the stored ones.
    pub diagnostics: Vec<InputDiagnostics>,
}

/// An analysis file's bytes, the store generation and the settings it was computed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnalysis {
    /// The store's generation when the analysis was assembled.
    pub generation: u64,
    /// [`config_key`] of the settings it was assembled with.
    pub config: String,
    /// The analysis file, exactly as `parallax analyze` writes it.
    pub json: Vec<u8>,
}

/// One document found by a full-text search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentHit {
    /// Document id.
    pub id: String,
    /// Its title, when it has one.
    pub title: Option<String>,
    /// A stretch of its body around the matches: (text, is a match) pieces.
    pub snippet: Vec<(String, bool)>,
}

/// The storage behind [`ingest`], [`refresh`] and the server.
///
/// Every method that writes is one transaction. A second implementation (a
/// server database) needs only these operations.
pub trait Store {
    /// The stored article with this id, if any.
    fn article(&self, id: &str) -> Result<Option<ArticleKey>>;
    /// The diagnostics stored for one input.
    fn input_diagnostics(&self, phase: Phase, key: &str) -> Result<Vec<Diagnostic>>;
    /// Writes a batch in one transaction and returns the new generation.
    fn write_batch(&mut self, batch: &Batch) -> Result<u64>;
    /// A number that grows with every write of articles or diagnostics.
    fn generation(&self) -> Result<u64>;
    /// Every stored per-document result, sorted by document id.
    fn processed(&self) -> Result<Vec<Processed>>;
    /// Every stored input diagnostic, in no particular order.
    fn all_input_diagnostics(&self) -> Result<Vec<InputDiagnostics>>;
    /// Stores an analysis unless the store changed since its generation;
    /// returns whether it was stored.
    fn save_analysis(&mut self, analysis: &StoredAnalysis) -> Result<bool>;
    /// The stored analysis, if any.
    fn analysis(&self) -> Result<Option<StoredAnalysis>>;
    /// The generation and settings key of the stored analysis, if any
    /// (cheaper than [`Store::analysis`]).
    fn analysis_version(&self) -> Result<Option<(u64, String)>>;
    /// Documents whose title or body contain every term, best first.
    fn search(&self, terms: &[String], limit: usize) -> Result<Vec<DocumentHit>>;
    /// How many articles are stored.
    fn n_articles(&self) -> Result<u64>;
    /// The ids of the stored articles, sorted.
    fn article_ids(&self) -> Result<Vec<String>>;
    /// Problems found by a consistency check (empty when the store is sound).
    fn check(&self) -> Result<Vec<String>>;
}

/// Settings of [`ingest`].
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// File size and document limits, per input file.
    pub limits: Limits,
    /// Settings of the per-document and cross-document stages.
    pub config: Config,
    /// Articles per transaction.
    pub batch_size: usize,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions { limits: Limits::default(), config: Config::default(), batch_size: 64 }
    }
}

/// What [`ingest`] did.
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    /// Input files read.
    pub files: usize,
    /// Articles stored for the first time.
    pub new: usize,
    /// Articles whose bytes changed since they were stored (same id and origin).
    pub changed: usize,
    /// Articles already stored with the same bytes (left alone).
    pub unchanged: usize,
    /// Transactions written.
    pub batches: usize,
    /// Diagnostics of the inputs read in this run, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// What [`refresh`] did afterwards.
    pub refresh: Refresh,
    /// Time spent reading and hashing the inputs.
    pub read_time: Duration,
    /// Time spent in the per-document stages.
    pub process_time: Duration,
    /// Time spent writing batches.
    pub write_time: Duration,
}

/// What [`refresh`] did.
#[derive(Debug, Clone, Default)]
pub struct Refresh {
    /// True when the stored analysis was already up to date.
    pub up_to_date: bool,
    /// Documents in the analysis.
    pub n_documents: usize,
    /// Stories in the analysis (0 when up to date: not read).
    pub n_stories: usize,
    /// Time spent loading the per-document results.
    pub load_time: Duration,
    /// Time spent in the cross-document stages.
    pub assemble_time: Duration,
    /// Time spent writing the analysis.
    pub save_time: Duration,
}

/// What of the settings the assembled analysis depends on: a stored analysis
/// made with other settings (with or without the sentence model, …) is stale.
pub fn config_key(config: &Config) -> String {
    format!(
        "meaning={}; max_analysed_bytes={}; stories={:?}",
        if config.embedder.is_some() { "model" } else { "words" },
        config.max_analysed_bytes,
        config.stories
    )
}

/// SHA-256 (hex) of an article: its id, a zero byte, its raw bytes.
pub fn content_hash(id: &str, raw: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(id.as_bytes());
    hasher.update([0u8]);
    hasher.update(raw);
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a file, refusing one over `max_bytes`.
fn read_bounded(path: &Path, max_bytes: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= max_bytes).then_some(bytes)
}

/// The documents of one file, with the bytes they were read from. The file is
/// read again after `ingest` has read it, so that a file changed meanwhile is
/// read anew and the stored bytes always are the ones analysed.
fn read_file(file: &Path, limits: Limits) -> (Option<Vec<u8>>, ingest::Ingested) {
    let mut attempt = 0;
    loop {
        let before = read_bounded(file, limits.max_file_bytes);
        let ingested = match ingest::read_paths(&[file.to_path_buf()], limits) {
            Ok(ingested) => ingested,
            Err(err) => ingest::Ingested {
                documents: Vec::new(),
                diagnostics: vec![Diagnostic::warning(
                    file.display().to_string(),
                    format!("skipped: {err}"),
                )],
            },
        };
        let after = read_bounded(file, limits.max_file_bytes);
        attempt += 1;
        if before == after || attempt == 3 {
            return (after, ingested);
        }
    }
}

/// The raw bytes of one document of a file: the file itself, or the record's
/// line for a JSONL record (`origin` is `file:line`).
fn raw_of(doc: &crate::doc::Document, file_origin: &str, file_bytes: &[u8]) -> Vec<u8> {
    if doc.format != SourceFormat::Jsonl {
        return file_bytes.to_vec();
    }
    let line_no = doc
        .origin
        .strip_prefix(file_origin)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|n| n.parse::<usize>().ok());
    let text = ingest::decode(file_bytes).map(|d| d.text).unwrap_or_default();
    match line_no.and_then(|n| text.lines().nth(n.wrapping_sub(1))) {
        Some(line) => line.trim_start_matches('\u{feff}').trim().as_bytes().to_vec(),
        // Cannot happen for input read by `ingest`; the text is the next best thing.
        None => doc.text.as_bytes().to_vec(),
    }
}

/// The title a document is searched by.
fn search_title(p: &Processed) -> Option<String> {
    p.doc
        .meta
        .title
        .clone()
        .or_else(|| p.cleaned.title.map(|span| p.doc.slice(span).to_string()))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
}

/// A document read and classified, waiting for the per-document stages.
struct Pending {
    doc: crate::doc::Document,
    file: String,
    raw: Vec<u8>,
    hash: String,
}

/// Adds the articles under `paths` to the store and refreshes its analysis.
///
/// `progress(files_done, files_total)` is called as files are read and batches
/// written. A file that cannot be read becomes a diagnostic; only a path that
/// does not exist or a database failure is an error.
pub fn ingest(
    store: &mut dyn Store,
    paths: &[PathBuf],
    options: &IngestOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<IngestReport> {
    let mut report = IngestReport::default();
    let mut walked: Vec<(String, Vec<PathBuf>, Vec<Diagnostic>)> = Vec::new();
    for path in paths {
        let (files, diagnostics) = ingest::collect_files(std::slice::from_ref(path))?;
        walked.push((path.display().to_string(), files, diagnostics));
    }
    let files_total: usize = walked.iter().map(|(_, files, _)| files.len()).sum();
    let mut batch = Batch::default();
    let mut pending: Vec<Pending> = Vec::new();
    // Ids given to articles of this run that are not yet committed: id → origin.
    let mut reserved: BTreeMap<String, String> = BTreeMap::new();
    let mut files_done = 0;
    for (root, files, walk_diagnostics) in walked {
        report.diagnostics.extend(walk_diagnostics.iter().cloned());
        queue_diagnostics(store, &mut batch, Phase::Walk, &root, walk_diagnostics)?;
        for file in files {
            let started = Instant::now();
            let file_origin = file.display().to_string();
            let (bytes, ingested) = read_file(&file, options.limits);
            report.files += 1;
            report.diagnostics.extend(ingested.diagnostics.iter().cloned());
            queue_diagnostics(store, &mut batch, Phase::File, &file_origin, ingested.diagnostics)?;
            let mut renames = Vec::new();
            for mut doc in ingested.documents {
                let raw = raw_of(&doc, &file_origin, bytes.as_deref().unwrap_or_default());
                let Some((id, stored)) = slot_for(store, &reserved, &doc.id, &doc.origin)? else {
                    // Queued already in this run (the same input given twice).
                    report.unchanged += 1;
                    continue;
                };
                if id != doc.id {
                    renames.push(Diagnostic::warning(
                        &doc.origin,
                        format!(
                            "duplicate id {:?}: another article in the store has it; renamed to {:?}",
                            doc.id, id
                        ),
                    ));
                    doc.id = id;
                }
                let hash = content_hash(&doc.id, &raw);
                match stored {
                    Some(key) if key.hash == hash => {
                        report.unchanged += 1;
                        continue;
                    }
                    Some(_) => report.changed += 1,
                    None => report.new += 1,
                }
                reserved.insert(doc.id.clone(), doc.origin.clone());
                pending.push(Pending { doc, file: file_origin.clone(), raw, hash });
            }
            report.diagnostics.extend(renames.iter().cloned());
            queue_diagnostics(store, &mut batch, Phase::Rename, &file_origin, renames)?;
            report.read_time += started.elapsed();
            files_done += 1;
            if pending.len() >= options.batch_size.max(1) {
                flush(store, &mut batch, &mut pending, options, &mut report)?;
                reserved.clear();
            }
            progress(files_done, files_total);
        }
    }
    flush(store, &mut batch, &mut pending, options, &mut report)?;
    progress(files_done, files_total);
    report.refresh = refresh(store, &options.config)?;
    Ok(report)
}

/// Adds an input's diagnostics to the batch when they differ from the stored ones.
fn queue_diagnostics(
    store: &dyn Store,
    batch: &mut Batch,
    phase: Phase,
    key: &str,
    diagnostics: Vec<Diagnostic>,
) -> Result<()> {
    if let Some(queued) = batch.diagnostics.iter_mut().find(|d| d.phase == phase && d.key == key) {
        queued.diagnostics = diagnostics;
        return Ok(());
    }
    if store.input_diagnostics(phase, key)? != diagnostics {
        batch.diagnostics.push(InputDiagnostics { phase, key: key.to_string(), diagnostics });
    }
    Ok(())
}

/// The id an article from `origin` gets: `id` itself when it is free or held
/// by the same origin, else the first free `id~2`, `id~3`, …; with what the
/// store holds under that id. `None` when this run has queued it already.
fn slot_for(
    store: &dyn Store,
    reserved: &BTreeMap<String, String>,
    id: &str,
    origin: &str,
) -> Result<Option<(String, Option<ArticleKey>)>> {
    for n in 1.. {
        let candidate = if n == 1 { id.to_string() } else { format!("{id}~{n}") };
        if let Some(holder) = reserved.get(&candidate) {
            if holder == origin {
                return Ok(None);
            }
            continue;
        }
        match store.article(&candidate)? {
            Some(key) if key.origin == origin => return Ok(Some((candidate, Some(key)))),
            Some(_) => continue,
            None => return Ok(Some((candidate, None))),
        }
    }
    unreachable!("some id is always free")
}

/// Runs the per-document stages on the pending articles and writes them and
/// the queued diagnostics in one transaction.
fn flush(
    store: &mut dyn Store,
    batch: &mut Batch,
    pending: &mut Vec<Pending>,
    options: &IngestOptions,
    report: &mut IngestReport,
) -> Result<()> {
    if pending.is_empty() && batch.diagnostics.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    batch.articles = std::mem::take(pending)
        .into_par_iter()
        .map(|p| {
            let processed = pipeline::process(p.doc, &options.config);
            ArticleWrite {
                id: processed.doc.id.clone(),
                origin: processed.doc.origin.clone(),
                file: p.file,
                format: processed.doc.format,
                raw: p.raw,
                hash: p.hash,
                title: search_title(&processed),
                processed,
            }
        })
        .collect();
    report.process_time += started.elapsed();
    let started = Instant::now();
    store.write_batch(batch)?;
    report.write_time += started.elapsed();
    report.batches += 1;
    *batch = Batch::default();
    Ok(())
}

/// The input diagnostics in the order a batch run reports them: walks first,
/// then files in the order a folder walk visits them, then renamed ids.
pub fn ordered_diagnostics(mut inputs: Vec<InputDiagnostics>) -> Vec<Diagnostic> {
    // `Path` orders by components, which is the order of a walk sorted by file name.
    inputs.sort_by(|a, b| (a.phase, Path::new(&a.key)).cmp(&(b.phase, Path::new(&b.key))));
    inputs.into_iter().flat_map(|input| input.diagnostics).collect()
}

/// Recomputes the stored analysis from the stored per-document results when
/// the store changed since it was computed, or it was computed with other
/// settings.
pub fn refresh(store: &mut dyn Store, config: &Config) -> Result<Refresh> {
    let mut res = Refresh::default();
    let key = config_key(config);
    loop {
        let generation = store.generation()?;
        if store.analysis_version()? == Some((generation, key.clone())) {
            res.up_to_date = true;
            res.n_documents = store.n_articles()? as usize;
            return Ok(res);
        }
        let started = Instant::now();
        let processed = store.processed()?;
        let diagnostics = ordered_diagnostics(store.all_input_diagnostics()?);
        res.load_time = started.elapsed();
        let started = Instant::now();
        let analysis = pipeline::assemble_processed(&processed, &diagnostics, config);
        res.assemble_time = started.elapsed();
        res.n_documents = analysis.documents.len();
        res.n_stories = analysis.stories.len();
        let started = Instant::now();
        let stored = store.save_analysis(&StoredAnalysis {
            generation,
            config: key.clone(),
            json: analysis.to_json(),
        })?;
        res.save_time = started.elapsed();
        if stored {
            res.up_to_date = false;
            return Ok(res);
        }
        // Another writer changed the store meanwhile: assemble again.
    }
}

/// The stored analysis, recomputed first when it is missing, stale or made
/// with other settings.
pub fn current_analysis(store: &mut dyn Store, config: &Config) -> Result<StoredAnalysis> {
    let key = config_key(config);
    loop {
        refresh(store, config)?;
        match store.analysis()? {
            Some(analysis) if analysis.config == key => return Ok(analysis),
            // Another writer stored an analysis meanwhile: bring it to these settings.
            _ => continue,
        }
    }
}

/// The words of a search query: letters and digits, at most `max_terms`, each
/// at most 64 bytes. Everything else separates words, so no query syntax of
/// the index reaches it.
pub fn query_terms(query: &str, max_terms: usize) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(64).collect::<String>())
        .take(max_terms)
        .collect()
}

#[cfg(test)]
mod tests;
