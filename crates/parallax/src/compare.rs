//! Outlet comparison: for every story told by two or more documents, what
//! each one covers and leaves out, the sources it cites, the verbs it uses
//! for the same statement, and the things it names differently (framing).
//!
//! Framing is found by aligning what refers to the same thing, never from a
//! list of loaded words:
//! - the members of a quote group are aligned word by word
//!   ([`crate::align`]); a replaced stretch holding a name on both sides is
//!   one thing named two ways ("the Northern Reach" / "Upper Tarsk");
//! - the positions of one claim in different documents name the equipment
//!   the claim is about, each in its own words;
//! - noun phrases built on the same place ("the war in Tarsk", "the Tarsk
//!   conflict", "its operation in Tarsk") are grouped by meaning (sentence
//!   embeddings) inside a thread.
//!
//! A framing item needs two documents and two different wordings.

use crate::align;
use crate::analysis::{
    AttributionOut, ClaimOut, ComparisonOut, DocumentOut, EntityOut, EventOut, FramingOut,
    OutletOut, QuoteGroupOut, QuoteOut, SpanOut, StoryOut, VerbOut,
};
use crate::doc::Span;
use crate::group::{self, Meaning, Similarity};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// What the comparison reads.
#[derive(Debug, Clone, Copy)]
pub struct CompareInput<'a> {
    /// Documents (id, outlet, story, text).
    pub documents: &'a [DocumentOut],
    /// Stories.
    pub stories: &'a [StoryOut],
    /// Entities with their mentions.
    pub entities: &'a [EntityOut],
    /// Quotations.
    pub quotes: &'a [QuoteOut],
    /// Quote groups.
    pub quote_groups: &'a [QuoteGroupOut],
    /// Claims.
    pub claims: &'a [ClaimOut],
    /// Events.
    pub events: &'a [EventOut],
    /// For each story, its block: stories of one thread share one, so that
    /// framing can be compared over the thread.
    pub story_block: &'a BTreeMap<&'a str, usize>,
}

/// A noun phrase ending right before a place's name: "the war in ",
/// "its operation against ". Group 1 is the head word.
static BEFORE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:the|its|their|his|her|a|an)\s+(?:[a-z][\w-]*\s+){0,2}?([a-z][\w-]*)\s+(?:of|in|with|against|on)\s+(?:the\s+)?$",
    )
    .expect("valid regex")
});

/// A head word right after a place's name: "(the Tarsk) conflict".
static AFTER_PLACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s([a-z][a-z-]+)\b").expect("valid regex"));

/// Phrases whose meanings are at least this close name one thing.
const PHRASE_SIMILARITY: f32 = 0.6;

/// Builds the comparison of every story told by two or more documents.
pub fn compare(input: CompareInput<'_>, meaning: Meaning<'_>) -> Vec<ComparisonOut> {
    let doc_by_id: BTreeMap<&str, &DocumentOut> =
        input.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let quote_by_id: BTreeMap<&str, &QuoteOut> =
        input.quotes.iter().map(|q| (q.id.as_str(), q)).collect();
    let mentions = mentions_by_doc(input.entities);
    let place_phrases = place_phrases(input, &mentions, meaning);
    let mut res = Vec::new();
    for story in input.stories.iter().filter(|s| s.documents.len() >= 2) {
        let docs: BTreeSet<&str> = story.documents.iter().map(String::as_str).collect();
        // Items of the story and the documents reporting each.
        let mut items: Vec<(String, BTreeSet<&str>)> = Vec::new();
        for v in input.events {
            let reporting: BTreeSet<&str> =
                v.documents.iter().map(String::as_str).filter(|d| docs.contains(d)).collect();
            if !reporting.is_empty() {
                items.push((v.id.clone(), reporting));
            }
        }
        for c in input.claims {
            let reporting: BTreeSet<&str> = c
                .positions
                .iter()
                .map(|p| p.evidence.doc.as_str())
                .filter(|d| docs.contains(d))
                .collect();
            if !reporting.is_empty() {
                items.push((c.id.clone(), reporting));
            }
        }
        for g in input.quote_groups {
            let reporting: BTreeSet<&str> = g
                .quotes
                .iter()
                .filter_map(|q| quote_by_id.get(q.as_str()).map(|q| q.doc.as_str()))
                .filter(|d| docs.contains(d))
                .collect();
            if !reporting.is_empty() {
                items.push((g.id.clone(), reporting));
            }
        }
        let outlets = story
            .documents
            .iter()
            .map(|doc| OutletOut {
                doc: doc.clone(),
                outlet: doc_by_id.get(doc.as_str()).and_then(|d| d.outlet.clone()),
                covers: items
                    .iter()
                    .filter(|(_, r)| r.contains(doc.as_str()))
                    .map(|(id, _)| id.clone())
                    .collect(),
                omits: items
                    .iter()
                    .filter(|(_, r)| !r.contains(doc.as_str()))
                    .map(|(id, _)| id.clone())
                    .collect(),
                cites: cites(doc, input, &mentions, &doc_by_id),
            })
            .collect();
        let mut framing = Vec::new();
        framing.extend(quote_group_framing(input, &docs, &quote_by_id, &mentions));
        framing.extend(claim_framing(input, &docs, &mentions));
        framing.extend(
            place_phrases
                .iter()
                .filter(|f| f.renderings.iter().any(|r| docs.contains(r.doc.as_str())))
                .cloned(),
        );
        dedup_framing(&mut framing);
        let attribution = input
            .quote_groups
            .iter()
            .filter_map(|g| {
                let verbs: Vec<VerbOut> = g
                    .quotes
                    .iter()
                    .filter_map(|q| quote_by_id.get(q.as_str()))
                    .filter(|q| docs.contains(q.doc.as_str()))
                    .map(|q| VerbOut {
                        doc: q.doc.clone(),
                        verb: q.cue.clone().unwrap_or_else(|| "(no verb)".to_string()),
                    })
                    .collect();
                (verbs.len() >= 2).then(|| AttributionOut { quote_group: g.id.clone(), verbs })
            })
            .collect();
        res.push(ComparisonOut { story: story.id.clone(), outlets, framing, attribution });
    }
    res
}

