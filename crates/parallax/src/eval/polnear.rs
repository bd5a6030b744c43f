//! PolNeAR (Newell, Margolin and Ruths, LREC 2018) evaluation of
//! [`quotes::find`].
//!
//! PolNeAR annotates *attributions* in 1,008 US political news articles:
//! each has a Source (the speaker), a Cue and a Content span (direct or
//! indirect), as brat standoff with character offsets into `text/<name>.txt`
//! (the title is the file's first line). [`run`] reads one split, runs
//! `quotes::find` on each whole file and maps the annotation to ours:
//!
//! - **content ↔ quotation span.** A gold content may have several pieces
//!   (`Content`, `Content2`, `;`-separated fragments); it is compared through
//!   its pieces (overlap) and its hull (exact). Before an exact comparison
//!   both sides are trimmed of white space, quotation marks, punctuation
//!   and a leading "that" (gold direct contents keep their marks, ours do
//!   not; gold indirect contents often start with "that", ours never).
//! - **univocality.** PolNeAR gives each token to at most one attribution, so
//!   a system quotation that lies inside another one (a quoted fragment
//!   inside a reported clause, or a report nested in a report) is folded
//!   into the outer one before matching.
//! - **continuations.** PolNeAR makes one attribution of a quotation split
//!   by its cue (`"A," he said. "B."`), with a content in pieces. A system
//!   quotation that `continues` another one in the same paragraph with the
//!   same cue, or without a cue right after the other one's cue, is merged
//!   into it as a further piece.
//! - **source ↔ speaker span.** Our speaker words are compared with the gold
//!   Source on matched pairs whose gold has a Source. For a quotation that
//!   continues an earlier one, our speaker is the earlier quotation's
//!   speaker, wherever it is written.
//!
//! Scores follow the two conventions of the attribution-extraction
//! literature on PARC and PolNeAR: **exact** match (same trimmed extent) and
//! **overlap** (partial) match (at least one shared character of content;
//! gold and system items are paired one to one, largest overlap first).
//! Speaker accuracy is reported both exact and by overlap, over
//! overlap-matched pairs. Direct gold attributions (content that starts with
//! a quotation mark) and the rest are also counted apart for recall.
//!
//! Documents annotated by several annotators (a few in dev and test) are read
//! once, with the annotation file that sorts first. The layout and the
//! protocol are in the data set's `SOURCE.md`: tune on `train/` and `dev/`,
//! report `test/` once.

use super::{f1, ratio};
use crate::doc::Span;
use crate::quotes::{self, QuoteKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Which part of PolNeAR to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// 840 articles (a few without an annotation file). Tune here.
    Train,
    /// 84 articles. Tune here.
    Dev,
    /// 84 articles. Report here only.
    Test,
}

impl Split {
    /// The split's folder name.
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

/// Annotation quality published with PolNeAR (its README, as listed in the
/// data set's `SOURCE.md`). No system score on PolNeAR is published there.
pub const PUBLISHED_AGREEMENT: &[(&str, f64)] = &[
    ("inter-annotator attribution-wise agreement", 92.3),
    ("inter-annotator token-wise Krippendorff's alpha", 75.4),
    ("pseudo-recall against PARC3", 94.2),
];

/// One gold attribution, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldAttribution {
    /// The content pieces, in text order.
    pub content: Vec<Span>,
    /// The source pieces (empty when the attribution has no source).
    pub source: Vec<Span>,
    /// The cue pieces.
    pub cue: Vec<Span>,
}

impl GoldAttribution {
    fn hull(pieces: &[Span]) -> Option<Span> {
        let first = pieces.iter().map(|s| s.start).min()?;
        let last = pieces.iter().map(|s| s.end).max()?;
        Some(Span { start: first, end: last })
    }
}

/// An article with its gold attributions.
#[derive(Debug, Clone)]
pub struct PolnearDoc {
    /// File stem.
    pub name: String,
    /// The article text (title on the first line).
    pub text: String,
    /// Gold attributions.
    pub gold: Vec<GoldAttribution>,
}

/// Counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scores {
    /// Gold attributions.
    pub n_gold: usize,
    /// System quotations after folding nested ones.
    pub n_system: usize,
    /// System quotations before folding.
    pub n_system_raw: usize,
    /// Pairs with the same trimmed extent.
    pub n_exact: usize,
    /// Pairs with overlapping contents (one to one).
    pub n_overlap: usize,
    /// Overlap pairs whose gold has a source.
    pub n_with_source: usize,
    /// … whose speaker has the same trimmed extent as the source.
    pub n_source_exact: usize,
    /// … whose speaker overlaps the source.
    pub n_source_overlap: usize,
    /// … for which we found no speaker.
    pub n_source_missing: usize,
    /// Gold attributions whose content starts with a quotation mark.
    pub n_gold_direct: usize,
    /// … of them overlap-matched.
    pub n_direct_found: usize,
    /// Gold attributions whose content does not start with a quotation mark.
    pub n_gold_other: usize,
    /// … of them overlap-matched.
    pub n_other_found: usize,
}

impl Scores {
    /// Exact precision, recall, F1.
    pub fn exact(&self) -> (f64, f64, f64) {
        let p = ratio(self.n_exact, self.n_system);
        let r = ratio(self.n_exact, self.n_gold);
        (p, r, f1(p, r))
    }

    /// Overlap precision, recall, F1.
    pub fn overlap(&self) -> (f64, f64, f64) {
        let p = ratio(self.n_overlap, self.n_system);
        let r = ratio(self.n_overlap, self.n_gold);
        (p, r, f1(p, r))
    }

    /// Share of overlap pairs (gold with source) whose speaker is exact.
    pub fn source_exact_accuracy(&self) -> f64 {
        ratio(self.n_source_exact, self.n_with_source)
    }

    /// Share of overlap pairs (gold with source) whose speaker overlaps.
    pub fn source_overlap_accuracy(&self) -> f64 {
        ratio(self.n_source_overlap, self.n_with_source)
    }

    fn add(&mut self, other: &Scores) {
        self.n_gold += other.n_gold;
        self.n_system += other.n_system;
        self.n_system_raw += other.n_system_raw;
        self.n_exact += other.n_exact;
        self.n_overlap += other.n_overlap;
        self.n_with_source += other.n_with_source;
        self.n_source_exact += other.n_source_exact;
        self.n_source_overlap += other.n_source_overlap;
        self.n_source_missing += other.n_source_missing;
        self.n_gold_direct += other.n_gold_direct;
        self.n_direct_found += other.n_direct_found;
        self.n_gold_other += other.n_gold_other;
        self.n_other_found += other.n_other_found;
    }
}

/// One error, for tuning on train and dev.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolnearError {
    /// File stem.
    pub doc: String,
    /// `missed`, `spurious`, `source` (matched content, wrong speaker) or
    /// `extent` (matched content, different extent).
    pub what: &'static str,
    /// Gold words (content, and source after `<=`).
    pub gold: String,
    /// System words (content, and speaker after `<=`).
    pub system: String,
}

/// The result of [`run`].
#[derive(Debug, Clone)]
pub struct PolnearReport {
    /// The split read.
    pub split: Split,
    /// Articles read.
    pub n_docs: usize,
    /// Counts and measures.
    pub scores: Scores,
    /// System quotations by kind (after folding): direct, indirect.
    pub n_system_by_kind: (usize, usize),
    /// Seconds spent in `quotes::find`.
    pub find_seconds: f64,
    /// Every error; print these for train and dev only.
    pub errors: Vec<PolnearError>,
}

impl PolnearReport {
    /// Articles per second through `quotes::find` (one thread).
    pub fn docs_per_second(&self) -> f64 {
        if self.find_seconds > 0.0 {
            self.n_docs as f64 / self.find_seconds
        } else {
            f64::INFINITY
        }
    }

