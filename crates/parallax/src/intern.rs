//! Reading back the per-document types that carry `&'static str` labels.
//!
//! Several per-document types label things with `&'static str` from closed
//! sets in the code (`Removed::kind`, `DateLine::role`, `Published::basis`,
//! `InputMeta::published_source`). Serde's derive would borrow those from the
//! input, which only works for input that lives forever, so their
//! `Deserialize` is written here: each reads a mirror with `String` labels and
//! interns them, leaking each distinct label once. The set is bounded, so a
//! hostile store cannot make the process leak without limit. The types
//! themselves derive only `Serialize`; a field added to one of them fails to
//! compile here until the mirror has it too.

use crate::clean::{DateLine, Removed};
use crate::doc::{InputMeta, Span};
use crate::published::Published;
use chrono::NaiveDate;
use serde::de::{Deserialize, Deserializer, Error};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// At most this many distinct labels are ever interned.
const MAX_LABELS: usize = 4096;

/// The labels interned so far.
static LABELS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// The interned copy of `label`, or `None` when the set is full.
pub(crate) fn intern(label: &str) -> Option<&'static str> {
    let mut labels = LABELS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(&found) = labels.get(label) {
        return Some(found);
    }
    if labels.len() >= MAX_LABELS {
        return None;
    }
    let leaked: &'static str = Box::leak(label.to_string().into_boxed_str());
    labels.insert(leaked);
    Some(leaked)
}

fn label<E: Error>(label: &str) -> Result<&'static str, E> {
    intern(label).ok_or_else(|| E::custom("too many distinct labels"))
}

#[derive(serde::Deserialize)]
struct RemovedRepr {
    span: Span,
    kind: String,
}

impl<'de> Deserialize<'de> for Removed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Removed, D::Error> {
        let repr = RemovedRepr::deserialize(deserializer)?;
        Ok(Removed { span: repr.span, kind: label(&repr.kind)? })
    }
}

#[derive(serde::Deserialize)]
struct DateLineRepr {
    span: Span,
    value: NaiveDate,
    role: String,
}

impl<'de> Deserialize<'de> for DateLine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DateLine, D::Error> {
        let repr = DateLineRepr::deserialize(deserializer)?;
        Ok(DateLine { span: repr.span, value: repr.value, role: label(&repr.role)? })
    }
}

#[derive(serde::Deserialize)]
struct PublishedRepr {
    value: Option<NaiveDate>,
    earliest: Option<NaiveDate>,
    latest: Option<NaiveDate>,
    basis: String,
    evidence: Option<Span>,
    note: String,
}

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Published, D::Error> {
        let repr = PublishedRepr::deserialize(deserializer)?;
        Ok(Published {
            value: repr.value,
            earliest: repr.earliest,
            latest: repr.latest,
            basis: label(&repr.basis)?,
            evidence: repr.evidence,
            note: repr.note,
        })
    }
}

#[derive(serde::Deserialize)]
struct InputMetaRepr {
    url: Option<String>,
    title: Option<String>,
    outlet: Option<String>,
    published: Option<String>,
    published_source: Option<String>,
    published_evidence: Option<Span>,
    language: Option<String>,
}

impl<'de> Deserialize<'de> for InputMeta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<InputMeta, D::Error> {
        let repr = InputMetaRepr::deserialize(deserializer)?;
        Ok(InputMeta {
            url: repr.url,
            title: repr.title,
            outlet: repr.outlet,
            published: repr.published,
            published_source: repr.published_source.as_deref().map(label).transpose()?,
            published_evidence: repr.published_evidence,
            language: repr.language,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_labels_share_one_copy() {
        let a = intern("page-date").unwrap();
        let b = intern(&String::from("page-date")).unwrap();
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "page-date");
    }

    #[test]
    fn labelled_types_round_trip() {
        let removed = Removed { span: Span::new(1, 4), kind: "caption" };
        let json = serde_json::to_string(&removed).unwrap();
        assert_eq!(serde_json::from_str::<Removed>(&json).unwrap(), removed);
        let meta = InputMeta {
            title: Some("T".into()),
            published_source: Some("json-ld"),
            published_evidence: Some(Span::new(0, 1)),
            ..InputMeta::default()
        };
        let json = serde_json::to_string(&meta).unwrap();
        assert_eq!(serde_json::from_str::<InputMeta>(&json).unwrap(), meta);
    }
}
