//! Reading the input pile: walking folders, decoding bytes, splitting JSONL.
//!
//! `ingest` turns paths into [`Document`]s. It never fails as a whole because
//! of one bad file: each problem becomes a [`Diagnostic`] naming the file (and
//! line), and the rest is read. Only usage errors (a path that does not exist)
//! are returned as [`Error`].

mod decode;
mod jsonl;

use crate::doc::{Diagnostic, DocId, Document, InputMeta, SourceFormat};
use crate::html;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use decode::{decode, Decoded};

/// Errors that stop ingestion before it starts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A path named on the command line does not exist or cannot be read.
    #[error("{path}: {source}")]
    Path {
        /// The path as given.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// Result of this module.
pub type Result<T> = std::result::Result<T, Error>;

/// Limits that keep one pathological input from taking the run down.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files larger than this are skipped with a warning.
    pub max_file_bytes: u64,
    /// At most this many documents are read; the rest are skipped with a warning.
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: 100 * 1024 * 1024, max_documents: 1_000_000 }
    }
}

/// What ingestion produced: the documents, in a stable order, and what went wrong.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Documents in input order (paths sorted, records by line).
    pub documents: Vec<Document>,
    /// One entry per skipped, repaired or suspicious input.
    pub diagnostics: Vec<Diagnostic>,
}

/// The input kinds parallax reads, by file extension.
fn format_of(path: &Path) -> Option<InputKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(InputKind::Text),
        "html" | "htm" | "xhtml" => Some(InputKind::Html),
        "jsonl" | "ndjson" => Some(InputKind::Jsonl),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InputKind {
    Text,
    Html,
    Jsonl,
}

/// Lists the input files under `paths`: files as given, folders walked
/// recursively in byte order of their paths. Symbolic links are followed; a
/// link loop is reported and not entered.
pub fn collect_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<Diagnostic>)> {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|source| Error::Path { path: path.display().to_string(), source })?;
        if meta.is_file() {
            files.push(path.clone());
            continue;
        }
        let walker = walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
                Ok(entry) if entry.file_type().is_dir() => {}
                // A FIFO would block the read forever; a socket or device is no article.
                Ok(entry) => diagnostics.push(Diagnostic::warning(
                    entry.path().display().to_string(),
                    "skipped: not a regular file (a FIFO, socket or device)",
                )),
                Err(err) => {
                    let origin = err
                        .path()
                        .map_or_else(|| path.display().to_string(), |p| p.display().to_string());
                    let message = if err.loop_ancestor().is_some() {
                        "skipped: symbolic link loop".to_string()
                    } else {
                        format!(
                            "skipped: {}",
                            err.io_error().map_or_else(|| err.to_string(), |e| e.to_string())
                        )
                    };
                    diagnostics.push(Diagnostic::warning(origin, message));
                }
            }
        }
    }
    Ok((files, diagnostics))
}

/// Reads every input under `paths`.
pub fn read_paths(paths: &[PathBuf], limits: Limits) -> Result<Ingested> {
    let (files, mut diagnostics) = collect_files(paths)?;
    let mut documents = Vec::new();
    for file in &files {
        let origin = file.display().to_string();
        let Some(kind) = format_of(file) else {
            // Hidden files (editor swap files, .DS_Store) are skipped silently.
            if !file.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
                diagnostics.push(Diagnostic::warning(
                    &origin,
                    "skipped: not an input format (.txt, .html, .htm, .jsonl, .ndjson)",
                ));
            }
            continue;
        };
        let bytes = match read_bounded(file, limits.max_file_bytes) {
            Ok(bytes) => bytes,
            Err(message) => {
                diagnostics.push(Diagnostic::warning(&origin, message));
                continue;
            }
        };
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("document").to_string();
        match kind {
            InputKind::Jsonl => {
                documents.extend(jsonl::read_records(&bytes, &stem, &origin, &mut diagnostics));
            }
            InputKind::Text | InputKind::Html => {
                let Some(text) = decode_or_warn(&bytes, &origin, &mut diagnostics) else {
                    continue;
                };
                let doc = if kind == InputKind::Html {
                    read_html(stem, origin, &text, &mut diagnostics)
                } else {
                    text_document(stem, origin, text, InputMeta::default())
                };
                if doc.text.trim().is_empty() {
                    diagnostics.push(Diagnostic::warning(
                        &doc.origin,
                        "skipped: the page has no visible text",
                    ));
                    continue;
                }
                documents.push(doc);
            }
        }
    }
    if documents.len() > limits.max_documents {
        diagnostics.push(Diagnostic::warning(
            "input",
            format!(
                "read only the first {} of {} documents (the document limit)",
                limits.max_documents,
                documents.len()
            ),
        ));
        documents.truncate(limits.max_documents);
    }
    finish(&mut documents, &mut diagnostics);
    Ok(Ingested { documents, diagnostics })
}

