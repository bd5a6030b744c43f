//! TempEval-3 (SemEval-2013 Task 1, task A: time expressions) evaluation of
//! [`timex::tag`].
//!
//! [`run`] reads the TimeML files of one split, strips the tags to get each
//! document's text with its gold TIMEX3 spans, tags the text with the
//! document creation time (DCT) as anchor, and scores the result as the
//! official TempEval-3 scorer (`TE3-evaluation.py`) does:
//!
//! - **strict** match: same extent; **relaxed** match: overlapping extents
//!   (each gold and each system expression matched at most once);
//!   precision, recall and F1 for both;
//! - **type** and **value accuracy**: the share of relaxed-matched pairs
//!   whose TIMEX3 type (value) agrees;
//! - **type F1** and **value F1**: relaxed F1 × type (value) accuracy. Value
//!   F1 is the number the task ranked systems by.
//!
//! The layout of the data set is described in its `SOURCE.md`: `TBAQ-cleaned/`
//! (TimeBank + AQUAINT, the training split, [`Split::Train`]) and
//! `te3-platinum/` (the 20 test documents, [`Split::Platinum`]). Rules are tuned
//! on the training split only; the platinum split is for reporting.

use super::{f1, ratio};
use crate::doc::Span;
use crate::timex::{self, TimexKind};
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Which part of the TempEval-3 data to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// TBAQ-cleaned: TimeBank 1.2 and AQUAINT, cleaned (256 documents). Tune here.
    Train,
    /// TE3 platinum: the 20 evaluation documents. Report here only.
    Platinum,
}

impl Split {
    /// The split's name in tables.
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "TBAQ-cleaned (train)",
            Split::Platinum => "te3-platinum (test)",
        }
    }

    fn folders(self, dir: &Path) -> Vec<PathBuf> {
        match self {
            Split::Train => {
                vec![dir.join("TBAQ-cleaned/TimeBank"), dir.join("TBAQ-cleaned/AQUAINT")]
            }
            Split::Platinum => vec![dir.join("te3-platinum")],
        }
    }
}

/// A published result on TE3 platinum, quoted for comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedRow {
    /// System name as published.
    pub system: &'static str,
    /// Strict-match F1 (percent).
    pub strict_f1: f64,
    /// Relaxed-match F1 (percent).
    pub relaxed_f1: f64,
    /// Type F1 (percent).
    pub type_f1: f64,
    /// Value F1 (percent), the task's ranking measure.
    pub value_f1: f64,
}

/// HeidelTime-t on TE3 platinum, task A: UzZaman et al. 2013, "SemEval-2013
/// Task 1: TempEval-3", SemEval (ACL Anthology S13-2001), as listed in the
/// data set's `SOURCE.md` (value F1 confirmed by a second source there).
pub const HEIDELTIME_PLATINUM: PublishedRow = PublishedRow {
    system: "HeidelTime-t (published)",
    strict_f1: 81.34,
    relaxed_f1: 90.30,
    type_f1: 82.09,
    value_f1: 77.61,
};

/// One gold TIMEX3 of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldTimex {
    /// Extent in the stripped text.
    pub span: Span,
    /// TIMEX3 type (`DATE`, `TIME`, `DURATION`, `SET`).
    pub kind: String,
    /// TIMEX3 value.
    pub value: String,
}

/// A TimeML document with its tags stripped.
#[derive(Debug, Clone)]
pub struct TmlDoc {
    /// File name.
    pub name: String,
    /// Document creation time (the day of the DCT's TIMEX3 value).
    pub dct: NaiveDate,
    /// The content of `<TEXT>`, tags removed and entities decoded.
    pub text: String,
    /// The TIMEX3s of `<TEXT>`.
    pub gold: Vec<GoldTimex>,
}

/// What went wrong for one expression (for tuning on the training split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimexError {
    /// File name.
    pub doc: String,
    /// `missed`, `spurious`, `span`, `type` or `value` (a pair can be both `type` and `value`;
    /// it is reported once, as the first of `value`, `type`, `span`).
    pub what: &'static str,
    /// Gold words, type and value (empty for spurious ones).
    pub gold: String,
    /// System words, type and value (empty for missed ones).
    pub system: String,
    /// The document's DCT.
    pub dct: NaiveDate,
    /// Some text around the expression.
    pub context: String,
}

/// Scores of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Gold expressions.
    pub n_gold: usize,
    /// System expressions.
    pub n_system: usize,
    /// Pairs with the same extent.
    pub n_strict: usize,
    /// Pairs with overlapping extents.
    pub n_relaxed: usize,
    /// Relaxed pairs with the same type.
    pub n_type: usize,
    /// Relaxed pairs with the same value.
    pub n_value: usize,
}

