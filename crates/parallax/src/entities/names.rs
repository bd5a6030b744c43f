//! Name forms: how the spellings of one name are folded so that variants meet.
//!
//! Everything here is about the shape of names in English news (possessives,
//! transliteration, British and American spelling, word order of ministry
//! names, acronyms), never about particular names.

use crate::stories::name_key;

/// Words that do not count for a name's identity or its acronym.
pub fn is_function_word(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "the" | "of" | "and" | "for" | "on" | "in" | "at" | "de" | "al" | "&"
    )
}

/// Honorific, religious, noble and rank titles that may open a person's name
/// as the recogniser found it ("Ayatollah Farid Rahimi", "Sheikh Tamim bin
/// Hamad", "Sir John Smith", "Gen. Ana Ruiz"). General English usage, lowercased,
/// without a final period.
pub fn is_title_word(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.').to_lowercase().as_str(),
        "ayatollah"
            | "grand"
            | "hojatoleslam"
            | "hojjatoleslam"
            | "sheikh"
            | "sheik"
            | "shaikh"
            | "imam"
            | "mullah"
            | "mufti"
            | "sayyid"
            | "seyed"
            | "syed"
            | "haji"
            | "hajji"
            | "rabbi"
            | "pope"
            | "cardinal"
            | "archbishop"
            | "bishop"
            | "patriarch"
            | "reverend"
            | "rev"
            | "pastor"
            | "sir"
            | "dame"
            | "lord"
            | "emir"
            | "sultan"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "professor"
            | "president"
            | "premier"
            | "chancellor"
            | "senator"
            | "sen"
            | "governor"
            | "gov"
            | "mayor"
            | "general"
            | "gen"
            | "lieutenant"
            | "lt"
            | "colonel"
            | "col"
            | "brigadier"
            | "brig"
            | "major"
            | "maj"
            | "captain"
            | "capt"
            | "admiral"
            | "adm"
            | "marshal"
            | "commander"
            | "cmdr"
            | "sergeant"
            | "sgt"
    )
}

/// A person's name without the titles that open it, when at least two words
/// (a given name and a surname) remain: "Ayatollah Farid Rahimi" → "Ali
/// Rahimi", "Grand Ayatollah Omid al-Varzi" → "Omid al-Varzi". `None` when
/// nothing is removed or too little would remain ("Sheikh Tamim").
pub fn without_titles(name: &str) -> Option<String> {
    let ws: Vec<&str> = name.split_whitespace().collect();
    let n_titles = ws.iter().take_while(|w| is_title_word(w)).count();
    // "Grand" alone is no title ("Grand Ayatollah" is).
    if n_titles == 0 || ws[..n_titles].iter().all(|w| w.eq_ignore_ascii_case("grand")) {
        return None;
    }
    let rest = &ws[n_titles..];
    // The given name and the surname are capitalised; particles between may not be ("bin", "de").
    let upper = |w: Option<&&str>| w.and_then(|w| w.chars().next()).is_some_and(char::is_uppercase);
    let capitalised = upper(rest.first()) && upper(rest.last());
    (rest.len() >= 2 && capitalised).then(|| rest.join(" "))
}

