//! Claims: propositions put forward about the world, and who alleges,
//! denies, concedes, reports or simply asserts them.
//!
//! A position is read from one sentence: a stance verb ("accused … of",
//! "denied", "admitted", "according to") or reported speech found by the
//! quote layer ("said that …"). Its holder is the phrase before the verb
//! (null for a passive "has been accused of"), its evidence the sentence.
//! Positions on the same proposition are one claim: a bare "denied the
//! accusations" joins the allegation it answers in the same document, and
//! positions of one thread whose propositions mean the same (sentence
//! embeddings; shared words without a model) are joined.
//!
//! Everything here is general English: stance verbs and their forms,
//! auxiliaries, and anaphoric nouns. Nothing names a person or a place.

use crate::analysis::{ClaimOut, EntityOut, PositionOut, QuoteOut, SpanOut};
use crate::doc::Span;
use crate::group::{self, Meaning, Similarity};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A position's stance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stance {
    /// States it as true ("said that").
    Asserts,
    /// Accuses or claims it ("accused Kestrel of", "warned that").
    Alleges,
    /// Denies or rejects it.
    Denies,
    /// Admits part of it.
    Concedes,
    /// Relays it from a source ("according to documents").
    Reports,
}

impl Stance {
    /// The contract's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Asserts => "asserts",
            Stance::Alleges => "alleges",
            Stance::Denies => "denies",
            Stance::Concedes => "concedes",
            Stance::Reports => "reports",
        }
    }
}

/// One document as the claim layer reads it.
#[derive(Debug, Clone)]
pub struct ClaimDoc<'a> {
    /// Document id.
    pub id: &'a str,
    /// The document's text.
    pub text: &'a str,
    /// Its body sentences, as spans of `text`.
    pub sentences: Vec<Span>,
    /// The thread (or story) it belongs to: claims are only joined inside one.
    pub block: usize,
}

/// A position found in one sentence, before grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Index of the document in the input.
    pub doc: usize,
    /// The sentence.
    pub evidence: Span,
    /// The stance.
    pub stance: Stance,
    /// The holder's words, if named.
    pub holder_text: Option<Span>,
    /// The proposition's words (what is alleged, denied, …).
    pub proposition: Span,
    /// The holder's entity id when the quote layer already knows it (the speaker).
    pub speaker: Option<String>,
}

static DENY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|dismiss(?:es|ed|ing)?)\b")
        .expect("valid regex")
});
static CONCEDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:admit(?:s|ted|ting)?|acknowledg(?:e|es|ed|ing)|conced(?:e|es|ed|ing))\b")
        .expect("valid regex")
});
static ALLEGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:accus(?:e|es|ed|ing)|alleg(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|claim(?:s|ed|ing)?\s+that|warn(?:s|ed|ing)?(?:\s+\w+)?\s+that)\b",
    )
    .expect("valid regex")
});
static REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:according\s+to|(?:reported|reports|revealed)\s+that)\b")
        .expect("valid regex")
});
/// A passive before the verb: the subject is the accused, not the accuser.
static PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:is|are|was|were|been|being|be)(?:\s+\w+ly)?\s*$").expect("valid regex")
});
/// Words between a holder and its verb.
static AUXILIARIES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\s+(?:has|have|had|was|were|is|are|also|again|repeatedly|consistently|previously|long|already|\w+ly))*\s*$")
        .expect("valid regex")
});
/// A proposition that points back to an earlier one ("denied the
/// accusations", "rejected claims that …").
static ANAPHORIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:the|these|those|such|all|any)?\s*(?:(?:accusations?|allegations?|claims?|charges?|reports?)\b|(?:it|them|this|that)\s*(?:[,.;]|$))")
        .expect("valid regex")
});

/// The quote cues that report an assertion (other cues carry their own stance).
fn asserting_cue(cue: &str) -> bool {
    let lower = cue.to_lowercase();
    let word = lower.split_whitespace().next().unwrap_or("");
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "stated",
        "states",
        "added",
        "adds",
        "noted",
        "notes",
        "stressed",
        "announced",
        "declared",
        "explained",
        "believes",
        "believe",
        "insisted",
    ]
    .contains(&word)
}

/// The stance a reported-speech cue carries on its own.
fn cue_stance(cue: &str) -> Option<Stance> {
    if DENY.is_match(cue) {
        Some(Stance::Denies)
    } else if CONCEDE.is_match(cue) {
        Some(Stance::Concedes)
    } else if ALLEGE.is_match(&format!("{cue} that")) {
        Some(Stance::Alleges)
    } else if asserting_cue(cue) {
        Some(Stance::Asserts)
    } else {
        None
    }
}

