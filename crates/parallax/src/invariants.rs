//! Every parser of parallax on arbitrary bytes, with its contract checked.
//!
//! Each function here feeds one entry point with whatever bytes it is given
//! and panics when the entry point breaks its contract: a span out of bounds
//! or off a `char` boundary, a span whose text is not the slice it names, an
//! unordered list that promises order. A panic inside the entry point itself
//! is of course also a failure. The fuzz targets of `fuzz/` (cargo-fuzz) and
//! the property tests of this module call the same functions, so a crash
//! found by either is the same bug.
//!
//! ```
//! parallax::invariants::timex(b"\x03\x10The vote is on Tuesday, 3 March.");
//! parallax::invariants::decode(&[0xff, 0xfe, 0x41, 0x00]);
//! ```

use crate::doc::{Document, InputMeta, Span};
use crate::{html, ingest, ner, pipeline, published, quotes, timex};
use chrono::NaiveDate;

/// Checks that `span` lies in `text` on `char` boundaries and is not reversed.
fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what}: reversed span {span:?}");
    assert!(
        text.get(span.range()).is_some(),
        "{what}: span {span:?} not on char boundaries of a text of {} bytes",
        text.len()
    );
}

/// Checks an output span: its text is the slice of the document it names.
fn check_out(
    texts: &std::collections::BTreeMap<&str, &str>,
    doc: &str,
    start: u32,
    end: u32,
    text: &str,
) {
    let source = texts.get(doc).unwrap_or_else(|| panic!("span names an unknown document {doc:?}"));
    assert_eq!(
        source.get(start as usize..end as usize),
        Some(text),
        "span {start}..{end} of {doc:?} is not its slice"
    );
}

/// Text decoding (`ingest::decode`): UTF-8 kept byte for byte, never a panic.
pub fn decode(bytes: &[u8]) {
    if let Ok(decoded) = ingest::decode(bytes) {
        if decoded.transcoded_from.is_none() {
            assert_eq!(decoded.text.as_bytes(), bytes, "UTF-8 input was not kept byte for byte");
        }
    }
}

/// HTML page reading (`html::read_page`): body spans ordered, inside one line each.
pub fn html_page(bytes: &[u8]) {
    let markup = String::from_utf8_lossy(bytes);
    let page = html::read_page(&markup);
    let mut last_end = 0;
    for &span in &page.body {
        check_span(&page.text, span, "html body");
        assert!(!span.is_empty(), "empty body span {span:?}");
        assert!(span.start as usize >= last_end, "body spans overlap or are unordered");
        assert!(!page.text[span.range()].contains('\n'), "body span {span:?} crosses a line");
        last_end = span.end as usize;
    }
    if let Some(evidence) = page.date.and_then(|d| d.evidence) {
        check_span(&page.text, evidence, "html date evidence");
    }
}

/// JSONL reading (`ingest::read_jsonl`): every document has text and a unique id.
pub fn jsonl(bytes: &[u8]) {
    let ingested = ingest::read_jsonl(bytes, "fuzz", "fuzz.jsonl");
    let mut ids = std::collections::BTreeSet::new();
    for doc in &ingested.documents {
        assert!(!doc.text.trim().is_empty(), "a document without text was kept");
        assert!(ids.insert(doc.id.as_str()), "duplicate id {:?}", doc.id);
    }
    for diagnostic in &ingested.diagnostics {
        assert!(
            diagnostic.origin.starts_with("fuzz.jsonl"),
            "diagnostic names {:?}",
            diagnostic.origin
        );
    }
}

/// Date parsing (`published::parse_date`): never a panic.
pub fn parse_date(bytes: &[u8]) {
    let raw = String::from_utf8_lossy(bytes);
    let _ = published::parse_date(&raw);
}

/// The anchor day taken from the first two bytes (any day from 1900 to 2079),
/// or none when the first byte is odd; the rest of the bytes are the text.
fn anchor_and_text(bytes: &[u8]) -> (Option<NaiveDate>, std::borrow::Cow<'_, str>) {
    match bytes {
        [a, b, rest @ ..] => {
            let days = u16::from_le_bytes([*a, *b]) as u64 >> 1;
            let anchor = (a & 1 == 0).then(|| {
                NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid day")
                    + chrono::Days::new(days % (180 * 365))
            });
            (anchor, String::from_utf8_lossy(rest))
        }
        _ => (None, String::from_utf8_lossy(bytes)),
    }
}

/// Time-expression tagging (`timex::tag`): mentions in bounds, sorted, not overlapping.
pub fn timex(bytes: &[u8]) {
    let (anchor, text) = anchor_and_text(bytes);
    let mentions = timex::tag(&text, anchor);
    let mut last_end = 0;
    for mention in &mentions {
        check_span(&text, mention.span, "time span");
        check_span(&text, mention.span_with_prep, "time span with preposition");
        assert!(mention.span.start as usize >= last_end, "time mentions overlap or are unordered");
        assert!(
            mention.span_with_prep.contains(mention.span),
            "preposition span does not hold the span"
        );
        last_end = mention.span.end as usize;
    }
}

