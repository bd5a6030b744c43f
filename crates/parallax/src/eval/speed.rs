//! Throughput of the pipeline on real news text, stage by stage and whole,
//! beside spaCy `en_core_web_sm` on the same texts (`parallax bench pipeline`).
//!
//! [`run`] reads FNC-1 article bodies and CoNLL-2003 documents from the data
//! sets folder ([`read_texts`]), writes them as `.txt` files into a temporary
//! folder, and times:
//! - each stage over all documents, the way the pipeline runs it (per-document
//!   stages in parallel with rayon, cross-document stages once), with the
//!   stage's peak memory (`VmHWM`, reset before the stage) and CPU seconds;
//! - the whole pipeline as `parallax analyze` runs it: reading the folder,
//!   [`crate::pipeline::analyze`], and the analysis JSON;
//! - sentence embeddings of what the pipeline compares (quotations with a
//!   speaker that share a story and speaker with a quotation of another
//!   document), batched, with all-MiniLM-L6-v2 in candle and with the static
//!   table distilled from it ([`crate::embed::StaticEmbedder`]), and how
//!   closely the two agree on those quotations;
//! - spaCy in its venv (`scripts/spacy_bench.py`, venv made by
//!   `scripts/peer-venv.sh` when missing, as for `bench entities`).
//!
//! Words are whitespace-separated words of the input texts, for every row and
//! for spaCy, so the words/s columns compare directly.

use super::conll::{ensure_peer_venv, Peer};
use crate::analysis::QuoteOut;
use crate::clean::{self, Cleaned};
use crate::embed::{cosine, Embedder, StaticEmbedder};
use crate::ingest;
use crate::pipeline::{self, Config, Processed};
use crate::published::{self, Published};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to read and whom to compare with.
#[derive(Debug, Clone)]
pub struct Options {
    /// FNC-1 bodies to read (train, then test), at most.
    pub fnc1: usize,
    /// CoNLL-2003 documents to read (eng.testb, eng.testa, eng.train), at most.
    pub conll: usize,
    /// The spaCy peer, or `None` to skip it.
    pub peer: Option<Peer>,
    /// Skip the sentence model (no MiniLM, no static table).
    pub no_embeddings: bool,
}

