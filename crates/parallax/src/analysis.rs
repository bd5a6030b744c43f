//! The analysis file: the contract between the engine and its readers
//! (`../shared/spec/analysis-json.md`, schema `parallax.analysis/1`).
//!
//! **API Boundary:** these types are the serialized shape. Field names here are
//! the contract; adding fields is allowed, renaming or dropping is not.

use serde::Serialize;
use std::path::Path;

/// The schema name written into every analysis file.
pub const SCHEMA: &str = "parallax.analysis/1";

/// A span as the file shows it: byte offsets into a document's `text`, and that text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpanOut {
    /// Document id.
    pub doc: String,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The slice `text[start..end]`.
    pub text: String,
}

/// A removed stretch of boilerplate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedOut {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The removed words.
    pub text: String,
    /// Why it was removed.
    pub kind: String,
}

/// The publication date of a document and how it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedOut {
    /// Best single day, or null.
    pub value: Option<String>,
    /// First day of the range the engine can defend.
    pub earliest: Option<String>,
    /// Last day of that range.
    pub latest: Option<String>,
    /// `metadata`, `byline`, `dateline`, `story` or `none`.
    pub basis: String,
    /// The words that justify it, or null.
    pub evidence: Option<SpanOut>,
    /// A sentence saying how the date was reached and what was rejected.
    pub note: String,
}

/// One document of the analysis.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentOut {
    /// File stem or record id.
    pub id: String,
    /// Headline, or null.
    pub title: Option<String>,
    /// Outlet name, or null.
    pub outlet: Option<String>,
    /// Language code, or null when it cannot be told.
    pub language: Option<String>,
    /// Input path (and line for JSONL).
    pub source: String,
    /// The text the engine read; every span indexes into it.
    pub text: String,
    /// Publication date.
    pub published: PublishedOut,
    /// The article body.
    pub body: String,
    /// Boilerplate taken out of `text`.
    pub removed: Vec<RemovedOut>,
    /// The story this document belongs to.
    pub story: String,
}

/// A mention of an entity: a span with what kind of mention it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MentionOut {
    /// Document id.
    pub doc: String,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The words.
    pub text: String,
    /// `name`, or `reference` for a pronoun or role nominal resolved to the entity.
    pub kind: String,
}

/// Why two aliases of an entity were joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeOut {
    /// The alias that joined.
    pub alias: String,
    /// The alias it joined.
    pub with: String,
    /// The rule that joined them.
    pub why: String,
}

/// A person, organisation, place or piece of equipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityOut {
    /// `E1`, `E2`, …: most mentioned first.
    pub id: String,
    /// The fullest name the texts give.
    pub name: String,
    /// PERSON, ORG, LOC, EQUIPMENT or MISC.
    #[serde(rename = "type")]
    pub kind: String,
    /// Every name form seen.
    pub aliases: Vec<String>,
    /// Titles and descriptions the texts give it.
    pub roles: Vec<String>,
    /// Every mention, by document then position.
    pub mentions: Vec<MentionOut>,
    /// Why its aliases were joined.
    pub merged_because: Vec<MergeOut>,
}

/// A quotation, direct or reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteOut {
    /// `Q1`, `Q2`, …: by document, then position.
    pub id: String,
    /// Document id.
    pub doc: String,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The quoted words (direct) or the reported content (indirect).
    pub text: String,
    /// `direct` or `indirect`.
    pub kind: String,
    /// The speaker's entity id, or null.
    pub speaker: Option<String>,
    /// The words in the text that name the speaker, or null.
    pub speaker_text: Option<String>,
    /// The speech cue ("said", "according to"), or null.
    pub cue: Option<String>,
}

/// Quotations from different documents that render the same statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteGroupOut {
    /// `QG1`, `QG2`, ….
    pub id: String,
    /// Member quote ids.
    pub quotes: Vec<String>,
    /// The wording that differs between the members.
    pub differences: Vec<String>,
}

/// A proposition put forward by one or more holders, with every position taken on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimOut {
    /// `C1`, `C2`, ….
    pub id: String,
    /// The proposition in a few words (the words of its first position).
    pub gist: String,
    /// Every position taken on it, by document then position.
    pub positions: Vec<PositionOut>,
}

/// One holder's stance on a claim, with the words that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionOut {
    /// The holder's entity id, or null when it is unnamed.
    pub holder: Option<String>,
    /// The words naming the holder ("Western allies"), or null.
    pub holder_text: Option<String>,
    /// `asserts`, `alleges`, `denies`, `concedes` or `reports`.
    pub stance: String,
    /// The words that take the position.
    pub evidence: SpanOut,
}