/// Reads the records of one JSONL file's bytes, as [`read_paths`] does for a
/// `.jsonl` file: `stem` names records without an id, `origin` (the file)
/// prefixes every diagnostic, and repeated ids are renamed.
pub fn read_jsonl(bytes: &[u8], stem: &str, origin: &str) -> Ingested {
    let mut diagnostics = Vec::new();
    let mut documents = jsonl::read_records(bytes, stem, origin, &mut diagnostics);
    finish(&mut documents, &mut diagnostics);
    Ingested { documents, diagnostics }
}

/// Reads a file, refusing one over `max_bytes` before reading it whole.
fn read_bounded(path: &Path, max_bytes: u64) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    // Checked again here: the file may have been replaced since the folder was
    // listed, and opening a FIFO blocks until someone writes to it.
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err("skipped: not a regular file (a FIFO, socket or device)".to_string())
        }
        Ok(_) => {}
        Err(e) => return Err(format!("skipped: cannot open: {e}")),
    }
    let file = std::fs::File::open(path).map_err(|e| format!("skipped: cannot open: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("skipped: cannot read: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!("skipped: larger than the limit of {max_bytes} bytes"));
    }
    Ok(bytes)
}

/// Decodes a file's bytes, turning every problem into a diagnostic.
pub(crate) fn decode_or_warn(
    bytes: &[u8],
    origin: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    match decode(bytes) {
        Ok(Decoded { text, transcoded_from }) => {
            if let Some(encoding) = transcoded_from {
                diagnostics.push(Diagnostic::note(
                    origin,
                    format!("not UTF-8: transcoded from {encoding}"),
                ));
            }
            if text.trim().is_empty() {
                diagnostics.push(Diagnostic::warning(origin, "skipped: empty (no text)"));
                return None;
            }
            Some(text)
        }
        Err(reason) => {
            diagnostics.push(Diagnostic::warning(origin, format!("skipped: {reason}")));
            None
        }
    }
}

/// A document from plain text.
pub fn text_document(id: String, origin: String, text: String, meta: InputMeta) -> Document {
    Document {
        doc_id: DocId(0),
        id,
        origin,
        format: SourceFormat::Text,
        text,
        extracted: None,
        meta,
    }
}

/// A document from an HTML page: its visible text, the extractor's body and the page metadata.
pub fn html_document(id: String, origin: String, markup: &str) -> Document {
    read_html(id, origin, markup, &mut Vec::new())
}