/// (span, entity id, entity type, is a name) of each mention, by document, in order.
type Mentions<'a> = BTreeMap<&'a str, Vec<(Span, &'a str, &'a str, bool)>>;

fn mentions_by_doc(entities: &[EntityOut]) -> Mentions<'_> {
    let mut res: Mentions<'_> = BTreeMap::new();
    for e in entities {
        for m in &e.mentions {
            res.entry(m.doc.as_str()).or_default().push((
                Span { start: m.start, end: m.end },
                e.id.as_str(),
                e.kind.as_str(),
                m.kind == "name",
            ));
        }
    }
    for list in res.values_mut() {
        list.sort();
    }
    res
}

/// The sources a document attributes to: the speakers of its quotations,
/// the holders of what it reports, and the names after "according to",
/// "citing" or before "reported".
fn cites(
    doc: &str,
    input: CompareInput<'_>,
    mentions: &Mentions<'_>,
    doc_by_id: &BTreeMap<&str, &DocumentOut>,
) -> Vec<String> {
    static SOURCE_CUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:according\s+to|citing|cited\s+by|quoted\s+by|reported\s+by)\s+(?:the\s+)?$",
        )
        .expect("valid regex")
    });
    static REPORTED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s+(?:reported|reports|said|says|quoted|cited)\b").expect("valid regex")
    });
    let mut res: BTreeSet<String> = BTreeSet::new();
    res.extend(input.quotes.iter().filter(|q| q.doc == doc).filter_map(|q| q.speaker.clone()));
    for c in input.claims {
        for p in c.positions.iter().filter(|p| p.evidence.doc == doc && p.stance == "reports") {
            res.extend(p.holder.clone());
        }
    }
    if let (Some(d), Some(list)) = (doc_by_id.get(doc), mentions.get(doc)) {
        for &(span, id, kind, _) in list {
            if kind != "ORG" && kind != "PERSON" {
                continue;
            }
            let before = &d.text[..span.start as usize];
            let after = &d.text[span.end as usize..];
            let tail = &before[floor_char(before, before.len().saturating_sub(40))..];
            if SOURCE_CUE.is_match(tail) || (kind == "ORG" && REPORTED_AFTER.is_match(after)) {
                res.insert(id.to_string());
            }
        }
    }
    res.into_iter().collect()
}

/// A framing rendering of document `doc` at `span`.
fn rendering(doc: &DocumentOut, span: Span) -> SpanOut {
    SpanOut {
        doc: doc.id.clone(),
        start: span.start,
        end: span.end,
        text: doc.text[span.range()].to_string(),
    }
}

/// Whether the renderings hold two documents and two wordings.
fn is_framing(renderings: &[SpanOut]) -> bool {
    let docs: BTreeSet<&str> = renderings.iter().map(|r| r.doc.as_str()).collect();
    let words: BTreeSet<String> = renderings.iter().map(|r| r.text.to_lowercase()).collect();
    docs.len() >= 2 && words.len() >= 2
}