impl Default for Options {
    fn default() -> Options {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Options {
            fnc1: 800,
            conll: 200,
            peer: Some(Peer { script: root.join("scripts/spacy_bench.py"), ..Peer::default() }),
            no_embeddings: false,
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct StageRow {
    /// What was timed.
    pub name: String,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// CPU seconds of the process (all threads), when the OS says.
    pub cpu_seconds: Option<f64>,
    /// Peak resident memory during the stage, MB.
    pub peak_mb: Option<f64>,
    /// What it worked on, when that is not the documents.
    pub note: String,
}

/// spaCy's figures.
#[derive(Debug, Clone)]
pub struct SpacyRun {
    /// spaCy and model versions.
    pub versions: String,
    /// (run name, seconds, CPU seconds, peak MB).
    pub runs: Vec<(String, f64, Option<f64>, f64)>,
}

impl SpacyRun {
    fn seconds(&self, name: &str) -> Option<f64> {
        self.runs.iter().find(|r| r.0 == name).map(|r| r.1)
    }

    fn cpu_seconds(&self, name: &str) -> Option<f64> {
        self.runs.iter().find(|r| r.0 == name).and_then(|r| r.2)
    }
}

/// How well the static table stands in for the transformer on the compared quotations.
#[derive(Debug, Clone, Default)]
pub struct EmbedAgreement {
    /// Pairs of compared quotations (same story and speaker, other documents).
    pub pairs: usize,
    /// Pearson correlation of the two cosines over the pairs.
    pub pearson: f64,
    /// Spearman (rank) correlation of the two cosines over the pairs.
    pub spearman: f64,
    /// Quotations whose nearest compared quotation is the same under both.
    pub same_nearest: usize,
    /// Quotations with at least two compared quotations (where "nearest" can differ).
    pub nearest_of: usize,
    /// Mean MiniLM cosine of paraphrase-like pairs (MiniLM ≥ 0.8) under the static table.
    pub static_mean_on_close: f64,
    /// Mean MiniLM cosine of the same pairs.
    pub minilm_mean_on_close: f64,
}

/// The outcome of [`run`].
#[derive(Debug, Clone)]
pub struct SpeedReport {
    /// Documents timed.
    pub documents: usize,
    /// Their whitespace-separated words.
    pub words: usize,
    /// Their bytes.
    pub bytes: usize,
    /// Where they came from.
    pub sources: String,
    /// rayon's threads (per-document stages).
    pub threads: usize,
    /// candle's threads (matrix products of the transformer).
    pub candle_threads: usize,
    /// Stage rows, then the whole-pipeline rows.
    pub rows: Vec<StageRow>,
    /// Index in `rows` of the whole pipeline (today's, without embeddings).
    pub whole: usize,
    /// The whole pipeline's rows with embeddings added (MiniLM, static).
    pub whole_with: Vec<usize>,
    /// spaCy, or why it did not run.
    pub spacy: Result<SpacyRun, String>,
    /// Static table against MiniLM on the compared quotations.
    pub agreement: Option<EmbedAgreement>,
    /// Seconds to load MiniLM, and to distil (or load) the static table.
    pub model_seconds: Option<(f64, f64)>,
    /// Sentences embedded, and their mean MiniLM tokens.
    pub embedded: Option<(usize, f64)>,
}

impl SpeedReport {
    fn words_per_second(&self, row: &StageRow) -> f64 {
        self.words as f64 / row.seconds.max(1e-9)
    }

    /// A Markdown table and the ratios to spaCy.
    pub fn table(&self) -> String {
        let mut out = format!(
            "Pipeline speed on {} documents ({}), {} words, {:.1} MB; {} rayon threads, {} candle threads.\n\n",
            self.documents,
            self.sources,
            self.words,
            self.bytes as f64 / 1e6,
            self.threads,
            self.candle_threads
        );
        out += "| stage | seconds | CPU s | docs/s | words/s | peak MB | note |\n|---|---|---|---|---|---|---|\n";
        let mb = |x: Option<f64>| x.map_or("?".to_string(), |v| format!("{v:.0}"));
        for row in &self.rows {
            let _ = writeln!(
                out,
                "| {} | {:.3} | {} | {:.0} | {:.0} | {} | {} |",
                row.name,
                row.seconds,
                row.cpu_seconds.map_or("?".to_string(), |c| format!("{c:.2}")),
                self.documents as f64 / row.seconds.max(1e-9),
                self.words_per_second(row),
                mb(row.peak_mb),
                row.note
            );
        }
        match &self.spacy {
            Ok(spacy) => {
                let _ = writeln!(
                    out,
                    "\nspaCy {} on the same texts (model load excluded):\n",
                    spacy.versions
                );
                out += "| spaCy run | seconds | CPU s | docs/s | words/s | peak MB |\n|---|---|---|---|---|---|\n";
                for (name, seconds, cpu, peak) in &spacy.runs {
                    let label = match name.as_str() {
                        "full" => "en_core_web_sm, whole pipeline, 1 process",
                        "ner" => "en_core_web_sm, NER only (tok2vec, ner), 1 process",
                        "full-2" => "en_core_web_sm, whole pipeline, 2 processes",
                        other => other,
                    };
                    let _ = writeln!(
                        out,
                        "| {label} | {seconds:.2} | {} | {:.1} | {:.0} | {peak:.0} |",
                        cpu.map_or("?".to_string(), |c| format!("{c:.2}")),
                        self.documents as f64 / seconds,
                        self.words as f64 / seconds
                    );
                }
                out += "\nRatio parallax / spaCy-sm in words/s (wall time), and in words per CPU second (which other processes on a shared machine do not inflate):\n\n| parallax | vs spaCy whole, 1 process | vs spaCy whole, 2 processes | vs spaCy NER only | per CPU s, vs spaCy whole | per CPU s, vs spaCy NER only |\n|---|---|---|---|---|---|\n";
                let mut rows = vec![self.whole];
                rows.extend(&self.whole_with);
                for &idx in &rows {
                    let row = &self.rows[idx];
                    let ratio = |name: &str| {
                        spacy.seconds(name).map_or("?".to_string(), |s| {
                            format!("{:.1}x", s / row.seconds.max(1e-9))
                        })
                    };
                    let cpu_ratio = |name: &str| {
                        spacy
                            .cpu_seconds(name)
                            .zip(row.cpu_seconds)
                            .map_or("?".to_string(), |(s, p)| format!("{:.1}x", s / p.max(1e-9)))
                    };
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} |",
                        row.name,
                        ratio("full"),
                        ratio("full-2"),
                        ratio("ner"),
                        cpu_ratio("full"),
                        cpu_ratio("ner")
                    );
                }
            }
            Err(why) => {
                let _ = writeln!(out, "\nspaCy did not run: {why}");
            }
        }
        if let (Some((load, distil)), Some((n, tokens))) = (self.model_seconds, self.embedded) {
            let _ = writeln!(
                out,
                "\nEmbedded: {n} compared quotations ({tokens:.1} MiniLM tokens each). MiniLM loaded in {load:.2} s; static table distilled or loaded in {distil:.2} s (cached beside the model)."
            );
        }
        if let Some(a) = &self.agreement {
            let _ = writeln!(
                out,
                "Static table vs MiniLM on {} compared pairs: Pearson {:.3}, Spearman {:.3}; same nearest quotation for {} of {} ({:.1}%); pairs MiniLM puts at >= 0.8 (mean {:.3}) get {:.3} from the static table.",
                a.pairs,
                a.pearson,
                a.spearman,
                a.same_nearest,
                a.nearest_of,
                100.0 * super::ratio(a.same_nearest, a.nearest_of),
                a.minilm_mean_on_close,
                a.static_mean_on_close
            );
        }
        out
    }
}

/// Reads at most `n_fnc1` FNC-1 bodies and `n_conll` CoNLL-2003 documents:
/// (id, text) in a fixed order.
pub fn read_texts(
    datasets: &Path,
    n_fnc1: usize,
    n_conll: usize,
) -> Result<Vec<(String, String)>, String> {
    let mut res = Vec::new();
    let fnc1 = fnc1_bodies(&datasets.join("fnc1"))?;
    res.extend(fnc1.into_iter().take(n_fnc1));
    let mut conll = Vec::new();
    for file in ["eng.testb", "eng.testa", "eng.train"] {
        if conll.len() >= n_conll {
            break;
        }
        conll.extend(conll_texts(&datasets.join("conll2003").join(file), file)?);
    }
    res.extend(conll.into_iter().take(n_conll));
    Ok(res)
}

/// FNC-1 article bodies of `train_bodies.csv` then `competition_test_bodies.csv`,
/// as (`fnc1-<file>-<body id>`, body).
pub fn fnc1_bodies(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut res = Vec::new();
    for (file, tag) in [("train_bodies.csv", "train"), ("competition_test_bodies.csv", "test")] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for record in parse_csv(&text).into_iter().skip(1) {
            if let [id, body, ..] = &record[..] {
                if !body.trim().is_empty() {
                    res.push((format!("fnc1-{tag}-{id:0>5}"), body.clone()));
                }
            }
        }
    }
    Ok(res)
}

