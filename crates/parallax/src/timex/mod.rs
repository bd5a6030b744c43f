//! Time expressions: recognition and TIMEX3-style normalisation.
//!
//! [`tag`] finds the time expressions of an English news text, in the style of
//! HeidelTime and SUTime, and gives each a TIMEX3 type and value:
//!
//! 1. `rules/` proposes candidates: one regex per family of expressions
//!    (`dates.rs`: "September 20, 2023", years, months, holidays;
//!    `relative.rs`: weekdays, "last week", quarters, "that day";
//!    `amounts.rs`: "two days ago", durations, sets, "now", clock times),
//!    each with a function that vetoes bad contexts and computes the value.
//! 2. The longest candidates that do not overlap are kept.
//! 3. Clock times take the day next to them, modifiers ("early", "mid-", "the
//!    end of") are attached, "a year earlier" after a quarter becomes that
//!    quarter a year before, and "that day" / "the following year" are
//!    resolved against the last date mentioned before them.
//!
//! Relative expressions are resolved against an anchor date, usually the
//! publication date. Words that name a day, month or holiday without saying
//! which one ("on Monday", "in April", "Nov. 21") are resolved with the tense
//! of their clause (`tense.rs`, reported as [`Direction`]). [`range_of`] turns
//! a value back into the calendar days it covers (`calendar.rs`).
//!
//! ```
//! use chrono::NaiveDate;
//! use parallax::timex::{tag, TimexKind};
//!
//! let text = "The minister said on Monday that talks will resume next week.";
//! let anchor = NaiveDate::from_ymd_opt(2023, 9, 20); // A Wednesday.
//! let mentions = tag(text, anchor);
//! let found: Vec<(&str, Option<&str>)> =
//!     mentions.iter().map(|m| (&text[m.span.range()], m.value.as_deref())).collect();
//! assert_eq!(found, [("Monday", Some("2023-09-18")), ("next week", Some("2023-W39"))]);
//! assert_eq!(&text[mentions[0].span_with_prep.range()], "on Monday");
//! assert_eq!(mentions[1].kind, TimexKind::Date);
//! ```

mod calendar;
mod lexicon;
mod rules;
mod tense;
#[cfg(test)]
mod tests;

pub use calendar::{range_of, Direction};

use crate::doc::Span;
use chrono::NaiveDate;
use regex::Regex;
use rules::{Candidate, Ctx};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The TIMEX3 type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimexKind {
    /// A calendar date or period ("September 20, 2023", "last year", "on Monday").
    Date,
    /// A time of day ("3:17 pm").
    Time,
    /// An amount of time ("for months").
    Duration,
    /// A recurrence ("every year").
    Set,
}

/// What a value was resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchoring {
    /// The expression fixes its own value ("September 20, 2023").
    Absolute,
    /// Resolved against the anchor date given to `tag`.
    Anchor,
    /// It needs an anchor and none was given, or it cannot be resolved.
    None,
}

/// One time expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMention {
    /// The words, as a span into the text given to `tag`, as TimeBank marks
    /// them: without a leading preposition ("Monday" in "on Monday").
    pub span: Span,
    /// TIMEX3 type.
    pub kind: TimexKind,
    /// Normalised value (`2023-08-21`, `2022-11`, `2023-W38`, `P3M`, `XXXX-WXX-1`), or none.
    pub value: Option<String>,
    /// How the value was obtained.
    pub anchoring: Anchoring,
    /// `span` widened to the preposition before it, when there is one ("on Monday").
    pub span_with_prep: Span,
    /// The first and last day the value denotes (see [`range_of`]); none for
    /// durations, sets, references (`PRESENT_REF`) and unresolved values.
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// For words resolved by the tense of their clause (a weekday, a month or
    /// a day without a year, a holiday): the direction that was used.
    pub direction: Option<Direction>,
}

/// Finds the time expressions of `text`, resolving relative ones against `anchor`.
///
/// Mentions come sorted by position and never overlap.
pub fn tag(text: &str, anchor: Option<NaiveDate>) -> Vec<TimeMention> {
    let ctx = Ctx { text, anchor };
    let mut kept = select(rules::candidates(&ctx));
    attach_clock_times(text, &mut kept);
    attach_modifiers(text, &mut kept);
    refine_by_quarter(&mut kept);
    resolve_anaphora(&mut kept);
    kept.into_iter()
        .map(|cand| {
            let span = Span::new(cand.start, cand.end);
            let range = match cand.kind {
                TimexKind::Date | TimexKind::Time => cand.value.as_deref().and_then(range_of),
                TimexKind::Duration | TimexKind::Set => None,
            };
            TimeMention {
                span,
                kind: cand.kind,
                value: cand.value,
                anchoring: cand.anchoring,
                span_with_prep: Span::new(preposition_start(text, cand.start), cand.end),
                range,
                direction: cand.direction,
            }
        })
        .collect()
}