/// Names that replace each other where a quote group's members are aligned.
fn quote_group_framing(
    input: CompareInput<'_>,
    docs: &BTreeSet<&str>,
    quote_by_id: &BTreeMap<&str, &QuoteOut>,
    mentions: &Mentions<'_>,
) -> Vec<FramingOut> {
    let doc_by_id: BTreeMap<&str, &DocumentOut> =
        input.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut res = Vec::new();
    for g in input.quote_groups {
        let members: Vec<&QuoteOut> = g
            .quotes
            .iter()
            .filter_map(|q| quote_by_id.get(q.as_str()).copied())
            .filter(|q| docs.contains(q.doc.as_str()))
            .collect();
        for (x, a) in members.iter().enumerate() {
            for b in &members[x + 1..] {
                for change in align::changes(&a.text, &b.text).iter().filter(|c| c.is_replacement())
                {
                    let name_in = |q: &QuoteOut, range: &std::ops::Range<usize>| {
                        let (from, to) =
                            (q.start as usize + range.start, q.start as usize + range.end);
                        mentions.get(q.doc.as_str()).and_then(|list| {
                            list.iter().find(|(s, _, kind, name)| {
                                *name
                                    && *kind != "PERSON"
                                    && s.start as usize >= from
                                    && s.end as usize <= to
                            })
                        })
                    };
                    let (Some(ma), Some(mb)) = (name_in(a, &change.a), name_in(b, &change.b))
                    else {
                        continue;
                    };
                    let (ta, tb) = (
                        &doc_by_id[a.doc.as_str()].text[ma.0.range()],
                        &doc_by_id[b.doc.as_str()].text[mb.0.range()],
                    );
                    // The same entity, things of different kinds, or an abbreviation.
                    if ma.1 == mb.1 || ma.2 != mb.2 || is_initialism(ta, tb) {
                        continue;
                    }
                    let renderings = vec![
                        rendering(
                            doc_by_id[a.doc.as_str()],
                            with_article(doc_by_id[a.doc.as_str()], ma.0),
                        ),
                        rendering(
                            doc_by_id[b.doc.as_str()],
                            with_article(doc_by_id[b.doc.as_str()], mb.0),
                        ),
                    ];
                    if !is_framing(&renderings) {
                        continue;
                    }
                    // One item per pair of things in a group, with every member's rendering.
                    let referent = format!(
                        "one thing named {} and {} in quote group {}",
                        renderings[0].text, renderings[1].text, g.id
                    );
                    let same = res.iter_mut().find(|f: &&mut FramingOut| {
                        f.renderings.iter().any(|r| r.text == renderings[0].text)
                            && f.referent.ends_with(&format!("quote group {}", g.id))
                    });
                    match same {
                        Some(item) => {
                            for r in renderings {
                                if !item.renderings.contains(&r) {
                                    item.renderings.push(r);
                                }
                            }
                        }
                        None => res.push(FramingOut { referent, renderings }),
                    }
                }
            }
        }
    }
    res
}

/// The span with a "the" right before it ("the Northern Reach").
fn with_article(doc: &DocumentOut, span: Span) -> Span {
    let before = &doc.text[..span.start as usize];
    for article in ["the ", "The "] {
        if before.ends_with(article) {
            return Span::new(span.start as usize - article.len(), span.end as usize);
        }
    }
    span
}

/// The equipment each document names in its positions on one claim.
fn claim_framing(
    input: CompareInput<'_>,
    docs: &BTreeSet<&str>,
    mentions: &Mentions<'_>,
) -> Vec<FramingOut> {
    let doc_by_id: BTreeMap<&str, &DocumentOut> =
        input.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut res = Vec::new();
    for c in input.claims {
        let mut renderings: Vec<SpanOut> = Vec::new();
        for p in c.positions.iter().filter(|p| docs.contains(p.evidence.doc.as_str())) {
            let Some(list) = mentions.get(p.evidence.doc.as_str()) else { continue };
            for &(span, _, kind, _) in list {
                if kind == "EQUIPMENT"
                    && p.evidence.start <= span.start
                    && span.end <= p.evidence.end
                {
                    let r = rendering(doc_by_id[p.evidence.doc.as_str()], span);
                    if !renderings.contains(&r) {
                        renderings.push(r);
                    }
                }
            }
        }
        if is_framing(&renderings) {
            res.push(FramingOut {
                referent: format!("the equipment of claim {}: {}", c.id, c.gist),
                renderings,
            });
        }
    }
    res
}

