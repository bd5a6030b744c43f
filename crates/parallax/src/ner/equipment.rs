//! EQUIPMENT mentions (weapon systems, vehicles, drones, missiles, air-defence
//! systems) by rules over tokens: CoNLL-2003 has no such class to learn from.
//!
//! Three rules, applied per sentence:
//!
//! 1. **Designations**: a token of the form letters-hyphen-digits ("X-136",
//!    "T-90", "F-16", "S-400", "Su-35", "MiG-29K", "Tor-M2"), or a capitalised
//!    name with a numeric designation ("Korvan-220", "Fateh-110"). Not when the
//!    part before the hyphen is an ordinary English word (seen lowercase in the
//!    training data: "Level-3", "Phase-2"), when the number is a year
//!    ("Vision-2030"), or when it is one of a few non-military prefixes
//!    ([`NOT_EQUIPMENT_PREFIXES`]: "COVID-19", "G-20", "H-1B").
//! 2. **Head nouns**: a chain of military modifiers ending in a head noun
//!    ([`MODIFIERS`], [`STRONG_HEADS`], [`WEAK_HEADS`]: "ballistic missile",
//!    "air defence system", "drones", "UAV", "loitering munition"). A strong
//!    head is equipment on its own; a weak head ("tanks", "helicopters",
//!    "system") only with a qualifying modifier or a name before it.
//! 3. **Names before a head or designation**: up to four capitalised tokens
//!    right before rule 1 or 2 join the mention ("Tarvash ballistic missile",
//!    "Tactical Orlen air defence system", "Leopard 2 tanks"), unless they are
//!    a nationality adjective by form ("Iranian", "German", "Chinese", "Israeli"), a
//!    person or place found by the tagger, an organisation found by the tagger
//!    before a bare head ("Hezbollah drones": the owner, not the weapon), or a
//!    sentence-initial ordinary word. A number joins only after such a name, so bare numbers,
//!    years and "3+3" are never equipment.

use super::tokenize::{Token, TokenKind};
use std::ops::Range;

/// Prefixes of hyphenated codes that are not equipment (diseases, groups of
/// countries, visa classes).
pub const NOT_EQUIPMENT_PREFIXES: &[&str] = &["covid", "sars", "mers", "g", "h", "k", "n", "e"];

/// Military modifiers that may precede a head noun (lowercase; both spellings).
pub const MODIFIERS: &[&str] = &[
    "ballistic",
    "cruise",
    "hypersonic",
    "supersonic",
    "subsonic",
    "guided",
    "anti-ship",
    "anti-tank",
    "anti-aircraft",
    "anti-missile",
    "anti-ballistic",
    "anti-drone",
    "anti-radiation",
    "surface-to-air",
    "surface-to-surface",
    "air-to-air",
    "air-to-surface",
    "air-to-ground",
    "ground-to-air",
    "ship-to-ship",
    "sea-to-sea",
    "short-range",
    "medium-range",
    "intermediate-range",
    "long-range",
    "intercontinental",
    "loitering",
    "kamikaze",
    "suicide",
    "attack",
    "combat",
    "armed",
    "unmanned",
    "aerial",
    "reconnaissance",
    "surveillance",
    "stealth",
    "fighter",
    "strike",
    "nuclear-capable",
    "precision",
    "precision-guided",
    "air",
    "defense",
    "defence",
    "missile",
    "rocket",
    "radar",
    "battle",
    "main",
    "multiple",
    "launch",
    "shoulder-fired",
    "man-portable",
    "self-propelled",
    "armored",
    "armoured",
    "heavy",
    "light",
    "naval",
    "military",
    "interceptor",
    "air-defense",
    "air-defence",
];

/// Head nouns that make a mention on their own (with or without modifiers).
pub const STRONG_HEADS: &[&str] = &[
    "missile",
    "missiles",
    "drone",
    "drones",
    "uav",
    "uavs",
    "ucav",
    "ucavs",
    "warplane",
    "warplanes",
    "warship",
    "warships",
    "howitzer",
    "howitzers",
    "interceptor",
    "interceptors",
    "mlrs",
    "manpads",
];

/// Head nouns that need a qualifying modifier or a name before them.
pub const WEAK_HEADS: &[&str] = &[
    "munition",
    "munitions",
    "system",
    "systems",
    "tank",
    "tanks",
    "jet",
    "jets",
    "aircraft",
    "helicopter",
    "helicopters",
    "rocket",
    "rockets",
    "launcher",
    "launchers",
    "frigate",
    "frigates",
    "destroyer",
    "destroyers",
    "submarine",
    "submarines",
    "bomber",
    "bombers",
    "fighter",
    "fighters",
    "rifle",
    "rifles",
    "vehicle",
    "vehicles",
    "battery",
    "batteries",
];