/// Something that happened, reported by one or more documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventOut {
    /// `V1`, `V2`, ….
    pub id: String,
    /// `visit`, `meeting`, `talks`, `exhibition visit`, `exercise`, `agreement`,
    /// `statement`, `attack`, ….
    #[serde(rename = "type")]
    pub kind: String,
    /// Entity ids of those taking part.
    pub participants: Vec<String>,
    /// Entity id of the place, or null.
    #[serde(rename = "where")]
    pub place: Option<String>,
    /// Resolved date (`YYYY-MM-DD`, `YYYY-MM`, …), or null when the text does not fix it.
    pub when: Option<String>,
    /// Ids of the documents reporting it.
    pub documents: Vec<String>,
    /// The sentences that report it.
    pub evidence: Vec<SpanOut>,
}

/// How the outlets of one story told it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComparisonOut {
    /// The story id.
    pub story: String,
    /// One entry per document of the story.
    pub outlets: Vec<OutletOut>,
    /// Referents named differently by different outlets.
    pub framing: Vec<FramingOut>,
    /// The verbs each outlet uses to introduce one statement.
    pub attribution: Vec<AttributionOut>,
}

/// What one document of a story reports, leaves out and cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutletOut {
    /// Document id.
    pub doc: String,
    /// The outlet (site name or host), or null.
    pub outlet: Option<String>,
    /// Events, claims and quote groups it reports.
    pub covers: Vec<String>,
    /// Those its story siblings report and it does not.
    pub omits: Vec<String>,
    /// Entity ids of the sources it attributes information to.
    pub cites: Vec<String>,
}

/// One thing named differently by different outlets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FramingOut {
    /// What is named (an entity's canonical name, or the first rendering).
    pub referent: String,
    /// The renderings, by document then position.
    pub renderings: Vec<SpanOut>,
}

/// How each outlet introduces the statement of one quote group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributionOut {
    /// The quote group id.
    pub quote_group: String,
    /// One verb per member quote.
    pub verbs: Vec<VerbOut>,
}

/// The verb one document uses for a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerbOut {
    /// Document id.
    pub doc: String,
    /// The cue ("said", "claimed", "according to").
    pub verb: String,
}

/// A time expression.
#[derive(Debug, Clone, Serialize)]
pub struct TimeOut {
    /// Document id.
    pub doc: String,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The words.
    pub text: String,
    /// TIMEX3 type: DATE, TIME, DURATION or SET.
    #[serde(rename = "type")]
    pub kind: String,
    /// Normalised value, or null.
    pub value: Option<String>,
    /// `absolute`, `document`, `story` or `none`.
    pub anchor: String,
}

/// A story: documents reporting one event.
#[derive(Debug, Clone, Serialize)]
pub struct StoryOut {
    /// `S1`, `S2`, ….
    pub id: String,
    /// The headline of its earliest dated document, else of its first document.
    pub title: Option<String>,
    /// The story's date: the most common publication day of its documents.
    pub when: Option<String>,
    /// Member document ids.
    pub documents: Vec<String>,
}

/// A thread: stories of one ongoing topic.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadOut {
    /// `T1`, `T2`, ….
    pub id: String,
    /// Member story ids.
    pub stories: Vec<String>,
    /// Why they were linked.
    pub why: String,
}

/// A problem with one input, as the file records it.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticOut {
    /// `warning` or `note`.
    pub level: String,
    /// The file (or file:line).
    pub origin: String,
    /// What happened.
    pub message: String,
}

/// The whole analysis file.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Documents, by id.
    pub documents: Vec<DocumentOut>,
    /// Entities, most mentioned first.
    pub entities: Vec<EntityOut>,
    /// Time expressions, by document then position.
    pub times: Vec<TimeOut>,
    /// Quotes, by document then position.
    pub quotes: Vec<QuoteOut>,
    /// Quote groups.
    pub quote_groups: Vec<QuoteGroupOut>,
    /// Claims.
    pub claims: Vec<ClaimOut>,
    /// Events.
    pub events: Vec<EventOut>,
    /// Stories.
    pub stories: Vec<StoryOut>,
    /// Threads.
    pub threads: Vec<ThreadOut>,
    /// Outlet comparisons, one per story told by two or more documents.
    pub comparisons: Vec<ComparisonOut>,
    /// What went wrong with which input.
    pub diagnostics: Vec<DiagnosticOut>,
}

impl Analysis {
    /// The file's bytes: pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("analysis serializes");
        bytes.push(b'\n');
        bytes
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed to disk, then renamed over the target. Readers see the old file or
/// the new one, never a half-written one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".parallax-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomically(&path, b"old").unwrap();
        write_atomically(&path, b"new content").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new content");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn atomic_write_into_missing_folder_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.json");
        assert!(write_atomically(&path, b"x").is_err());
        assert!(!path.exists());
    }
}
