//! Outlet comparison on PolNeAR: the 1,008 political articles of seven
//! outlets run through the whole pipeline (with their publisher and date from
//! `metadata.tsv`); for every story told by two or more outlets, how many
//! framing and attribution differences parallax finds, and a fixed sample of
//! them printed for a person to judge. There is no gold: the judgement is the
//! reader's.

use crate::analysis::{Analysis, ComparisonOut};
use crate::pipeline::{self, Config};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

/// What the bench found.
#[derive(Debug, Clone)]
pub struct FramingReport {
    /// Articles analysed.
    pub documents: usize,
    /// Stories found.
    pub stories: usize,
    /// Stories told by two or more outlets.
    pub multi_outlet: usize,
    /// Per multi-outlet story: (story id, outlets, framing items, attribution differences).
    pub per_story: Vec<(String, usize, usize, usize)>,
    /// The printed sample: framing and attribution differences in words.
    pub examples: Vec<String>,
    /// Seconds for the whole run.
    pub seconds: f64,
}

/// Runs the pipeline over PolNeAR's core articles (train, dev, test) and
/// counts the comparison layer's findings. `sample` examples are printed.
pub fn run(dir: &Path, config: &Config, sample: usize) -> Result<FramingReport, String> {
    let started = Instant::now();
    let meta = std::fs::read_to_string(dir.join("metadata.tsv"))
        .map_err(|e| format!("{}: {e}", dir.join("metadata.tsv").display()))?;
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let jsonl = tmp.path().join("polnear.jsonl");
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(&jsonl).map_err(|e| e.to_string())?);
    let mut header: Vec<&str> = Vec::new();
    for (n, line) in meta.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        if n == 0 {
            header = fields;
            continue;
        }
        let get = |name: &str| {
            header.iter().position(|h| *h == name).and_then(|i| fields.get(i)).copied()
        };
        let (Some(compartment), Some(name)) = (get("compartment"), get("filename")) else {
            continue;
        };
        if !matches!(compartment, "train" | "dev" | "test") {
            continue;
        }
        let Ok(text) =
            std::fs::read_to_string(dir.join(compartment).join("text").join(format!("{name}.txt")))
        else {
            continue;
        };
        let record = serde_json::json!({
            "id": name,
            "text": text,
            "outlet": get("publisher"),
            "published": get("publication_date"),
        });
        writeln!(out, "{record}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    let ingested = crate::ingest::read_paths(&[jsonl], crate::ingest::Limits::default())
        .map_err(|e| e.to_string())?;
    let documents = ingested.documents.len();
    let analysis = pipeline::analyze(ingested.documents, &ingested.diagnostics, config, &|| {});
    let mut report = summarize(&analysis, sample);
    report.documents = documents;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Counts and samples the comparisons of an analysis.
pub fn summarize(analysis: &Analysis, sample: usize) -> FramingReport {
    let outlet_of: BTreeMap<&str, &str> = analysis
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.outlet.as_deref().unwrap_or(d.id.as_str())))
        .collect();
    let mut per_story = Vec::new();
    let mut framing_lines = Vec::new();
    let mut attribution_lines = Vec::new();
    for c in &analysis.comparisons {
        let outlets: BTreeSet<&str> = c.outlets.iter().map(|o| outlet_of[o.doc.as_str()]).collect();
        if outlets.len() < 2 {
            continue;
        }
        let differing = differing_attributions(c);
        per_story.push((c.story.clone(), outlets.len(), c.framing.len(), differing.len()));
        for f in &c.framing {
            let renderings: Vec<String> = f
                .renderings
                .iter()
                .map(|r| format!("{} “{}”", outlet_of[r.doc.as_str()], r.text))
                .collect();
            framing_lines.push(format!(
                "[{}] framing — {}: {}",
                c.story,
                f.referent,
                renderings.join(" / ")
            ));
        }
        for line in differing {
            attribution_lines.push(format!("[{}] attribution — {line}", c.story));
        }
    }
    let mut examples = spread(&framing_lines, sample / 2);
    examples.extend(spread(&attribution_lines, sample - examples.len().min(sample)));
    FramingReport {
        documents: analysis.documents.len(),
        stories: analysis.stories.len(),
        multi_outlet: per_story.len(),
        per_story,
        examples,
        seconds: 0.0,
    }
}