/// The documents of a CoNLL-2003 file as text: tokens joined by spaces, one
/// sentence a line.
pub fn conll_texts(path: &Path, tag: &str) -> Result<Vec<(String, String)>, String> {
    let docs = crate::ner::train::read_conll(path)?;
    Ok(docs
        .iter()
        .enumerate()
        .map(|(doc_idx, doc)| {
            let text: Vec<String> = doc.iter().map(|s| s.words.join(" ")).collect();
            (format!("conll-{tag}-{doc_idx:04}"), text.join("\n"))
        })
        .filter(|(_, text)| !text.trim().is_empty())
        .collect())
}

/// Records of RFC 4180 CSV: fields in double quotes may hold commas, line
/// breaks and doubled quotes.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                any = false;
            }
            _ => field.push(c),
        }
    }
    if any {
        record.push(field);
        records.push(record);
    }
    records
}

/// Peak resident memory of this process (`VmHWM`) in MB.
pub(crate) fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}

/// Resets the peak to the current resident memory (Linux: `clear_refs` 5).
pub(crate) fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// CPU seconds (user + system, all threads) of this process so far.
pub(crate) fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Runs `f`, returning its value and a row with its wall time, CPU time and peak memory.
pub(crate) fn measure<T>(name: &str, note: &str, f: impl FnOnce() -> T) -> (T, StageRow) {
    reset_peak();
    let cpu_start = cpu_seconds();
    let started = Instant::now();
    let value = f();
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    let row = StageRow {
        name: name.to_string(),
        seconds,
        cpu_seconds: cpu,
        peak_mb: peak_mb(),
        note: note.to_string(),
    };
    (value, row)
}