/// [`html_document`], with a note when the page could not be read as usual.
pub(crate) fn read_html(
    id: String,
    origin: String,
    markup: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Document {
    let page = html::read_page(markup);
    if page.too_deep {
        diagnostics.push(Diagnostic::note(
            &origin,
            "elements nested too deep (over 512 levels): read without the article extractor, the body is every long line",
        ));
    }
    let (published, published_source, published_evidence) = match page.date {
        Some(date) => {
            (Some(date.value.format("%Y-%m-%d").to_string()), Some(date.source), date.evidence)
        }
        None => (None, None, None),
    };
    let meta = InputMeta {
        url: None,
        title: page.title,
        outlet: page.sitename,
        published,
        published_source,
        published_evidence,
        language: page.language,
    };
    Document {
        doc_id: DocId(0),
        id,
        origin,
        format: SourceFormat::Html,
        text: page.text,
        extracted: Some(page.body),
        meta,
    }
}

/// Makes ids unique (a repeated id gets `~2`, `~3`, … with a warning) and numbers the documents.
fn finish(documents: &mut [Document], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for doc in documents.iter_mut() {
        let count = seen.entry(doc.id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let new_id = format!("{}~{}", doc.id, count);
            diagnostics.push(Diagnostic::warning(
                &doc.origin,
                format!("duplicate id {:?}: renamed to {:?}", doc.id, new_id),
            ));
            doc.id = new_id;
        }
    }
    for (idx, doc) in documents.iter_mut().enumerate() {
        doc.doc_id = DocId(idx as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) {
        std::fs::write(dir.join(name), bytes).unwrap();
    }

    #[test]
    fn folders_are_walked_in_order_and_unknown_files_warned() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write(dir.path(), "b.txt", b"Second article text.");
        write(dir.path(), "a.txt", b"First article text.");
        write(&dir.path().join("sub"), "c.txt", b"Third article text.");
        write(dir.path(), "notes.pdf", b"%PDF");
        let ingested = read_paths(&[dir.path().to_path_buf()], Limits::default()).unwrap();
        let ids: Vec<_> = ingested.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(ingested.diagnostics.len(), 1);
        assert!(ingested.diagnostics[0].origin.ends_with("notes.pdf"));
    }

    #[test]
    fn bad_files_are_skipped_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "empty.txt", b"");
        write(dir.path(), "blank.txt", b"  \n\t\n");
        write(dir.path(), "binary.txt", &[0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0]);
        write(dir.path(), "good.txt", b"A good article.");
        let ingested = read_paths(&[dir.path().to_path_buf()], Limits::default()).unwrap();
        assert_eq!(ingested.documents.len(), 1);
        let messages: Vec<String> = ingested.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("binary.txt") && m.contains("binary")));
        assert!(messages.iter().any(|m| m.contains("empty.txt") && m.contains("empty")));
        assert!(messages.iter().any(|m| m.contains("blank.txt") && m.contains("empty")));
    }

    #[test]
    fn pages_without_visible_text_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "head.html", b"<html><head><title>Only a head</title></head></html>");
        let ingested = read_paths(&[dir.path().to_path_buf()], Limits::default()).unwrap();
        assert!(ingested.documents.is_empty());
        assert!(ingested.diagnostics[0].message.contains("no visible text"));
    }

    #[test]
    fn oversized_files_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "big.txt", &vec![b'a'; 2000]);
        let limits = Limits { max_file_bytes: 1000, ..Limits::default() };
        let ingested = read_paths(&[dir.path().to_path_buf()], limits).unwrap();
        assert!(ingested.documents.is_empty());
        assert!(ingested.diagnostics[0].message.contains("larger than the limit"));
    }

    #[test]
    fn duplicate_ids_are_renamed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("x")).unwrap();
        write(dir.path(), "a.txt", b"One.");
        write(&dir.path().join("x"), "a.txt", b"Two.");
        let ingested = read_paths(&[dir.path().to_path_buf()], Limits::default()).unwrap();
        let ids: Vec<_> = ingested.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "a~2"]);
        assert!(ingested.diagnostics[0].message.contains("duplicate id"));
    }

    #[test]
    fn missing_path_is_an_error() {
        let err =
            read_paths(&[PathBuf::from("/no/such/parallax/input")], Limits::default()).unwrap_err();
        assert!(err.to_string().contains("/no/such/parallax/input"));
    }

    /// Opening a FIFO would block until someone writes to it: it is skipped unopened.
    #[cfg(unix)]
    #[test]
    fn fifos_are_skipped_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", b"An article.");
        let made = std::process::Command::new("mkfifo").arg(dir.path().join("pipe.txt")).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let ingested = read_paths(&[dir.path().to_path_buf()], Limits::default()).unwrap();
        assert_eq!(ingested.documents.len(), 1);
        assert!(ingested
            .diagnostics
            .iter()
            .any(|d| d.origin.ends_with("pipe.txt") && d.message.contains("not a regular file")));
        let direct = read_bounded(&dir.path().join("pipe.txt"), 100).unwrap_err();
        assert!(direct.contains("not a regular file"), "{direct}");
    }

    #[test]
    fn pages_nested_too_deep_get_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let page = format!(
            "<html><body>{}<p>A paragraph deep inside the page.</p>{}</body></html>",
            "<div>".repeat(2000),
            "</div>".repeat(2000)
        );
        write(dir.path(), "deep.html", page.as_bytes());
        let ingested = read_paths(&[dir.path().to_path_buf()], Limits::default()).unwrap();
        assert_eq!(ingested.documents.len(), 1);
        assert!(ingested.documents[0].text.contains("A paragraph deep inside"));
        assert!(ingested.diagnostics.iter().any(|d| d.message.contains("nested too deep")));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", b"An article.");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let ingested = read_paths(&[dir.path().to_path_buf()], Limits::default()).unwrap();
        assert_eq!(ingested.documents.len(), 1);
        assert!(ingested.diagnostics.iter().any(|d| d.message.contains("loop")));
    }
}
