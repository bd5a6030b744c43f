//! The article-extraction benchmark (Zyte's AEB, `scrapinghub/article-extraction-benchmark`).
//!
//! The data set is 181 saved article pages (`html/<key>.html.gz`), their gold
//! article bodies (`ground-truth.json`) and the outputs of other extractors
//! (`baseline-outputs/*.json`, some wrapped as `{"version": .., "output": {..}}`).
//! [`run`] extracts every page with the function it is given, scores it and
//! every baseline with the same code, and returns an [`AebReport`].
//!
//! The metric is the benchmark's own (its `evaluate.py`), reimplemented:
//!
//! - tokens are the matches of `\w+` with Python's Unicode meaning of `\w`
//!   (letters, numbers and `_`: [`tokens`]);
//! - a text's shingles are the multiset of its token 4-grams; a text of 1 to 3
//!   tokens has one shingle, all its tokens; an empty text has none;
//! - per page, tp / fp / fn count shingles in both / only the prediction / only
//!   the gold, and are divided by their sum so that every page weighs the same;
//! - precision is the mean of tp / (tp + fp) over the pages with a non-empty
//!   prediction (tp + fp > 0), recall the mean of tp / (tp + fn) over the pages
//!   with a non-empty gold body, and F1 the harmonic mean of those two means;
//! - accuracy is the share of pages whose token sequence equals the gold one.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use rayon::prelude::*;

/// Shingle length of the benchmark.
const NGRAM: usize = 4;

/// A failure to read the data set.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AebError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not in the expected format.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, without a final period.
        message: String,
    },
}

/// The result type of this module.
pub type Result<T> = std::result::Result<T, AebError>;

/// One extractor to run on every page.
pub struct AebSystem<'a> {
    /// Its name in the table.
    pub name: &'a str,
    /// From a page's HTML to its predicted article body.
    pub extract: &'a (dyn Fn(&str) -> String + Sync),
}

/// The shingle counts of one page, normalised to sum to 1 (all 0 when both
/// texts are empty).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ShingleMatch {
    /// Shingles in both, as a share.
    pub tp: f64,
    /// Shingles only in the prediction, as a share.
    pub fp: f64,
    /// Shingles only in the gold body, as a share.
    pub fn_: f64,
}

impl ShingleMatch {
    /// tp / (tp + fp), when the prediction has shingles.
    pub fn precision(self) -> Option<f64> {
        (self.tp + self.fp > 0.0).then(|| self.tp / (self.tp + self.fp))
    }

    /// tp / (tp + fn), when the gold body has shingles.
    pub fn recall(self) -> Option<f64> {
        (self.tp + self.fn_ > 0.0).then(|| self.tp / (self.tp + self.fn_))
    }
}

/// The score of one system on one page.
#[derive(Debug, Clone, PartialEq)]
pub struct AebDocScore {
    /// The page's key (its file stem).
    pub key: String,
    /// Shingle overlap with the gold body.
    pub shingles: ShingleMatch,
    /// Whether the token sequences are equal.
    pub exact: bool,
}

/// The scores of one system.
#[derive(Debug, Clone, PartialEq)]
pub struct AebRow {
    /// System name: the baseline file stem, or the name given to [`run_systems`].
    pub system: String,
    /// Mean shingle precision.
    pub precision: f64,
    /// Mean shingle recall.
    pub recall: f64,
    /// Harmonic mean of `precision` and `recall`.
    pub f1: f64,
    /// Share of pages extracted exactly (same token sequence as the gold body).
    pub accuracy: f64,
    /// Number of pages scored.
    pub n_docs: usize,
    /// True for a system run in this call, false for a stored baseline output.
    pub live: bool,
    /// Pages per second of wall-clock time for a live system (over all of
    /// rayon's threads), `None` for a baseline.
    pub pages_per_second: Option<f64>,
    /// Per-page scores, in key order.
    pub docs: Vec<AebDocScore>,
}

/// The outcome of one benchmark run.
#[derive(Debug, Clone, PartialEq)]
pub struct AebReport {
    /// One row per system, live systems first, then baselines by name.
    pub rows: Vec<AebRow>,
    /// Number of pages in the data set.
    pub n_pages: usize,
    /// Number of threads the live systems ran on.
    pub threads: usize,
}

impl AebReport {
    /// The row of the system called `name`.
    pub fn row(&self, name: &str) -> Option<&AebRow> {
        self.rows.iter().find(|row| row.system == name)
    }

