//! Story clustering on ECB+: each topic holds two seminal events (the `ecb`
//! and the `ecbplus` documents), and each topic/sub-topic is taken as one story.
//!
//! Documents carry no dates here, so this measures the content side of the
//! story stage alone. Scored with B-cubed precision, recall and F1 over
//! documents. The split follows the dataset's SOURCE.md: development topics
//! for choosing settings, test topics 36–45 for reporting.

use crate::stories::{self, StoryConfig, StoryInput};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;

/// Which topics to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Topics 1–35 (train and dev in the literature): choose settings here.
    Dev,
    /// Topics 36–45: report here.
    Test,
}

impl Split {
    fn has(self, topic: u32) -> bool {
        match self {
            Split::Dev => topic <= 35,
            Split::Test => (36..=45).contains(&topic),
        }
    }
}

/// B-cubed scores of one clustering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BCubed {
    /// Mean over documents of the share of their predicted cluster that is gold-correct.
    pub precision: f64,
    /// Mean over documents of the share of their gold cluster that they are predicted with.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

/// B-cubed over items labelled by a predicted and a gold cluster key.
pub fn bcubed(predicted: &[usize], gold: &[usize]) -> BCubed {
    let n = predicted.len().max(1) as f64;
    let (mut precision, mut recall) = (0.0, 0.0);
    for idx in 0..predicted.len() {
        let same_pred: Vec<usize> =
            (0..predicted.len()).filter(|&j| predicted[j] == predicted[idx]).collect();
        let same_gold = (0..gold.len()).filter(|&j| gold[j] == gold[idx]).count();
        let both = same_pred.iter().filter(|&&j| gold[j] == gold[idx]).count();
        precision += both as f64 / same_pred.len() as f64;
        recall += both as f64 / same_gold as f64;
    }
    let (precision, recall) = (precision / n, recall / n);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    BCubed { precision, recall, f1 }
}

/// The outcome of one run.
#[derive(Debug, Clone)]
pub struct Report {
    /// Documents read.
    pub documents: usize,
    /// Gold stories.
    pub gold_stories: usize,
    /// Predicted stories.
    pub predicted_stories: usize,
    /// parallax's scores.
    pub parallax: BCubed,
    /// A baseline: one story per topic (merges the two sub-topics).
    pub one_per_topic: BCubed,
    /// A baseline: every document its own story.
    pub singletons: BCubed,
    /// Document pairs compared by the candidate index.
    pub pairs_compared: usize,
}

impl Report {
    /// A Markdown table.
    pub fn table(&self) -> String {
        let row = |name: &str, s: BCubed| {
            format!("| {name} | {:.3} | {:.3} | {:.3} |\n", s.precision, s.recall, s.f1)
        };
        let mut out = format!(
            "{} documents, {} gold stories (topic/sub-topic), {} predicted; {} pairs compared (of {} possible)\n\n| system | B3 precision | B3 recall | B3 F1 |\n|---|---|---|---|\n",
            self.documents,
            self.gold_stories,
            self.predicted_stories,
            self.pairs_compared,
            self.documents * self.documents.saturating_sub(1) / 2
        );
        out += &row("**parallax** stories", self.parallax);
        out += &row("one story per topic (oracle topics)", self.one_per_topic);
        out += &row("every document alone", self.singletons);
        out
    }
}

/// Reads the documents of `split` and clusters them.
pub fn run(dir: &Path, split: Split, config: &StoryConfig) -> Result<Report, String> {
    let token_re = token_regex();
    let root = dir.join("ECB+");
    let mut docs: Vec<(String, String, usize, usize)> = Vec::new(); // (name, text, gold story, topic)
    let mut gold_keys: BTreeMap<(u32, bool), usize> = BTreeMap::new();
    let mut topics: Vec<u32> = std::fs::read_dir(&root)
        .map_err(|e| format!("cannot read {}: {e}", root.display()))?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&t| split.has(t))
        .collect();
    topics.sort_unstable();
    for topic in topics {
        for (name, xml) in xml_files(&root, topic)? {
            let plus = name.ends_with("ecbplus.xml");
            let text = document_text(&token_re, &xml, plus);
            let next = gold_keys.len();
            let gold = *gold_keys.entry((topic, plus)).or_insert(next);
            docs.push((name, text, gold, topic as usize));
        }
    }
    let inputs: Vec<StoryInput<'_>> = docs
        .iter()
        .map(|(_, text, _, _)| StoryInput { body: text, title: None, date: None })
        .collect();
    let clustering = stories::cluster(&inputs, config);
    let mut predicted = vec![0; docs.len()];
    for (story_idx, story) in clustering.stories.iter().enumerate() {
        for &doc_idx in &story.documents {
            predicted[doc_idx] = story_idx;
        }
    }
    let gold: Vec<usize> = docs.iter().map(|d| d.2).collect();
    let topic_of: Vec<usize> = docs.iter().map(|d| d.3).collect();
    let alone: Vec<usize> = (0..docs.len()).collect();
    Ok(Report {
        documents: docs.len(),
        gold_stories: gold_keys.len(),
        predicted_stories: clustering.stories.len(),
        parallax: bcubed(&predicted, &gold),
        one_per_topic: bcubed(&topic_of, &gold),
        singletons: bcubed(&alone, &gold),
        pairs_compared: clustering.pairs_compared,
    })
}

/// The documents of one ECB+ topic folder as (file name, XML), by name.
pub(crate) fn xml_files(root: &Path, topic: u32) -> Result<Vec<(String, String)>, String> {
    let folder = root.join(topic.to_string());
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .map_err(|e| format!("cannot read {}: {e}", folder.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".xml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let xml =
                std::fs::read_to_string(folder.join(&name)).map_err(|e| format!("{name}: {e}"))?;
            Ok((name, xml))
        })
        .collect()
}

/// The text of one ECB+ document: its tokens joined by spaces, one sentence
/// a line (`token_re` captures a token's sentence number and text).
pub(crate) fn document_text(token_re: &Regex, xml: &str, plus: bool) -> String {
    let mut text = String::new();
    let mut last_sentence = None;
    for caps in token_re.captures_iter(xml) {
        let sentence: u32 = caps[1].parse().unwrap_or(0);
        // The ecbplus documents carry their source address as sentence 0.
        if plus && sentence == 0 {
            continue;
        }
        if last_sentence.is_some_and(|s| s != sentence) {
            text.push('\n');
        } else if last_sentence.is_some() {
            text.push(' ');
        }
        text.push_str(&unescape(&caps[2]));
        last_sentence = Some(sentence);
    }
    text
}

/// The token pattern of ECB+ files, for [`document_text`].
pub(crate) fn token_regex() -> Regex {
    Regex::new(r#"<token[^>]*sentence="(\d+)"[^>]*>([^<]*)</token>"#).expect("valid regex")
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcubed_follows_the_definition() {
        let perfect = bcubed(&[0, 0, 1], &[5, 5, 7]);
        assert!((perfect.f1 - 1.0).abs() < 1e-9);
        let merged = bcubed(&[0, 0, 0], &[1, 1, 2]);
        // Precision: (2/3 + 2/3 + 1/3) / 3 = 5/9; recall 1.
        assert!((merged.precision - 5.0 / 9.0).abs() < 1e-9);
        assert!((merged.recall - 1.0).abs() < 1e-9);
    }
}
