//! How the cross-document stages grow with the number of articles
//! (`parallax bench scaling`).
//!
//! [`run`] builds a pool of real article texts from several data sets
//! (FNC-1 bodies, PolNeAR articles, CoNLL-2003 documents, ECB+ documents),
//! runs the per-document stages ([`crate::pipeline::process`]) once on each
//! pooled text, and then, for each corpus size, draws that many articles from
//! the pool (a fixed pseudo-random sequence, with replacement once the pool is
//! used up), gives each a publication date shifted to a random day of a fixed
//! span (one in ten stays undated), and times the cross-document stages on
//! them: stories and threads, story-based dates, entity linking, quotation
//! speakers and quotation grouping, and the whole assembly of the analysis.
//! The per-document results are cloned, not recomputed, for every draw: the
//! per-document stages are linear by construction (`parallax bench pipeline`
//! measures their speed).
//!
//! For each stage the table gives seconds and peak memory per size and the
//! exponent `b` of `time ≈ a·n^b` fitted by least squares on log-log scale.

use super::speed::{conll_texts, fnc1_bodies, measure, StageRow};
use crate::ingest;
use crate::pipeline::{self, Config, Processed};
use crate::published;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Sizes and the corpus recipe.
#[derive(Debug, Clone)]
pub struct Options {
    /// Corpus sizes (articles), ascending.
    pub sizes: Vec<usize>,
    /// Articles per day: the dates of `n` articles spread over `n / docs_per_day` days,
    /// so that a larger corpus covers a longer period at the same density.
    pub docs_per_day: usize,
    /// A fixed span of days for every size instead (density grows with the size).
    pub span_days: Option<i64>,
    /// Seed of the draw.
    pub seed: u64,
    /// Pool texts per data set, at most (`usize::MAX`: all).
    pub per_dataset: usize,
    /// A text drawn again is a reprint near its first day (else any day of the span).
    pub reprints: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            sizes: vec![1_000, 10_000, 100_000],
            docs_per_day: 50,
            span_days: None,
            seed: 7,
            per_dataset: usize::MAX,
            reprints: true,
        }
    }
}

/// The figures of one corpus size.
#[derive(Debug, Clone)]
pub struct SizeRun {
    /// Articles.
    pub n: usize,
    /// One row per stage.
    pub rows: Vec<StageRow>,
    /// Stories found, entities, quotations, quotation groups, story pairs compared.
    pub counts: (usize, usize, usize, usize, usize),
    /// Articles of the largest story.
    pub largest_story: usize,
    /// Days the dates span.
    pub span_days: i64,
    /// Resident memory with the corpus built, before the stages, MB.
    pub corpus_mb: Option<f64>,
}

/// The outcome of [`run`].
#[derive(Debug, Clone)]
pub struct ScalingReport {
    /// Pool texts by data set.
    pub pool: Vec<(String, usize)>,
    /// Seconds of the per-document stages over the pool (once).
    pub pool_seconds: f64,
    /// One entry per size.
    pub sizes: Vec<SizeRun>,
    /// How dates were spread.
    pub dates: String,
}

/// The exponent `b` of `y ≈ a·x^b`, least squares on logs; `None` below two points.
pub fn fitted_exponent(points: &[(f64, f64)]) -> Option<f64> {
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0)
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    if logs.len() < 2 {
        return None;
    }
    let n = logs.len() as f64;
    let mx = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = logs.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