impl Scores {
    /// Strict precision.
    pub fn strict_p(&self) -> f64 {
        ratio(self.n_strict, self.n_system)
    }
    /// Strict recall.
    pub fn strict_r(&self) -> f64 {
        ratio(self.n_strict, self.n_gold)
    }
    /// Strict F1.
    pub fn strict_f1(&self) -> f64 {
        f1(self.strict_p(), self.strict_r())
    }
    /// Relaxed precision.
    pub fn relaxed_p(&self) -> f64 {
        ratio(self.n_relaxed, self.n_system)
    }
    /// Relaxed recall.
    pub fn relaxed_r(&self) -> f64 {
        ratio(self.n_relaxed, self.n_gold)
    }
    /// Relaxed F1.
    pub fn relaxed_f1(&self) -> f64 {
        f1(self.relaxed_p(), self.relaxed_r())
    }
    /// Share of relaxed pairs with the gold type.
    pub fn type_accuracy(&self) -> f64 {
        ratio(self.n_type, self.n_relaxed)
    }
    /// Share of relaxed pairs with the gold value.
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.n_value, self.n_relaxed)
    }
    /// Relaxed F1 × type accuracy.
    pub fn type_f1(&self) -> f64 {
        self.relaxed_f1() * self.type_accuracy()
    }
    /// Relaxed F1 × value accuracy (the TempEval-3 ranking measure).
    pub fn value_f1(&self) -> f64 {
        self.relaxed_f1() * self.value_accuracy()
    }
}

/// The result of [`run`].
#[derive(Debug, Clone)]
pub struct TempEvalReport {
    /// The split read.
    pub split: Split,
    /// Documents read.
    pub n_docs: usize,
    /// Counts and the measures derived from them.
    pub scores: Scores,
    /// Seconds spent in `timex::tag` (parsing and scoring excluded).
    pub tag_seconds: f64,
    /// Every error, for tuning; print these for the training split only.
    pub errors: Vec<TimexError>,
}

impl TempEvalReport {
    /// Documents tagged per second.
    pub fn docs_per_second(&self) -> f64 {
        if self.tag_seconds > 0.0 {
            self.n_docs as f64 / self.tag_seconds
        } else {
            f64::INFINITY
        }
    }

    /// A Markdown table of the scores (percent), with HeidelTime's published
    /// row beside ours on the platinum split.
    pub fn table(&self) -> String {
        let s = &self.scores;
        let pct = |v: f64| format!("{:.2}", 100.0 * v);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "TempEval-3 task A (time expressions), {} — {} documents, {} gold TIMEX3",
            self.split.name(),
            self.n_docs,
            s.n_gold
        );
        out.push('\n');
        out.push_str("| system | strict P | strict R | strict F1 | relaxed P | relaxed R | relaxed F1 | type acc. | value acc. | type F1 | value F1 | docs/s |\n");
        out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        let _ = writeln!(
            out,
            "| parallax timex | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} |",
            pct(s.strict_p()),
            pct(s.strict_r()),
            pct(s.strict_f1()),
            pct(s.relaxed_p()),
            pct(s.relaxed_r()),
            pct(s.relaxed_f1()),
            pct(s.type_accuracy()),
            pct(s.value_accuracy()),
            pct(s.type_f1()),
            pct(s.value_f1()),
            self.docs_per_second(),
        );
        if self.split == Split::Platinum {
            let h = HEIDELTIME_PLATINUM;
            let _ = writeln!(
                out,
                "| {} | – | – | {:.2} | – | – | {:.2} | – | – | {:.2} | {:.2} | – |",
                h.system, h.strict_f1, h.relaxed_f1, h.type_f1, h.value_f1
            );
        }
        out
    }
}

/// Reads one split under `dir` (the `tempeval3` folder), tags it and scores it.
pub fn run(dir: &Path, split: Split) -> Result<TempEvalReport, String> {
    let mut paths = Vec::new();
    for folder in split.folders(dir) {
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("cannot read {}: {e}", folder.display()))?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".tml") && !name.starts_with("._") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(format!("no .tml files for {} under {}", split.name(), dir.display()));
    }
    let mut docs = Vec::with_capacity(paths.len());
    for path in &paths {
        let xml = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        docs.push(parse_tml(&name, &xml).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let mut scores = Scores::default();
    let mut errors = Vec::new();
    let mut tag_seconds = 0.0;
    for doc in &docs {
        let started = Instant::now();
        let mentions = timex::tag(&doc.text, Some(doc.dct));
        tag_seconds += started.elapsed().as_secs_f64();
        let system: Vec<SystemTimex> = mentions
            .iter()
            .map(|m| SystemTimex {
                span: m.span.trim(&doc.text),
                kind: kind_name(m.kind),
                value: m.value.clone().unwrap_or_default(),
            })
            .collect();
        score_doc(doc, &system, &mut scores, &mut errors);
    }
    Ok(TempEvalReport { split, n_docs: docs.len(), scores, tag_seconds, errors })
}

struct SystemTimex {
    span: Span,
    kind: &'static str,
    value: String,
}

fn kind_name(kind: TimexKind) -> &'static str {
    match kind {
        TimexKind::Date => "DATE",
        TimexKind::Time => "TIME",
        TimexKind::Duration => "DURATION",
        TimexKind::Set => "SET",
    }
}

