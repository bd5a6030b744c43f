//! How fast the store grows: the ingest rate into a store and the cost of
//! adding one article to a store that already holds many.
//!
//! The articles are real news bodies of the FNC-1 data set (read from
//! `../shared/datasets/fnc1` at run time, never copied). FNC-1 has about 2,600
//! distinct bodies; to reach a corpus of 10,000 distinct articles, article `k`
//! past the last body is the first half of one body followed by the second
//! half of another (both chosen from `k`), so every article is real prose and
//! no two are equal. Each article is a JSONL record with an outlet and a
//! publication date spread over 90 days, so stories and dates behave as in a
//! real pile.

use super::{ingest, IngestOptions, IngestReport, SqliteStore, Store};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The FNC-1 folder (`train_bodies.csv`, `competition_test_bodies.csv`).
    pub dataset: PathBuf,
    /// Articles in the store before the increments.
    pub n_articles: usize,
    /// Single articles added one by one after that (their median is reported).
    pub n_increments: usize,
    /// Articles per transaction during the bulk ingest.
    pub batch_size: usize,
    /// Records per input file.
    pub records_per_file: usize,
    /// Settings of the stages (with or without the sentence model).
    pub config: crate::pipeline::Config,
}

impl Default for BenchOptions {
    fn default() -> BenchOptions {
        BenchOptions {
            dataset: PathBuf::from("../shared/datasets/fnc1"),
            n_articles: 10_000,
            n_increments: 5,
            batch_size: 256,
            records_per_file: 200,
            config: crate::pipeline::Config::default(),
        }
    }
}

/// One ingest run, timed.
#[derive(Debug, Clone)]
pub struct Timed {
    /// Wall time of the whole `ingest` call (reading, processing, writing, refresh).
    pub wall: Duration,
    /// What `ingest` reported, with its own split of the time.
    pub report: IngestReport,
}

/// What [`run`] measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// Distinct FNC-1 bodies read.
    pub n_bodies: usize,
    /// Mean article length in bytes.
    pub mean_bytes: f64,
    /// The bulk ingest of `n_articles` into an empty store.
    pub bulk: Timed,
    /// Re-ingesting the same files (every article unchanged).
    pub noop: Timed,
    /// Each single-article ingest into the full store.
    pub increments: Vec<Timed>,
    /// Size of the database file(s) after the run, bytes.
    pub db_bytes: u64,
    /// Peak resident memory of the process, MB.
    pub peak_rss_mb: Option<f64>,
}

impl BenchReport {
    /// Articles per second of the bulk ingest, end to end.
    pub fn ingest_rate(&self) -> f64 {
        self.bulk.report.new as f64 / self.bulk.wall.as_secs_f64()
    }

    /// The median single-article increment.
    pub fn median_increment(&self) -> Option<&Timed> {
        let mut sorted: Vec<&Timed> = self.increments.iter().collect();
        sorted.sort_by_key(|t| t.wall);
        sorted.get(sorted.len() / 2).copied()
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bulk = &self.bulk.report;
        writeln!(
            f,
            "corpus: {} articles from {} FNC-1 bodies, {:.0} bytes each on average",
            bulk.new, self.n_bodies, self.mean_bytes
        )?;
        writeln!(f)?;
        writeln!(f, "| run | articles | wall s | articles/s | read s | per-document stages s | write s | load s | assemble s | save s |")?;
        writeln!(f, "|---|---|---|---|---|---|---|---|---|---|")?;
        let mut row = |name: &str, t: &Timed, n: usize| {
            let r = &t.report;
            writeln!(
                f,
                "| {name} | {n} | {:.2} | {:.1} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
                secs(t.wall),
                n as f64 / secs(t.wall),
                secs(r.read_time),
                secs(r.process_time),
                secs(r.write_time),
                secs(r.refresh.load_time),
                secs(r.refresh.assemble_time),
                secs(r.refresh.save_time),
            )
        };
        row("bulk ingest into an empty store", &self.bulk, bulk.new)?;
        row("re-ingest, all unchanged (no-op)", &self.noop, self.noop.report.unchanged)?;
        for (idx, t) in self.increments.iter().enumerate() {
            row(&format!("+1 article to {} (#{})", bulk.new + idx, idx + 1), t, t.report.new)?;
        }
        writeln!(f)?;
        writeln!(f, "ingest rate: {:.1} articles/s (bulk, end to end)", self.ingest_rate())?;
        if let Some(median) = self.median_increment() {
            writeln!(
                f,
                "incremental cost of one article into a store of {}: {:.2} s (median of {}; \
                 per-document stages {:.3} s, write {:.3} s, load {:.2} s, assemble {:.2} s, save {:.2} s)",
                bulk.new,
                secs(median.wall),
                self.increments.len(),
                secs(median.report.process_time),
                secs(median.report.write_time),
                secs(median.report.refresh.load_time),
                secs(median.report.refresh.assemble_time),
                secs(median.report.refresh.save_time),
            )?;
        }
        write!(f, "database: {:.1} MB", self.db_bytes as f64 / 1e6)?;
        if let Some(peak) = self.peak_rss_mb {
            write!(f, "; peak RSS {peak:.0} MB")?;
        }
        Ok(())
    }
}

/// Reads the `articleBody` column of an FNC-1 bodies file (RFC 4180 CSV).
pub fn read_bodies(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let rows = parse_csv(&text);
    let mut rows = rows.into_iter();
    let header = rows.next().ok_or_else(|| format!("{}: empty", path.display()))?;
    let column = header
        .iter()
        .position(|h| h == "articleBody")
        .ok_or_else(|| format!("{}: no articleBody column", path.display()))?;
    Ok(rows
        .filter_map(|row| row.into_iter().nth(column))
        .filter(|b| !b.trim().is_empty())
        .collect())
}