impl ScalingReport {
    /// Markdown tables: seconds and peak memory per stage and size, with the exponent.
    pub fn table(&self) -> String {
        let pool: Vec<String> = self.pool.iter().map(|(name, n)| format!("{n} {name}")).collect();
        let n_pool: usize = self.pool.iter().map(|p| p.1).sum();
        let mut out = format!(
            "Pool: {n_pool} real texts ({}); per-document stages run once on the pool in {:.1} s and cloned into each corpus. {}, one article in ten undated.\n\n",
            pool.join(", "),
            self.pool_seconds,
            self.dates
        );
        out += "Wall seconds, CPU seconds (all threads) and peak MB per size; exponents of wall and CPU time.\n\n| stage |";
        for size in &self.sizes {
            let _ = write!(out, " {} s | {} CPU s | {} MB |", size.n, size.n, size.n);
        }
        out += " exponent (wall) | exponent (CPU) |\n|---|";
        out += &"---|---|---|".repeat(self.sizes.len());
        out += "---|---|\n";
        let Some(first) = self.sizes.first() else { return out };
        for (stage_idx, row) in first.rows.iter().enumerate() {
            let _ = write!(out, "| {} |", row.name);
            let mut points = Vec::new();
            let mut cpu_points = Vec::new();
            for size in &self.sizes {
                let r = &size.rows[stage_idx];
                points.push((size.n as f64, r.seconds));
                cpu_points.push((size.n as f64, r.cpu_seconds.unwrap_or(0.0)));
                let _ = write!(
                    out,
                    " {:.3} | {} | {} |",
                    r.seconds,
                    r.cpu_seconds.map_or("?".to_string(), |c| format!("{c:.2}")),
                    r.peak_mb.map_or("?".to_string(), |m| format!("{m:.0}"))
                );
            }
            let exponent = |p: &[(f64, f64)]| {
                fitted_exponent(p).map_or("?".to_string(), |b| format!("{b:.2}"))
            };
            let _ = writeln!(out, " {} | {} |", exponent(&points), exponent(&cpu_points));
        }
        out += "\n| articles | days | corpus MB | stories | largest story | entities | quotes | quote groups | story pairs compared |\n|---|---|---|---|---|---|---|---|---|\n";
        for size in &self.sizes {
            let (stories, entities, quotes, groups, pairs) = size.counts;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {stories} | {} | {entities} | {quotes} | {groups} | {pairs} |",
                size.n,
                size.span_days,
                size.corpus_mb.map_or("?".to_string(), |m| format!("{m:.0}")),
                size.largest_story
            );
        }
        out
    }
}

/// Real texts of several data sets: (data set, id, text).
pub fn pool(datasets: &Path, per_dataset: usize) -> Result<Vec<(String, String, String)>, String> {
    let mut res = Vec::new();
    let mut add = |name: &str, texts: Vec<(String, String)>| {
        res.extend(
            texts.into_iter().take(per_dataset).map(|(id, text)| (name.to_string(), id, text)),
        );
    };
    add("FNC-1 bodies", fnc1_bodies(&datasets.join("fnc1"))?);
    add("PolNeAR articles", polnear_texts(&datasets.join("polnear"))?);
    let mut conll = Vec::new();
    for file in ["eng.train", "eng.testa", "eng.testb"] {
        conll.extend(conll_texts(&datasets.join("conll2003").join(file), file)?);
    }
    add("CoNLL-2003 documents", conll);
    add("ECB+ documents", ecb_texts(&datasets.join("ecbplus"))?);
    Ok(res)
}

/// Every PolNeAR article text (train, dev, test), by file name.
fn polnear_texts(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut res = Vec::new();
    for split in ["train", "dev", "test"] {
        let folder = dir.join(split).join("text");
        let mut paths: Vec<_> = std::fs::read_dir(&folder)
            .map_err(|e| format!("cannot read {}: {e}", folder.display()))?
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            res.push((format!("polnear-{split}-{name}"), text));
        }
    }
    Ok(res)
}

/// Every ECB+ document as text.
fn ecb_texts(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let token_re = super::ecbstories::token_regex();
    let root = dir.join("ECB+");
    let mut topics: Vec<u32> = std::fs::read_dir(&root)
        .map_err(|e| format!("cannot read {}: {e}", root.display()))?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    topics.sort_unstable();
    let mut res = Vec::new();
    for topic in topics {
        for (name, xml) in super::ecbstories::xml_files(&root, topic)? {
            let text =
                super::ecbstories::document_text(&token_re, &xml, name.ends_with("ecbplus.xml"));
            res.push((format!("ecb-{}", name.trim_end_matches(".xml")), text));
        }
    }
    Ok(res)
}