/// Modifiers that qualify a weak head ("air defence system", "battle tank").
const QUALIFIERS: &[&str] = &[
    "ballistic",
    "cruise",
    "hypersonic",
    "guided",
    "anti-ship",
    "anti-tank",
    "anti-aircraft",
    "anti-missile",
    "anti-ballistic",
    "surface-to-air",
    "air-to-air",
    "air-to-surface",
    "loitering",
    "kamikaze",
    "attack",
    "combat",
    "armed",
    "unmanned",
    "stealth",
    "fighter",
    "precision-guided",
    "defense",
    "defence",
    "missile",
    "radar",
    "battle",
    "shoulder-fired",
    "man-portable",
    "self-propelled",
    "armored",
    "armoured",
    "interceptor",
    "air-defense",
    "air-defence",
];

/// Whether `word` is a military designation (rule 1). `known_lower` tells
/// whether a lowercase word is ordinary English.
pub fn is_designation(word: &str, known_lower: &dyn Fn(&str) -> bool) -> bool {
    let Some((prefix, code)) = word.split_once('-') else { return false };
    if code.contains('-') || prefix.is_empty() || code.is_empty() {
        return false;
    }
    let mut prefix_chars = prefix.chars();
    let first = prefix_chars.next().unwrap_or(' ');
    if !first.is_uppercase() || !prefix.chars().all(char::is_alphabetic) {
        return false;
    }
    // The code: up to two letters, one to four digits, up to four letters or digits.
    let letters_before = code.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let rest = &code[letters_before..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let tail = &rest[digits..];
    if letters_before > 2
        || !(1..=4).contains(&digits)
        || tail.chars().count() > 4
        || !tail.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return false;
    }
    if digits == 4 && letters_before == 0 && (rest.starts_with("19") || rest.starts_with("20")) {
        return false;
    }
    let lower = prefix.to_lowercase();
    if NOT_EQUIPMENT_PREFIXES.contains(&lower.as_str()) {
        return false;
    }
    // Long prefixes that are ordinary words ("Level", "Phase") are not names.
    let all_caps = prefix.chars().all(char::is_uppercase);
    !(prefix.chars().count() > 2 && !all_caps && known_lower(&lower))
}

/// A nationality or language adjective by form ("Iranian", "Chinese",
/// "Israeli"), also in compounds ("American-made", "Russian-Iranian").
pub(crate) fn is_demonym(word: &str) -> bool {
    if let Some((first, last)) = word.split_once('-') {
        return is_demonym(first) || last.chars().all(char::is_lowercase);
    }
    let lower = word.to_lowercase();
    const ENDINGS: &[&str] =
        &["an", "ese", "ish", "ench", "utch", "aeli", "aqi", "udi", "ani", "ari", "ali"];
    lower.chars().count() > 3 && ENDINGS.iter().any(|e| lower.ends_with(e))
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// What the tagger made of a token, as far as the equipment rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tagged {
    /// Nothing, or another name (MISC).
    Free,
    /// Part of an organisation's name or a one-word person's name: a weapon's
    /// name is often taken for one, so it may join a mention whose head has a
    /// modifier ("Tarvash ballistic missile", "Orlen air defence system"), but
    /// not a bare head ("Hezbollah drones").
    Org,
    /// Part of a person's or a place's name.
    Blocked,
}

