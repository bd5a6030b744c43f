//! Roles and references: the titles and descriptions the texts give a person,
//! and the pronouns and role nominals ("he", "the minister") that point back
//! to one.

use super::{Entity, EntityMention, EntityType};
use crate::doc::Span;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Words that make a phrase a clause rather than a description.
fn is_clause_word(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "said"
            | "says"
            | "say"
            | "told"
            | "tells"
            | "is"
            | "was"
            | "are"
            | "were"
            | "has"
            | "had"
            | "have"
            | "will"
            | "would"
            | "met"
            | "who"
            | "whom"
            | "which"
            | "that"
            | "added"
            | "noted"
            | "stated"
            | "when"
            | "while"
            | "after"
            | "before"
            | "during"
            | "in"
            | "on"
            | "at"
            | "with"
            | "by"
            | "to"
            | "from"
    )
}

/// Capitalised at a sentence start, these open a phrase; they are not part of a title.
fn is_preposition(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "on" | "in"
            | "at"
            | "by"
            | "for"
            | "from"
            | "with"
            | "after"
            | "before"
            | "during"
            | "when"
            | "as"
            | "and"
            | "but"
            | "then"
            | "meanwhile"
            | "while"
            | "since"
            | "until"
            | "if"
            | "according"
    )
}

/// Words of an aside ("for his part", "however"), not of a description.
fn is_aside_word(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "his" | "her" | "its" | "their" | "however" | "meanwhile" | "too" | "also" | "part"
    )
}

fn is_glue(word: &str) -> bool {
    matches!(word, "of" | "the" | "and" | "for")
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase())
}

/// The roles the text gives the person named at `span`: a title in front
/// ("Defence Minister Ana Ruiz"), an apposition after ("Ana Ruiz, chief of
/// staff of the army,") or before ("the army's chief of staff, Ana Ruiz").
pub fn roles_of(text: &str, span: Span) -> Vec<String> {
    let mut res = Vec::new();
    let mut before = &text[..span.start as usize];
    let after = &text[span.end as usize..];
    if let Some(title) = title_before(before) {
        // An apposition before stands before the title: "the army chief, General Ana Ruiz".
        if let Some(idx) = before.trim_end().rfind(title.as_str()) {
            before = &before[..idx];
        }
        res.push(title);
    }
    if let Some(apposition) = apposition_after(after) {
        res.push(apposition);
    }
    if after.starts_with(',') {
        if let Some(apposition) = apposition_before(before) {
            res.push(apposition);
        }
    }
    res
}

/// Capitalised words (and "of"/"the" inside them) right before the name.
fn title_before(before: &str) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    let mut rest = before.trim_end_matches([' ', '\u{a0}']);
    if rest.len() == before.len() && !before.is_empty() {
        return None; // The name is glued to what precedes it.
    }
    loop {
        let start = rest
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |i| i + rest[i..].chars().next().map_or(1, char::len_utf8));
        let word = &rest[start..];
        let clean = word.trim_end_matches([',', ';', ':']);
        if clean.len() != word.len()
            || word.is_empty()
            || word.contains(['\'', '’'])
            || !word.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            break;
        }
        let glue = matches!(word, "of" | "the") && !words.is_empty();
        if is_preposition(word) && word != "and" {
            // "On Tuesday Ana Ruiz": the capitals were the object of a preposition.
            return None;
        }
        if !(starts_upper(word) || glue) || words.len() >= 8 || word == "and" {
            break;
        }
        words.push(word);
        rest = rest[..start].trim_end_matches([' ', '\u{a0}']);
        if start == 0 {
            break;
        }
    }
    while words.last().is_some_and(|w| is_glue(w) || w.eq_ignore_ascii_case("the")) {
        words.pop();
    }
    words.reverse();
    // A lone capitalised word at a sentence start is usually not a title ("Then", "Meanwhile").
    let sentence_start = rest.is_empty() || rest.ends_with(['.', '!', '?', '"', '”', '\n']);
    if words.is_empty()
        || (words.len() == 1 && sentence_start)
        || words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    Some(words.join(" "))
}