/// Rows of RFC 4180 CSV: quoted fields may hold commas, line breaks and `""`.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Article `k` of the corpus made from `bodies`.
fn article(bodies: &[String], k: usize) -> String {
    let n = bodies.len();
    if k < n {
        return bodies[k].clone();
    }
    // Past the bodies: distinct (first, second) pairs of distinct bodies.
    let j = k - n;
    let first_idx = j % n;
    let second_idx = (first_idx + 1 + (j / n) % (n - 1).max(1)) % n;
    let (first, second) = (&bodies[first_idx], &bodies[second_idx]);
    let cut = |text: &str| {
        let mut at = text.len() / 2;
        while !text.is_char_boundary(at) {
            at += 1;
        }
        // At a paragraph or sentence end near the middle when there is one.
        text[..at].rfind("\n\n").or_else(|| text[..at].rfind(". ").map(|i| i + 1)).unwrap_or(at)
    };
    let head = &first[..cut(first)];
    let tail = &second[cut(second)..];
    format!("{}\n\n{}", head.trim_end(), tail.trim_start())
}

/// One JSONL record of the corpus.
fn record(bodies: &[String], k: usize) -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2017, 1, 1).expect("valid date")
        + chrono::Duration::days((k % 90) as i64);
    serde_json::json!({
        "id": format!("bench-{k:06}"),
        "outlet": format!("Outlet {}", k % 12 + 1),
        "published": day.to_string(),
        "text": article(bodies, k),
    })
    .to_string()
}

fn write_files(
    dir: &Path,
    bodies: &[String],
    range: std::ops::Range<usize>,
    per_file: usize,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let ks: Vec<usize> = range.collect();
    for (idx, chunk) in ks.chunks(per_file.max(1)).enumerate() {
        let lines: Vec<String> = chunk.iter().map(|&k| record(bodies, k)).collect();
        let path = dir.join(format!("part-{idx:05}.jsonl"));
        std::fs::write(&path, lines.join("\n") + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn timed(
    store: &mut SqliteStore,
    paths: &[PathBuf],
    options: &IngestOptions,
) -> Result<Timed, String> {
    let started = Instant::now();
    let report = ingest(store, paths, options, &|_, _| {}).map_err(|e| e.to_string())?;
    Ok(Timed { wall: started.elapsed(), report })
}

/// Builds the corpus in `work_dir`, ingests it into a new store there, then
/// adds single articles, timing each step.
pub fn run(options: &BenchOptions, work_dir: &Path) -> Result<BenchReport, String> {
    let mut bodies = Vec::new();
    for name in ["train_bodies.csv", "competition_test_bodies.csv"] {
        bodies.extend(read_bodies(&options.dataset.join(name))?);
    }
    if bodies.is_empty() {
        return Err(format!("no bodies in {}", options.dataset.display()));
    }
    let total = options.n_articles + options.n_increments;
    let mean_bytes =
        (0..total).map(|k| article(&bodies, k).len()).sum::<usize>() as f64 / total.max(1) as f64;
    let corpus = work_dir.join("corpus");
    write_files(&corpus, &bodies, 0..options.n_articles, options.records_per_file)?;
    let db = work_dir.join("bench.db");
    let mut store = SqliteStore::open(&db).map_err(|e| e.to_string())?;
    let ingest_options = IngestOptions {
        batch_size: options.batch_size,
        config: options.config.clone(),
        ..Default::default()
    };
    let bulk = timed(&mut store, std::slice::from_ref(&corpus), &ingest_options)?;
    let noop = timed(&mut store, std::slice::from_ref(&corpus), &ingest_options)?;
    let mut increments = Vec::new();
    for idx in 0..options.n_increments {
        let dir = work_dir.join(format!("increment-{idx}"));
        let k = options.n_articles + idx;
        write_files(&dir, &bodies, k..k + 1, 1)?;
        increments.push(timed(&mut store, &[dir], &ingest_options)?);
    }
    let n_stored = store.n_articles().map_err(|e| e.to_string())?;
    if n_stored as usize != total {
        return Err(format!("the store holds {n_stored} articles, expected {total}"));
    }
    let db_bytes = ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            std::fs::metadata(format!("{}{suffix}", db.display())).ok().map(|m| m.len())
        })
        .sum();
    Ok(BenchReport {
        n_bodies: bodies.len(),
        mean_bytes,
        bulk,
        noop,
        increments,
        db_bytes,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// Peak resident set size of this process in MB, from `/proc/self/status`.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_keep_quotes_commas_and_line_breaks() {
        let rows = parse_csv("Body ID,articleBody\n0,\"a, \"\"b\"\"\nc\"\n1,plain\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], ["0", "a, \"b\"\nc"]);
        assert_eq!(rows[2], ["1", "plain"]);
    }

    #[test]
    fn composed_articles_are_distinct_prose() {
        let bodies: Vec<String> = (0..5)
            .map(|i| format!("Sentence one of body {i}. Sentence two of body {i}.\n\nMore {i}."))
            .collect();
        let articles: Vec<String> = (0..25).map(|k| article(&bodies, k)).collect();
        let distinct: std::collections::BTreeSet<&String> = articles.iter().collect();
        assert_eq!(distinct.len(), articles.len());
        assert_eq!(articles[2], bodies[2]);
    }
}
