//! [`Store`] over one SQLite file.
//!
//! Tables: `articles` (id, origin, file, format, raw bytes, content hash),
//! `processed` (the per-document stages' result of each article, as JSON),
//! `input_diagnostics` (what reading each input reported), `analysis` (the
//! last assembled analysis file and the generation it was computed from),
//! `documents_fts` (FTS5 over titles and bodies, rowid = the article's) and
//! `meta` (format version, generation).
//!
//! The journal is a write-ahead log with `synchronous = NORMAL`: a killed
//! process loses at most the transaction it was writing, and a reader (the
//! server) never blocks a writer (`parallax ingest`).

use super::{
    ArticleKey, Batch, DocumentHit, Error, InputDiagnostics, Phase, Result, Store, StoredAnalysis,
};
use crate::doc::{Diagnostic, Severity, SourceFormat};
use crate::pipeline::Processed;
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The layout this version writes and reads.
const FORMAT: &str = "parallax.store/1";

/// How long a statement waits for another connection's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    file TEXT NOT NULL,
    format TEXT NOT NULL,
    raw BLOB NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS processed (
    id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS input_diagnostics (
    phase INTEGER NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    severity TEXT NOT NULL,
    origin TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (phase, key, seq)
);
CREATE TABLE IF NOT EXISTS analysis (
    slot INTEGER PRIMARY KEY CHECK (slot = 1),
    generation INTEGER NOT NULL,
    config TEXT NOT NULL,
    json BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
";

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Error {
        Error::Database(Box::new(err))
    }
}

/// A store in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the store at `path`, creating the file and its tables when missing.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL is a property of the file; NORMAL is durable across a killed process.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = SqliteStore { conn, path: path.to_path_buf() };
        store.init()?;
        Ok(store)
    }

    /// Opens an existing store without creating or changing its tables (for
    /// readers such as the server, which must not queue behind a writer).
    pub fn open_existing(path: &Path) -> Result<SqliteStore> {
        use rusqlite::OpenFlags;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let store = SqliteStore { conn, path: path.to_path_buf() };
        store.check_format()?;
        Ok(store)
    }

    /// The file of this store.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn init(&mut self) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(SCHEMA)?;
        tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?1)", [FORMAT])?;
        tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', '0')", [])?;
        tx.commit()?;
        self.check_format()
    }

    fn check_format(&self) -> Result<()> {
        let format: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'format'", [], |row| row.get(0))
            .optional()?;
        match format.as_deref() {
            Some(FORMAT) => Ok(()),
            Some(other) => Err(Error::Format(format!(
                "{}: a store of format {other:?}, this parallax reads {FORMAT:?}",
                self.path.display()
            ))),
            None => Err(Error::Format(format!("{}: not a parallax store", self.path.display()))),
        }
    }
}

fn format_label(format: SourceFormat) -> &'static str {
    match format {
        SourceFormat::Text => "text",
        SourceFormat::Html => "html",
        SourceFormat::Jsonl => "jsonl",
    }
}

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Note => "note",
        Severity::Warning => "warning",
    }
}

fn severity_of(label: &str) -> Severity {
    if label == "note" {
        Severity::Note
    } else {
        Severity::Warning
    }
}

fn phase_of(n: i64) -> Phase {
    match n {
        0 => Phase::Walk,
        1 => Phase::File,
        _ => Phase::Rename,
    }
}

fn corrupt(what: String) -> Error {
    Error::Format(what)
}