/// The words of a name, without a leading "the", possessive endings and outer punctuation.
pub fn words(name: &str) -> Vec<String> {
    let mut res: Vec<String> = name
        .split(|c: char| c.is_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .map(|w| {
            w.trim_end_matches("'s")
                .trim_end_matches("’s")
                .trim_end_matches(['\'', '’'])
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if res.first().is_some_and(|w| w.eq_ignore_ascii_case("the")) {
        res.remove(0);
    }
    res
}

/// The display form of a name: white space folded, a leading "the" and a
/// trailing possessive removed ("the Kestrel Federation's" → "Kestrel Federation").
pub fn display(name: &str) -> String {
    let folded = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let folded = folded
        .strip_prefix("the ")
        .or_else(|| folded.strip_prefix("The "))
        .unwrap_or(&folded)
        .to_string();
    folded
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_end_matches(['\'', '’', ',', '.', ':', ';'])
        .to_string()
}

/// Folds one word: transliteration (see `name_key`) and British/American
/// spelling (-ence/-ense, -isation/-ization, -our/-or, -tre/-ter).
pub fn word_key(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut spelled = lower.clone();
    for (from, to) in
        [("ence", "ense"), ("isation", "ization"), ("ise", "ize"), ("our", "or"), ("tre", "ter")]
    {
        if let Some(stem) = lower.strip_suffix(from) {
            spelled = format!("{stem}{to}");
            break;
        }
    }
    // Plural and singular of the last word of an organisation ("Guards"/"Guard").
    name_key(&spelled)
}

/// The key of a whole name: its folded words, function words dropped.
pub fn name_form_key(name: &str) -> String {
    words(name)
        .iter()
        .filter(|w| !is_function_word(w))
        .map(|w| word_key(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A looser key for organisations and places: each word also loses a plural
/// `s` and a demonym ending (-ian, -an, -n, -ese, -ish, -i), so that
/// "Kestrel's Defence Ministry", "Kestrelian Defense Ministry" and
/// "Ministry of Defence of Kestrel" meet; and "X of Y" is read as "Y X".
pub fn org_key(name: &str) -> String {
    let ws = words(name);
    // "Ministry of Defence" → "Defence Ministry": move an "of"-complement in front.
    let reordered: Vec<String> = match ws.iter().position(|w| w.eq_ignore_ascii_case("of")) {
        Some(of_idx) if of_idx > 0 && of_idx + 1 < ws.len() => {
            let (head, tail) = ws.split_at(of_idx);
            let mut res: Vec<String> = tail[1..].to_vec();
            // Modifiers before the head stay in front: "Russian Ministry of Defence".
            let (modifiers, head_noun) = head.split_at(head.len() - 1);
            let mut front = modifiers.to_vec();
            front.append(&mut res);
            front.push(head_noun[0].clone());
            front
        }
        _ => ws,
    };
    let mut keys: Vec<String> = reordered
        .iter()
        .filter(|w| !is_function_word(w))
        .map(|w| {
            let key = word_key(w);
            strip_demonym(key.trim_end_matches('s')).to_string()
        })
        .collect();
    keys.sort();
    keys.join(" ")
}

/// The stem a place name and its adjective share: "kestrelian" and
/// "kestrel", "valdoria" and "valdorian" ("valdor"), "ostrethi" and "ostreth".
fn strip_demonym(key: &str) -> &str {
    let mut stem = key;
    for suffix in ["an", "ese", "ish", "i"] {
        if let Some(rest) = key.strip_suffix(suffix) {
            if rest.chars().count() >= 4 {
                stem = rest;
                break;
            }
        }
    }
    // Final vowels go too: "valdoria"/"valdori(an)", "ukraine"/"ukraini(an)".
    while let Some(rest) = stem.strip_suffix(['a', 'e', 'i', 'o', 'u', 'y']) {
        if rest.chars().count() < 4 {
            break;
        }
        stem = rest;
    }
    stem
}

/// The acronym of a name: the initials of its significant capitalised words
/// ("Harbour Safety Board" → "HSB").
pub fn acronym(name: &str) -> Option<String> {
    let initials: String = words(name)
        .iter()
        .filter(|w| !is_function_word(w))
        .flat_map(|w| w.split('-'))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    (initials.chars().count() >= 2).then_some(initials)
}

/// Whether `short` ("MoD", "HSB", "IRGC") can abbreviate `name`: its letters,
/// in order, are initials or capitals of the name's words, the first letter
/// is the first word's initial.
pub fn abbreviates(short: &str, name: &str) -> bool {
    let letters: Vec<char> =
        short.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_uppercase).collect();
    let ws = words(name);
    if letters.len() < 2 || short.contains(' ') || ws.len() < 2 {
        return false;
    }
    if !short.chars().filter(|c| c.is_alphabetic()).any(char::is_uppercase) {
        return false;
    }
    // Candidate letters: each word's initial, then its inner capitals.
    let mut candidates: Vec<(char, bool)> = Vec::new();
    for w in &ws {
        for (k, c) in w.chars().enumerate() {
            if k == 0 {
                candidates.extend(c.to_uppercase().map(|u| (u, true)));
            } else if c.is_uppercase() {
                candidates.push((c, false));
            }
        }
    }
    if candidates.first().map(|&(c, _)| c) != letters.first().copied() {
        return false;
    }
    let mut at = 0;
    for &letter in &letters {
        match candidates[at..].iter().position(|&(c, _)| c == letter) {
            Some(p) => at += p + 1,
            None => return false,
        }
    }
    true
}

/// True when a word is written like an acronym: two or more capitals, no lower case.
pub fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Which spelling alternation makes two words variants of each other, if any
/// (`ey/ei`, `oy/oi`, `k/q`, `ph/f`, `w/v`, doubled letters, …).
pub fn variant_reason(a: &str, b: &str) -> &'static str {
    if a == b {
        return "the same name in another story";
    }
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    if a == b {
        "the same name in other capitals"
    } else if a.replace("ey", "ei") == b.replace("ey", "ei") {
        "spelling variant (ey/ei)"
    } else if a.replace("oy", "oi") == b.replace("oy", "oi") {
        "spelling variant (oy/oi)"
    } else if a.replace('y', "i") == b.replace('y', "i") {
        "spelling variant (y/i)"
    } else if a.replace('q', "k") == b.replace('q', "k") {
        "spelling variant (k/q)"
    } else if dedouble(&a) == dedouble(&b) {
        "spelling variant (single/double letter)"
    } else {
        "spelling variant"
    }
}

fn dedouble(s: &str) -> String {
    let mut res = String::new();
    for c in s.chars() {
        if !res.ends_with(c) {
            res.push(c);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        assert_eq!(display("the Kestrel  Federation's"), "Kestrel Federation");
        assert_eq!(display("Varga,"), "Varga");
    }

    #[test]
    fn transliteration_and_spelling_meet() {
        assert_eq!(name_form_key("Iouri Kowalenko"), name_form_key("Iuri Kovalenko"));
        assert_eq!(name_form_key("Defence Ministry"), name_form_key("Defense Ministry"));
        assert_eq!(name_form_key("Harbour Organisation"), name_form_key("Harbor Organization"));
        assert_ne!(name_form_key("Anika Varga"), name_form_key("Ilse Varga"));
    }

    #[test]
    fn organisation_forms_meet() {
        for (place, adjective) in [
            ("Valdoria", "Valdorian"),
            ("Ostreth", "Ostrethi"),
            ("Portvale", "Portvalese"),
            ("Norland", "Norlandish"),
            ("Kestrel", "Kestrelian"),
            ("Tarsk", "Tarskan"),
            ("Velloraine", "Vellorainian"),
        ] {
            assert_eq!(org_key(place), org_key(adjective), "{place} ~ {adjective}");
        }
        let key = org_key("Kestrelian Defence Ministry");
        for variant in [
            "Kestrel's Defense Ministry",
            "Kestrelian Ministry of Defence",
            "the Kestrelian Defense Ministry",
        ] {
            assert_eq!(org_key(variant), key, "{variant}");
        }
        assert_eq!(org_key("Harbour Guards Corps"), org_key("Harbour Guard Corps"));
        assert_ne!(org_key("Kestrel Foreign Ministry"), key);
    }

    #[test]
    fn acronyms() {
        assert_eq!(acronym("Harbour Safety Board").as_deref(), Some("HSB"));
        assert_eq!(acronym("Council of the Northern Ports").as_deref(), Some("CNP"));
        assert_eq!(acronym("Varga"), None);
        assert!(is_acronym("HSB") && !is_acronym("Hsb") && !is_acronym("A"));
        assert!(abbreviates("MoD", "Ministry of Defence"));
        assert!(abbreviates("IRGC", "Islamic Revolutionary Guard Corps"));
        assert!(abbreviates("OSCE", "Organization for Security and Co-operation in Europe"));
        assert!(!abbreviates("HSB", "Port Office"));
        assert!(!abbreviates("SB", "Harbour Safety Board"));
        assert!(!abbreviates("Varga", "Vessel Registry"));
    }

    #[test]
    fn titles_come_off_full_names_only() {
        assert_eq!(without_titles("Ayatollah Farid Rahimi").as_deref(), Some("Farid Rahimi"));
        assert_eq!(without_titles("Grand Ayatollah Omid Varzi").as_deref(), Some("Omid Varzi"));
        assert_eq!(without_titles("Sheikh Tamim bin Hamad").as_deref(), Some("Tamim bin Hamad"));
        assert_eq!(without_titles("Gen. Farid Rahimi").as_deref(), Some("Farid Rahimi"));
        assert_eq!(without_titles("Sheikh Tamim"), None);
        assert_eq!(without_titles("Farid Rahimi"), None);
        assert_eq!(without_titles("Grand Marlow Hotel"), None);
    }

    #[test]
    fn variant_reasons() {
        assert_eq!(variant_reason("Raheimi", "Raheymi"), "spelling variant (ey/ei)");
        assert_eq!(variant_reason("Portvale", "Portvale"), "the same name in another story");
        assert_eq!(variant_reason("PORTVALE", "Portvale"), "the same name in other capitals");
        assert_eq!(variant_reason("Qasim", "Kasim"), "spelling variant (k/q)");
        assert_eq!(variant_reason("Hassan", "Hasan"), "spelling variant (single/double letter)");
    }
}
