//! Events: who met whom, who visited where, exercises, agreements, attacks —
//! with participants, place and date, reported by one or more documents.
//!
//! An event is read from one sentence: a trigger word gives its type
//! ("visited", "met", "talks", "drills", "signed", "attacked"), the entities
//! mentioned in the sentence give its participants (people; states and
//! organisations for exercises, agreements and attacks), a place named after
//! "in", "to" or "at" its place, and a resolved time expression of the
//! sentence its date. Events of one story with the same type and
//! participants and no conflicting place or date are one event, with all the
//! documents and sentences that report it.
//!
//! The trigger words are general English; nothing names a person or a place.

use crate::analysis::{EntityOut, EventOut, SpanOut, TimeOut};
use crate::doc::Span;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// One document as the event layer reads it.
#[derive(Debug, Clone)]
pub struct EventDoc<'a> {
    /// Document id.
    pub id: &'a str,
    /// The document's text.
    pub text: &'a str,
    /// Its body sentences, as spans of `text`.
    pub sentences: Vec<Span>,
    /// Its story: events are only merged inside one.
    pub story: usize,
}

/// Event types with their trigger patterns, most specific first.
static TRIGGERS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let rule = |kind: &'static str, pattern: &str| {
        (kind, Regex::new(&format!(r"(?i)\b(?:{pattern})\b")).expect("valid regex"))
    };
    vec![
        rule(
            "exhibition visit",
            r"(?:visit(?:s|ed|ing)?|tour(?:s|ed|ing)?|attend(?:s|ed|ing)?|view(?:s|ed|ing)?|inspect(?:s|ed|ing)?|(?:taken|brought|shown)\s+(?:to|around))\s+(?:\w+\s+){0,3}(?:exhibitions?|expos?|displays?|shows?|showrooms?)",
        ),
        rule(
            "exercise",
            r"(?:joint\s+)?(?:military\s+|naval\s+|air\s+)?(?:exercises|drills|manoeuvres|maneuvers|war\s+games)",
        ),
        rule(
            "agreement",
            r"signed|sign(?:s|ing)?\s+(?:an?|the)\s+(?:\w+\s+){0,3}(?:agreement|deal|treaty|memorandum|accord)",
        ),
        rule(
            "attack",
            r"attacked|struck|shelled|bombed|launched\s+(?:an?\s+)?(?:\w+\s+)?(?:attack|strike|strikes|assault)",
        ),
        rule(
            "meeting",
            r"met|meet(?:s|ing)?\s+with|meeting\s+with|after\s+meeting|held\s+talks|(?:a|the)\s+meeting|talks\s+with|hosted|received\s+by",
        ),
        rule(
            "visit",
            r"visit(?:s|ed|ing)?|arrived\s+in|arrives\s+in|(?:trip|travelled|traveled|flew)\s+to",
        ),
    ]
});

/// Prepositions before a place.
static PLACE_PREP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:in|to|at)\s+(?:the\s+)?$").expect("valid regex"));

/// Types whose participants are people; the others take states and organisations too.
fn people_only(kind: &str) -> bool {
    matches!(kind, "meeting" | "visit" | "exhibition visit")
}

/// A found event before merging.
#[derive(Debug, Clone)]
struct Found {
    kind: &'static str,
    doc: usize,
    story: usize,
    participants: BTreeSet<String>,
    place: Option<String>,
    when: Option<String>,
    evidence: Span,
}

/// Finds the events of the documents and merges the reports of one event.
pub fn find(docs: &[EventDoc<'_>], entities: &[EntityOut], times: &[TimeOut]) -> Vec<EventOut> {
    // Mentions and times by document.
    let mut mentions: BTreeMap<&str, Vec<(Span, &str, &str)>> = BTreeMap::new();
    for e in entities {
        for m in &e.mentions {
            mentions.entry(m.doc.as_str()).or_default().push((
                Span { start: m.start, end: m.end },
                e.id.as_str(),
                e.kind.as_str(),
            ));
        }
    }
    for list in mentions.values_mut() {
        list.sort();
    }
    let mut times_by_doc: BTreeMap<&str, Vec<&TimeOut>> = BTreeMap::new();
    for t in times {
        times_by_doc.entry(t.doc.as_str()).or_default().push(t);
    }
    // "Portvale, Valdoria": a place inside another, as datelines and
    // addresses write it.
    let mut within: BTreeSet<(String, String)> = BTreeSet::new();
    for doc in docs {
        let doc_mentions = mentions.get(doc.id).map(Vec::as_slice).unwrap_or(&[]);
        for pair in doc_mentions.windows(2) {
            let ((a, a_id, a_kind), (b, b_id, b_kind)) = (pair[0], pair[1]);
            if a_kind == "LOC" && b_kind == "LOC" && a_id != b_id && b.start >= a.end {
                let gap = &doc.text[a.end as usize..b.start as usize];
                if gap == ", " {
                    within.insert((a_id.to_string(), b_id.to_string()));
                }
            }
        }
    }
    let mut found: Vec<Found> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let doc_mentions = mentions.get(doc.id).map(Vec::as_slice).unwrap_or(&[]);
        let doc_times = times_by_doc.get(doc.id).map(Vec::as_slice).unwrap_or(&[]);
        let two_states = most_mentioned_states(doc_mentions, doc.text);
        for &sentence in &doc.sentences {
            found.extend(in_sentence(doc, d, sentence, doc_mentions, doc_times, &two_states));
        }
    }
    merge(found, docs, &within)
}

