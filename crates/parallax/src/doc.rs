//! The shared vocabulary of every stage: documents, spans, diagnostics.
//!
//! A [`Span`] is a pair of byte offsets into one document's `text`. Every stage
//! reports what it found as spans, so that any answer can be traced back to the
//! exact words that justify it.

use std::fmt;

/// A half-open byte range `[start, end)` into one document's `text`.
///
/// **Invariant:** both ends lie on `char` boundaries of the text they index,
/// so `&text[span.range()]` never panics.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `usize` offsets.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start: start as u32, end: end as u32 }
    }

    /// The span as a `usize` range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Number of bytes covered.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// True when the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The same span moved right by `delta` bytes.
    pub fn shift(self, delta: usize) -> Span {
        Span::new(self.start as usize + delta, self.end as usize + delta)
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The span with leading and trailing white space of `text` removed.
    pub fn trim(self, text: &str) -> Span {
        let slice = &text[self.range()];
        let lead = slice.len() - slice.trim_start().len();
        let trimmed_len = slice.trim().len();
        if trimmed_len == 0 {
            return Span::new(self.start as usize, self.start as usize);
        }
        Span::new(self.start as usize + lead, self.start as usize + lead + trimmed_len)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Dense index of a document within one run, allocated in input order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct DocId(pub u32);

/// What kind of input a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SourceFormat {
    /// A plain text file.
    Text,
    /// A saved HTML page.
    Html,
    /// One record of a JSON Lines file.
    Jsonl,
}

/// Metadata supplied by the input itself (JSONL fields, HTML meta tags).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InputMeta {
    /// Address the article was fetched from.
    pub url: Option<String>,
    /// Headline given by the input.
    pub title: Option<String>,
    /// Outlet (publication) name given by the input.
    pub outlet: Option<String>,
    /// Publication date as given by the input, unparsed.
    pub published: Option<String>,
    /// Where `published` came from (`jsonl`, `meta`, `json-ld`, `time`).
    pub published_source: Option<&'static str>,
    /// The words of `text` that show `published`, when there are such words.
    pub published_evidence: Option<Span>,
    /// Declared language, when the input gives one.
    pub language: Option<String>,
}

/// One article as read from the input, before any analysis.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Dense index in this run.
    pub doc_id: DocId,
    /// External id: the file stem, or the id of the JSONL record.
    pub id: String,
    /// Where it came from, for messages (`path` or `path:line`).
    pub origin: String,
    /// The input format.
    pub format: SourceFormat,
    /// The text the engine reads; every span of this document indexes into it.
    pub text: String,
    /// For HTML input: the stretches of `text` the main-content extractor kept.
    pub extracted: Option<Vec<Span>>,
    /// Metadata the input supplied.
    pub meta: InputMeta,
}

impl Document {
    /// The slice of `text` a span covers.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }
}

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// Information the user may want (for example a transcoded file).
    Note,
    /// Something was skipped or repaired; the run goes on.
    Warning,
}

/// A message about one input, always naming it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The file (or `file:line`) it is about.
    pub origin: String,
    /// What happened, as a sentence fragment without a final period.
    pub message: String,
}

impl Diagnostic {
    /// A warning about `origin`.
    pub fn warning(origin: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, origin: origin.into(), message: message.into() }
    }

    /// A note about `origin`.
    pub fn note(origin: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Note, origin: origin.into(), message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.origin, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_removes_outer_white_space_only() {
        let text = "  a b \n";
        let span = Span::new(0, text.len()).trim(text);
        assert_eq!(&text[span.range()], "a b");
        let blank = Span::new(0, 2).trim(text);
        assert!(blank.is_empty());
    }

    #[test]
    fn overlap_and_containment() {
        let a = Span::new(0, 10);
        assert!(a.overlaps(Span::new(9, 12)));
        assert!(!a.overlaps(Span::new(10, 12)));
        assert!(a.contains(Span::new(2, 10)));
        assert!(!a.contains(Span::new(2, 11)));
    }
}