    /// A Markdown table of all rows, best F1 first; systems run in this call are bold.
    pub fn table(&self) -> String {
        let mut rows: Vec<&AebRow> = self.rows.iter().collect();
        rows.sort_by(|a, b| b.f1.total_cmp(&a.f1).then_with(|| a.system.cmp(&b.system)));
        let mut res = String::new();
        res.push_str("| system | F1 | precision | recall | accuracy | pages | pages/s |\n");
        res.push_str("|---|---|---|---|---|---|---|\n");
        for row in rows {
            let name = if row.live {
                format!("**{}** (this run)", row.system)
            } else {
                row.system.clone()
            };
            let speed =
                row.pages_per_second.map_or_else(|| "".to_string(), |speed| format!("{speed:.1}"));
            let _ = writeln!(
                res,
                "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {speed} |",
                row.f1, row.precision, row.recall, row.accuracy, row.n_docs
            );
        }
        let _ = write!(
            res,
            "\n{} pages; live systems ran on {} threads.\n",
            self.n_pages, self.threads
        );
        res
    }
}

/// Runs the benchmark in `dataset_dir` with one live system called `parallax`.
pub fn run(dataset_dir: &Path, extract: &(dyn Fn(&str) -> String + Sync)) -> Result<AebReport> {
    run_systems(dataset_dir, &[AebSystem { name: "parallax", extract }])
}

/// Runs the benchmark in `dataset_dir` with several live systems, and scores
/// every stored baseline output alongside them.
pub fn run_systems(dataset_dir: &Path, systems: &[AebSystem<'_>]) -> Result<AebReport> {
    let gold_path = dataset_dir.join("ground-truth.json");
    let gold = read_bodies(&gold_path, &read_json(&gold_path)?)?;

    let html_dir = dataset_dir.join("html");
    let pages: Vec<(String, String)> = gold
        .keys()
        .map(|key| {
            let path = html_dir.join(format!("{key}.html.gz"));
            read_gzip_page(&path).map(|html| (key.clone(), html))
        })
        .collect::<Result<_>>()?;

    let mut rows = Vec::new();
    for system in systems {
        let started = Instant::now();
        let predictions: BTreeMap<String, String> =
            pages.par_iter().map(|(key, html)| (key.clone(), (system.extract)(html))).collect();
        let seconds = started.elapsed().as_secs_f64();
        let mut row = score(system.name, &gold, &predictions);
        row.live = true;
        row.pages_per_second = Some(pages.len() as f64 / seconds.max(1e-9));
        rows.push(row);
    }

    let baseline_dir = dataset_dir.join("baseline-outputs");
    let mut baseline_paths: Vec<PathBuf> = match std::fs::read_dir(&baseline_dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect(),
        Err(source) if source.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => return Err(AebError::Io { path: baseline_dir, source }),
    };
    baseline_paths.sort();
    for path in baseline_paths {
        let json = read_json(&path)?;
        // Some outputs are wrapped as {"version": .., "output": {..}}.
        let outputs = match json.get("output") {
            Some(inner @ serde_json::Value::Object(_)) => inner,
            _ => &json,
        };
        let predictions = read_bodies(&path, outputs)?;
        if predictions.len() != gold.len() || !gold.keys().all(|key| predictions.contains_key(key))
        {
            return Err(AebError::Format {
                path,
                message: "its keys do not match the ground truth".to_string(),
            });
        }
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        rows.push(score(&name, &gold, &predictions));
    }
    Ok(AebReport { rows, n_pages: pages.len(), threads: rayon::current_num_threads() })
}

fn read_json(path: &Path) -> Result<serde_json::Value> {
    let bytes =
        std::fs::read(path).map_err(|source| AebError::Io { path: path.to_path_buf(), source })?;
    serde_json::from_slice(&bytes)
        .map_err(|err| AebError::Format { path: path.to_path_buf(), message: err.to_string() })
}

/// `{key: {"articleBody": text, ..}}` as key → body (a missing or null body is empty).
fn read_bodies(path: &Path, json: &serde_json::Value) -> Result<BTreeMap<String, String>> {
    let object = json.as_object().ok_or_else(|| AebError::Format {
        path: path.to_path_buf(),
        message: "expected an object of pages".to_string(),
    })?;
    Ok(object
        .iter()
        .map(|(key, page)| {
            let body = page.get("articleBody").and_then(|b| b.as_str()).unwrap_or_default();
            (key.clone(), body.to_string())
        })
        .collect())
}

fn read_gzip_page(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path)
        .map_err(|source| AebError::Io { path: path.to_path_buf(), source })?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .map_err(|source| AebError::Io { path: path.to_path_buf(), source })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Scores `predictions` against `gold` (same keys; a missing prediction is empty).
pub fn score(
    system: &str,
    gold: &BTreeMap<String, String>,
    predictions: &BTreeMap<String, String>,
) -> AebRow {
    let docs: Vec<AebDocScore> = gold
        .iter()
        .map(|(key, gold_body)| {
            let predicted = predictions.get(key).map_or("", String::as_str);
            AebDocScore {
                key: key.clone(),
                shingles: shingle_match(gold_body, predicted),
                exact: tokens(gold_body) == tokens(predicted),
            }
        })
        .collect();
    let scores: Vec<ShingleMatch> = docs.iter().map(|doc| doc.shingles).collect();
    let (precision, recall, f1) = precision_recall_f1(&scores);
    let accuracy = mean(docs.iter().map(|doc| if doc.exact { 1.0 } else { 0.0 }));
    AebRow {
        system: system.to_string(),
        precision,
        recall,
        f1,
        accuracy,
        n_docs: docs.len(),
        live: false,
        pages_per_second: None,
        docs,
    }
}

/// Mean precision, mean recall and their harmonic mean over pages.
pub fn precision_recall_f1(scores: &[ShingleMatch]) -> (f64, f64, f64) {
    let precision = mean(scores.iter().filter_map(|s| s.precision()));
    let recall = mean(scores.iter().filter_map(|s| s.recall()));
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (precision, recall, f1)
}

/// The mean, or 0 for no values.
fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(sum, count), value| (sum + value, count + 1));
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}

