//! parallax: a multi-source news analysis engine.
//!
//! The pipeline reads a pile of articles (`ingest`), separates each article's
//! body from page clutter (`clean`), dates it (`published`), finds its time
//! expressions (`timex`), groups articles into stories and threads (`stories`)
//! and writes the analysis file of the contract (`analysis`).
#![warn(missing_docs)]

pub mod align;
pub mod analysis;
pub mod budget;
pub mod claims;
pub mod clean;
pub mod compare;
pub mod doc;
pub mod embed;
pub mod entities;
pub mod eval;
pub mod events;
pub mod group;
pub mod html;
pub mod ingest;
mod intern;
pub mod invariants;
pub mod ner;
pub mod pipeline;
pub mod published;
pub mod quotes;
pub mod report;
pub mod store;
pub mod stories;
pub mod timex;

pub use doc::{Diagnostic, DocId, Document, InputMeta, Severity, SourceFormat, Span};