    /// A Markdown table of the scores (percent), with the published
    /// annotation figures below it.
    pub fn table(&self) -> String {
        let s = &self.scores;
        let pct = |v: f64| format!("{:.1}", 100.0 * v);
        let (ep, er, ef) = s.exact();
        let (op, or, of) = s.overlap();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "PolNeAR {} — {} articles, {} gold attributions ({} with a quotation mark first), \
             {} system quotations ({} direct, {} indirect; {} before folding nested ones)",
            self.split.name(),
            self.n_docs,
            s.n_gold,
            s.n_gold_direct,
            s.n_system,
            self.n_system_by_kind.0,
            self.n_system_by_kind.1,
            s.n_system_raw,
        );
        out.push('\n');
        out.push_str("| system | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 | recall: quoted-first / other | source acc. exact | source acc. overlap | no speaker | articles/s |\n");
        out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        let _ = writeln!(
            out,
            "| parallax quotes | {} | {} | {} | {} | {} | {} | {} / {} | {} | {} | {} | {:.0} |",
            pct(ep),
            pct(er),
            pct(ef),
            pct(op),
            pct(or),
            pct(of),
            pct(ratio(s.n_direct_found, s.n_gold_direct)),
            pct(ratio(s.n_other_found, s.n_gold_other)),
            pct(s.source_exact_accuracy()),
            pct(s.source_overlap_accuracy()),
            pct(ratio(s.n_source_missing, s.n_with_source)),
            self.docs_per_second(),
        );
        out.push('\n');
        out.push_str("Published with the corpus (annotation quality, not a system): ");
        let published: Vec<String> =
            PUBLISHED_AGREEMENT.iter().map(|(what, v)| format!("{what} {v:.1}")).collect();
        out.push_str(&published.join("; "));
        out.push_str(". No published system score on PolNeAR.\n");
        out
    }
}

/// Reads one split under `dir` (the `polnear` folder), runs
/// `quotes::find` on every article and scores it.
pub fn run(dir: &Path, split: Split) -> Result<PolnearReport, String> {
    let docs = read_split(dir, split)?;
    let mut scores = Scores::default();
    let mut errors = Vec::new();
    let mut find_seconds = 0.0;
    let mut by_kind = (0, 0);
    for doc in &docs {
        let started = Instant::now();
        let found = quotes::find(&doc.text);
        find_seconds += started.elapsed().as_secs_f64();
        let n_raw = found.len();
        let system = merge_continuations(&doc.text, &fold_nested(&found));
        for quote in &system {
            match quote.kind {
                QuoteKind::Direct => by_kind.0 += 1,
                QuoteKind::Indirect => by_kind.1 += 1,
            }
        }
        let mut doc_scores = score_doc(doc, &system, &mut errors);
        doc_scores.n_system_raw = n_raw;
        scores.add(&doc_scores);
    }
    Ok(PolnearReport {
        split,
        n_docs: docs.len(),
        scores,
        n_system_by_kind: by_kind,
        find_seconds,
        errors,
    })
}

/// Reads the articles of a split that have an annotation file.
pub fn read_split(dir: &Path, split: Split) -> Result<Vec<PolnearDoc>, String> {
    let ann_dir = dir.join(split.name()).join("attributions");
    let text_dir = dir.join(split.name()).join("text");
    let entries = std::fs::read_dir(&ann_dir)
        .map_err(|e| format!("cannot read {}: {e}", ann_dir.display()))?;
    let mut ann_files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot read {}: {e}", ann_dir.display()))?.path();
        if path.extension().is_some_and(|ext| ext == "ann") {
            ann_files.push(path);
        }
    }
    ann_files.sort();
    // Document name → its first annotation file.
    let mut by_doc: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for path in ann_files {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        let Some((name, _annotator)) = stem.rsplit_once('_') else { continue };
        by_doc.entry(name.to_string()).or_insert(path);
    }
    if by_doc.is_empty() {
        return Err(format!("no .ann files under {}", ann_dir.display()));
    }
    let mut docs = Vec::with_capacity(by_doc.len());
    for (name, ann_path) in by_doc {
        let text_path = text_dir.join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&text_path)
            .map_err(|e| format!("cannot read {}: {e}", text_path.display()))?;
        let ann = std::fs::read_to_string(&ann_path)
            .map_err(|e| format!("cannot read {}: {e}", ann_path.display()))?;
        let gold = parse_ann(&text, &ann).map_err(|e| format!("{}: {e}", ann_path.display()))?;
        docs.push(PolnearDoc { name, text, gold });
    }
    Ok(docs)
}