/// Days after its first publication within which a text drawn again is reprinted.
pub const REPRINT_DAYS: i64 = 3;

/// A fixed linear congruential generator: the same draw on every machine.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// `n` articles drawn from the processed pool: a permutation of the pool
/// first, then draws with replacement. Each pooled text gets a day of the
/// span; with `reprints`, a text drawn again is a reprint published within
/// [`REPRINT_DAYS`] of that day (as wire copy is), else it gets a new day
/// anywhere in the span. One article in ten is undated.
pub fn corpus(
    pool: &[Processed],
    n: usize,
    span_days: i64,
    seed: u64,
    reprints: bool,
) -> Vec<Processed> {
    let mut draw = Draw(seed);
    let mut order: Vec<usize> = (0..pool.len()).collect();
    // Fisher-Yates with the fixed generator.
    for i in (1..order.len()).rev() {
        order.swap(i, draw.below(i + 1));
    }
    let span = span_days.max(1) as usize;
    let first_day: Vec<i64> = (0..pool.len()).map(|_| draw.below(span) as i64).collect();
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
    let picks: Vec<(usize, Option<NaiveDate>)> = (0..n)
        .map(|i| {
            let (source, day) = if i < order.len() {
                (order[i], first_day[order[i]])
            } else {
                let source = draw.below(pool.len());
                let day = if reprints {
                    first_day[source] + draw.below(REPRINT_DAYS as usize + 1) as i64
                } else {
                    draw.below(span) as i64
                };
                (source, day)
            };
            let dated = draw.below(10) != 0;
            (source, dated.then(|| start + chrono::Duration::days(day)))
        })
        .collect();
    picks
        .into_par_iter()
        .enumerate()
        .map(|(i, (source, date))| {
            let mut p = pool[source].clone();
            p.doc.id = format!("a{i:06}");
            p.doc.origin = format!("{}#{i}", p.doc.origin);
            p.doc.meta.published = date.map(|d| d.to_string());
            p.doc.meta.published_source = date.map(|_| "jsonl");
            p.own_date = published::own_date(&p.doc, &p.cleaned);
            p
        })
        .collect()
}