/// The holder phrase before a stance verb at `cue_start` of `sentence`: the
/// words since the last clause boundary, without auxiliaries; none for a passive.
fn holder_before(sentence: &str, cue_start: usize) -> Option<(usize, usize)> {
    let before = &sentence[..cue_start];
    if PASSIVE.is_match(before) {
        return None;
    }
    let trimmed = AUXILIARIES.find(before).map_or(before, |m| &before[..m.start()]);
    let boundary = [",", ";", ":", " that ", " which ", " who ", "(", "—", " – "]
        .iter()
        .filter_map(|b| trimmed.rfind(b).map(|i| i + b.len()))
        .max()
        .unwrap_or(0);
    let phrase = trimmed[boundary..].trim_start();
    let start = trimmed.len() - phrase.len();
    let words = phrase.split_whitespace().count();
    (words > 0 && words <= 8).then_some((start, trimmed.len()))
}

/// The positions one sentence takes. `quotes` are the document's quotations.
fn positions_in(doc: usize, text: &str, sentence: Span, quotes: &[&QuoteOut]) -> Option<Position> {
    let s = &text[sentence.range()];
    let at = |from: usize, to: usize| {
        Span::new(sentence.start as usize + from, sentence.start as usize + to)
    };
    let to_end = |from: usize| at(from, s.len());
    for (regex, stance) in
        [(&*DENY, Stance::Denies), (&*CONCEDE, Stance::Concedes), (&*ALLEGE, Stance::Alleges)]
    {
        if let Some(m) = regex.find(s) {
            let holder = holder_before(s, m.start()).map(|(a, b)| at(a, b));
            return Some(Position {
                doc,
                evidence: sentence,
                stance,
                holder_text: holder,
                proposition: to_end(m.end()),
                speaker: None,
            });
        }
    }
    if let Some(m) = REPORT.find(s) {
        if m.as_str().to_lowercase().starts_with("according") {
            // "According to X, …": X holds it; a person's words are reported speech.
            let rest = &s[m.end()..];
            let comma = rest.find(',')?;
            let lead = rest.len() - rest.trim_start().len();
            let source = (m.end() + lead, m.end() + comma);
            let source_words = s[source.0..source.1].split_whitespace().count();
            if source_words == 0 || source_words > 14 {
                return None;
            }
            return Some(Position {
                doc,
                evidence: sentence,
                stance: Stance::Reports,
                holder_text: Some(at(source.0, source.1)),
                proposition: to_end(m.end() + comma + 1),
                speaker: None,
            });
        }
        let holder = holder_before(s, m.start()).map(|(a, b)| at(a, b));
        return Some(Position {
            doc,
            evidence: sentence,
            stance: Stance::Reports,
            holder_text: holder,
            proposition: to_end(m.end()),
            speaker: None,
        });
    }
    // Reported speech of the quote layer: an assertion, or a concession when
    // it grants one thing "but" disputes another.
    let quote = quotes.iter().find(|q| {
        q.kind == "indirect"
            && sentence.start <= q.start
            && q.start < sentence.end
            && q.text.split_whitespace().count() >= 5
    })?;
    let stance = cue_stance(quote.cue.as_deref().unwrap_or(""))?;
    let stance = if stance == Stance::Asserts && quote.text.contains(", but ") {
        Stance::Concedes
    } else {
        stance
    };
    let holder = quote
        .speaker_text
        .as_ref()
        .and_then(|words| s.find(words.as_str()).map(|i| at(i, i + words.len())));
    Some(Position {
        doc,
        evidence: sentence,
        stance,
        holder_text: holder,
        proposition: Span::new(quote.start as usize, quote.end as usize),
        speaker: quote.speaker.clone(),
    })
}

/// Words that call something untrue beyond a denial verb ("a hoax", "is
/// false", "debunked", "no evidence"). General English; used by
/// [`sentence_stance`], not by [`find`].
static REFUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:hoax(?:es|ers?)?|fake[ds]?|false(?:ly|hoods?)?|untrue|not\s+true|no\s+truth|debunk(?:s|ed|ing)?|bogus|fabricat(?:e|es|ed|ion)|baseless|unfounded|no\s+evidence|never\s+happened|satir(?:e|ical)|retract(?:s|ed|ion)?|rubbish|nonsense|doctored|photoshopped)\b",
    )
    .expect("valid regex")
});

/// Words that hold something at a distance: the writer relays it without
/// vouching for it ("reportedly", "rumours", "could not be verified", "is
/// said to"). General English; used by [`sentence_stance`], not by [`find`].
static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:reportedly|allegedly|apparently|purportedly|supposedly|rumou?r(?:s|ed)?|unconfirmed|unverified|speculat(?:e|es|ed|ion|ing)|(?:could|can)\s*not\s+(?:be\s+)?(?:independently\s+)?(?:verif(?:y|ied)|confirm(?:ed)?)|(?:is|are|was|were)\s+said\s+to|appears?\s+to|seems?\s+to|(?:may|might)\s+have|if\s+true|claim(?:s|ed|ing)?)\b",
    )
    .expect("valid regex")
});