/// Matches gold and system expressions one to one (each gold expression takes
/// the first unmatched system expression it overlaps) and counts.
fn score_doc(
    doc: &TmlDoc,
    system: &[SystemTimex],
    scores: &mut Scores,
    errors: &mut Vec<TimexError>,
) {
    scores.n_gold += doc.gold.len();
    scores.n_system += system.len();
    let mut used = vec![false; system.len()];
    let describe = |span: Span, kind: &str, value: &str| {
        format!("{:?} {kind} {value}", &doc.text[span.range()])
    };
    let context = |span: Span| {
        let start = floor_boundary(&doc.text, (span.start as usize).saturating_sub(60));
        let end = ceil_boundary(&doc.text, (span.end as usize + 60).min(doc.text.len()));
        doc.text[start..end].replace('\n', " ")
    };
    let mut error = |what, gold: String, system: String, span: Span| {
        errors.push(TimexError {
            doc: doc.name.clone(),
            what,
            gold,
            system,
            dct: doc.dct,
            context: context(span),
        });
    };
    for gold in &doc.gold {
        let found =
            system.iter().enumerate().find(|(idx, s)| !used[*idx] && s.span.overlaps(gold.span));
        let Some((sys_idx, sys)) = found else {
            error("missed", describe(gold.span, &gold.kind, &gold.value), String::new(), gold.span);
            continue;
        };
        used[sys_idx] = true;
        scores.n_relaxed += 1;
        let strict = sys.span == gold.span;
        let type_ok = sys.kind == gold.kind;
        let value_ok = sys.value == gold.value;
        scores.n_strict += usize::from(strict);
        scores.n_type += usize::from(type_ok);
        scores.n_value += usize::from(value_ok);
        let what = if !value_ok {
            Some("value")
        } else if !type_ok {
            Some("type")
        } else if !strict {
            Some("span")
        } else {
            None
        };
        if let Some(what) = what {
            error(
                what,
                describe(gold.span, &gold.kind, &gold.value),
                describe(sys.span, sys.kind, &sys.value),
                gold.span,
            );
        }
    }
    for (sys_idx, sys) in system.iter().enumerate() {
        if !used[sys_idx] {
            error("spurious", String::new(), describe(sys.span, sys.kind, &sys.value), sys.span);
        }
    }
}

fn floor_boundary(text: &str, mut pos: usize) -> usize {
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

fn ceil_boundary(text: &str, mut pos: usize) -> usize {
    while !text.is_char_boundary(pos) {
        pos += 1;
    }
    pos
}

/// Parses a TimeML document: the DCT and the `<TEXT>` element with its TIMEX3s.
pub fn parse_tml(name: &str, xml: &str) -> Result<TmlDoc, String> {
    let dct_start = xml.find("<DCT>").ok_or("no <DCT>")?;
    let dct_end = xml[dct_start..].find("</DCT>").ok_or("no </DCT>")? + dct_start;
    let dct_tag = &xml[dct_start..dct_end];
    let dct_value = attribute(dct_tag, "value").ok_or("no DCT value")?;
    let dct = NaiveDate::parse_from_str(dct_value.get(..10).ok_or("short DCT value")?, "%Y-%m-%d")
        .map_err(|e| format!("bad DCT value {dct_value}: {e}"))?;
    let text_start = xml.find("<TEXT>").ok_or("no <TEXT>")? + "<TEXT>".len();
    let text_end = xml[text_start..].find("</TEXT>").ok_or("no </TEXT>")? + text_start;
    let body = &xml[text_start..text_end];
    let mut text = String::with_capacity(body.len());
    let mut gold = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while !rest.is_empty() {
        if let Some(tag_body) = rest.strip_prefix('<') {
            let close = tag_body.find('>').ok_or("unclosed tag")?;
            let tag = &tag_body[..close];
            rest = &tag_body[close + 1..];
            if tag.starts_with("TIMEX3") {
                let kind = attribute(tag, "type").unwrap_or_default().to_string();
                let value = attribute(tag, "value").unwrap_or_default().to_string();
                open = Some((text.len(), kind, value));
            } else if tag == "/TIMEX3" {
                let (start, kind, value) = open.take().ok_or("</TIMEX3> without <TIMEX3>")?;
                let span = Span::new(start, text.len()).trim(&text);
                gold.push(GoldTimex { span, kind, value });
            }
        } else if let Some(entity_body) = rest.strip_prefix('&') {
            let semi = entity_body.find(';').filter(|&i| i <= 10);
            let decoded = semi.and_then(|i| decode_entity(&entity_body[..i]));
            match (semi, decoded) {
                (Some(i), Some(ch)) => {
                    text.push(ch);
                    rest = &entity_body[i + 1..];
                }
                _ => {
                    text.push('&');
                    rest = entity_body;
                }
            }
        } else {
            let next = rest.find(['<', '&']).unwrap_or(rest.len());
            text.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    Ok(TmlDoc { name: name.to_string(), dct, text, gold })
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code)
        }
    }
}