/// Keeps the longest candidates that do not overlap, earlier rules first on
/// ties; returns them sorted by position.
fn select(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by_key(|c| (std::cmp::Reverse(c.end - c.start), c.rule_idx, c.start));
    let mut kept: BTreeMap<usize, Candidate> = BTreeMap::new();
    for cand in cands {
        let clash_before =
            kept.range(..cand.end).next_back().is_some_and(|(_, k)| k.end > cand.start);
        if !clash_before {
            kept.insert(cand.start, cand);
        }
    }
    kept.into_values().collect()
}

/// True when a value names one whole day (`2023-09-20`).
fn is_day_value(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-')
}

/// A clock time next to a day ("Sun. Nov 24th, 2024 3:17 pm", "9 a.m. Tuesday")
/// takes that day; when only white space or a comma separates them, the two
/// become one TIME expression.
fn attach_clock_times(text: &str, kept: &mut Vec<Candidate>) {
    let is_clock = |c: &Candidate| {
        c.kind == TimexKind::Time
            && c.value.as_deref().is_some_and(|v| v.contains('T') && v.contains(':'))
    };
    let mut absorbed = vec![false; kept.len()];
    for idx in 0..kept.len() {
        if !is_clock(&kept[idx]) {
            continue;
        }
        // The day before the time, then the day after it.
        let neighbours = [idx.checked_sub(1), Some(idx + 1).filter(|&i| i < kept.len())];
        for day_idx in neighbours.into_iter().flatten() {
            let day = &kept[day_idx];
            if absorbed[day_idx]
                || day.kind != TimexKind::Date
                || !is_day_value(day.value.as_deref())
            {
                continue;
            }
            let (gap_start, gap_end) =
                if day_idx < idx { (day.end, kept[idx].start) } else { (kept[idx].end, day.start) };
            let gap = text[gap_start..gap_end].trim();
            let adjacent = gap.is_empty() || gap == ",";
            if !(adjacent || gap.eq_ignore_ascii_case("at") || gap.eq_ignore_ascii_case("on")) {
                continue;
            }
            let day = day.clone();
            let time = &mut kept[idx];
            if let (Some(value), Some(day_value)) = (time.value.as_mut(), day.value.as_deref()) {
                if let Some(t_idx) = value.find('T') {
                    *value = format!("{day_value}{}", &value[t_idx..]);
                }
            }
            time.anchoring = day.anchoring;
            time.direction = day.direction;
            if adjacent {
                time.start = time.start.min(day.start);
                time.end = time.end.max(day.end);
                absorbed[day_idx] = true;
            }
            break;
        }
    }
    let mut idx = 0;
    kept.retain(|_| {
        idx += 1;
        !absorbed[idx - 1]
    });
}

/// "Profit rose to $5 million in the third quarter from $4 million a year
/// earlier": a year-shift right after a quarter means that quarter a year
/// before (`2012-Q3`), as in the financial reports of TimeBank.
fn refine_by_quarter(kept: &mut [Candidate]) {
    const REACH: usize = 400;
    for idx in 0..kept.len() {
        let Some(years) = kept[idx].years_back else { continue };
        let start = kept[idx].start;
        let quarter =
            kept[..idx].iter().rev().take_while(|c| c.end + REACH >= start).find_map(|c| {
                let value = c.value.as_deref()?;
                let (year, q) = value.split_once("-Q")?;
                let year: i32 = year.parse().ok()?;
                (q.len() == 1 && c.years_back.is_none())
                    .then(|| format!("{:04}-Q{q}", year - years))
            });
        if let (Some(quarter), Some(_)) = (quarter, kept[idx].value.as_ref()) {
            kept[idx].value = Some(quarter);
        }
    }
}