/// How one sentence holds what it says: the position it takes (as [`find`]
/// reads positions) and whether it calls something untrue or keeps it at a
/// distance. A reader of a whole text weighs these over its sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SentenceStance {
    /// The stance of the position the sentence takes, if it takes one.
    pub stance: Option<Stance>,
    /// It denies something or calls it untrue ("denied", "a hoax", "false").
    pub refutes: bool,
    /// It relays something without vouching for it: an allegation, a report
    /// ("according to"), or a hedge ("reportedly", "rumours", "claims").
    pub hedges: bool,
}

/// The stance one sentence of `text` takes, with the document's quotations
/// (`quotes`, for reported speech) as [`find`] reads them.
pub fn sentence_stance(text: &str, sentence: Span, quotes: &[&QuoteOut]) -> SentenceStance {
    let stance = positions_in(0, text, sentence, quotes).map(|p| p.stance);
    let words = &text[sentence.range()];
    SentenceStance {
        stance,
        refutes: stance == Some(Stance::Denies) || REFUTE.is_match(words),
        hedges: matches!(stance, Some(Stance::Alleges | Stance::Reports)) || HEDGE.is_match(words),
    }
}

/// Positions below this similarity of proposition (sentence embeddings)
/// are different claims.
const CLAIM_SIMILARITY: f32 = 0.6;

/// Without a model: the share of the shorter proposition's content words.
const CLAIM_OVERLAP: f32 = 0.5;