static APPOSITION_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^,\s+([^,.;:()\n]{3,90}?)\s*[,.;]").expect("valid regex"));

/// ", chief of staff of the army," right after the name.
fn apposition_after(after: &str) -> Option<String> {
    let caps = APPOSITION_AFTER.captures(after)?;
    description(&caps[1])
}

/// "the army's chief of staff, " right before the name.
fn apposition_before(before: &str) -> Option<String> {
    // "…, Ana Ruiz said" is an attribution, not an apposition: only a name
    // closed by a comma (checked by the caller) is described before it.
    let trimmed = before.trim_end();
    let clause = trimmed.strip_suffix(',')?;
    // After the mark: "“" is three bytes long.
    let clause_start = clause
        .char_indices()
        .rfind(|&(_, c)| matches!(c, ',' | ';' | ':' | '(' | '.' | '\n' | '“' | '"'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let clause = &clause[clause_start..];
    // The description starts at a "the" whose phrase is all title words.
    let mut offset = 0;
    while let Some(pos) = clause[offset..].find("the ").map(|p| p + offset) {
        let at_word = pos == 0 || !clause[..pos].ends_with(|c: char| c.is_alphanumeric());
        if at_word {
            if let Some(found) = description(&clause[pos..]) {
                return Some(found);
            }
        }
        offset = pos + 4;
    }
    // "Kestrel's Foreign Minister, Ana Ruiz,": a possessive name and capitalised title words.
    POSSESSIVE_TITLE.is_match(clause).then(|| clause.trim().to_string())
}

static POSSESSIVE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\p{Lu}[\p{L}.-]*\s+){0,3}\p{Lu}[\p{L}.-]*['’]s(?:\s+\p{Lu}[\p{L}-]*){1,4}\s*$",
    )
    .expect("valid regex")
});

/// A noun phrase of at most ten words that names a role, not a clause.
fn description(phrase: &str) -> Option<String> {
    let phrase = phrase.trim();
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 12
        || words.iter().any(|w| is_clause_word(w) || is_aside_word(w))
    {
        return None;
    }
    if matches!(
        words[0].to_lowercase().as_str(),
        "he" | "she"
            | "it"
            | "they"
            | "we"
            | "i"
            | "you"
            | "his"
            | "her"
            | "its"
            | "their"
            | "and"
            | "or"
            | "but"
    ) {
        return None;
    }
    let lowercase_content =
        words.iter().filter(|w| !starts_upper(w) && !is_glue(w) && !w.starts_with("the")).count();
    if lowercase_content > 4 || words.iter().all(|w| is_glue(w)) {
        return None;
    }
    Some(words.join(" "))
}

static PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:[Hh]e|[Ss]he)\b").expect("valid regex"));
static THE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[Tt]he\b").expect("valid regex"));

/// Words a role nominal may put in front of its head noun.
const NOMINAL_MODIFIERS: usize = 4;

/// Heads that name no office of their own ("the official"): with no person
/// whose roles hold them, they stand for the subject of the last sentence
/// naming someone who holds an office.
fn is_generic_role(head: &str) -> bool {
    matches!(head, "official" | "officer" | "diplomat")
}

/// A role nominal starting at `the_end` (just after "the"): its modifiers
/// (lowercased) and head noun, and the byte length from `the_end` to the end
/// of the head. The head is the last of a run of role nouns ("the army
/// commander", "the Iranian Defence Minister", "the top military official").
fn role_nominal(rest: &str) -> Option<(Vec<String>, String, usize)> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for word in rest.split(' ') {
        if word.is_empty() || !word.chars().all(|c| c.is_alphabetic() || c == '-') {
            // Anything but a plain word (a comma, a line break, a possessive) ends the phrase;
            // a word glued to punctuation can still be the head.
            let plain: &str = word.trim_end_matches(|c: char| !c.is_alphabetic());
            if !plain.is_empty() && plain.chars().all(|c| c.is_alphabetic() || c == '-') {
                words.push((at + plain.len(), plain));
            }
            break;
        }
        at += word.len();
        words.push((at, word));
        at += 1;
        if words.len() > NOMINAL_MODIFIERS + 1 {
            break;
        }
    }
    let is_role = |w: &str| crate::quotes::is_person_role(&w.to_lowercase());
    let head = words.iter().position(|(_, w)| is_role(w))?;
    // Take the last role noun of the run: "the army chief commander" ends at "commander".
    let mut last = head;
    while last + 1 < words.len() && is_role(words[last + 1].1) {
        last += 1;
    }
    let modifiers = words[..last].iter().map(|(_, w)| w.to_lowercase()).collect();
    let (end, head_word) = words[last];
    Some((modifiers, head_word.to_lowercase(), end))
}