/// "The two countries": the two states a bilateral report is about.
static TWO_STATES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the\s+two|both)\s+(?:countries|nations|states|sides|governments)\b")
        .expect("valid regex")
});

/// A speech verb right after a name: that name is a speaker, not a participant.
static SPEAKER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:,[^,]{0,80},\s*)?(?:said|says|told|tells|added|stated|noted|stressed|announced)\b",
    )
    .expect("valid regex")
});

/// The events one sentence reports: one per event type whose trigger it holds.
fn in_sentence(
    doc: &EventDoc<'_>,
    d: usize,
    sentence: Span,
    mentions: &[(Span, &str, &str)],
    times: &[&TimeOut],
    two_states: &[String],
) -> Vec<Found> {
    let s = &doc.text[sentence.range()];
    let base = sentence.start as usize;
    let inside: Vec<&(Span, &str, &str)> =
        mentions.iter().filter(|(span, _, _)| sentence.contains(*span)).collect();
    let when = times
        .iter()
        .filter(|t| t.kind == "DATE" && sentence.start <= t.start && t.end <= sentence.end)
        .filter_map(|t| t.value.clone())
        .find(|v| is_calendar_date(v));
    let mut res = Vec::new();
    for (kind, trigger) in TRIGGERS.iter().filter_map(|(kind, re)| re.find(s).map(|m| (*kind, m))) {
        let mut place = None;
        // Participants before the trigger (the subject) and after it (the objects).
        let (mut subject, mut objects): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        for &&(span, id, type_) in &inside {
            let (from, to) = (span.start as usize - base, span.end as usize - base);
            // "in Portvale", "to Portvale", or right after the trigger ("visited Portvale").
            let after_trigger = from >= trigger.end() && s[trigger.end()..from].trim().is_empty();
            if type_ == "LOC" && (PLACE_PREP.is_match(&s[..from]) || after_trigger) {
                place.get_or_insert_with(|| id.to_string());
                continue;
            }
            // A speaker is a participant of a meeting he speaks at, not of the
            // exercise or agreement he announces.
            let takes = match type_ {
                "PERSON" => people_only(kind) || !SPEAKER_AFTER.is_match(&s[to..]),
                "ORG" | "LOC" => !people_only(kind),
                _ => false,
            };
            // The subject is in the trigger's own clause: "After meeting A,
            // B was taken to an exhibition" has B visit it.
            let clause_start = s[..trigger.start()].rfind(',').map_or(0, |i| i + 1);
            let in_clause = inside.iter().any(|&&(m, _, t)| {
                t == "PERSON"
                    && m.start as usize - base >= clause_start
                    && (m.end as usize - base) <= trigger.start()
            });
            // With words of its own before the trigger and no person among
            // them, the clause's subject is someone unnamed: not a person of
            // an earlier clause.
            let clause_has_subject =
                s[clause_start..trigger.start()].chars().any(char::is_alphabetic);
            let before = from < trigger.start()
                && if in_clause || clause_has_subject { from >= clause_start } else { true };
            let side = if before {
                &mut subject
            } else if from < trigger.start() {
                continue;
            } else {
                &mut objects
            };
            if takes && !side.iter().any(|x| x == id) {
                side.push(id.to_string());
            }
        }
        if !people_only(kind) && TWO_STATES.is_match(s) {
            objects.extend(two_states.iter().cloned());
        }
        let found = |participants: BTreeSet<String>, place: &Option<String>| Found {
            kind,
            doc: d,
            story: doc.story,
            participants,
            place: place.clone(),
            when: when.clone(),
            evidence: sentence,
        };
        match kind {
            // A meeting is the subject's with each of the people met ("met A, B and C").
            "meeting" if !subject.is_empty() && !objects.is_empty() => {
                for object in &objects {
                    let pair: BTreeSet<String> = subject.iter().chain([object]).cloned().collect();
                    if pair.len() >= 2 {
                        res.push(found(pair, &place));
                    }
                }
            }
            // A visitor is the subject when there is one.
            "visit" | "exhibition visit" if !subject.is_empty() => {
                res.push(found(subject.iter().cloned().collect(), &place));
            }
            _ => {
                let all: BTreeSet<String> = subject.iter().chain(&objects).cloned().collect();
                if kind == "meeting" && all.len() < 2 {
                    continue;
                }
                // An event without participants only lends its date to a
                // report of the same event that names them (see `merge`).
                if all.is_empty() && place.is_none() {
                    continue;
                }
                res.push(found(all, &place));
            }
        }
    }
    res
}