/// A noun phrase: its document, span and head word.
type Phrase<'a> = (&'a DocumentOut, Span, String);

/// Noun phrases built on one place, grouped by meaning within a block.
fn place_phrases(
    input: CompareInput<'_>,
    mentions: &Mentions<'_>,
    meaning: Meaning<'_>,
) -> Vec<FramingOut> {
    let story_of_doc: BTreeMap<&str, &str> =
        input.documents.iter().map(|d| (d.id.as_str(), d.story.as_str())).collect();
    // (block, place entity) → phrases (doc, span, head word)
    let mut phrases: BTreeMap<(usize, &str), Vec<Phrase<'_>>> = BTreeMap::new();
    for d in input.documents {
        let Some(block) = story_of_doc.get(d.id.as_str()).and_then(|s| input.story_block.get(s))
        else {
            continue;
        };
        let Some(list) = mentions.get(d.id.as_str()) else { continue };
        for &(span, id, kind, name) in list {
            if kind != "LOC" || !name {
                continue;
            }
            let from = floor_char(&d.text, (span.start as usize).saturating_sub(60));
            let to = ceil_char(&d.text, (span.end as usize + 30).min(d.text.len()));
            // "the start of the Tarsk war": the phrase goes on after the name, so
            // it is not "the start of Tarsk".
            let compound = AFTER_PLACE
                .captures(&d.text[span.end as usize..to])
                .is_some_and(|c| is_head_word(&c[1]));
            if let Some(c) =
                BEFORE_PLACE.captures(&d.text[from..span.start as usize]).filter(|_| !compound)
            {
                let whole = c.get(0).expect("match");
                let s = Span::new(from + whole.start(), span.end as usize);
                phrases.entry((*block, id)).or_default().push((d, s, c[1].to_lowercase()));
            }
            let with_the = with_article(d, span);
            if with_the != span {
                if let Some(c) = AFTER_PLACE
                    .captures(&d.text[span.end as usize..to])
                    .filter(|c| is_head_word(&c[1]))
                {
                    let whole = c.get(0).expect("match");
                    let s = Span::new(with_the.start as usize, span.end as usize + whole.end());
                    phrases.entry((*block, id)).or_default().push((d, s, c[1].to_lowercase()));
                }
            }
        }
    }
    let mut res = Vec::new();
    let entity_name: BTreeMap<&str, &str> =
        input.entities.iter().map(|e| (e.id.as_str(), e.name.as_str())).collect();
    for ((_, place), list) in phrases {
        let heads: BTreeSet<&str> = list.iter().map(|(_, _, h)| h.as_str()).collect();
        let docs: BTreeSet<&str> = list.iter().map(|(d, _, _)| d.id.as_str()).collect();
        if heads.len() < 2 || docs.len() < 2 {
            continue;
        }
        let texts: Vec<&str> = list.iter().map(|(d, s, _)| &d.text[s.range()]).collect();
        let pieces: Vec<Vec<&str>> = texts.iter().map(|t| vec![*t]).collect();
        let similarity = Similarity::new(&texts, &pieces, meaning);
        let items: Vec<usize> = (0..list.len()).collect();
        let clusters = match meaning {
            Meaning::Model(_) => {
                group::average_linkage(&items, |a, b| similarity.of(a, b), PHRASE_SIMILARITY)
            }
            // Without a model only the same head word names the same thing: nothing to report.
            Meaning::Words => Vec::new(),
        };
        for cluster in clusters {
            let renderings: Vec<SpanOut> =
                cluster.iter().map(|&i| rendering(list[i].0, list[i].1)).collect();
            let heads: BTreeSet<&str> = cluster.iter().map(|&i| list[i].2.as_str()).collect();
            if is_framing(&renderings) && heads.len() >= 2 {
                res.push(FramingOut {
                    referent: format!(
                        "what the articles call the {} around {}",
                        heads.into_iter().collect::<Vec<_>>().join(" / "),
                        entity_name.get(place).copied().unwrap_or(place)
                    ),
                    renderings,
                });
            }
        }
    }
    res
}

/// A word that can head a noun phrase after a name ("the Tarsk war"): not
/// a function word or a common verb form.
fn is_head_word(word: &str) -> bool {
    word.len() >= 3
        && !matches!(
            word,
            "and"
                | "but"
                | "the"
                | "for"
                | "nor"
                | "yet"
                | "has"
                | "had"
                | "was"
                | "are"
                | "were"
                | "said"
                | "says"
                | "will"
                | "would"
                | "could"
                | "should"
                | "its"
                | "his"
                | "her"
                | "who"
                | "which"
                | "that"
                | "this"
                | "with"
                | "from"
                | "into"
                | "over"
                | "also"
                | "have"
                | "been"
                | "did"
                | "does"
                | "not"
                | "may"
                | "might"
                | "can"
                | "must"
        )
}