/// The value of `name="…"` in a tag.
fn attribute<'x>(tag: &'x str, name: &str) -> Option<&'x str> {
    let mut search = tag;
    loop {
        let idx = search.find(name)?;
        let before_ok = idx == 0 || search[..idx].ends_with(char::is_whitespace);
        let after = &search[idx + name.len()..];
        if before_ok {
            if let Some(quoted) = after.strip_prefix("=\"") {
                return quoted.find('"').map(|end| &quoted[..end]);
            }
        }
        search = &search[idx + name.len()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="2023-09-20" functionInDocument="CREATION_TIME">September 20, 2023</TIMEX3></DCT>
<TEXT>
Talks &amp; more <EVENT eid="e1">resumed</EVENT> <TIMEX3 tid="t1" type="DATE" value="2023-09-18">Monday</TIMEX3> after <TIMEX3 tid="t2" type="DURATION" value="P3M">three months</TIMEX3>.
</TEXT>
</TimeML>"#;

    #[test]
    fn parses_timeml() {
        let doc = parse_tml("sample.tml", SAMPLE).unwrap();
        assert_eq!(doc.dct, NaiveDate::from_ymd_opt(2023, 9, 20).unwrap());
        assert!(doc.text.contains("Talks & more resumed Monday after three months."));
        let spans: Vec<(&str, &str, &str)> = doc
            .gold
            .iter()
            .map(|g| (&doc.text[g.span.range()], g.kind.as_str(), g.value.as_str()))
            .collect();
        assert_eq!(spans, [("Monday", "DATE", "2023-09-18"), ("three months", "DURATION", "P3M")]);
    }

    #[test]
    fn scores_follow_te3_definitions() {
        let doc = parse_tml("sample.tml", SAMPLE).unwrap();
        let at = |s: &str| {
            let start = doc.text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        // One exact match with a wrong value, one partial match, one spurious.
        let system = [
            SystemTimex { span: at("Monday"), kind: "DATE", value: "2023-09-25".into() },
            SystemTimex { span: at("months"), kind: "DURATION", value: "P3M".into() },
            SystemTimex { span: at("Talks"), kind: "DATE", value: "PRESENT_REF".into() },
        ];
        let mut scores = Scores::default();
        let mut errors = Vec::new();
        score_doc(&doc, &system, &mut scores, &mut errors);
        assert_eq!(
            (scores.n_gold, scores.n_system, scores.n_relaxed, scores.n_strict),
            (2, 3, 2, 1)
        );
        assert!((scores.relaxed_f1() - 0.8).abs() < 1e-9);
        assert!((scores.value_accuracy() - 0.5).abs() < 1e-9);
        assert!((scores.value_f1() - 0.4).abs() < 1e-9);
        assert!((scores.type_f1() - 0.8).abs() < 1e-9);
        let whats: Vec<&str> = errors.iter().map(|e| e.what).collect();
        assert_eq!(whats, ["value", "span", "spurious"]);
    }

    /// The data set lives outside the repository; run with
    /// `cargo test --release -p parallax tempeval -- --ignored --nocapture`.
    /// Set `TEMPEVAL_ERRORS=1` to list the errors on the training split, and
    /// `TEMPEVAL_TRAIN_ONLY=1` to skip the platinum split while tuning.
    #[test]
    #[ignore]
    fn tempeval3_tables() {
        let dir = std::env::var("TEMPEVAL3_DIR").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/datasets/tempeval3").to_string()
        });
        let dir = Path::new(&dir);
        let train = run(dir, Split::Train).expect("training split readable");
        if std::env::var_os("TEMPEVAL_ERRORS").is_some() {
            for e in &train.errors {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    e.what, e.doc, e.dct, e.gold, e.system, e.context
                );
            }
        }
        println!("{}", train.table());
        if std::env::var_os("TEMPEVAL_TRAIN_ONLY").is_some() {
            return;
        }
        let platinum = run(dir, Split::Platinum).expect("platinum split readable");
        println!("{}", platinum.table());
    }
}
