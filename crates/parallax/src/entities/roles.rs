//! Roles and references: the titles and descriptions the texts give a person,
//! and the pronouns and role nominals ("he", "the minister") that point back
//! to one.

use super::{Entity, EntityMention, EntityType};
use crate::doc::Span;
use regex::Regex;
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
    let clause_start = clause.rfind([',', ';', ':', '(', '.', '\n', '“', '"']).map_or(0, |i| i + 1);
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
static NOMINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[Tt]he((?:\s+[A-Z][\p{L}-]*)*)((?:\s+[a-z][\p{L}-]*){1,3})")
        .expect("valid regex")
});

/// The nouns a role names its holder by: the last word before an "of" (or of
/// the whole role), and the parts of a hyphenated one ("Defence Minister" →
/// "minister"; "chief of staff of the army" → "chief"; "Commander-in-Chief"
/// → "commander-in-chief", "commander", "chief").
fn role_heads(role: &str) -> Vec<String> {
    let lower = role.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let before_of = words.iter().position(|&w| w == "of").unwrap_or(words.len());
    let Some(head) = words[..before_of].last() else { return Vec::new() };
    let head = head.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
    let mut res = vec![head.to_string()];
    if head.contains('-') {
        res.extend(head.split('-').filter(|p| p.len() > 2).map(str::to_string));
    }
    res
}

/// How far back a pronoun looks for the person it stands for, in bytes.
const PRONOUN_REACH: usize = 400;

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
    let mut people: Vec<(Span, usize)> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityType::Person)
        .flat_map(|(idx, e)| {
            e.mentions.iter().filter(|m| m.doc == doc && !m.reference).map(move |m| (m.span, idx))
        })
        .collect();
    people.sort();
    let role_words: Vec<Vec<String>> = entities
        .iter()
        .map(|e| {
            e.roles
                .iter()
                .flat_map(|r| {
                    r.split(|c: char| !c.is_alphanumeric())
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                })
                .filter(|w| w.len() > 2)
                .collect()
        })
        .collect();
    let role_heads: Vec<Vec<String>> =
        entities.iter().map(|e| e.roles.iter().flat_map(|r| role_heads(r)).collect()).collect();
    let mut res = Vec::new();
    for piece in pieces {
        let piece_text = &text[piece.range()];
        for found in PRONOUN.find_iter(piece_text) {
            let at = piece.start as usize + found.start();
            // The person a pronoun stands for is most often the subject of the
            // last sentence that names someone: its first person mention.
            let before: Vec<&(Span, usize)> = people
                .iter()
                .filter(|(span, _)| {
                    (span.end as usize) <= at && at - (span.end as usize) <= PRONOUN_REACH
                })
                .collect();
            let chosen = before.last().map(|&&(last_span, _)| {
                let sentence_start = text[..last_span.start as usize]
                    .rfind(['.', '!', '?', '\n'])
                    .map_or(0, |i| i + 1);
                before
                    .iter()
                    .find(|(span, _)| span.start as usize >= sentence_start)
                    .map_or(last_span, |&&(span, _)| span)
            });
            let subject = chosen.and_then(|span| before.iter().find(|(s, _)| *s == span));
            if let Some(&&(_, entity_idx)) = subject {
                let span = Span::new(at, at + found.len());
                res.push((entity_idx, EntityMention { doc, span, reference: true }));
            }
        }
        for caps in NOMINAL.captures_iter(piece_text) {
            let whole = caps.get(0).expect("match");
            let capitalised: Vec<String> =
                caps[1].split_whitespace().map(|w| w.to_lowercase()).collect();
            let lowercase = caps.get(2).expect("group");
            let lower_words: Vec<(usize, &str)> = lowercase
                .as_str()
                .split_whitespace()
                .map(|w| (w.as_ptr() as usize - piece_text.as_ptr() as usize + w.len(), w))
                .collect();
            let at = piece.start as usize + whole.start();
            // The longest phrase "the [Capitalised…] [lowercase…] HEAD" whose
            // head is a role noun of a person named before and whose other
            // words all belong to that person's roles ("the Kestrel defence
            // minister"; not "the Kestrel armed forces").
            'phrase: for k in (1..=lower_words.len()).rev() {
                let head = lower_words[k - 1].1.to_lowercase();
                let modifiers: Vec<&str> = capitalised
                    .iter()
                    .map(String::as_str)
                    .chain(lower_words[..k - 1].iter().map(|&(_, w)| w))
                    .collect();
                // "Chief" and "head" name the holder of any role its modifiers
                // fit ("the Kestrel defence chief" for a defence minister).
                let generic = matches!(head.as_str(), "chief" | "head" | "leader" | "boss")
                    && !modifiers.is_empty();
                let candidate = people.iter().rev().find(|&&(span, idx)| {
                    (span.end as usize) <= at
                        && (role_heads[idx].contains(&head)
                            || (generic && !role_heads[idx].is_empty()))
                        && modifiers.iter().all(|m| {
                            let m = m.to_lowercase();
                            let stem: String = m.chars().take(4).collect();
                            role_words[idx].iter().any(|w| w.starts_with(&stem))
                        })
                });
                if let Some(&(_, entity_idx)) = candidate {
                    let end = piece.start as usize + lower_words[k - 1].0;
                    let span = Span::new(at, end);
                    res.push((entity_idx, EntityMention { doc, span, reference: true }));
                    break 'phrase;
                }
            }
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn role_nominals_end_on_the_role_noun() {
        let text = "Defence Minister Ana Ruiz met Tom Lee. The Kestrel defence minister said the Kestrel armed forces and the ground forces were ready, and the chief agreed with the defence chief.";
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
        let entities = [
            entity("Ana Ruiz", ruiz, &["Kestrel Defence Minister"]),
            entity("Tom Lee", lee, &["chief of staff of the Kestrel armed forces"]),
        ];
        let found = references(text, 0, &[Span::new(0, text.len())], &entities);
        let got: Vec<(usize, &str)> =
            found.iter().map(|(e, m)| (*e, &text[m.span.range()])).collect();
        assert_eq!(
            got,
            [(0, "The Kestrel defence minister"), (1, "the chief"), (0, "the defence chief")]
        );
        assert_eq!(
            role_heads("Commander-in-Chief of the Harbour Guard"),
            ["commander-in-chief", "commander", "chief"]
        );
    }
}