/// How far back a pronoun looks for the person it stands for, in bytes.
const PRONOUN_REACH: usize = 400;

/// The person a pronoun at `at` most likely stands for: the subject of the
/// last sentence (within [`PRONOUN_REACH`]) that names someone, taken as its
/// first person mention. `people` is sorted by position.
fn subject_before(text: &str, people: &[(Span, usize)], at: usize) -> Option<usize> {
    let before: Vec<&(Span, usize)> = people
        .iter()
        .filter(|(span, _)| (span.end as usize) <= at && at - (span.end as usize) <= PRONOUN_REACH)
        .collect();
    let &&(last_span, last_idx) = before.last()?;
    let sentence_start =
        text[..last_span.start as usize].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    Some(
        before
            .iter()
            .find(|(span, _)| span.start as usize >= sentence_start)
            .map_or(last_idx, |&&(_, idx)| idx),
    )
}

/// Resolves pronouns and role nominals in the `pieces` of document `doc`
/// (its body) to the person entities mentioned before them, and returns the
/// new mentions as (entity index, mention).
pub fn references(
    text: &str,
    doc: usize,
    pieces: &[Span],
    entities: &[Entity],
) -> Vec<(usize, EntityMention)> {
    // Person mentions of this document, by position.
    let people: Vec<(Span, usize)> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityType::Person)
        .flat_map(|(idx, e)| {
            e.mentions.iter().filter(|m| m.doc == doc && !m.reference).map(move |m| (m.span, idx))
        })
        .collect();
    references_to(text, doc, pieces, entities, people)
}