/// Parses a brat standoff file of PolNeAR: `T` lines (spans with character
/// offsets) and `E` lines (attributions joining Content, Source, Cue).
pub fn parse_ann(text: &str, ann: &str) -> Result<Vec<GoldAttribution>, String> {
    // Character offset → byte offset (one past the end included).
    let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    byte_of_char.push(text.len());
    let to_byte = |chars: usize| -> Result<usize, String> {
        byte_of_char.get(chars).copied().ok_or_else(|| format!("offset {chars} past the text"))
    };
    let mut spans: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    let mut res = Vec::new();
    let mut events = Vec::new();
    for line in ann.lines() {
        let mut fields = line.split('\t');
        let id = fields.next().unwrap_or("");
        let body = fields.next().unwrap_or("");
        if id.starts_with('T') {
            let Some((_, offsets)) = body.split_once(' ') else { continue };
            let mut pieces = Vec::new();
            for piece in offsets.split(';') {
                let mut numbers = piece.split_whitespace();
                let (Some(start), Some(end)) = (numbers.next(), numbers.next()) else {
                    return Err(format!("bad offsets in {line:?}"));
                };
                let start: usize = start.parse().map_err(|_| format!("bad offset in {line:?}"))?;
                let end: usize = end.parse().map_err(|_| format!("bad offset in {line:?}"))?;
                if start <= end {
                    pieces.push(Span::new(to_byte(start)?, to_byte(end)?));
                }
            }
            spans.insert(id, pieces);
        } else if id.starts_with('E') {
            events.push(body);
        }
    }
    for body in events {
        let mut gold = GoldAttribution { content: Vec::new(), source: Vec::new(), cue: Vec::new() };
        for arg in body.split_whitespace() {
            let Some((role, target)) = arg.split_once(':') else { continue };
            let pieces = spans.get(target).cloned().unwrap_or_default();
            match role {
                "Content" | "Content2" => gold.content.extend(pieces),
                "Source" => gold.source.extend(pieces),
                "Cue" => gold.cue.extend(pieces),
                _ => {}
            }
        }
        gold.content.sort();
        if !gold.content.is_empty() {
            res.push(gold);
        }
    }
    Ok(res)
}

/// Our side of an attribution: one quotation, or several merged through
/// `continues`.
#[derive(Debug, Clone)]
struct SystemAttribution {
    pieces: Vec<Span>,
    speaker: Option<Span>,
    kind: QuoteKind,
    lemma: Option<String>,
}

impl SystemAttribution {
    fn hull(&self) -> Span {
        GoldAttribution::hull(&self.pieces).unwrap_or_default()
    }
}