impl Store for SqliteStore {
    fn article(&self, id: &str) -> Result<Option<ArticleKey>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT id, origin, hash FROM articles WHERE id = ?1")?;
        Ok(stmt
            .query_row([id], |row| {
                Ok(ArticleKey { id: row.get(0)?, origin: row.get(1)?, hash: row.get(2)? })
            })
            .optional()?)
    }

    fn input_diagnostics(&self, phase: Phase, key: &str) -> Result<Vec<Diagnostic>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT severity, origin, message FROM input_diagnostics
             WHERE phase = ?1 AND key = ?2 ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![phase as i64, key], |row| {
            Ok(Diagnostic {
                severity: severity_of(&row.get::<_, String>(0)?),
                origin: row.get(1)?,
                message: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn write_batch(&mut self, batch: &Batch) -> Result<u64> {
        // Serialize outside the transaction: it holds the write lock.
        let data: Vec<Vec<u8>> = batch
            .articles
            .par_iter()
            .map(|a| serde_json::to_vec(&a.processed).expect("per-document results serialize"))
            .collect();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let generation: u64 = tx
            .query_row("SELECT value FROM meta WHERE key = 'generation'", [], |row| {
                row.get::<_, String>(0)
            })?
            .parse()
            .map_err(|_| corrupt("the store's generation is not a number".into()))?;
        let generation = generation + 1;
        {
            let mut find = tx.prepare_cached("SELECT seq FROM articles WHERE id = ?1")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO articles (id, origin, file, format, raw, hash, generation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE articles SET origin = ?2, file = ?3, format = ?4, raw = ?5, hash = ?6,
                 generation = ?7 WHERE seq = ?1",
            )?;
            let mut put_processed =
                tx.prepare_cached("INSERT OR REPLACE INTO processed (id, data) VALUES (?1, ?2)")?;
            let mut drop_fts = tx.prepare_cached("DELETE FROM documents_fts WHERE rowid = ?1")?;
            let mut put_fts = tx.prepare_cached(
                "INSERT INTO documents_fts (rowid, title, body) VALUES (?1, ?2, ?3)",
            )?;
            for (article, data) in batch.articles.iter().zip(&data) {
                let format = format_label(article.format);
                let seq: Option<i64> =
                    find.query_row([&article.id], |row| row.get(0)).optional()?;
                let seq = match seq {
                    Some(seq) => {
                        update.execute(params![
                            seq,
                            article.origin,
                            article.file,
                            format,
                            article.raw,
                            article.hash,
                            generation as i64
                        ])?;
                        drop_fts.execute([seq])?;
                        seq
                    }
                    None => {
                        insert.execute(params![
                            article.id,
                            article.origin,
                            article.file,
                            format,
                            article.raw,
                            article.hash,
                            generation as i64
                        ])?;
                        tx.last_insert_rowid()
                    }
                };
                put_processed.execute(params![article.id, data])?;
                put_fts.execute(params![
                    seq,
                    article.title,
                    article.processed.cleaned.body.text
                ])?;
            }
            let mut clear =
                tx.prepare_cached("DELETE FROM input_diagnostics WHERE phase = ?1 AND key = ?2")?;
            let mut put = tx.prepare_cached(
                "INSERT INTO input_diagnostics (phase, key, seq, severity, origin, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for input in &batch.diagnostics {
                clear.execute(params![input.phase as i64, input.key])?;
                for (seq, d) in input.diagnostics.iter().enumerate() {
                    put.execute(params![
                        input.phase as i64,
                        input.key,
                        seq as i64,
                        severity_label(d.severity),
                        d.origin,
                        d.message
                    ])?;
                }
            }
        }
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'generation'",
            [generation.to_string()],
        )?;
        tx.commit()?;
        Ok(generation)
    }

    fn generation(&self) -> Result<u64> {
        let value: String =
            self.conn.query_row("SELECT value FROM meta WHERE key = 'generation'", [], |row| {
                row.get(0)
            })?;
        value.parse().map_err(|_| corrupt("the store's generation is not a number".into()))
    }

    fn processed(&self) -> Result<Vec<Processed>> {
        let mut stmt = self.conn.prepare("SELECT id, data FROM processed ORDER BY id")?;
        let rows: Vec<(String, Vec<u8>)> = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let path = self.path.display().to_string();
        rows.into_par_iter()
            .map(|(id, data)| {
                serde_json::from_slice::<Processed>(&data).map_err(|err| {
                    corrupt(format!(
                        "{}: the stored result of {id:?} cannot be read ({err}); it was written by \
                         another version of parallax: ingest the articles into a new store",
                        path
                    ))
                })
            })
            .collect()
    }

    fn all_input_diagnostics(&self) -> Result<Vec<InputDiagnostics>> {
        let mut stmt = self.conn.prepare(
            "SELECT phase, key, severity, origin, message FROM input_diagnostics
             ORDER BY phase, key, seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut res: Vec<InputDiagnostics> = Vec::new();
        while let Some(row) = rows.next()? {
            let phase = phase_of(row.get(0)?);
            let key: String = row.get(1)?;
            let diagnostic = Diagnostic {
                severity: severity_of(&row.get::<_, String>(2)?),
                origin: row.get(3)?,
                message: row.get(4)?,
            };
            match res.last_mut() {
                Some(last) if last.phase == phase && last.key == key => {
                    last.diagnostics.push(diagnostic)
                }
                _ => res.push(InputDiagnostics { phase, key, diagnostics: vec![diagnostic] }),
            }
        }
        Ok(res)
    }

    fn save_analysis(&mut self, analysis: &StoredAnalysis) -> Result<bool> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let generation: String =
            tx.query_row("SELECT value FROM meta WHERE key = 'generation'", [], |row| row.get(0))?;
        if generation != analysis.generation.to_string() {
            return Ok(false);
        }
        tx.execute(
            "INSERT OR REPLACE INTO analysis (slot, generation, config, json) VALUES (1, ?1, ?2, ?3)",
            params![analysis.generation as i64, analysis.config, analysis.json],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn analysis(&self) -> Result<Option<StoredAnalysis>> {
        Ok(self
            .conn
            .query_row("SELECT generation, config, json FROM analysis WHERE slot = 1", [], |row| {
                Ok(StoredAnalysis {
                    generation: row.get::<_, i64>(0)? as u64,
                    config: row.get(1)?,
                    json: row.get(2)?,
                })
            })
            .optional()?)
    }

    fn analysis_version(&self) -> Result<Option<(u64, String)>> {
        Ok(self
            .conn
            .query_row("SELECT generation, config FROM analysis WHERE slot = 1", [], |row| {
                Ok((row.get::<_, i64>(0)? as u64, row.get(1)?))
            })
            .optional()?)
    }

    fn search(&self, terms: &[String], limit: usize) -> Result<Vec<DocumentHit>> {
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        // Each term quoted: the index sees words, never its query syntax.
        let query: Vec<String> =
            terms.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, documents_fts.title,
                    snippet(documents_fts, 1, char(2), char(3), '…', 24)
             FROM documents_fts JOIN articles a ON a.seq = documents_fts.rowid
             WHERE documents_fts MATCH ?1
             ORDER BY bm25(documents_fts, 4.0, 1.0), a.id
             LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query.join(" "), limit as i64], |row| {
            let snippet: String = row.get(2)?;
            Ok(DocumentHit { id: row.get(0)?, title: row.get(1)?, snippet: split_marks(&snippet) })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn n_articles(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM articles", [], |row| row.get::<_, i64>(0))?
            as u64)
    }

    fn article_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM articles ORDER BY id")?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> =
            stmt.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        problems.extend(rows.into_iter().filter(|r| r != "ok"));
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let n_bad_keys = stmt.query_map([], |_| Ok(()))?.count();
        if n_bad_keys > 0 {
            problems.push(format!("{n_bad_keys} rows break a foreign key"));
        }
        for (what, sql) in [
            (
                "articles without a per-document result",
                "SELECT count(*) FROM articles WHERE id NOT IN (SELECT id FROM processed)",
            ),
            (
                "per-document results without an article",
                "SELECT count(*) FROM processed WHERE id NOT IN (SELECT id FROM articles)",
            ),
            (
                "articles missing from the search index",
                "SELECT count(*) FROM articles WHERE seq NOT IN (SELECT rowid FROM documents_fts)",
            ),
            (
                "search entries without an article",
                "SELECT count(*) FROM documents_fts WHERE rowid NOT IN (SELECT seq FROM articles)",
            ),
        ] {
            let n: i64 = self.conn.query_row(sql, [], |row| row.get(0))?;
            if n > 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        if let Err(err) = self
            .conn
            .execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')", [])
        {
            problems.push(format!("search index: {err}"));
        }
        Ok(problems)
    }
}

/// Splits an FTS5 snippet marked with U+0002 … U+0003 into (text, is a match) pieces.
fn split_marks(snippet: &str) -> Vec<(String, bool)> {
    let mut res = Vec::new();
    let mut rest = snippet;
    while let Some(open) = rest.find('\u{2}') {
        if open > 0 {
            res.push((rest[..open].to_string(), false));
        }
        let after = &rest[open + 1..];
        let close = after.find('\u{3}').unwrap_or(after.len());
        res.push((after[..close].to_string(), true));
        rest = after.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        res.push((rest.to_string(), false));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_marks_split_into_pieces() {
        assert_eq!(
            split_marks("a \u{2}harbour\u{3} b"),
            [("a ".to_string(), false), ("harbour".to_string(), true), (" b".to_string(), false)]
        );
        assert_eq!(split_marks("\u{2}x"), [("x".to_string(), true)]);
        assert!(split_marks("").is_empty());
    }
}