/// Runs the benchmark on the texts of `datasets` (see the module docs).
pub fn run(datasets: &Path, options: &Options) -> Result<SpeedReport, String> {
    let texts = read_texts(datasets, options.fnc1, options.conll)?;
    if texts.is_empty() {
        return Err(format!("no text found under {}", datasets.display()));
    }
    let n_fnc1 = texts.iter().filter(|(id, _)| id.starts_with("fnc1")).count();
    let sources = format!("{n_fnc1} FNC-1 bodies, {} CoNLL-2003 documents", texts.len() - n_fnc1);
    let words: usize = texts.iter().map(|(_, t)| t.split_whitespace().count()).sum();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let folder = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    for (id, text) in &texts {
        std::fs::write(folder.path().join(format!("{id}.txt")), text)
            .map_err(|e| format!("temporary file: {e}"))?;
    }
    let paths = vec![folder.path().to_path_buf()];
    // The whole pipeline as `analyze` runs it: with the sentence model when it is there.
    let config = Config { embedder: crate::embed::Embedder::shared().ok(), ..Config::default() };
    // Warm-up: the tagger's weights and the regexes are decoded on first use.
    let _ = pipeline::process(
        ingest::text_document("w".into(), "w".into(), texts[0].1.clone(), Default::default()),
        &config,
    );

    let mut rows = Vec::new();
    let (ingested, row) = measure("ingest (walk, read, decode)", "", || {
        ingest::read_paths(&paths, ingest::Limits::default())
    });
    rows.push(row);
    let ingested = ingested.map_err(|e| e.to_string())?;
    let documents = ingested.documents;
    let n_documents = documents.len();

    let (cleaned, row) = measure("clean (boilerplate, body)", "", || {
        documents.par_iter().map(clean::clean).collect::<Vec<Cleaned>>()
    });
    rows.push(row);
    let (languages, row) = measure("language", "", || {
        documents
            .par_iter()
            .zip(&cleaned)
            .map(|(doc, c)| {
                doc.meta
                    .language
                    .clone()
                    .map(|l| l.to_lowercase())
                    .or_else(|| pipeline::detect_language(&c.body.text))
            })
            .collect::<Vec<Option<String>>>()
    });
    rows.push(row);
    let (own_dates, row) = measure("dates (own: metadata, byline, dateline)", "", || {
        documents
            .par_iter()
            .zip(&cleaned)
            .map(|(doc, c)| published::own_date(doc, c))
            .collect::<Vec<Result<Published, String>>>()
    });
    rows.push(row);
    let mut processed: Vec<Processed> = documents
        .into_iter()
        .zip(cleaned)
        .zip(languages)
        .zip(own_dates)
        .map(|(((doc, cleaned), language), own_date)| {
            let (analysed, _) = pipeline::analysed_pieces(&cleaned, config.max_analysed_bytes);
            Processed {
                doc,
                cleaned,
                own_date,
                language,
                analysed,
                names: Vec::new(),
                diagnostics: Vec::new(),
            }
        })
        .collect();
    let (names, row) = measure("NER (names, equipment)", "", || {
        processed.par_iter().map(pipeline::recognize_names).collect::<Vec<_>>()
    });
    rows.push(row);
    for (p, names) in processed.iter_mut().zip(names) {
        p.names = names;
    }
    processed.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));

    let titles: Vec<Option<String>> = processed.iter().map(pipeline::title_of).collect();
    let ((clustering, story_of), row) = measure("stories + threads", "cross-document", || {
        pipeline::stories_of(&processed, &titles, &config)
    });
    rows.push(row);
    let n_stories = clustering.stories.len();
    let (dates, row) = measure("dates (from stories)", "cross-document", || {
        pipeline::dates_of(&processed, &clustering, &story_of)
    });
    rows.push(row);
    let (times, row) = measure("times (tag, resolve)", "", || {
        processed
            .par_iter()
            .zip(&dates)
            .map(|(p, (published, anchor))| {
                let kind = if published.basis == "story" || published.value.is_none() {
                    "story"
                } else {
                    "document"
                };
                pipeline::times_of(p, *anchor, kind).len()
            })
            .sum::<usize>()
    });
    rows.push(row);
    let (entities_out, row) =
        measure("entity linking (aliases, roles, references)", "cross-document", || {
            pipeline::entities_of(&processed, &story_of)
        });
    rows.push(row);
    let ((quotes_out, n_groups), row) = measure("quotes (find, speakers, groups)", "", || {
        let quotes_out = pipeline::quotes_of(&processed, &entities_out, None).0;
        let doc_story: BTreeMap<&str, usize> =
            processed.iter().zip(&story_of).map(|(p, &s)| (p.doc.id.as_str(), s)).collect();
        let text_of: BTreeMap<&str, &str> =
            processed.iter().map(|p| (p.doc.id.as_str(), p.doc.text.as_str())).collect();
        let groups = pipeline::group_quotes(&text_of, &quotes_out, &doc_story, config.meaning());
        (quotes_out, groups.len())
    });
    rows.push(row);
    let per_doc_note = format!(
        "{} stories, {} entities, {} times, {} quotes, {} quote groups",
        n_stories,
        entities_out.len(),
        times,
        quotes_out.len(),
        n_groups
    );

    // Embeddings of what the pipeline compares.
    let compared = compared_quotes(&quotes_out, &processed, &story_of);
    let mut model_seconds = None;
    let mut embedded = None;
    let mut agreement = None;
    let mut embed_rows = Vec::new();
    if !options.no_embeddings && !compared.is_empty() {
        let started = Instant::now();
        let embedder = Embedder::shared().map_err(|e| e.to_string())?;
        let load = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let model_dir = crate::embed::model_dir().map_err(|e| e.to_string())?;
        let statics =
            StaticEmbedder::load_or_distill(embedder, &model_dir).map_err(|e| e.to_string())?;
        let distil = started.elapsed().as_secs_f64();
        model_seconds = Some((load, distil));
        let sentences: Vec<&str> = compared.iter().map(|&q| quotes_out[q].text.as_str()).collect();
        let n_tokens: usize =
            embedder.count_tokens(&sentences).map_err(|e| e.to_string())?.iter().sum();
        embedded = Some((sentences.len(), n_tokens as f64 / sentences.len() as f64));
        let _ = embedder.embed(&sentences[..sentences.len().min(8)]);
        let note = format!("{} quotations, batched", sentences.len());
        let (minilm, row) =
            measure("embeddings: all-MiniLM-L6-v2 (candle)", &note, || embedder.embed(&sentences));
        embed_rows.push(row);
        let (fast, row) = measure("embeddings: static table distilled from MiniLM", &note, || {
            statics.embed(&sentences)
        });
        embed_rows.push(row);
        agreement = Some(agree(&compared, &quotes_out, &processed, &story_of, &minilm, &fast));
    }
    rows.extend(embed_rows.iter().cloned());

    // The whole pipeline, as `parallax analyze` runs it.
    let (json_len, mut whole_row) =
        measure("**whole pipeline** (read folder -> analysis JSON)", "", || {
            let ingested = ingest::read_paths(&paths, ingest::Limits::default())
                .expect("the folder was read before");
            let analysis =
                pipeline::analyze(ingested.documents, &ingested.diagnostics, &config, &|| {});
            analysis.to_json().len()
        });
    whole_row.note = format!("{per_doc_note}; {:.1} MB of JSON", json_len as f64 / 1e6);
    let whole = rows.len();
    rows.push(whole_row.clone());
    let mut whole_with = Vec::new();
    let labels = ["whole pipeline + MiniLM embeddings", "whole pipeline + static embeddings"];
    for (embed_row, label) in embed_rows.iter().zip(labels) {
        whole_with.push(rows.len());
        rows.push(StageRow {
            name: format!("**{label}**"),
            seconds: whole_row.seconds + embed_row.seconds,
            cpu_seconds: whole_row.cpu_seconds.zip(embed_row.cpu_seconds).map(|(a, b)| a + b),
            peak_mb: whole_row.peak_mb.zip(embed_row.peak_mb).map(|(a, b)| a.max(b)),
            note: "sum of the two rows above (the pipeline does not embed yet)".to_string(),
        });
    }

    let spacy = match &options.peer {
        Some(peer) => run_spacy(peer, &texts),
        None => Err("not requested (--no-peer)".to_string()),
    };
    Ok(SpeedReport {
        documents: n_documents,
        words,
        bytes,
        sources,
        threads: rayon::current_num_threads(),
        candle_threads: candle_core::utils::get_num_threads(),
        rows,
        whole,
        whole_with,
        spacy,
        agreement,
        model_seconds,
        embedded,
    })
}