/// "That day", "the following year": shifts from the last date mentioned
/// before them (of at least the anaphor's precision), rather than from the anchor.
fn resolve_anaphora(kept: &mut [Candidate]) {
    let mut reference: Option<(NaiveDate, usize, String)> = None;
    for cand in kept.iter_mut() {
        if let (Some(anaphor), Some((date, precision, value))) = (cand.anaphor, reference.as_ref())
        {
            if *precision <= granularity_rank(anaphor.unit) {
                // "A year earlier", after a quarter, is that quarter a year before.
                let quarter =
                    value.split_once("-Q").filter(|_| anaphor.unit == lexicon::Unit::Year);
                let shifted = match quarter {
                    Some((year, q)) => {
                        year.parse::<i32>().ok().map(|y| format!("{:04}-Q{q}", y + anaphor.offset))
                    }
                    None => rules::anaphor_value(*date, anaphor),
                };
                if let Some(shifted) = shifted {
                    cand.value = Some(shifted);
                    cand.anchoring = Anchoring::Anchor;
                }
            }
        }
        if !matches!(cand.kind, TimexKind::Date | TimexKind::Time) {
            continue;
        }
        let Some(value) = cand.value.as_deref() else { continue };
        if let Some((first, _)) = range_of(value) {
            reference = Some((first, value_precision(value), value.to_string()));
        }
    }
}

/// How precise a value is: 0 for a day, 1 for a week, 2 for a month, 3 for a
/// quarter or season, 4 for a year, 5 for anything coarser.
fn value_precision(value: &str) -> usize {
    let date = value.split('T').next().unwrap_or(value);
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [year] if year.len() == 4 => 4,
        [_, second] if second.starts_with('W') => 1,
        [_, second]
            if second.starts_with(['Q', 'H'])
                || second.len() == 2 && !second.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            3
        }
        [_, _] => 2,
        [_, _, third] if *third == "WE" => 1,
        [_, _, _] => 0,
        _ => 5,
    }
}

/// The precision rank of a unit, on the scale of `value_precision`.
fn granularity_rank(unit: lexicon::Unit) -> usize {
    use lexicon::Unit;
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => 0,
        Unit::Week => 1,
        Unit::Month => 2,
        Unit::Quarter => 3,
        Unit::Year => 4,
        Unit::Decade | Unit::Century | Unit::Millennium => 5,
    }
}

/// Modifiers that belong to the date or time after them.
static MODIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:early|late|mid|earlier|later)\s+|\bmid-|\b(?:the\s+)?(?:end|beginning|start|middle|turn|close|rest|remainder|first\s+half|second\s+half|latter\s+part|early\s+part)\s+of\s+)$")
        .expect("valid regex")
});

/// Widens dates and times over the modifier in front of them ("late November",
/// "mid-2015", "the end of last year"), as TimeBank marks them.
fn attach_modifiers(text: &str, kept: &mut [Candidate]) {
    let mut previous_end = 0;
    for cand in kept.iter_mut() {
        let is_point = matches!(cand.kind, TimexKind::Date | TimexKind::Time)
            && !cand.value.as_deref().is_some_and(|v| v.ends_with("_REF"));
        if is_point {
            let window_start =
                tense::floor_char_boundary(text, cand.start.saturating_sub(40)).max(previous_end);
            if let Some(m) = MODIFIER.find(&text[window_start..cand.start]) {
                let lower = text[cand.start..cand.end].to_ascii_lowercase();
                let already = ["early", "late", "mid", "earlier", "later", "the end"]
                    .iter()
                    .any(|w| lower.starts_with(w));
                // "Earlier Friday": an adverb of the sentence, not part of the day.
                let modifier = m.as_str().trim().to_ascii_lowercase();
                let weekday = cand.direction.is_some() && lower.ends_with("day");
                let adverb = weekday && (modifier == "earlier" || modifier == "later");
                if !already && !adverb {
                    cand.start = window_start + m.start();
                }
            }
        }
        previous_end = cand.end;
    }
}

/// A preposition that introduces a time expression.
static PREPOSITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:on|in|at|by|since|until|till|from|during|for|before|after|through|throughout|within|over|between|around|as\s+of|into|of|to|until)\s+$")
        .expect("valid regex")
});

/// Where the preposition right before byte `start` begins (or `start` itself).
fn preposition_start(text: &str, start: usize) -> usize {
    let window_start = tense::floor_char_boundary(text, start.saturating_sub(16));
    PREPOSITION.find(&text[window_start..start]).map_or(start, |m| window_start + m.start())
}
