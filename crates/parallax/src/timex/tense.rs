//! Tense of the clause around a time expression, to resolve words such as
//! "Monday" or "April" that name a day or month without saying which one.
//!
//! There is no parser here: the sentence around the expression is cut into
//! words, each word that marks a tense is a *cue* (`said`, `met`, `-ed` forms →
//! past; `will`, `'ll`, `is due to`, `plans to`, `scheduled for` → future), and
//! the cue closest to the expression decides. Cues before the expression win
//! ties, since English puts the governing verb first more often than not.

use super::calendar::Direction;

/// The direction the clause around `text[start..end]` points to.
pub fn direction_at(text: &str, start: usize, end: usize) -> Direction {
    direction_and_distance(text, start, end).0
}

/// The direction of the clause and how far (in words, less the cue's strength)
/// the deciding cue is; infinite when no cue was found.
pub fn direction_and_distance(text: &str, start: usize, end: usize) -> (Direction, f32) {
    let (sentence_start, sentence_end) = sentence_bounds(text, start, end);
    let before = words(&text[sentence_start..start]);
    let after = words(&text[end..sentence_end]);
    let mut best: Option<(f32, Direction)> = None;
    let mut consider = |distance: f32, direction: Direction| {
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, direction));
        }
    };
    for (idx, _) in before.iter().enumerate().rev() {
        if let Some((direction, strength)) = cue(&before, idx, idx + 1 == before.len()) {
            let distance = (before.len() - idx) as f32;
            consider(distance - strength, direction);
        }
    }
    for idx in 0..after.len() {
        if let Some((direction, strength)) = cue(&after, idx, false) {
            consider(idx as f32 + 1.5 - strength, direction);
        }
    }
    best.map_or((Direction::Nearest, f32::INFINITY), |(distance, direction)| (direction, distance))
}

/// Byte bounds of the sentence holding `start..end`, at most a few hundred bytes each way.
fn sentence_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    const WINDOW: usize = 320;
    let mut sentence_start = floor_char_boundary(text, start.saturating_sub(WINDOW));
    for (idx, ch) in text[sentence_start..start].char_indices().rev() {
        let pos = sentence_start + idx;
        if ends_sentence(text, pos, ch) {
            sentence_start = pos + ch.len_utf8();
            break;
        }
    }
    let limit = floor_char_boundary(text, (end + WINDOW).min(text.len()));
    let mut sentence_end = limit;
    for (idx, ch) in text[end..limit].char_indices() {
        let pos = end + idx;
        if ends_sentence(text, pos, ch) {
            sentence_end = pos;
            break;
        }
    }
    (sentence_start, sentence_end)
}

/// The largest char boundary not after `pos`.
pub(super) fn floor_char_boundary(text: &str, mut pos: usize) -> usize {
    while pos > 0 && !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// The smallest char boundary not before `pos`.
fn ceil_char_boundary(text: &str, mut pos: usize) -> usize {
    while pos < text.len() && !text.is_char_boundary(pos) {
        pos += 1;
    }
    pos
}

/// True when the char `ch` at byte `pos` ends a sentence.
fn ends_sentence(text: &str, pos: usize, ch: char) -> bool {
    match ch {
        '\n' | '!' | '?' | ';' => true,
        '.' => {
            let next = text[pos + 1..].chars().next();
            if !next.is_none_or(char::is_whitespace) {
                return false;
            }
            // "Sept.", "Mr.", "U.S." end words, not sentences; nor does a period
            // before a lower-case word or a number ("Sept. 14").
            let head_start = floor_char_boundary(text, pos.saturating_sub(24));
            let word_start = super::rules::after_last(&text[head_start..pos], |c: char| {
                !c.is_alphanumeric() && c != '.'
            });
            let word = &text[head_start + word_start..pos];
            let short = word.len() <= 3 && word.starts_with(|c: char| c.is_uppercase());
            let abbreviation = ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
            let next_word_lower = text
                [pos + 1..ceil_char_boundary(text, (pos + 25).min(text.len()))]
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
            !(short || abbreviation || word.contains('.') || next_word_lower)
        }
        _ => false,
    }
}

/// Abbreviations that end in a period inside a sentence.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mr", "mrs", "ms", "dr",
    "gov", "gen", "sen", "rep", "col", "lt", "sgt", "capt", "maj", "cmdr", "adm", "corp", "inc", "co", "ltd", "jr",
    "sr", "st", "mt", "ft", "no", "vs", "prof", "rev", "messrs", "bros", "calif", "fla", "ill", "mass", "mich",
    "penn", "tex", "wash", "conn", "ariz", "colo",
];

/// Lower-case words of a stretch of text (apostrophe forms kept: "he'll", "won't").
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('’', "'").to_lowercase())
        .collect()
}

/// Past forms of irregular verbs common in news.
#[rustfmt::skip]
const IRREGULAR_PAST: &[&str] = &[
    "said", "was", "were", "had", "did", "didn't", "wasn't", "weren't", "hadn't", "met", "told", "came", "went",
    "made", "took", "gave", "got", "left", "began", "found", "held", "saw", "knew", "thought", "brought", "won",
    "lost", "fell", "rose", "struck", "sent", "spent", "led", "felt", "kept", "paid", "ran", "stood", "wrote",
    "spoke", "sold", "bought", "caught", "fought", "shot", "became", "broke", "chose", "drew", "drove", "flew",
    "grew", "hung", "hid", "rode", "rang", "sang", "sank", "shook", "stole", "swore", "threw", "woke", "wore",
    "understood", "taught", "meant", "heard", "built", "sought", "dealt", "fled", "slid", "lit", "arose", "forbade",
    "froze", "undertook", "overtook", "withdrew", "beat", "bore", "bound", "bred", "clung", "crept", "dug", "fed",
    "forgave", "forgot", "ground", "laid", "lay", "lent", "sat", "shone", "slept", "spun", "sprang", "stuck",
    "stung", "strove", "swept", "swung", "tore", "wept", "wound", "overran", "foresaw", "upheld", "ago",
    "yesterday", "earlier", "previously", "formerly", "ended",
];