/// Finds the claims of the documents: positions, then grouping.
pub fn find(
    docs: &[ClaimDoc<'_>],
    entities: &[EntityOut],
    quotes: &[QuoteOut],
    meaning: Meaning<'_>,
) -> Vec<ClaimOut> {
    let mut quotes_by_doc: BTreeMap<&str, Vec<&QuoteOut>> = BTreeMap::new();
    for q in quotes {
        quotes_by_doc.entry(q.doc.as_str()).or_default().push(q);
    }
    let positions: Vec<Position> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            let doc_quotes = quotes_by_doc.get(doc.id).map(Vec::as_slice).unwrap_or(&[]);
            doc.sentences
                .iter()
                .filter_map(move |&sentence| positions_in(d, doc.text, sentence, doc_quotes))
                .collect::<Vec<_>>()
        })
        .collect();
    // Mentions by document, to name holders.
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
    let groups = group_positions(docs, &positions, meaning);
    groups
        .into_iter()
        .enumerate()
        .map(|(k, members)| {
            let first = &positions[members[0]];
            let gist = docs[first.doc].text[first.proposition.range()].trim();
            let gist = gist.trim_end_matches(['.', ',', ';']).trim();
            ClaimOut {
                id: format!("C{}", k + 1),
                gist: short(gist, 160),
                positions: members
                    .iter()
                    .map(|&p| {
                        let pos = &positions[p];
                        let doc = &docs[pos.doc];
                        let holder = pos.speaker.clone().or_else(|| {
                            pos.holder_text.and_then(|h| {
                                mentions.get(doc.id).and_then(|ms| {
                                    ms.iter()
                                        .filter(|(span, _, kind)| {
                                            h.contains(*span) && *kind != "MISC"
                                        })
                                        .min_by_key(|(span, _, kind)| {
                                            (*kind != "PERSON", span.start)
                                        })
                                        .map(|(_, id, _)| id.to_string())
                                })
                            })
                        });
                        let person = holder.as_deref().is_some_and(|h| {
                            entities.iter().any(|e| e.id == h && e.kind == "PERSON")
                        });
                        // "According to Ana Ruiz, …" is her statement, not a source relayed.
                        let stance = match pos.stance {
                            Stance::Reports if person => Stance::Asserts,
                            other => other,
                        };
                        PositionOut {
                            holder,
                            holder_text: pos.holder_text.map(|h| doc.text[h.range()].to_string()),
                            stance: stance.as_str().to_string(),
                            evidence: SpanOut {
                                doc: doc.id.to_string(),
                                start: pos.evidence.start,
                                end: pos.evidence.end,
                                text: doc.text[pos.evidence.range()].to_string(),
                            },
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The first `max` bytes of `text`, cut at a word, with an ellipsis when cut.
fn short(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = text[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", &text[..cut])
}

/// Groups positions into claims: an anaphoric answer joins the last
/// allegation of its document; positions of one block join when their
/// propositions mean the same. Returns member lists in order of first member.
fn group_positions(
    docs: &[ClaimDoc<'_>],
    positions: &[Position],
    meaning: Meaning<'_>,
) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..positions.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    };
    let anaphoric: Vec<bool> = positions
        .iter()
        .map(|p| ANAPHORIC.is_match(&docs[p.doc].text[p.proposition.range()]))
        .collect();
    for (idx, p) in positions.iter().enumerate() {
        if anaphoric[idx] {
            let earlier = (0..idx).rev().find(|&e| {
                positions[e].doc == p.doc
                    && matches!(positions[e].stance, Stance::Alleges | Stance::Reports)
            });
            if let Some(e) = earlier {
                join(&mut parent, idx, e);
            }
        }
    }
    let compared: Vec<usize> = (0..positions.len()).filter(|&i| !anaphoric[i]).collect();
    let texts: Vec<&str> = compared
        .iter()
        .map(|&i| docs[positions[i].doc].text[positions[i].proposition.range()].trim())
        .collect();
    // A proposition is compared by its own words and by its whole sentence,
    // which keeps what a relative clause leaves out ("the drone, which critics
    // accused Kestrel of supplying").
    let pieces: Vec<Vec<&str>> = compared
        .iter()
        .zip(&texts)
        .map(|(&i, t)| vec![*t, docs[positions[i].doc].text[positions[i].evidence.range()].trim()])
        .collect();
    let similarity = Similarity::new(&texts, &pieces, meaning);
    let mut blocks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, &i) in compared.iter().enumerate() {
        blocks.entry(docs[positions[i].doc].block).or_default().push(k);
    }
    for members in blocks.values() {
        let clusters = match meaning {
            Meaning::Model(_) => {
                group::average_linkage(members, |a, b| similarity.of(a, b), CLAIM_SIMILARITY)
            }
            Meaning::Words => {
                group::average_linkage(members, |a, b| similarity.words_shared(a, b), CLAIM_OVERLAP)
            }
        };
        for cluster in clusters {
            for pair in cluster.windows(2) {
                join(&mut parent, compared[pair[0]], compared[pair[1]]);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for idx in 0..positions.len() {
        let r = root(&mut parent, idx);
        groups.entry(r).or_default().push(idx);
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Option<(Stance, Option<&str>, &str)> {
        let sentence = Span::new(0, text.len());
        positions_in(0, text, sentence, &[]).map(|p| {
            (p.stance, p.holder_text.map(|h| &text[h.range()]), text[p.proposition.range()].trim())
        })
    }

    #[test]
    fn stance_verbs_give_stance_holder_and_proposition() {
        assert_eq!(
            one("Critics have accused Kestrel of selling rifles to Tarsk."),
            Some((Stance::Alleges, Some("Critics"), "Kestrel of selling rifles to Tarsk."))
        );
        assert_eq!(
            one("Kestrel has been repeatedly accused of selling rifles."),
            Some((Stance::Alleges, None, "of selling rifles."))
        );
        assert_eq!(
            one("Valdoria has consistently denied the accusations."),
            Some((Stance::Denies, Some("Valdoria"), "the accusations."))
        );
        assert_eq!(
            one("The harbour board admitted that fees rose."),
            Some((Stance::Concedes, Some("The harbour board"), "that fees rose."))
        );
        assert_eq!(
            one("According to leaked documents, the port was sold."),
            Some((Stance::Reports, Some("leaked documents"), "the port was sold."))
        );
        assert_eq!(one("The ferry left at noon."), None);
    }

    #[test]
    fn sentence_stance_reads_refutation_and_hedges() {
        let check = |text: &str| sentence_stance(text, Span::new(0, text.len()), &[]);
        let denial = check("The ministry denied the report.");
        assert_eq!(
            (denial.stance, denial.refutes, denial.hedges),
            (Some(Stance::Denies), true, false)
        );
        let hoax = check("The photograph turned out to be a hoax.");
        assert_eq!((hoax.stance, hoax.refutes, hoax.hedges), (None, true, false));
        let hedge = check("The singer has reportedly bought an island.");
        assert_eq!((hedge.stance, hedge.refutes, hedge.hedges), (None, false, true));
        let report = check("According to local media, the bridge collapsed.");
        assert_eq!((report.stance, report.hedges), (Some(Stance::Reports), true));
        assert_eq!(check("The bridge collapsed on Monday."), SentenceStance::default());
    }

    #[test]
    fn an_anaphoric_denial_joins_the_allegation_before_it() {
        let text = "Critics accused Kestrel of selling rifles. Kestrel denied the accusations.";
        let doc = ClaimDoc {
            id: "d",
            text,
            sentences: vec![Span::new(0, 42), Span::new(43, text.len())],
            block: 0,
        };
        let claims = find(&[doc], &[], &[], Meaning::Words);
        assert_eq!(claims.len(), 1);
        let stances: Vec<&str> = claims[0].positions.iter().map(|p| p.stance.as_str()).collect();
        assert_eq!(stances, ["alleges", "denies"]);
    }
}