/// Merges quotations that continue another one with the same cue or
/// without a cue (after folding, so indices refer to `folded`).
fn merge_continuations(text: &str, folded: &[quotes::QuoteMention]) -> Vec<SystemAttribution> {
    let mut group_of: Vec<usize> = Vec::with_capacity(folded.len());
    let mut res: Vec<SystemAttribution> = Vec::new();
    for (idx, quote) in folded.iter().enumerate() {
        let target = quote.continues.filter(|&earlier| {
            let between = &text[(folded[earlier].span.end.min(quote.span.start) as usize)
                ..quote.span.start as usize];
            earlier < idx
                && (quote.cue.is_some_and(|cue| Some(cue) == folded[earlier].cue)
                    || (quote.cue.is_none()
                        && folded[earlier].cue.is_some_and(|cue| {
                            cue.start >= folded[earlier].span.end && cue.end <= quote.span.start
                        })))
                && !between.contains('\n')
        });
        match target {
            Some(earlier) => {
                let group = group_of[earlier];
                res[group].pieces.push(quote.span);
                group_of.push(group);
            }
            None => {
                group_of.push(res.len());
                res.push(SystemAttribution {
                    pieces: vec![quote.span],
                    speaker: quote.speaker,
                    kind: quote.kind,
                    lemma: quote.cue_lemma.clone(),
                });
            }
        }
    }
    res
}

/// Drops quotations that lie inside another one (PolNeAR is univocal), and
/// renumbers `continues` accordingly (a link to a dropped quotation is cut).
fn fold_nested(found: &[quotes::QuoteMention]) -> Vec<quotes::QuoteMention> {
    let keep: Vec<bool> = (0..found.len())
        .map(|idx| {
            !found.iter().enumerate().any(|(other_idx, other)| {
                other_idx != idx
                    && other.span.contains(found[idx].span)
                    && (other.span != found[idx].span || other_idx < idx)
            })
        })
        .collect();
    let mut new_index = vec![None; found.len()];
    let mut res = Vec::new();
    for (idx, quote) in found.iter().enumerate() {
        if keep[idx] {
            new_index[idx] = Some(res.len());
            let mut quote = quote.clone();
            quote.continues = quote.continues.and_then(|earlier| new_index[earlier]);
            res.push(quote);
        }
    }
    res
}

/// The span trimmed of white space, quotation marks, punctuation and a
/// leading "that".
fn normalise(text: &str, span: Span) -> Span {
    let is_trim = |c: char| {
        c.is_whitespace()
            || is_quote_mark(c)
            || matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '—' | '–' | '-' | '(' | ')')
    };
    let mut start = span.start as usize;
    let mut end = span.end as usize;
    loop {
        let slice = &text[start..end];
        let trimmed_front = slice.trim_start_matches(is_trim);
        start += slice.len() - trimmed_front.len();
        let slice = &text[start..end];
        let lower = slice.get(..5).map(str::to_lowercase);
        if lower.as_deref() == Some("that ") {
            start += 5;
            continue;
        }
        break;
    }
    let slice = &text[start..end];
    end = start + slice.trim_end_matches(is_trim).len();
    Span::new(start, end.max(start))
}

fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '„' | '‟' | '«' | '»' | '‘' | '’' | '‚' | '‹' | '›')
}

fn overlap_len(a: Span, b: Span) -> usize {
    let start = a.start.max(b.start);
    let end = a.end.min(b.end);
    end.saturating_sub(start) as usize
}

fn describe(text: &str, span: Span) -> String {
    let slice = &text[span.range()];
    let mut res: String = slice.chars().take(140).collect();
    if slice.chars().count() > 140 {
        res.push('…');
    }
    res.replace('\n', " ⏎ ")
}

fn kind_tag(quote: &SystemAttribution) -> String {
    let kind = match quote.kind {
        QuoteKind::Direct => "D",
        QuoteKind::Indirect => "I",
    };
    format!("{kind}/{}", quote.lemma.as_deref().unwrap_or("-"))
}