/// Token ranges (within `sentence`) of equipment mentions. `words` are the
/// sentence's token texts (normalised), `tagged[i]` what the tagger made of
/// token `i`.
pub(crate) fn find(
    words: &[String],
    tokens: &[Token],
    tagged: &[Tagged],
    known_lower: &dyn Fn(&str) -> bool,
) -> Vec<Range<usize>> {
    let n = words.len();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let designation: Vec<bool> = words.iter().map(|w| is_designation(w, known_lower)).collect();
    let mut res: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < n {
        // Rule 2: a chain of modifiers ending in a head; rule 1 designations may
        // stand in the chain ("S-400 air defence system").
        let mut j = i;
        let mut last_head: Option<usize> = None;
        while j < n {
            let w = lower[j].as_str();
            let head = STRONG_HEADS.contains(&w) || WEAK_HEADS.contains(&w);
            let modifier = MODIFIERS.contains(&w) || designation[j];
            if !(head || modifier) {
                break;
            }
            if head {
                last_head = Some(j);
            }
            j += 1;
        }
        let chain_end = match last_head {
            Some(h) => Some(h + 1),
            None if designation[i] => {
                // A run of designations alone ("F-16", "Su-35 and").
                let mut e = i + 1;
                while e < n && designation[e] {
                    e += 1;
                }
                Some(e)
            }
            None => None,
        };
        let Some(end) = chain_end else {
            i += 1;
            continue;
        };
        let chain = i..end;
        let head = lower[end - 1].as_str();
        let has_designation = chain.clone().any(|k| designation[k]);
        let qualified = chain.clone().any(|k| QUALIFIERS.contains(&lower[k].as_str()));
        let strong = STRONG_HEADS.contains(&head) || has_designation;
        // Rule 3: names before the chain.
        let mut start = i;
        while start > 0 && i - (start - 1) <= 4 {
            let k = start - 1;
            let word = words[k].as_str();
            let allowed = match tagged[k] {
                Tagged::Free => true,
                Tagged::Org => end - i > 1,
                Tagged::Blocked => false,
            };
            let is_name_token = tokens[k].kind == TokenKind::Word
                && is_capitalised(word)
                && allowed
                && !is_demonym(word)
                && !(k == 0 && known_lower(&lower[k]))
                && !word.ends_with('.');
            let is_number = tokens[k].kind == TokenKind::Number;
            if is_name_token || is_number {
                start = k;
            } else {
                break;
            }
        }
        // A number joins only after a name.
        while start < i && tokens[start].kind == TokenKind::Number {
            start += 1;
        }
        let named = start < i;
        let system_ok = !matches!(head, "system" | "systems" | "battery" | "batteries")
            || chain.clone().any(|k| {
                matches!(
                    lower[k].as_str(),
                    "defense"
                        | "defence"
                        | "missile"
                        | "radar"
                        | "rocket"
                        | "air-defense"
                        | "air-defence"
                )
            })
            || has_designation;
        let munition_ok = !matches!(head, "munition" | "munitions")
            || chain.clone().any(|k| {
                matches!(
                    lower[k].as_str(),
                    "loitering" | "guided" | "precision-guided" | "kamikaze"
                )
            });
        if (strong || qualified || named) && system_ok && munition_ok {
            res.push(start..end);
        }
        i = end;
    }
    res
}

#[cfg(test)]
mod tests {
    use super::super::tokenize::tokenize;
    use super::*;

    fn check(text: &str, expect: &[&str]) {
        let tokens = tokenize(text);
        let words: Vec<String> = tokens.iter().map(|t| text[t.span.range()].to_string()).collect();
        let tagged: Vec<Tagged> = words
            .iter()
            .map(|w| match w.as_str() {
                "Hezbollah" | "Tarvash" | "Orlen" => Tagged::Org,
                "Kyiv" => Tagged::Blocked,
                _ => Tagged::Free,
            })
            .collect();
        let known = |w: &str| matches!(w, "level" | "phase" | "the" | "vision" | "tactical" | "in");
        let got: Vec<&str> = find(&words, &tokens, &tagged, &known)
            .into_iter()
            .map(|r| {
                &text[tokens[r.start].span.start as usize..tokens[r.end - 1].span.end as usize]
            })
            .collect();
        assert_eq!(got, expect, "equipment in {text:?}");
    }

    #[test]
    fn positives() {
        check("Iran fired Korvan-220 drones and an X-136.", &["Korvan-220 drones", "X-136"]);
        check(
            "It bought the S-400, T-90 tanks and F-16 jets.",
            &["S-400", "T-90 tanks", "F-16 jets"],
        );
        check("They showed the Tarvash ballistic missile", &["Tarvash ballistic missile"]);
        check("a new Tactical Orlen air defence system", &["Tactical Orlen air defence system"]);
        check("loitering munitions and a UAV hit it", &["loitering munitions", "UAV"]);
        check("Iranian drones struck; Russian Su-35 jets flew", &["drones", "Su-35 jets"]);
        check("German Leopard 2 tanks arrived", &["Leopard 2 tanks"]);
        check(
            "unmanned aerial vehicles and the Tarvash ballistic missile",
            &["unmanned aerial vehicles", "Tarvash ballistic missile"],
        );
    }

    #[test]
    fn negatives() {
        check("The 3+3 talks in 2022 reached Level-3 and Phase-2.", &[]);
        check("COVID-19 and the G-20 met on 1996-08-22 for Vision-2030.", &[]);
        check("3 tanks of fuel and a think tank system", &[]);
        check("The weapons system was old; munitions ran out.", &[]);
        check("Hezbollah drones hit Kyiv missiles", &["drones", "missiles"]);
        check("American-made drones", &["drones"]);
    }
}