/// The benchmark's tokens: runs of letters, numbers and `_` (Python's `\w`,
/// which unlike Rust's leaves out combining marks).
pub fn tokens(text: &str) -> Vec<&str> {
    static TOKEN: OnceLock<regex::Regex> = OnceLock::new();
    let token =
        TOKEN.get_or_init(|| regex::Regex::new(r"[\p{L}\p{N}_]+").expect("valid token pattern"));
    token.find_iter(text).map(|m| m.as_str()).collect()
}

/// The multiset of token 4-grams of a text (one shingle of all tokens for 1 to 3 tokens).
fn shingles<'t>(tokens: &'t [&'t str]) -> HashMap<&'t [&'t str], u32> {
    let mut res = HashMap::new();
    if tokens.is_empty() {
        return res;
    }
    let n_windows = tokens.len().saturating_sub(NGRAM - 1).max(1);
    for start in 0..n_windows {
        let end = (start + NGRAM).min(tokens.len());
        *res.entry(&tokens[start..end]).or_insert(0) += 1;
    }
    res
}

/// Shingle overlap of a predicted body with the gold one.
pub fn shingle_match(gold: &str, predicted: &str) -> ShingleMatch {
    let gold_tokens = tokens(gold);
    let predicted_tokens = tokens(predicted);
    let gold_shingles = shingles(&gold_tokens);
    let predicted_shingles = shingles(&predicted_tokens);
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for (shingle, &gold_count) in &gold_shingles {
        let predicted_count = predicted_shingles.get(shingle).copied().unwrap_or(0);
        tp += u64::from(gold_count.min(predicted_count));
        fn_ += u64::from(gold_count.saturating_sub(predicted_count));
    }
    for (shingle, &predicted_count) in &predicted_shingles {
        let gold_count = gold_shingles.get(shingle).copied().unwrap_or(0);
        fp += u64::from(predicted_count.saturating_sub(gold_count));
    }
    let total = (tp + fp + fn_) as f64;
    if total == 0.0 {
        return ShingleMatch::default();
    }
    ShingleMatch { tp: tp as f64 / total, fp: fp as f64 / total, fn_: fn_ as f64 / total }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(gold: &str, predicted: &str, expect: (f64, f64, f64)) {
        let got = shingle_match(gold, predicted);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(
            close(got.tp, expect.0) && close(got.fp, expect.1) && close(got.fn_, expect.2),
            "{gold:?} vs {predicted:?}: got {got:?}, expected {expect:?}"
        );
    }

    #[test]
    fn tokens_follow_python_word_chars() {
        assert_eq!(
            tokens("It’s 3.5 km—far_away! Café"),
            ["It", "s", "3", "5", "km", "far_away", "Café"]
        );
        // A combining accent is not a word character for Python's `\w`.
        assert_eq!(tokens("cafe\u{301} ok"), ["cafe", "ok"]);
    }

    #[test]
    fn perfect_match_scores_one() {
        let text = "the quick brown fox jumps over the lazy dog";
        // Nine tokens make six shingles; four tokens make one, and tokens keep their case.
        check(text, "the quick brown fox", (1.0 / 6.0, 0.0, 5.0 / 6.0));
        check(text, "The quick brown fox", (0.0, 1.0 / 7.0, 6.0 / 7.0));
        check(text, &format!("  {text}!  "), (1.0, 0.0, 0.0));
        let (p, r, f1) = precision_recall_f1(&[shingle_match(text, text)]);
        assert_eq!((p, r, f1), (1.0, 1.0, 1.0));
    }

    #[test]
    fn disjoint_texts_score_zero() {
        check("alpha beta gamma delta", "one two three four five", (0.0, 2.0 / 3.0, 1.0 / 3.0));
        let (p, r, f1) =
            precision_recall_f1(&[shingle_match("alpha beta gamma delta", "one two three four")]);
        assert_eq!((p, r, f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn partial_match_by_hand() {
        // Gold has 6 tokens: shingles g1 = a b c d, g2 = b c d e, g3 = c d e f.
        // The prediction "a b c d e x y" has 4 shingles: a b c d, b c d e, c d e x, d e x y.
        // tp = 2, fp = 2, fn = 1, normalised by 5.
        check("a b c d e f", "a b c d e x y", (0.4, 0.4, 0.2));
        let (p, r, f1) = precision_recall_f1(&[shingle_match("a b c d e f", "a b c d e x y")]);
        assert!((p - 0.5).abs() < 1e-12 && (r - 2.0 / 3.0).abs() < 1e-12);
        assert!((f1 - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn repeated_shingles_count_as_a_multiset() {
        // Gold has "a b c d" twice (and b c d a, c d a b, d a b c once); the prediction once.
        check("a b c d a b c d", "a b c d", (0.2, 0.0, 0.8));
    }

    #[test]
    fn short_and_empty_texts_follow_the_reference() {
        // Fewer than four tokens make one shingle of all of them.
        check("two words", "two words", (1.0, 0.0, 0.0));
        check("two words", "two", (0.0, 0.5, 0.5));
        // Empty prediction: no precision for that page, recall 0.
        let empty_prediction = shingle_match("some gold text here", "");
        assert_eq!((empty_prediction.precision(), empty_prediction.recall()), (None, Some(0.0)));
        // Both empty: the page counts for neither mean.
        let both_empty = shingle_match("", " ... ");
        assert_eq!((both_empty.precision(), both_empty.recall()), (None, None));
        let good = shingle_match("a b c d", "a b c d");
        let (p, r, _) = precision_recall_f1(&[good, empty_prediction, both_empty]);
        assert_eq!((p, r), (1.0, 0.5));
    }

    #[test]
    fn table_is_sorted_by_f1_and_marks_live_rows() {
        let row = |system: &str, f1: f64, live: bool| AebRow {
            system: system.to_string(),
            precision: f1,
            recall: f1,
            f1,
            accuracy: 0.0,
            n_docs: 1,
            live,
            pages_per_second: live.then_some(10.0),
            docs: Vec::new(),
        };
        let report = AebReport {
            rows: vec![row("low", 0.5, false), row("parallax", 0.7, true)],
            n_pages: 1,
            threads: 1,
        };
        let table = report.table();
        let parallax_at = table.find("**parallax** (this run)").unwrap();
        assert!(parallax_at < table.find("| low |").unwrap(), "{table}");
    }

    /// The whole benchmark with `html::read_page` alone (no cleaning), next to
    /// the extractor's raw output.
    /// Run with `cargo test -p parallax --release aeb -- --ignored --nocapture`.
    #[test]
    #[ignore = "reads the AEB data set from ../shared/datasets/aeb (or $PARALLAX_AEB_DIR)"]
    fn aeb_with_read_page() {
        let dataset_dir =
            std::env::var_os("PARALLAX_AEB_DIR").map(PathBuf::from).unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets/aeb")
            });
        let read_page = |html: &str| {
            let page = crate::html::read_page(html);
            page.body.iter().map(|span| &page.text[span.range()]).collect::<Vec<_>>().join("\n\n")
        };
        let raw =
            |html: &str| rs_trafilatura::extract(html).map(|r| r.content_text).unwrap_or_default();
        let systems = [
            AebSystem { name: "html::read_page", extract: &read_page },
            AebSystem { name: "rs-trafilatura (raw)", extract: &raw },
        ];
        let report = run_systems(&dataset_dir, &systems).unwrap();
        println!("{}", report.table());
        let ours = report.row("html::read_page").unwrap();
        let raw = report.row("rs-trafilatura (raw)").unwrap();
        for row in [ours, raw] {
            println!(
                "{}: F1 {:.4} P {:.4} R {:.4} accuracy {:.4}",
                row.system, row.f1, row.precision, row.recall, row.accuracy
            );
        }
        for (doc, raw_doc) in ours.docs.iter().zip(&raw.docs) {
            let (ours_f1, raw_f1) = (doc_f1(doc.shingles), doc_f1(raw_doc.shingles));
            if ours_f1 + 0.02 < raw_f1 {
                println!("{}: read_page F1 {ours_f1:.3} < raw {raw_f1:.3}", doc.key);
            }
        }
        assert!(ours.f1 >= raw.f1 - 0.002, "alignment loses content: {} vs {}", ours.f1, raw.f1);
    }

    fn doc_f1(shingles: ShingleMatch) -> f64 {
        let (p, r) = (shingles.precision().unwrap_or(0.0), shingles.recall().unwrap_or(0.0));
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}