/// The two places a document names most often (by name, not pronoun): what
/// "the two countries" of a bilateral report are.
fn most_mentioned_states(mentions: &[(Span, &str, &str)], text: &str) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut states: BTreeSet<&str> = BTreeSet::new();
    for (span, id, kind) in mentions {
        let words = &text[span.range()];
        if *kind == "LOC" && words.chars().next().is_some_and(char::is_uppercase) {
            *counts.entry(id).or_default() += 1;
            if has_demonym(words, text) {
                states.insert(id);
            }
        }
    }
    // A place the text also names by its people's adjective is a state, not a city.
    counts.retain(|id, _| states.contains(id));
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked.into_iter().take(2).map(|(id, _)| id.to_string()).collect()
}

/// A day or a month ("2031-05-06", "2031-05"), the precision an event's date takes.
fn is_calendar_date(value: &str) -> bool {
    let b = value.as_bytes();
    matches!(b.len(), 7 | 10)
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && (b.len() == 7 || (b[7] == b'-' && b[8..].iter().all(u8::is_ascii_digit)))
}

/// Whether `text` uses the adjective of the one-word place `name`
/// ("Valdoria" → "Valdorian", "Kestrel" → "Kestreli", "Tarska" → "Tarskan").
fn has_demonym(name: &str, text: &str) -> bool {
    if name.contains(' ') || name.chars().count() < 3 {
        return false;
    }
    let stem = name.trim_end_matches(['a', 'e', 'o', 'y']);
    let forms = [
        format!("{name}n"),
        format!("{name}ian"),
        format!("{name}i"),
        format!("{name}ese"),
        format!("{name}ish"),
        format!("{stem}ian"),
        format!("{stem}an"),
        format!("{stem}ese"),
        format!("{stem}ish"),
    ];
    text.split(|c: char| !c.is_alphanumeric()).any(|word| forms.iter().any(|f| f == word))
}

