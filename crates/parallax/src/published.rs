//! Publication dates: what a document says of its own date, and what its
//! story says when it says nothing.
//!
//! A document's own date comes, in order of trust, from the input's metadata
//! (a JSONL field, HTML meta tags or JSON-LD), a "Published:" byline, or a
//! dateline under the headline. A date in page chrome (a "today is" header
//! above the headline) is never taken; the note says so. A document without
//! its own date gets the range its story supports: from the publication days
//! of its dated siblings, narrowed by its own past-tense references ("arrived
//! on Tuesday") resolved against them.

use crate::clean::Cleaned;
use crate::doc::{Document, Span};
use crate::timex::{self, Anchoring};
use chrono::NaiveDate;

/// A publication date with its range, basis and evidence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Published {
    /// The best single day, when the evidence fixes one.
    pub value: Option<NaiveDate>,
    /// First day of the defensible range.
    pub earliest: Option<NaiveDate>,
    /// Last day of the defensible range.
    pub latest: Option<NaiveDate>,
    /// `metadata`, `byline`, `dateline`, `story` or `none`.
    pub basis: &'static str,
    /// Words of the document's text that justify it.
    pub evidence: Option<Span>,
    /// How it was reached and what was rejected.
    pub note: String,
}

impl Published {
    fn day(
        value: NaiveDate,
        basis: &'static str,
        evidence: Option<Span>,
        note: String,
    ) -> Published {
        Published {
            value: Some(value),
            earliest: Some(value),
            latest: Some(value),
            basis,
            evidence,
            note,
        }
    }

    /// No date can be defended.
    pub fn unknown(note: String) -> Published {
        Published { value: None, earliest: None, latest: None, basis: "none", evidence: None, note }
    }
}

/// The date a document gives itself, or `None` with a note on what was rejected.
pub fn own_date(doc: &Document, cleaned: &Cleaned) -> Result<Published, String> {
    let mut rejected = Vec::new();
    for date in cleaned.dates.iter().filter(|d| d.role == "page-date") {
        rejected.push(format!(
            "the date {} above the headline is page chrome (the day the page was shown or saved), not the article's date",
            date.value
        ));
    }
    if let Some(raw) = doc.meta.published.as_deref() {
        match parse_date(raw) {
            Some(value) => {
                let source = doc.meta.published_source.unwrap_or("metadata");
                return Ok(Published::day(
                    value,
                    "metadata",
                    doc.meta.published_evidence,
                    format!("from the input's {source} publication date"),
                ));
            }
            None => rejected.push(format!("the input's publication date {raw:?} is not a date")),
        }
    }
    for (role, basis, what) in [
        ("byline", "byline", "a publication label above the article"),
        ("dateline", "dateline", "the dateline under the headline"),
        ("updated", "byline", "an update label (no first publication date shown)"),
    ] {
        if let Some(date) = cleaned.dates.iter().find(|d| d.role == role) {
            let mut note = format!("from {what}");
            if !rejected.is_empty() {
                note = format!("{note}; {}", rejected.join("; "));
            }
            return Ok(Published::day(date.value, basis, Some(date.span), note));
        }
    }
    Err(if rejected.is_empty() {
        "the document shows no publication date".to_string()
    } else {
        rejected.join("; ")
    })
}

/// Parses an ISO date or date-time ("2023-08-22", "2023-08-22T10:00:00Z"), or
/// any absolute date the time tagger reads ("22 August 2023").
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if let Some(day) = raw.get(..10).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()) {
        return Some(day);
    }
    timex::tag(raw, None).iter().find_map(|m| {
        (m.anchoring == Anchoring::Absolute)
            .then(|| {
                m.value
                    .as_deref()
                    .and_then(|v| v.get(..10))
                    .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
            })
            .flatten()
    })
}

/// The days a document's own relative expressions point to in the past of
/// `anchor` ("arrived on Tuesday", "yesterday"), with their spans in the
/// document's text. Expressions pointing after the anchor are plans, not reports.
pub fn past_references<'a>(
    pieces: impl Iterator<Item = (Span, &'a str)>,
    anchor: NaiveDate,
) -> Vec<(Span, NaiveDate)> {
    let mut res = Vec::new();
    for (piece, piece_text) in pieces {
        for mention in timex::tag(piece_text, Some(anchor)) {
            if mention.anchoring != Anchoring::Anchor {
                continue;
            }
            let Some(day) = mention
                .value
                .as_deref()
                .filter(|v| v.len() == 10)
                .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
            else {
                continue;
            };
            if day <= anchor {
                res.push((mention.span.shift(piece.start as usize), day));
            }
        }
    }
    res
}

/// The range a story supports for a document without its own date.
///
/// `siblings` are the publication days of the story's dated documents;
/// `references` the document's own past references resolved against the
/// latest of them. The document cannot predate what it reports, so the range
/// starts at its latest reference (else the earliest sibling) and ends at the
/// latest sibling.
pub fn from_story(
    siblings: &[NaiveDate],
    references: &[(Span, NaiveDate)],
    prior_note: &str,
) -> Published {
    let (Some(&first), Some(&last)) = (siblings.iter().min(), siblings.iter().max()) else {
        return Published::unknown(format!("{prior_note}; its story has no dated article"));
    };
    let latest_reference =
        references.iter().max_by_key(|&&(span, day)| (day, std::cmp::Reverse(span.start)));
    let (earliest, evidence) = match latest_reference {
        Some(&(span, day)) => (day, Some(span)),
        None => (first, None),
    };
    let latest = last.max(earliest);
    let value = (earliest == latest).then_some(earliest);
    let mut note =
        format!("{prior_note}; estimated from its story, whose dated articles were published {first}..{last}");
    if evidence.is_some() {
        note.push_str(&format!(
            "; it reports events of {earliest} (its evidence), so it cannot be older"
        ));
    }
    Published {
        value,
        earliest: Some(earliest),
        latest: Some(latest),
        basis: "story",
        evidence,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn story_range_starts_at_the_latest_reported_day() {
        let references =
            [(Span::new(10, 20), day("2021-05-03")), (Span::new(30, 40), day("2021-05-04"))];
        let published = from_story(&[day("2021-05-04")], &references, "no own date");
        assert_eq!(published.value, Some(day("2021-05-04")));
        assert_eq!(published.evidence, Some(Span::new(30, 40)));
        assert_eq!(published.basis, "story");
    }

    #[test]
    fn story_range_without_references_spans_the_siblings() {
        let published = from_story(&[day("2021-05-04"), day("2021-05-02")], &[], "no own date");
        assert_eq!(
            (published.earliest, published.latest, published.value),
            (Some(day("2021-05-02")), Some(day("2021-05-04")), None)
        );
    }

    #[test]
    fn reference_before_siblings_widens_the_range() {
        let published =
            from_story(&[day("2021-05-04")], &[(Span::new(0, 6), day("2021-05-03"))], "x");
        assert_eq!(
            (published.earliest, published.latest, published.value),
            (Some(day("2021-05-03")), Some(day("2021-05-04")), None)
        );
    }

    #[test]
    fn no_dated_sibling_means_unknown() {
        let published = from_story(&[], &[], "no own date");
        assert_eq!(published.basis, "none");
        assert_eq!(published.value, None);
    }

    #[test]
    fn iso_dates_and_datetimes_parse() {
        assert_eq!(parse_date("2021-05-03T10:00:00+02:00"), Some(day("2021-05-03")));
        assert_eq!(parse_date(" 2021-05-03 "), Some(day("2021-05-03")));
        assert_eq!(parse_date("soon"), None);
    }
}