/// Words ending in "-ed" that are not past tense (or point to the future).
#[rustfmt::skip]
const NOT_PAST_ED: &[&str] = &[
    "hundred", "indeed", "need", "speed", "proceed", "succeed", "exceed", "feed", "seed", "bleed", "breed", "greed",
    "red", "bed", "shed", "wed", "united", "armed", "based", "concerned", "interested", "related", "limited",
    "detailed", "advanced", "alleged", "proposed", "expected", "scheduled", "supposed", "anticipated", "intended",
    "unexpected", "unprecedented", "sacred", "naked", "wicked", "ragged", "rugged", "embed", "ahmed", "mohammed",
    "muhammad", "mohamed", "hammed", "reed", "weed", "creed", "deed", "fred", "ted", "ned", "ed", "sled", "bred",
    "assisted", "skilled", "qualified", "experienced", "talented", "educated", "renewed", "sustained", "continued",
    "increased", "reduced", "added", "combined", "mixed", "fixed", "tired", "used", "beloved", "aged", "so-called",
    "called",
];

/// Verbs (and adjectives) that look forward when followed by "to" or "for".
#[rustfmt::skip]
const FUTURE_BEFORE_TO: &[&str] = &[
    "due", "set", "expected", "expects", "expect", "plans", "plan", "planning", "poised", "going", "intends",
    "intend", "aims", "aim", "hopes", "hope", "wants", "want", "seeks", "seek", "likely", "ready", "preparing",
    "promises", "vows", "pledges", "threatens", "agrees", "proposes", "about", "supposed", "needs", "need", "has",
    "have", "is", "are",
];

/// Be-forms before a participle ("is heard", "are expected"): the participle is not a past tense.
const BE_PRESENT: &[&str] = &["is", "are", "am", "be", "being", "'s"];

/// The tense a word marks, with a strength subtracted from its distance.
/// `adjacent` says the word is the one right before the expression.
fn cue(words: &[String], idx: usize, adjacent: bool) -> Option<(Direction, f32)> {
    let word = words[idx].as_str();
    let next = words.get(idx + 1).map(String::as_str);
    match word {
        "will" | "shall" | "won't" | "gonna" | "tomorrow" | "upcoming" | "scheduled" | "slated" => {
            return Some((Direction::Future, 1.0))
        }
        "would" | "next" | "later" | "soon" => return Some((Direction::Future, 0.5)),
        // "by May", "until Tuesday": a deadline ahead, unless a verb says otherwise.
        "by" | "until" | "till" | "through" => {
            return adjacent.then_some((Direction::Future, 0.0));
        }
        "since" => return adjacent.then_some((Direction::Past, 0.0)),
        _ => {}
    }
    if word.ends_with("'ll") {
        return Some((Direction::Future, 1.0));
    }
    if (next == Some("to") || next == Some("for")) && FUTURE_BEFORE_TO.contains(&word) {
        // "is to", "has to" need a verb after "to" to count; "is due to" etc. always count.
        if matches!(word, "is" | "are" | "has" | "have" | "need" | "needs") && next == Some("for") {
            return None;
        }
        return Some((Direction::Future, 1.0));
    }
    // A participle after "is", "will be" or "to be" is not a past tense.
    let prev = idx.checked_sub(1).map(|i| words[i].as_str());
    let after_be = prev.is_some_and(|p| BE_PRESENT.contains(&p));
    if IRREGULAR_PAST.contains(&word) && !after_be {
        return Some((Direction::Past, 0.5));
    }
    // "unspecified", "unnamed": adjectives.
    let adjective = word.starts_with("un") || word.contains('-');
    if word.len() >= 5
        && word.ends_with("ed")
        && !word.ends_with("eed")
        && !NOT_PAST_ED.contains(&word)
        && !after_be
        && !adjective
    {
        return Some((Direction::Past, 0.0));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sentence: &str, expected: Direction) {
        let start = sentence.find("Monday").expect("test sentence names Monday");
        let got = direction_at(sentence, start, start + "Monday".len());
        assert_eq!(got, expected, "{sentence}");
    }

    #[test]
    fn cues_decide_direction() {
        check("The minister said on Monday that talks would resume.", Direction::Past);
        check("Talks will resume on Monday, the minister said.", Direction::Future);
        check("The company is due to report results on Monday.", Direction::Future);
        check("He met the president on Monday.", Direction::Past);
        check("Protesters gathered outside parliament on Monday.", Direction::Past);
        check("A vote is scheduled for Monday.", Direction::Future);
        check("On Monday, the prime minister announced new measures.", Direction::Past);
        check("Officials say the summit opens Monday.", Direction::Nearest);
        check("It was revealed on Monday.", Direction::Past);
        check("The leaders plan to meet again on Monday.", Direction::Future);
        check("He'll be back on Monday.", Direction::Future);
        check("Earlier talks failed. They will meet on Monday.", Direction::Future);
    }
}