/// Runs the scaling benchmark (see the module docs); `progress` gets a line per step.
pub fn run(
    datasets: &Path,
    options: &Options,
    progress: &dyn Fn(&str),
) -> Result<ScalingReport, String> {
    let texts = pool(datasets, options.per_dataset)?;
    let mut pool_counts: Vec<(String, usize)> = Vec::new();
    for (name, _, _) in &texts {
        match pool_counts.last_mut() {
            Some((last, n)) if last == name => *n += 1,
            _ => pool_counts.push((name.clone(), 1)),
        }
    }
    let config = Config::default();
    let started = Instant::now();
    let processed: Vec<Processed> = texts
        .into_par_iter()
        .map(|(_, id, text)| {
            let doc = ingest::text_document(id.clone(), id, text, Default::default());
            pipeline::process(doc, &config)
        })
        .collect();
    let pool_seconds = started.elapsed().as_secs_f64();
    progress(&format!("pool of {} texts processed in {pool_seconds:.1} s", processed.len()));
    let mut sizes = Vec::new();
    for &n in &options.sizes {
        let span_days =
            options.span_days.unwrap_or((n / options.docs_per_day.max(1)).max(1) as i64);
        let corpus = corpus(&processed, n, span_days, options.seed, options.reprints);
        super::speed::reset_peak();
        let corpus_mb = super::speed::peak_mb();
        let mut rows = Vec::new();
        let titles: Vec<Option<String>> = corpus.iter().map(pipeline::title_of).collect();
        let ((clustering, story_of), row) =
            measure("stories + threads", "", || pipeline::stories_of(&corpus, &titles, &config));
        rows.push(row);
        let (_, row) = measure("dates from stories", "", || {
            pipeline::dates_of(&corpus, &clustering, &story_of).len()
        });
        rows.push(row);
        let (entities_out, row) =
            measure("entity linking (aliases, roles, references)", "", || {
                pipeline::entities_of(&corpus, &story_of)
            });
        rows.push(row);
        let (quotes_out, row) =
            measure("quote speakers (per document, entity look-up)", "", || {
                pipeline::quotes_of(&corpus, &entities_out, None).0
            });
        rows.push(row);
        let (groups, row) = measure("quote grouping (story, speaker, words)", "", || {
            let doc_story: BTreeMap<&str, usize> =
                corpus.iter().zip(&story_of).map(|(p, &s)| (p.doc.id.as_str(), s)).collect();
            let text_of: BTreeMap<&str, &str> =
                corpus.iter().map(|p| (p.doc.id.as_str(), p.doc.text.as_str())).collect();
            pipeline::group_quotes(&text_of, &quotes_out, &doc_story, config.meaning())
        });
        rows.push(row);
        let largest_story = clustering.stories.iter().map(|s| s.documents.len()).max().unwrap_or(0);
        let counts = (
            clustering.stories.len(),
            entities_out.len(),
            quotes_out.len(),
            groups.len(),
            clustering.pairs_compared,
        );
        drop((clustering, story_of, entities_out, quotes_out, groups));
        let (_, row) =
            measure("**all cross-document stages + assembly** (pipeline::assemble)", "", || {
                pipeline::assemble(&corpus, &[], &config).documents.len()
            });
        rows.push(row);
        progress(&format!(
            "{n} articles: {}",
            rows.iter()
                .map(|r| format!("{} {:.2} s", r.name, r.seconds))
                .collect::<Vec<_>>()
                .join("; ")
        ));
        sizes.push(SizeRun { n, rows, counts, largest_story, span_days, corpus_mb });
    }
    let mut dates = match options.span_days {
        Some(days) => format!("Dates spread over a fixed {days} days"),
        None => format!(
            "Dates spread at {} articles a day (the span grows with the size)",
            options.docs_per_day
        ),
    };
    dates += if options.reprints {
        "; a text drawn again is a reprint within 3 days of its first day"
    } else {
        "; a text drawn again gets any day of the span"
    };
    Ok(ScalingReport { pool: pool_counts, pool_seconds, sizes, dates })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_of_a_power_law_is_recovered() {
        let points: Vec<(f64, f64)> =
            [1e3, 1e4, 1e5].iter().map(|&n: &f64| (n, 3.0 * n.powf(1.1))).collect();
        assert!((fitted_exponent(&points).unwrap() - 1.1).abs() < 1e-9);
        assert_eq!(fitted_exponent(&points[..1]), None);
    }

    #[test]
    fn corpora_draw_the_pool_first_and_shift_dates() {
        let pool: Vec<Processed> =
            ["One text about harbours.", "Another about ferries.", "A third."]
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let doc = ingest::text_document(
                        format!("p{i}"),
                        format!("p{i}"),
                        t.to_string(),
                        Default::default(),
                    );
                    pipeline::process(doc, &Config::default())
                })
                .collect();
        let small = corpus(&pool, 3, 730, 7, true);
        let mut texts: Vec<&str> = small.iter().map(|p| p.doc.text.as_str()).collect();
        texts.sort();
        assert_eq!(texts, ["A third.", "Another about ferries.", "One text about harbours."]);
        let big = corpus(&pool, 50, 730, 7, true);
        assert_eq!(big.len(), 50);
        assert_eq!(
            big[..3].iter().map(|p| &p.doc.text).collect::<Vec<_>>(),
            small.iter().map(|p| &p.doc.text).collect::<Vec<_>>()
        );
        let dated =
            big.iter().filter(|p| p.own_date.as_ref().is_ok_and(|d| d.value.is_some())).count();
        assert!(dated > 35 && dated < 50, "{dated} dated");
        let ids: std::collections::BTreeSet<&str> = big.iter().map(|p| p.doc.id.as_str()).collect();
        assert_eq!(ids.len(), 50);
    }
}