/// [`references`] given the person mentions of the document, `people`:
/// (name span, entity index) of every non-reference mention of a person
/// entity in `doc`, in any order. A caller resolving many documents collects
/// them in one pass over the entities, so each document costs its own
/// mentions, not every entity of the corpus.
pub fn references_to(
    text: &str,
    doc: usize,
    pieces: &[Span],
    entities: &[Entity],
    mut people: Vec<(Span, usize)>,
) -> Vec<(usize, EntityMention)> {
    people.sort();
    let mut role_words: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for &(_, idx) in &people {
        role_words.entry(idx).or_insert_with(|| {
            entities[idx]
                .roles
                .iter()
                .flat_map(|r| {
                    r.split(|c: char| !c.is_alphanumeric())
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                })
                .filter(|w| w.len() > 2)
                .collect()
        });
    }
    let mut res = Vec::new();
    for piece in pieces {
        let piece_text = &text[piece.range()];
        for found in PRONOUN.find_iter(piece_text) {
            let at = piece.start as usize + found.start();
            if let Some(entity_idx) = subject_before(text, &people, at) {
                let span = Span::new(at, at + found.len());
                res.push((entity_idx, EntityMention { doc, span, reference: true }));
            }
        }
        for the in THE.find_iter(piece_text) {
            let rest = &piece_text[the.end()..];
            let Some(rest) = rest.strip_prefix(' ') else { continue };
            let Some((modifiers, head, len)) = role_nominal(rest) else { continue };
            let at = piece.start as usize + the.start();
            let candidate = people.iter().rev().find(|&&(span, idx)| {
                (span.end as usize) <= at
                    && role_words[&idx].contains(&head)
                    && modifiers.iter().all(|m| {
                        role_words[&idx].iter().any(|w| w.starts_with(&m[..m.len().min(4)]))
                    })
            });
            let candidate = candidate.map(|&(_, idx)| idx).or_else(|| {
                if !is_generic_role(&head) {
                    return None;
                }
                subject_before(text, &people, at).filter(|idx| !role_words[idx].is_empty())
            });
            if let Some(entity_idx) = candidate {
                let span = Span::new(at, at + the.len() + 1 + len);
                res.push((entity_idx, EntityMention { doc, span, reference: true }));
            }
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the pipeline smoke of `invariants`: the clause after a
    /// curly opening quote started inside the quote's three bytes.
    #[test]
    fn apposition_after_a_curly_quote() {
        assert_eq!(apposition_before("\u{201c},"), None);
        assert_eq!(
            apposition_before("He spoke of \u{201c}the army chief of staff,"),
            apposition_before("He spoke of \"the army chief of staff,"),
        );
    }

    #[track_caller]
    fn check(text: &str, name: &str, expected: &[&str]) {
        let start = text.find(name).expect("name in text");
        let roles = roles_of(text, Span::new(start, start + name.len()));
        assert_eq!(roles, expected, "{text}");
    }

    #[test]
    fn titles_in_front() {
        check(
            "Portvale – Northland Harbour Minister Ana Ruiz said.",
            "Ana Ruiz",
            &["Northland Harbour Minister"],
        );
        check("He met General Tom Lee.", "Tom Lee", &["General"]);
        check(
            "It was Defence Minister of the Republic of Valdoria Anika Varga who spoke.",
            "Anika Varga",
            &["Defence Minister of the Republic of Valdoria"],
        );
        check("Then Ana Ruiz left.", "Ana Ruiz", &[]);
        check("On Tuesday Ana Ruiz left.", "Ana Ruiz", &[]);
        check("He met Tom Lee and Harbour Minister Ana Ruiz.", "Ana Ruiz", &["Harbour Minister"]);
        check("Kestrel's Ana Ruiz left.", "Ana Ruiz", &[]);
    }

    #[test]
    fn appositions() {
        check(
            "He met Tom Lee, chief of staff of the Northland army, on Monday.",
            "Tom Lee",
            &["chief of staff of the Northland army"],
        );
        check("Tom Lee, who arrived on Monday, spoke.", "Tom Lee", &[]);
        check("Tom Lee, for his part, said no.", "Tom Lee", &[]);
        check("He met Tom Lee, and the harbour master, on Monday.", "Tom Lee", &[]);
        check("The talks failed to derail the harbour deal, Tom Lee said.", "Tom Lee", &[]);
        check(
            "The statement came from the ministry's spokesman, Ana Ruiz, on Friday.",
            "Ana Ruiz",
            &["the ministry's spokesman"],
        );
        check(
            "Kestrel’s Supreme Leader, Grand Mufti Tom Lee, said so.",
            "Tom Lee",
            &["Grand Mufti", "Kestrel’s Supreme Leader"],
        );
        check("In Kestrel's view, Tom Lee, the envoy, left.", "Tom Lee", &["the envoy"]);
        check(
            "Ana Ruiz, the army's chief of staff, arrived.",
            "Ana Ruiz",
            &["the army's chief of staff"],
        );
        check("In talks with the Commander-in-Chief of the Harbour Guard, General Tom Lee, she agreed.", "Tom Lee", &["General", "the Commander-in-Chief of the Harbour Guard"]);
        // A clause opened by a curly quotation mark (three bytes) is cut after it.
        check(
            "He wrote to “the harbour master, Tom Lee, that he was wrong.",
            "Tom Lee",
            &["the harbour master"],
        );
    }

    #[test]
    fn pronouns_prefer_the_subject_of_the_last_naming_sentence() {
        let text =
            "Ana Ruiz spoke during talks with Tom Lee in Portvale. \"We will build,\" he said.";
        let ruiz = text.find("Ana Ruiz").unwrap();
        let lee = text.find("Tom Lee").unwrap();
        let person = |name: &str, at: usize| Entity {
            kind: EntityType::Person,
            name: name.into(),
            aliases: vec![name.into()],
            roles: Vec::new(),
            mentions: vec![EntityMention {
                doc: 0,
                span: Span::new(at, at + name.len()),
                reference: false,
            }],
            merged_because: Vec::new(),
        };
        let entities = [person("Ana Ruiz", ruiz), person("Tom Lee", lee)];
        let found = references(text, 0, &[Span::new(0, text.len())], &entities);
        let got: Vec<(usize, &str)> =
            found.iter().map(|(e, m)| (*e, &text[m.span.range()])).collect();
        assert_eq!(got, [(0, "he")]);
    }

    #[test]
    fn role_nominals_end_at_their_head_noun() {
        fn nominal(rest: &str) -> Option<(Vec<String>, String, &str)> {
            role_nominal(rest).map(|(m, h, len)| (m, h, &rest[..len]))
        }
        assert_eq!(
            nominal("Northland Harbour Minister said so."),
            Some((
                vec!["northland".to_string(), "harbour".to_string()],
                "minister".to_string(),
                "Northland Harbour Minister"
            ))
        );
        assert_eq!(
            nominal("army chief, a veteran"),
            Some((vec!["army".to_string()], "chief".to_string(), "army chief"))
        );
        assert_eq!(nominal("harbour was closed"), None);
        assert_eq!(nominal("talks, the minister said"), None);
    }

    #[test]
    fn a_generic_official_stands_for_the_last_office_holder() {
        let text = "Harbour Minister Ana Ruiz arrived. The top harbour official said no.";
        let ruiz = text.find("Ana Ruiz").unwrap();
        let entities = [Entity {
            kind: EntityType::Person,
            name: "Ana Ruiz".into(),
            aliases: vec!["Ana Ruiz".into()],
            roles: vec!["Harbour Minister".into()],
            mentions: vec![EntityMention {
                doc: 0,
                span: Span::new(ruiz, ruiz + 8),
                reference: false,
            }],
            merged_because: Vec::new(),
        }];
        let found = references(text, 0, &[Span::new(0, text.len())], &entities);
        let got: Vec<&str> = found.iter().map(|(_, m)| &text[m.span.range()]).collect();
        assert_eq!(got, ["The top harbour official"]);
        let mut no_office = entities.clone();
        no_office[0].roles.clear();
        assert!(references(text, 0, &[Span::new(0, text.len())], &no_office).is_empty());
    }

    #[test]
    fn pronouns_and_nominals_resolve_to_the_last_fitting_person() {
        let text =
            "Harbour Minister Ana Ruiz arrived. She met Tom Lee. The minister said he agreed.";
        let ruiz = text.find("Ana Ruiz").unwrap();
        let lee = text.find("Tom Lee").unwrap();
        let entity = |name: &str, at: usize, roles: &[&str]| Entity {
            kind: EntityType::Person,
            name: name.into(),
            aliases: vec![name.into()],
            roles: roles.iter().map(|r| r.to_string()).collect(),
            mentions: vec![EntityMention {
                doc: 0,
                span: Span::new(at, at + name.len()),
                reference: false,
            }],
            merged_because: Vec::new(),
        };
        let entities =
            [entity("Ana Ruiz", ruiz, &["Harbour Minister"]), entity("Tom Lee", lee, &[])];
        let found = references(text, 0, &[Span::new(0, text.len())], &entities);
        let got: Vec<(usize, &str)> =
            found.iter().map(|(e, m)| (*e, &text[m.span.range()])).collect();
        assert_eq!(got, [(0, "She"), (1, "he"), (0, "The minister")]);
    }

    #[test]
    fn a_curly_quote_before_an_apposition_is_one_character() {
        // Sliced at a byte inside '“' before this was fixed.
        let text = "He said “the army's chief of staff, Ana Ruiz, left”.";
        let start = text.find("Ana Ruiz").unwrap();
        let roles = roles_of(text, Span::new(start, start + "Ana Ruiz".len()));
        assert!(roles.iter().any(|r| r == "the army's chief of staff"), "{roles:?}");
    }
}