fn score_doc(
    doc: &PolnearDoc,
    system: &[SystemAttribution],
    errors: &mut Vec<PolnearError>,
) -> Scores {
    let text = doc.text.as_str();
    let mut scores = Scores { n_gold: doc.gold.len(), n_system: system.len(), ..Scores::default() };
    // Exact: trimmed extents equal (one to one).
    let gold_exact: Vec<Span> = doc
        .gold
        .iter()
        .map(|g| normalise(text, GoldAttribution::hull(&g.content).unwrap_or_default()))
        .collect();
    let system_exact: Vec<Span> = system.iter().map(|q| normalise(text, q.hull())).collect();
    let mut used = vec![false; system.len()];
    for gold in &gold_exact {
        if let Some(idx) = (0..system.len()).find(|&i| !used[i] && system_exact[i] == *gold) {
            used[idx] = true;
            scores.n_exact += 1;
        }
    }
    // Overlap: largest overlaps first, one to one.
    let mut pairs = Vec::new();
    for (gold_idx, gold) in doc.gold.iter().enumerate() {
        for (sys_idx, quote) in system.iter().enumerate() {
            let shared: usize = gold
                .content
                .iter()
                .flat_map(|&piece| quote.pieces.iter().map(move |&ours| overlap_len(piece, ours)))
                .sum();
            if shared > 0 {
                pairs.push((shared, gold_idx, sys_idx));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut gold_match = vec![None; doc.gold.len()];
    let mut sys_used = vec![false; system.len()];
    for (_, gold_idx, sys_idx) in pairs {
        if gold_match[gold_idx].is_none() && !sys_used[sys_idx] {
            gold_match[gold_idx] = Some(sys_idx);
            sys_used[sys_idx] = true;
        }
    }
    for (gold_idx, gold) in doc.gold.iter().enumerate() {
        let hull = GoldAttribution::hull(&gold.content).unwrap_or_default();
        let direct = text[hull.range()].trim_start().starts_with(is_quote_mark);
        if direct {
            scores.n_gold_direct += 1;
        } else {
            scores.n_gold_other += 1;
        }
        let source_words =
            GoldAttribution::hull(&gold.source).map(|s| describe(text, s)).unwrap_or_default();
        let cue_words: Vec<String> = gold.cue.iter().map(|&s| describe(text, s)).collect();
        let source_words = format!("{source_words} [{}]", cue_words.join(" … "));
        let Some(sys_idx) = gold_match[gold_idx] else {
            errors.push(PolnearError {
                doc: doc.name.clone(),
                what: "missed",
                gold: format!("{} <= {source_words}", describe(text, hull)),
                system: String::new(),
            });
            continue;
        };
        scores.n_overlap += 1;
        if direct {
            scores.n_direct_found += 1;
        } else {
            scores.n_other_found += 1;
        }
        let quote = &system[sys_idx];
        let speaker_words = quote.speaker.map(|s| describe(text, s)).unwrap_or_default();
        let mut what = None;
        if let Some(source) = GoldAttribution::hull(&gold.source) {
            scores.n_with_source += 1;
            match quote.speaker {
                None => {
                    scores.n_source_missing += 1;
                    what = Some("source");
                }
                Some(speaker) => {
                    if normalise(text, speaker) == normalise(text, source) {
                        scores.n_source_exact += 1;
                    }
                    let shared: usize =
                        gold.source.iter().map(|&piece| overlap_len(piece, speaker)).sum();
                    if shared > 0 {
                        scores.n_source_overlap += 1;
                    } else {
                        what = Some("source");
                    }
                }
            }
        }
        if what.is_none() && normalise(text, quote.hull()) != normalise(text, hull) {
            what = Some("extent");
        }
        if let Some(what) = what {
            errors.push(PolnearError {
                doc: doc.name.clone(),
                what,
                gold: format!("{} <= {source_words}", describe(text, hull)),
                system: format!(
                    "{} {} <= {speaker_words}",
                    kind_tag(quote),
                    describe(text, quote.hull())
                ),
            });
        }
    }
    for (sys_idx, quote) in system.iter().enumerate() {
        if !sys_used[sys_idx] {
            let speaker_words = quote.speaker.map(|s| describe(text, s)).unwrap_or_default();
            errors.push(PolnearError {
                doc: doc.name.clone(),
                what: "spurious",
                gold: String::new(),
                system: format!(
                    "{} {} <= {speaker_words}",
                    kind_tag(quote),
                    describe(text, quote.hull())
                ),
            });
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    // An invented article in the corpus's format.
    const TEXT: &str =
        "Title line.\n\nThe agency says “rain will come.” Pell said that the dam held.";
    const ANN: &str = "T1\tSource 13 23\tThe agency\n\
                       T2\tCue 24 28\tsays\n\
                       T3\tContent 29 46\t“rain will come.”\n\
                       T4\tAttribution 24 28\tsays\n\
                       E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
                       T5\tSource 47 51\tPell\n\
                       T6\tCue 52 56\tsaid\n\
                       T7\tContent 57 74\tthat the dam held\n\
                       T8\tAttribution 52 56\tsaid\n\
                       E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5";

    #[test]
    fn parses_brat_with_character_offsets() {
        let gold = parse_ann(TEXT, ANN).unwrap();
        assert_eq!(gold.len(), 2);
        let words: Vec<&str> = gold.iter().map(|g| &TEXT[g.content[0].range()]).collect();
        assert_eq!(words, ["“rain will come.”", "that the dam held"]);
        assert_eq!(&TEXT[gold[1].source[0].range()], "Pell");
    }

    #[test]
    fn scores_exact_and_overlap_with_normalised_extents() {
        let gold = parse_ann(TEXT, ANN).unwrap();
        let doc = PolnearDoc { name: "t".into(), text: TEXT.into(), gold };
        let found = quotes::find(TEXT);
        let system = merge_continuations(TEXT, &fold_nested(&found));
        let mut errors = Vec::new();
        let scores = score_doc(&doc, &system, &mut errors);
        assert_eq!((scores.n_gold, scores.n_system), (2, 2), "{errors:?}");
        assert_eq!((scores.n_exact, scores.n_overlap), (2, 2), "{errors:?}");
        assert_eq!((scores.n_with_source, scores.n_source_exact), (2, 2), "{errors:?}");
    }

    #[test]
    fn nested_quotations_fold_into_the_outer_one() {
        let text = "Pell said the plan was “a very bad idea” for everyone.";
        let found = quotes::find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(fold_nested(&found).len(), 1);
    }

    #[test]
    fn split_quotations_merge_like_gold() {
        let text = "“We lost,” Pell said. “We will be back.”\nOro said the vote was fair.";
        let system = merge_continuations(text, &fold_nested(&quotes::find(text)));
        let pieces: Vec<Vec<&str>> =
            system.iter().map(|s| s.pieces.iter().map(|p| &text[p.range()]).collect()).collect();
        assert_eq!(pieces, [vec!["We lost", "We will be back."], vec!["the vote was fair"]]);
    }

    /// The data set lives outside the repository; run with
    /// `cargo test --release -p parallax polnear -- --ignored --nocapture`.
    /// `POLNEAR_SPLITS=train,dev` (the default) chooses the splits;
    /// add `test` only to report. `POLNEAR_ERRORS=missed,spurious,source,extent`
    /// lists errors (train and dev only).
    #[test]
    #[ignore]
    fn polnear_tables() {
        let dir = std::env::var("POLNEAR_DIR").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/datasets/polnear").to_string()
        });
        let splits = std::env::var("POLNEAR_SPLITS").unwrap_or_else(|_| "train,dev".to_string());
        let show: Vec<String> = std::env::var("POLNEAR_ERRORS")
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        for name in splits.split(',') {
            let split = match name {
                "train" => Split::Train,
                "dev" => Split::Dev,
                "test" => Split::Test,
                other => panic!("unknown split {other}"),
            };
            let report = run(Path::new(&dir), split).expect("split readable");
            if split != Split::Test {
                for e in report.errors.iter().filter(|e| show.iter().any(|w| w == e.what)) {
                    println!("{}\t{}\t{}\t{}", e.what, e.doc, e.gold, e.system);
                }
            }
            println!("{}", report.table());
        }
    }
}
