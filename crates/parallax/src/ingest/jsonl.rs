//! JSON Lines input: one article per line.

use super::{decode_or_warn, read_html, text_document};
use crate::doc::{Diagnostic, Document, InputMeta, SourceFormat};

/// The fields parallax reads from a record; unknown fields are ignored.
#[derive(Debug, serde::Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    url: Option<String>,
    title: Option<String>,
    outlet: Option<String>,
    published: Option<String>,
    language: Option<String>,
    text: Option<String>,
    html: Option<String>,
}

/// Reads the records of one JSONL file. A bad line is reported with its line
/// number and skipped; the other lines are read.
pub(super) fn read_records(
    bytes: &[u8],
    stem: &str,
    origin: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Document> {
    let Some(content) = decode_or_warn(bytes, origin, diagnostics) else { return Vec::new() };
    let mut documents = Vec::new();
    for (line_idx, line) in content.lines().enumerate() {
        let line_no = line_idx + 1;
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let line_origin = format!("{origin}:{line_no}");
        let record: Record = match serde_json::from_str(line) {
            Ok(record) => record,
            Err(err) => {
                diagnostics.push(Diagnostic::warning(
                    &line_origin,
                    format!("skipped: malformed JSON record: {err}"),
                ));
                continue;
            }
        };
        let id = match record.id {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{stem}-{line_no}"),
        };
        let meta = InputMeta {
            url: record.url,
            title: record.title.filter(|t| !t.trim().is_empty()),
            outlet: record.outlet.filter(|t| !t.trim().is_empty()),
            published_source: record.published.as_ref().map(|_| "jsonl"),
            published: record.published,
            published_evidence: None,
            language: record.language,
        };
        let doc = match (record.text, record.html) {
            (Some(text), _) if !text.trim().is_empty() => {
                let mut doc = text_document(id, line_origin, text, meta);
                doc.format = SourceFormat::Jsonl;
                doc
            }
            (_, Some(markup)) if !markup.trim().is_empty() => {
                let mut doc = read_html(id, line_origin, &markup, diagnostics);
                // The record's own fields win over what the page says of itself.
                doc.meta = merge_meta(meta, doc.meta);
                doc.format = SourceFormat::Jsonl;
                doc
            }
            _ => {
                diagnostics.push(Diagnostic::warning(
                    &line_origin,
                    "skipped: record has no `text` or `html`",
                ));
                continue;
            }
        };
        if doc.text.trim().is_empty() {
            diagnostics.push(Diagnostic::warning(
                &doc.origin,
                "skipped: the record's page has no visible text",
            ));
            continue;
        }
        documents.push(doc);
    }
    documents
}

fn merge_meta(record: InputMeta, page: InputMeta) -> InputMeta {
    let from_record = record.published.is_some();
    InputMeta {
        url: record.url.or(page.url),
        title: record.title.or(page.title),
        outlet: record.outlet.or(page.outlet),
        published_source: if from_record { record.published_source } else { page.published_source },
        published_evidence: if from_record { None } else { page.published_evidence },
        published: record.published.or(page.published),
        language: record.language.or(page.language),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &str) -> (Vec<Document>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let docs = read_records(content.as_bytes(), "feed", "feed.jsonl", &mut diagnostics);
        (docs, diagnostics)
    }

    #[test]
    fn broken_line_between_good_ones_is_skipped() {
        let (docs, diagnostics) = read(
            "{\"id\":\"a\",\"text\":\"First.\",\"outlet\":\"Daily\",\"published\":\"2021-03-04\"}\n{broken\n{\"id\":\"b\",\"text\":\"Second.\"}\n",
        );
        assert_eq!(docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(docs[0].meta.outlet.as_deref(), Some("Daily"));
        assert_eq!(docs[0].meta.published.as_deref(), Some("2021-03-04"));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].origin, "feed.jsonl:2");
    }

    #[test]
    fn records_without_text_or_id() {
        let (docs, diagnostics) = read("{\"title\":\"x\"}\n{\"text\":\"Body.\"}\n[1,2]\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "feed-2");
        assert_eq!(diagnostics.len(), 2);
    }

    #[test]
    fn html_records_are_extracted() {
        let (docs, _) = read(
            "{\"id\":\"h\",\"html\":\"<html><body><p>Hello there, reader.</p></body></html>\"}",
        );
        assert_eq!(docs.len(), 1);
        assert!(docs[0].text.contains("Hello there"));
        assert_eq!(docs[0].format, SourceFormat::Jsonl);
    }
}