/// Merges the reports of one event: same story, same type, the same
/// participants (or one report's a subset of the other's, for two or more),
/// and no conflicting place or date.
fn merge(
    found: Vec<Found>,
    docs: &[EventDoc<'_>],
    within: &BTreeSet<(String, String)>,
) -> Vec<EventOut> {
    // Places agree when equal, when one is missing, or when one lies in the other.
    let places_agree = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(x), Some(y)) => {
            x == y
                || within.contains(&(x.clone(), y.clone()))
                || within.contains(&(y.clone(), x.clone()))
        }
        _ => true,
    };
    // The narrower of two agreeing places.
    let narrower = |a: Option<String>, b: Option<String>| match (a, b) {
        (Some(x), Some(y)) if within.contains(&(y.clone(), x.clone())) => Some(y),
        (a, b) => a.or(b),
    };
    let mut merged: Vec<Found> = Vec::new();
    let mut reports: Vec<Vec<(usize, Span)>> = Vec::new();
    let (found, donors): (Vec<Found>, Vec<Found>) =
        found.into_iter().partition(|e| !e.participants.is_empty());
    for event in found {
        let same = merged.iter().position(|m| {
            m.story == event.story
                && m.kind == event.kind
                && (m.participants == event.participants
                    || (m.participants.len().min(event.participants.len()) >= 2
                        && (m.participants.is_subset(&event.participants)
                            || event.participants.is_subset(&m.participants))))
                && places_agree(&m.place, &event.place)
                && agree(&m.when, &event.when)
        });
        match same {
            Some(k) => {
                let m = &mut merged[k];
                m.participants.extend(event.participants.iter().cloned());
                m.place = narrower(m.place.take(), event.place.clone());
                m.when = m.when.take().or(event.when.clone());
                reports[k].push((event.doc, event.evidence));
            }
            None => {
                reports.push(vec![(event.doc, event.evidence)]);
                merged.push(event);
            }
        }
    }
    // A report without participants ("a delegation arrived in Portvale on
    // Monday") is the event of its story with the same type and place, when
    // exactly one fits; it adds its date and its sentence.
    for donor in donors {
        let fits: Vec<usize> = (0..merged.len())
            .filter(|&k| {
                let m = &merged[k];
                m.story == donor.story
                    && m.kind == donor.kind
                    && m.place.is_some()
                    && m.place == donor.place
                    && agree(&m.when, &donor.when)
            })
            .collect();
        if let [k] = fits[..] {
            merged[k].when = merged[k].when.take().or(donor.when.clone());
            reports[k].push((donor.doc, donor.evidence));
        }
    }
    merged
        .into_iter()
        .zip(reports)
        .enumerate()
        .map(|(k, (event, reports))| {
            let documents: BTreeSet<&str> = reports.iter().map(|&(d, _)| docs[d].id).collect();
            EventOut {
                id: format!("V{}", k + 1),
                kind: event.kind.to_string(),
                participants: event.participants.into_iter().collect(),
                place: event.place,
                when: event.when,
                documents: documents.into_iter().map(str::to_string).collect(),
                evidence: reports
                    .iter()
                    .map(|&(d, span)| SpanOut {
                        doc: docs[d].id.to_string(),
                        start: span.start,
                        end: span.end,
                        text: docs[d].text[span.range()].to_string(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Two optional values agree when either is missing or they are equal.
fn agree(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::MentionOut;

    fn entity(id: &str, kind: &str, text: &str, name: &str) -> EntityOut {
        let mentions = text
            .match_indices(name)
            .map(|(at, _)| MentionOut {
                doc: "d".into(),
                start: at as u32,
                end: (at + name.len()) as u32,
                text: name.into(),
                kind: "name".into(),
            })
            .collect();
        EntityOut {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            aliases: vec![name.into()],
            roles: Vec::new(),
            mentions,
            merged_because: Vec::new(),
        }
    }

    fn run(text: &str, entities: &[EntityOut], times: &[TimeOut]) -> Vec<EventOut> {
        let sentences = text
            .split_inclusive(". ")
            .scan(0usize, |at, s| {
                let span = Span::new(*at, *at + s.trim_end().len());
                *at += s.len();
                Some(span)
            })
            .collect();
        find(&[EventDoc { id: "d", text, sentences, story: 0 }], entities, times)
    }

    #[test]
    fn a_meeting_has_its_people_place_and_date() {
        let text = "Ana Ruiz met Tom Lee in Portvale on Tuesday. The harbour stayed shut.";
        let entities = [
            entity("E1", "PERSON", text, "Ana Ruiz"),
            entity("E2", "PERSON", text, "Tom Lee"),
            entity("E3", "LOC", text, "Portvale"),
        ];
        let tuesday = text.find("Tuesday").unwrap();
        let times = [TimeOut {
            doc: "d".into(),
            start: tuesday as u32,
            end: (tuesday + 7) as u32,
            text: "Tuesday".into(),
            kind: "DATE".into(),
            value: Some("2031-05-06".into()),
            anchor: "document".into(),
        }];
        let events = run(text, &entities, &times);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "meeting");
        assert_eq!(events[0].participants, ["E1", "E2"]);
        assert_eq!(events[0].place.as_deref(), Some("E3"));
        assert_eq!(events[0].when.as_deref(), Some("2031-05-06"));
    }

    #[test]
    fn event_dates_are_days_or_months() {
        assert!(is_calendar_date("2031-05-06") && is_calendar_date("2031-05"));
        assert!(
            !is_calendar_date("2031-W19")
                && !is_calendar_date("2031")
                && !is_calendar_date("PRESENT_REF")
        );
    }

    #[test]
    fn states_are_places_named_by_their_adjective() {
        assert!(has_demonym("Valdoria", "the Valdorian navy"));
        assert!(has_demonym("Tarsk", "Tarskish ships"));
        assert!(!has_demonym("Portvale", "the Valdorian navy in Portvale"));
    }

    #[test]
    fn two_reports_of_one_visit_merge_and_a_date_fills_in() {
        let text = "Ana Ruiz visited Portvale. Ana Ruiz arrived in Portvale with aides. ";
        let entities =
            [entity("E1", "PERSON", text, "Ana Ruiz"), entity("E3", "LOC", text, "Portvale")];
        let events = run(text, &entities, &[]);
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].kind, "visit");
        assert_eq!(events[0].evidence.len(), 2);
        assert!(run("The ferry left at noon.", &[], &[]).is_empty());
    }
}