/// Quotation finding (`quotes::find`): spans in bounds, continuations point backwards.
pub fn quotes(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let found = quotes::find(&text);
    for (idx, quote) in found.iter().enumerate() {
        check_span(&text, quote.span, "quote");
        for (span, what) in [(quote.cue, "cue"), (quote.speaker, "speaker")] {
            if let Some(span) = span {
                check_span(&text, span, what);
            }
        }
        if let Some(earlier) = quote.continues {
            assert!(earlier < found.len(), "quote {idx} continues {earlier}, past the end");
        }
    }
}

/// Named-entity tagging (`ner::Tagger::tag`): non-empty spans in bounds, sorted.
pub fn ner(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mentions = ner::Tagger::load().tag(&text);
    for mention in &mentions {
        check_span(&text, mention.span, "name");
        assert!(!mention.span.is_empty(), "empty name span");
    }
}

/// The whole pipeline on one plain-text document: every output span is the
/// slice it names and the file serialises.
pub fn pipeline_text(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    if text.trim().is_empty() {
        return;
    }
    let doc = ingest::text_document("fuzz".into(), "fuzz.txt".into(), text, InputMeta::default());
    pipeline_one(doc);
}

/// The whole pipeline on one HTML page.
pub fn pipeline_html(bytes: &[u8]) {
    let markup = String::from_utf8_lossy(bytes);
    let doc = ingest::html_document("fuzz".into(), "fuzz.html".into(), &markup);
    if doc.text.trim().is_empty() {
        return;
    }
    pipeline_one(doc);
}

fn pipeline_one(doc: Document) {
    let analysis = pipeline::analyze(vec![doc], &[], &pipeline::Config::default(), &|| {});
    let texts: std::collections::BTreeMap<&str, &str> =
        analysis.documents.iter().map(|d| (d.id.as_str(), d.text.as_str())).collect();
    for doc in &analysis.documents {
        for removed in &doc.removed {
            check_out(&texts, &doc.id, removed.start, removed.end, &removed.text);
        }
        if let Some(evidence) = &doc.published.evidence {
            check_out(&texts, &evidence.doc, evidence.start, evidence.end, &evidence.text);
        }
    }
    for time in &analysis.times {
        check_out(&texts, &time.doc, time.start, time.end, &time.text);
    }
    for entity in &analysis.entities {
        for mention in &entity.mentions {
            check_out(&texts, &mention.doc, mention.start, mention.end, &mention.text);
        }
    }
    for quote in &analysis.quotes {
        check_out(&texts, &quote.doc, quote.start, quote.end, &quote.text);
    }
    let json = analysis.to_json();
    serde_json::from_slice::<serde_json::Value>(&json).expect("the analysis file is JSON");
}

#[cfg(test)]
mod tests {
    //! A smoke of the fuzz targets that the normal test suite (and so CI) runs:
    //! the same entry points on random bytes and on random strings built from
    //! the characters parsers care about.

    use proptest::prelude::*;

    /// Bytes that are mostly text with the punctuation, digits, marks and
    /// markup that the parsers branch on.
    fn texty() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop::sample::select(vec![
            "said",
            "according to",
            "\u{201c}",
            "\u{201d}",
            "\"",
            "'",
            "\u{2019}",
            "on Monday",
            "March",
            "3",
            "2024",
            "-",
            "\u{2013}",
            "/",
            ".",
            ",",
            " ",
            "\n",
            "\n\n",
            "<p>",
            "</p>",
            "<div>",
            "<time datetime=\"2024-03-11\">",
            "</time>",
            "<script>",
            "{\"id\":1,\"text\":",
            "}",
            "Ana Ruiz",
            "Minister",
            "he",
            "\u{e9}",
            "\u{4e2d}",
            "\u{1f600}",
            "\u{feff}",
            "\u{0}",
            "yesterday",
            "last week",
            "T10:00Z",
            "A-12",
            "(",
            ")",
            ":",
            "AP",
            "--",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat().into_bytes())
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![prop::collection::vec(any::<u8>(), 0..300), texty()]
    }

    /// Inputs that crashed a target once; each is also a unit test where the bug was.
    #[test]
    fn regressions() {
        // entities::roles: a clause cut inside a curly quote's bytes.
        super::pipeline_html(b"\xe2\x80\x9c',T10:00Z,,said\n");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn smoke_decode(input in bytes()) { super::decode(&input) }

        #[test]
        fn smoke_html_page(input in bytes()) { super::html_page(&input) }

        #[test]
        fn smoke_jsonl(input in bytes()) { super::jsonl(&input) }

        #[test]
        fn smoke_parse_date(input in bytes()) { super::parse_date(&input) }

        #[test]
        fn smoke_timex(input in bytes()) { super::timex(&input) }

        #[test]
        fn smoke_quotes(input in bytes()) { super::quotes(&input) }

        #[test]
        fn smoke_ner(input in bytes()) { super::ner(&input) }

        #[test]
        fn smoke_pipeline_text(input in texty()) { super::pipeline_text(&input) }

        #[test]
        fn smoke_pipeline_html(input in texty()) { super::pipeline_html(&input) }
    }
}