/// Whether one name is the initials of the other ("US", "United States").
fn is_initialism(a: &str, b: &str) -> bool {
    let letters = |s: &str| -> String {
        s.chars().filter(|c| c.is_alphabetic()).collect::<String>().to_lowercase()
    };
    let initials = |s: &str| -> String {
        s.split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .to_lowercase()
    };
    let (la, lb) = (letters(a), letters(b));
    (la.len() >= 2 && la == initials(b)) || (lb.len() >= 2 && lb == initials(a))
}

/// Drops framing items whose renderings another item already holds.
fn dedup_framing(framing: &mut Vec<FramingOut>) {
    let mut seen: BTreeSet<Vec<(String, u32, u32)>> = BTreeSet::new();
    framing.retain(|f| {
        let mut key: Vec<(String, u32, u32)> =
            f.renderings.iter().map(|r| (r.doc.clone(), r.start, r.end)).collect();
        key.sort();
        seen.insert(key)
    });
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{MentionOut, PublishedOut};

    #[test]
    fn initialisms_and_head_words() {
        assert!(is_initialism("US", "United States"));
        assert!(is_initialism("the United Nations", "UN"));
        assert!(!is_initialism("Moscow", "Russia"));
        assert!(is_head_word("war") && is_head_word("conflict"));
        assert!(!is_head_word("and") && !is_head_word("said") && !is_head_word("to"));
    }

    fn document(id: &str, text: &str) -> DocumentOut {
        DocumentOut {
            id: id.into(),
            title: None,
            outlet: Some(format!("outlet-{id}")),
            language: Some("en".into()),
            source: id.into(),
            text: text.into(),
            published: PublishedOut {
                value: None,
                earliest: None,
                latest: None,
                basis: "none".into(),
                evidence: None,
                note: String::new(),
            },
            body: text.into(),
            removed: Vec::new(),
            story: "S1".into(),
        }
    }

    #[test]
    fn a_story_of_two_outlets_gets_coverage_and_attribution() {
        let docs = [
            document("a", "Ana Ruiz said the port reopens."),
            document("b", "Ana Ruiz claimed the port reopens."),
        ];
        let quote = |id: &str, doc: &str, cue: &str, at: u32| QuoteOut {
            id: id.into(),
            doc: doc.into(),
            start: at,
            end: at + 16,
            text: "the port reopens".into(),
            kind: "indirect".into(),
            speaker: Some("E1".into()),
            speaker_text: Some("Ana Ruiz".into()),
            cue: Some(cue.into()),
        };
        let quotes = [quote("Q1", "a", "said", 14), quote("Q2", "b", "claimed", 17)];
        let groups = [QuoteGroupOut {
            id: "QG1".into(),
            quotes: vec!["Q1".into(), "Q2".into()],
            differences: Vec::new(),
        }];
        let entities = [EntityOut {
            id: "E1".into(),
            name: "Ana Ruiz".into(),
            kind: "PERSON".into(),
            aliases: vec!["Ana Ruiz".into()],
            roles: Vec::new(),
            mentions: ["a", "b"]
                .iter()
                .map(|d| MentionOut {
                    doc: d.to_string(),
                    start: 0,
                    end: 8,
                    text: "Ana Ruiz".into(),
                    kind: "name".into(),
                })
                .collect(),
            merged_because: Vec::new(),
        }];
        let stories = [StoryOut {
            id: "S1".into(),
            title: None,
            when: None,
            documents: vec!["a".into(), "b".into()],
        }];
        let blocks: BTreeMap<&str, usize> = [("S1", 0)].into_iter().collect();
        let out = compare(
            CompareInput {
                documents: &docs,
                stories: &stories,
                entities: &entities,
                quotes: &quotes,
                quote_groups: &groups,
                claims: &[],
                events: &[],
                story_block: &blocks,
            },
            Meaning::Words,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].outlets[0].covers, ["QG1"]);
        assert!(out[0].outlets[1].omits.is_empty());
        assert_eq!(out[0].outlets[0].cites, ["E1"]);
        let verbs: Vec<&str> =
            out[0].attribution[0].verbs.iter().map(|v| v.verb.as_str()).collect();
        assert_eq!(verbs, ["said", "claimed"]);
    }
}
