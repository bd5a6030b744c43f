//! The trafilatura evaluation set (English subset with HTML): segments that
//! must appear in the extracted text and segments that must not.
//!
//! Metric as trafilatura's own evaluation describes it: whitespace-normalised
//! substring match; tp = "with" segments found, fn = "with" missing, fp =
//! "without" found, tn = "without" absent, summed over documents.

use rayon::prelude::*;
use std::path::Path;

/// Counts and derived scores of one system.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// "with" segments found.
    pub tp: usize,
    /// "without" segments found.
    pub fp: usize,
    /// "with" segments missing.
    pub fn_: usize,
    /// "without" segments absent.
    pub tn: usize,
}

impl Counts {
    /// Precision, recall, accuracy and F1.
    pub fn scores(self) -> (f64, f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(self.tp, self.tp + self.fp);
        let recall = ratio(self.tp, self.tp + self.fn_);
        let accuracy = ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        (precision, recall, accuracy, f1)
    }
}

/// One document's misses, for reading errors.
#[derive(Debug, Clone)]
pub struct Miss {
    /// The HTML file, relative to `html/`.
    pub file: String,
    /// Required segments that were not extracted.
    pub missing: Vec<String>,
    /// Boilerplate segments that were extracted.
    pub kept_boilerplate: Vec<String>,
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Scores `extract` on the set under `dir` (`evaldata-en.json`, `html/`).
pub fn run(
    dir: &Path,
    extract: &(dyn Fn(&str) -> String + Sync),
) -> Result<(Counts, Vec<Miss>), String> {
    let index_path = dir.join("evaldata-en.json");
    let index: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(&index_path)
            .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", index_path.display()))?;
    let entries: Vec<&serde_json::Value> = index.values().collect();
    let results: Vec<(Counts, Miss)> = entries
        .par_iter()
        .map(|entry| {
            let file = entry["file"].as_str().unwrap_or_default().to_string();
            let segments = |key: &str| -> Vec<String> {
                entry[key]
                    .as_array()
                    .map(|a| a.iter().filter_map(|s| s.as_str()).map(normalize).collect())
                    .unwrap_or_default()
            };
            let (with, without) = (segments("with"), segments("without"));
            let html = std::fs::read(dir.join("html").join(&file))
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            let extracted = html.map(|h| normalize(&extract(&h))).unwrap_or_default();
            let mut counts = Counts::default();
            let mut miss = Miss { file, missing: Vec::new(), kept_boilerplate: Vec::new() };
            for segment in with {
                if extracted.contains(&segment) {
                    counts.tp += 1;
                } else {
                    counts.fn_ += 1;
                    miss.missing.push(segment);
                }
            }
            for segment in without {
                if extracted.contains(&segment) {
                    counts.fp += 1;
                    miss.kept_boilerplate.push(segment);
                } else {
                    counts.tn += 1;
                }
            }
            (counts, miss)
        })
        .collect();
    let mut total = Counts::default();
    let mut misses = Vec::new();
    for (counts, miss) in results {
        total.tp += counts.tp;
        total.fp += counts.fp;
        total.fn_ += counts.fn_;
        total.tn += counts.tn;
        if !miss.missing.is_empty() || !miss.kept_boilerplate.is_empty() {
            misses.push(miss);
        }
    }
    Ok((total, misses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_the_definitions() {
        let counts = Counts { tp: 8, fp: 2, fn_: 2, tn: 8 };
        let (p, r, a, f1) = counts.scores();
        assert!(
            (p - 0.8).abs() < 1e-9
                && (r - 0.8).abs() < 1e-9
                && (a - 0.8).abs() < 1e-9
                && (f1 - 0.8).abs() < 1e-9
        );
        assert_eq!(Counts::default().scores(), (0.0, 0.0, 0.0, 0.0));
    }
}