/// Indices of the quotations the pipeline compares: with a speaker, in a
/// (story, speaker) block that holds a quotation of another document.
fn compared_quotes(quotes: &[QuoteOut], processed: &[Processed], story_of: &[usize]) -> Vec<usize> {
    let blocks = quote_blocks(quotes, processed, story_of);
    let mut res: Vec<usize> = blocks
        .values()
        .filter(|members| members.iter().any(|&q| quotes[q].doc != quotes[members[0]].doc))
        .flatten()
        .copied()
        .collect();
    res.sort_unstable();
    res
}

fn quote_blocks<'q>(
    quotes: &'q [QuoteOut],
    processed: &[Processed],
    story_of: &[usize],
) -> BTreeMap<(usize, &'q str), Vec<usize>> {
    let doc_story: BTreeMap<&str, usize> =
        processed.iter().zip(story_of).map(|(p, &s)| (p.doc.id.as_str(), s)).collect();
    let mut blocks: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
    for (idx, quote) in quotes.iter().enumerate() {
        if let (Some(speaker), Some(&story)) = (&quote.speaker, doc_story.get(quote.doc.as_str())) {
            blocks.entry((story, speaker.as_str())).or_default().push(idx);
        }
    }
    blocks
}

/// Compares the two embeddings on the pairs the pipeline would compare.
fn agree(
    compared: &[usize],
    quotes: &[QuoteOut],
    processed: &[Processed],
    story_of: &[usize],
    minilm: &[Vec<f32>],
    fast: &[Vec<f32>],
) -> EmbedAgreement {
    let position: BTreeMap<usize, usize> =
        compared.iter().enumerate().map(|(pos, &q)| (q, pos)).collect();
    let blocks = quote_blocks(quotes, processed, story_of);
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    let (mut same_nearest, mut nearest_of) = (0, 0);
    for members in blocks.values() {
        let members: Vec<usize> = members.iter().filter_map(|q| position.get(q).copied()).collect();
        for (i, &a) in members.iter().enumerate() {
            let others: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&b| quotes[compared[b]].doc != quotes[compared[a]].doc)
                .collect();
            for &b in others.iter().filter(|&&b| members[..i].contains(&b)) {
                pairs.push((
                    f64::from(cosine(&minilm[a], &minilm[b])),
                    f64::from(cosine(&fast[a], &fast[b])),
                ));
            }
            if others.len() >= 2 {
                nearest_of += 1;
                let best = |v: &[Vec<f32>]| {
                    others
                        .iter()
                        .copied()
                        .max_by(|&x, &y| cosine(&v[a], &v[x]).total_cmp(&cosine(&v[a], &v[y])))
                };
                if best(minilm) == best(fast) {
                    same_nearest += 1;
                }
            }
        }
    }
    let close: Vec<&(f64, f64)> = pairs.iter().filter(|p| p.0 >= 0.8).collect();
    let mean = |xs: &mut dyn Iterator<Item = f64>, n: usize| xs.sum::<f64>() / n.max(1) as f64;
    EmbedAgreement {
        pairs: pairs.len(),
        pearson: pearson(&pairs),
        spearman: pearson(&ranked(&pairs)),
        same_nearest,
        nearest_of,
        minilm_mean_on_close: mean(&mut close.iter().map(|p| p.0), close.len()),
        static_mean_on_close: mean(&mut close.iter().map(|p| p.1), close.len()),
    }
}

fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (mx, my) =
        (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// The pairs' values replaced by their ranks (ties share the mean rank).
fn ranked(pairs: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let ranks = |values: Vec<f64>| -> Vec<f64> {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let mut res = vec![0.0; values.len()];
        let mut start = 0;
        while start < order.len() {
            let mut end = start + 1;
            while end < order.len() && values[order[end]] == values[order[start]] {
                end += 1;
            }
            let rank = (start + end - 1) as f64 / 2.0;
            for &idx in &order[start..end] {
                res[idx] = rank;
            }
            start = end;
        }
        res
    };
    let xs = ranks(pairs.iter().map(|p| p.0).collect());
    let ys = ranks(pairs.iter().map(|p| p.1).collect());
    xs.into_iter().zip(ys).collect()
}

/// Runs `scripts/spacy_bench.py` in the peer's venv (made when missing) on the texts.
fn run_spacy(peer: &Peer, texts: &[(String, String)]) -> Result<SpacyRun, String> {
    ensure_peer_venv(peer)?;
    let mut input = tempfile::NamedTempFile::new().map_err(|e| format!("temporary file: {e}"))?;
    {
        use std::io::Write as _;
        for (_, text) in texts {
            let line = serde_json::json!({ "text": text });
            writeln!(input, "{line}").map_err(|e| format!("temporary file: {e}"))?;
        }
        input.flush().map_err(|e| format!("temporary file: {e}"))?;
    }
    let value = super::conll::peer_output(peer, input.path())?;
    let runs = value["runs"]
        .as_array()
        .ok_or("peer output has no runs")?
        .iter()
        .filter_map(|r| {
            Some((
                r["name"].as_str()?.to_string(),
                r["seconds"].as_f64()?,
                r["cpu_seconds"].as_f64(),
                r["peak_rss_mb"].as_f64().unwrap_or(0.0),
            ))
        })
        .collect();
    Ok(SpacyRun {
        versions: format!(
            "{} with en_core_web_sm {}",
            value["spacy"].as_str().unwrap_or("?"),
            value["model"].as_str().unwrap_or("?")
        ),
        runs,
    })
}

/// The default data sets folder: `../shared/datasets` beside the repository.
pub fn default_datasets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_keep_commas_quotes_and_line_breaks() {
        let text = "Body ID,articleBody\n0,\"A, b\nc \"\"d\"\"\"\n7,plain\r\n8,\n";
        let records = parse_csv(text);
        assert_eq!(
            records,
            vec![
                vec!["Body ID".to_string(), "articleBody".to_string()],
                vec!["0".to_string(), "A, b\nc \"d\"".to_string()],
                vec!["7".to_string(), "plain".to_string()],
                vec!["8".to_string(), String::new()],
            ]
        );
    }

    #[test]
    fn ranks_share_ties_and_correlation_is_one_for_monotone_pairs() {
        let pairs = [(0.1, 1.0), (0.5, 2.0), (0.5, 2.0), (0.9, 8.0)];
        let r = ranked(&pairs);
        assert_eq!(r[1].0, 1.5);
        assert_eq!(r[2].0, 1.5);
        assert!((pearson(&r) - 1.0).abs() < 1e-9);
        assert!(pearson(&pairs) < 0.99);
    }

    #[test]
    fn peak_memory_resets_and_cpu_time_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_mb().is_some_and(|mb| mb > 1.0));
            assert!(cpu_seconds().is_some());
        }
    }

    /// Needs ../shared/datasets: the readers find real texts.
    #[test]
    fn fnc1_and_conll_texts_are_read() {
        let datasets = default_datasets();
        if !datasets.join("fnc1").exists() {
            eprintln!("skipped: {} is missing", datasets.display());
            return;
        }
        let texts = read_texts(&datasets, 5, 3).expect("the data sets read");
        assert_eq!(texts.len(), 8);
        assert!(texts[..5].iter().all(|(id, t)| id.starts_with("fnc1-train-") && t.len() > 100));
        assert!(texts[5..]
            .iter()
            .all(|(id, t)| id.starts_with("conll-eng.testb-") && t.contains('\n')));
        let bodies = fnc1_bodies(&datasets.join("fnc1")).unwrap();
        assert!(bodies.len() > 2000, "{} bodies", bodies.len());
    }
}