/// The verb of a cue without its inflection ("said", "says", "saying" →
/// "say"; "told reporters" → "tell"): enough to tell verbs apart.
fn verb_stem(cue: &str) -> Option<String> {
    let word = cue.split_whitespace().next()?.to_lowercase();
    if word.starts_with('(') {
        return None; // no verb
    }
    let stem = ["ing", "ed", "es", "s", "d"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix).filter(|rest| rest.len() >= 3))
        .unwrap_or(&word);
    Some(match stem {
        "sai" | "say" | "sayi" => "say".to_string(),
        "tol" | "tell" => "tell".to_string(),
        other => other.to_string(),
    })
}

/// The quote groups whose members are introduced with different verbs
/// (inflections of one verb and missing verbs are not differences).
fn differing_attributions(c: &ComparisonOut) -> Vec<String> {
    c.attribution
        .iter()
        .filter(|a| {
            a.verbs.iter().filter_map(|v| verb_stem(&v.verb)).collect::<BTreeSet<_>>().len() >= 2
        })
        .map(|a| {
            let verbs: Vec<String> =
                a.verbs.iter().map(|v| format!("{}: {}", v.doc, v.verb)).collect();
            format!("{}: {}", a.quote_group, verbs.join("; "))
        })
        .collect()
}

/// `n` items spread evenly over `items` (all of them when there are fewer).
fn spread(items: &[String], n: usize) -> Vec<String> {
    if items.len() <= n {
        return items.to_vec();
    }
    (0..n).map(|k| items[k * items.len() / n].clone()).collect()
}

impl FramingReport {
    /// The report as text: totals, the distribution per story, the sample.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let framing: Vec<usize> = self.per_story.iter().map(|p| p.2).collect();
        let attribution: Vec<usize> = self.per_story.iter().map(|p| p.3).collect();
        let mean = |v: &[usize]| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<usize>() as f64 / v.len() as f64
            }
        };
        let with = |v: &[usize]| v.iter().filter(|&&x| x > 0).count();
        let _ = writeln!(
            s,
            "PolNeAR outlet comparison: {} articles, {} stories, {} told by 2+ outlets ({:.1} s)",
            self.documents, self.stories, self.multi_outlet, self.seconds
        );
        let _ = writeln!(s, "| per multi-outlet story | total | mean | stories with any |");
        let _ = writeln!(s, "|---|---|---|---|");
        let _ = writeln!(
            s,
            "| framing items | {} | {:.2} | {} |",
            framing.iter().sum::<usize>(),
            mean(&framing),
            with(&framing)
        );
        let _ = writeln!(
            s,
            "| attribution differences | {} | {:.2} | {} |",
            attribution.iter().sum::<usize>(),
            mean(&attribution),
            with(&attribution)
        );
        let _ = writeln!(s, "\nSample for a person to judge:");
        for (k, line) in self.examples.iter().enumerate() {
            let _ = writeln!(s, "{:2}. {line}", k + 1);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verb_stems_ignore_inflection_and_missing_verbs() {
        assert_eq!(verb_stem("said"), verb_stem("saying"));
        assert_eq!(verb_stem("told reporters"), verb_stem("told"));
        assert_ne!(verb_stem("claimed"), verb_stem("said"));
        assert_eq!(verb_stem("(no verb)"), None);
    }

    #[test]
    fn spread_takes_evenly_spaced_items() {
        let items: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        assert_eq!(spread(&items, 3), ["0", "3", "6"]);
        assert_eq!(spread(&items[..2], 3), ["0", "1"]);
    }
}
