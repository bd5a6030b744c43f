//! Word tokens and sentences over raw text.
//!
//! [`tokenize`] cuts text into the tokens the tagger was trained on (the
//! CoNLL-2003 / Penn Treebank conventions): words keep inner hyphens
//! ("Korvan-220", "S-400", "German-based"), inner periods ("U.S.", "3.5"),
//! digit groups ("1,000") and name apostrophes ("O'Neill"); the possessive and
//! other clitics ("'s", "n't", "'re") are tokens of their own; every other
//! punctuation mark is a token, with runs like "..." and "--" kept together.
//! A period is part of a word when the word is an abbreviation by form
//! (initials, "U.S.") or one of a small set of common English abbreviations
//! (titles, months, company suffixes).
//!
//! [`sentences`] groups tokens into sentences: a line break always ends one;
//! a terminal mark ends one when what follows looks like a sentence start.

use crate::doc::Span;
use std::ops::Range;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Contains at least one letter.
    Word,
    /// Digits with separators, no letter.
    Number,
    /// Punctuation or a symbol.
    Punct,
}

/// One token: a byte span into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The bytes of the token; `&text[span.range()]` is the token.
    pub span: Span,
    /// What the token is made of.
    pub kind: TokenKind,
}

/// A sentence: its span and the range of tokens in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// From the first byte of the first token to the last byte of the last.
    pub span: Span,
    /// Indices into the token list.
    pub tokens: Range<usize>,
}

/// Combining marks that `char::is_alphanumeric` does not cover but that belong
/// to the letter before them (decomposed accents and the like).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F | 0x064B..=0x065F | 0x0670 | 0x093C | 0x094D | 0x200C | 0x200D)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Common English abbreviations that take a period (lowercased, without it).
/// Titles and ranks, months, company and address words, Latin shorthands.
fn is_abbreviation(lower: &str) -> bool {
    is_title_abbreviation(lower)
        || is_month_abbreviation(lower)
        || matches!(
            lower,
            "co" | "corp"
                | "inc"
                | "ltd"
                | "plc"
                | "bros"
                | "jr"
                | "sr"
                | "st"
                | "mt"
                | "ft"
                | "ave"
                | "blvd"
                | "no"
                | "nos"
                | "vs"
                | "etc"
                | "approx"
                | "dept"
                | "est"
                | "fig"
                | "vol"
                | "al"
        )
}

/// Abbreviations that stand before a name and so never end a sentence.
fn is_title_abbreviation(lower: &str) -> bool {
    matches!(
        lower,
        "mr" | "mrs"
            | "ms"
            | "messrs"
            | "dr"
            | "prof"
            | "gen"
            | "lt"
            | "col"
            | "maj"
            | "capt"
            | "cpt"
            | "cmdr"
            | "adm"
            | "sgt"
            | "cpl"
            | "pvt"
            | "brig"
            | "gov"
            | "sen"
            | "rep"
            | "rev"
            | "hon"
            | "pres"
            | "amb"
            | "supt"
            | "insp"
            | "det"
    )
}

fn is_month_abbreviation(lower: &str) -> bool {
    matches!(
        lower,
        "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Cuts `text` into tokens. Spans are sorted, disjoint, on char boundaries and
/// never cover white space.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |k: usize| if k < n { chars[k].0 } else { text.len() };
    let ch = |k: usize| if k < n { Some(chars[k].1) } else { None };
    let mut res = Vec::new();
    let mut k = 0;
    while k < n {
        let c = chars[k].1;
        if c.is_whitespace() || c.is_control() || c == '\u{FEFF}' || c == '\u{200B}' {
            k += 1;
            continue;
        }
        let start = byte_at(k);
        if is_word_char(c) {
            let end_k = scan_word(&chars, k);
            // A clitic "n't" glued to the word ("don't", "isn't") is split off.
            let mut word_end = end_k;
            if end_k >= k + 3
                && ch(end_k - 1).is_some_and(|c| c == 't' || c == 'T')
                && ch(end_k - 2).is_some_and(is_apostrophe)
                && ch(end_k - 3).is_some_and(|c| c == 'n' || c == 'N')
                && end_k - 3 > k
            {
                word_end = end_k - 3;
            }
            let mut end = byte_at(word_end);
            // An abbreviation keeps its period.
            if word_end == end_k && ch(end_k) == Some('.') {
                let word = &text[start..end];
                if takes_period(word, ch(end_k + 1)) {
                    end += 1;
                    k = end_k + 1;
                } else {
                    k = end_k;
                }
            } else {
                k = word_end;
            }
            let has_letter = text[start..end].chars().any(char::is_alphabetic);
            let kind = if has_letter { TokenKind::Word } else { TokenKind::Number };
            res.push(Token { span: Span::new(start, end), kind });
            continue;
        }
        // A clitic after a word: "'s", "'re", "'ve", "'ll", "'d", "'m", "n't".
        let glued = k > 0 && is_word_char(chars[k - 1].1);
        if glued {
            if let Some(len) = clitic_len(&chars, k) {
                let end = byte_at(k + len);
                res.push(Token { span: Span::new(start, end), kind: TokenKind::Word });
                k += len;
                continue;
            }
        }
        // Punctuation: runs of the same mark stay together ("...", "--", "``").
        let mut j = k + 1;
        if matches!(c, '.' | '-' | '=' | '*' | '_' | '`' | '!' | '?' | '~' | '#' | '\u{2014}')
            || (c == '\'' && ch(k + 1) == Some('\''))
        {
            while j < n && chars[j].1 == c {
                j += 1;
            }
        }
        res.push(Token { span: Span::new(start, byte_at(j)), kind: TokenKind::Punct });
        k = j;
    }
    res
}

/// Length in chars of a clitic starting at `k` (an apostrophe), if one does.
fn clitic_len(chars: &[(usize, char)], k: usize) -> Option<usize> {
    if !is_apostrophe(chars[k].1) {
        return None;
    }
    let lower = |i: usize| chars.get(i).map(|&(_, c)| c.to_ascii_lowercase());
    let ends = |i: usize| chars.get(i).is_none_or(|&(_, c)| !is_word_char(c));
    match (lower(k + 1), lower(k + 2)) {
        (Some('s' | 'd' | 'm'), _) if ends(k + 2) => Some(2),
        (Some('r'), Some('e')) | (Some('v'), Some('e')) | (Some('l'), Some('l')) if ends(k + 3) => {
            Some(3)
        }
        _ => None,
    }
}

/// Scans a word from `k` (a word char) and returns the index one past it.
fn scan_word(chars: &[(usize, char)], k: usize) -> usize {
    let n = chars.len();
    let c_at = |i: usize| chars[i].1;
    let mut j = k + 1;
    while j < n {
        let c = c_at(j);
        if is_word_char(c) {
            j += 1;
            continue;
        }
        let next = if j + 1 < n { Some(c_at(j + 1)) } else { None };
        let Some(next) = next.filter(|&c| is_word_char(c)) else { break };
        let prev = c_at(j - 1);
        let join = if is_hyphen(c) || c == '_' {
            true
        } else if c == '.' {
            // "U.S", "e.g", "3.5", "example.com".
            (prev.is_alphabetic() && next.is_alphabetic())
                || (prev.is_ascii_digit() && next.is_ascii_digit())
        } else if c == ',' {
            // "1,000": exactly three digits follow the comma.
            prev.is_ascii_digit()
                && (j + 1..j + 4).all(|i| i < n && c_at(i).is_ascii_digit())
                && (j + 4 >= n || !is_word_char(c_at(j + 4)))
        } else if c == ':' {
            prev.is_ascii_digit() && next.is_ascii_digit()
        } else if c == '&' {
            prev.is_uppercase() && next.is_uppercase()
        } else if is_apostrophe(c) {
            // A name apostrophe ("O'Neill", "Qur'an") joins, a clitic does not;
            // "n't" joins here and is split off by the caller.
            clitic_len(chars, j).is_none()
        } else {
            false
        };
        if !join {
            break;
        }
        j += 2;
    }
    j
}

/// True when `word` followed by a period is one token ("U.S.", "J.", "Gen.").
fn takes_period(word: &str, after: Option<char>) -> bool {
    // The period is not followed by a letter (that case was joined already).
    if after.is_some_and(|c| c == '.') {
        return false;
    }
    let letters: Vec<char> = word.chars().collect();
    if letters.len() == 1 && letters[0].is_alphabetic() {
        return true;
    }
    if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2) {
        return word.chars().any(char::is_alphabetic);
    }
    if !word.chars().all(char::is_alphabetic) {
        return false;
    }
    let lower = word.to_lowercase();
    if lower == "no" {
        return false;
    }
    is_abbreviation(&lower)
}

/// True when the token text is a period-closed abbreviation.
fn is_abbreviation_token(token: &str) -> bool {
    token.len() > 1 && token.ends_with('.') && token[..token.len() - 1].chars().all(|c| c != ' ')
}

fn is_terminal(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| matches!(c, '.' | '!' | '?' | '\u{2026}'))
}

fn is_closing(token: &str) -> bool {
    matches!(
        token,
        "\"" | "'" | "''" | "\u{201D}" | "\u{2019}" | ")" | "]" | "}" | "\u{BB}" | "\u{203A}"
    )
}

/// Capitalised function words that commonly start an English sentence; after
/// an abbreviation that can end one ("Inc.", "U.S."), they signal a new sentence.
fn is_sentence_opener(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "He"
            | "She"
            | "It"
            | "They"
            | "We"
            | "I"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "But"
            | "And"
            | "In"
            | "On"
            | "At"
            | "His"
            | "Her"
            | "Its"
            | "Their"
            | "Our"
            | "Some"
            | "Many"
            | "Most"
            | "When"
            | "If"
            | "As"
            | "After"
            | "Before"
            | "While"
            | "However"
            | "Meanwhile"
    )
}

/// Groups `tokens` (from [`tokenize`] over `text`) into sentences.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut res = Vec::new();
    let mut first = 0;
    let slice = |t: &Token| &text[t.span.range()];
    let push = |from: usize, to: usize, res: &mut Vec<Sentence>| {
        if from < to {
            let span =
                Span::new(tokens[from].span.start as usize, tokens[to - 1].span.end as usize);
            res.push(Sentence { span, tokens: from..to });
        }
    };
    let mut i = 0;
    while i < tokens.len() {
        let next = i + 1;
        if next >= tokens.len() {
            break;
        }
        let gap = &text[tokens[i].span.end as usize..tokens[next].span.start as usize];
        if gap.contains('\n') {
            push(first, next, &mut res);
            first = next;
            i = next;
            continue;
        }
        let token = slice(&tokens[i]);
        let terminal = is_terminal(token);
        let abbreviation =
            !terminal && tokens[i].kind == TokenKind::Word && is_abbreviation_token(token);
        if terminal || abbreviation {
            // Closing quotes and brackets stay with the sentence they close.
            let mut end = next;
            while end < tokens.len() && is_closing(slice(&tokens[end])) {
                let gap = &text[tokens[end - 1].span.end as usize..tokens[end].span.start as usize];
                // A straight quote closes only when glued to what it closes.
                let straight = matches!(slice(&tokens[end]), "\"" | "'");
                if gap.contains('\n') || (straight && !gap.is_empty()) {
                    break;
                }
                end += 1;
            }
            if end >= tokens.len() {
                break;
            }
            let gap = &text[tokens[end - 1].span.end as usize..tokens[end].span.start as usize];
            let following = slice(&tokens[end]);
            let starts_upper =
                following.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            let opens =
                matches!(following, "\"" | "``" | "\u{201C}" | "\u{2018}" | "'" | "(" | "\u{AB}");
            let splits = if terminal {
                !gap.is_empty() && (starts_upper || opens)
            } else {
                let lower = token[..token.len() - 1].to_lowercase();
                let single = token.chars().count() == 2;
                let never_final = is_title_abbreviation(&lower) || single;
                !never_final && !gap.is_empty() && is_sentence_opener(following)
            };
            if splits {
                push(first, end, &mut res);
                first = end;
                i = end;
                continue;
            }
        }
        i = next;
    }
    push(first, tokens.len(), &mut res);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[&str]) {
        let tokens = tokenize(text);
        let got: Vec<&str> = tokens.iter().map(|t| &text[t.span.range()]).collect();
        assert_eq!(got, expect, "tokens of {text:?}");
    }

    fn check_sentences(text: &str, expect: &[&str]) {
        let tokens = tokenize(text);
        let got: Vec<&str> =
            sentences(text, &tokens).iter().map(|s| &text[s.span.range()]).collect();
        assert_eq!(got, expect, "sentences of {text:?}");
    }

    #[test]
    fn words_and_punctuation() {
        check(
            "Iran's Korvan-220 drones hit Kyiv.",
            &["Iran", "'s", "Korvan-220", "drones", "hit", "Kyiv", "."],
        );
        check(
            "the S-400, the Su-35 and T-90s",
            &["the", "S-400", ",", "the", "Su-35", "and", "T-90s"],
        );
        check(
            "“We won’t stop,” he said.",
            &["“", "We", "wo", "n’t", "stop", ",", "”", "he", "said", "."],
        );
        check(
            "\"Quoted\" and 'single' «guillemets»",
            &["\"", "Quoted", "\"", "and", "'", "single", "'", "«", "guillemets", "»"],
        );
        check(
            "U.S. troops, 1,000 of them, paid $3.5 million...",
            &[
                "U.S.", "troops", ",", "1,000", "of", "them", ",", "paid", "$", "3.5", "million",
                "...",
            ],
        );
        check(
            "O'Neill met Zoë Müller-Lüdenscheidt in Łódź",
            &["O'Neill", "met", "Zoë", "Müller-Lüdenscheidt", "in", "Łódź"],
        );
        check(
            "Mr. J. Smith and Gen. Ruiz, Sept. 3",
            &["Mr.", "J.", "Smith", "and", "Gen.", "Ruiz", ",", "Sept.", "3"],
        );
        check("3+3 talks on 1996-08-22", &["3", "+", "3", "talks", "on", "1996-08-22"]);
        check("they're here; it's done", &["they", "'re", "here", ";", "it", "'s", "done"]);
        check("He left. She stayed", &["He", "left", ".", "She", "stayed"]);
        check("", &[]);
        check("  \n ", &[]);
    }

    #[test]
    fn spans_are_slices_on_boundaries() {
        let text = "Ünïcödé — “Шахед-136” 無人機 e\u{301}tat, AT&T.";
        for token in tokenize(text) {
            assert!(text.is_char_boundary(token.span.start as usize));
            assert!(text.is_char_boundary(token.span.end as usize));
            assert!(!text[token.span.range()].trim().is_empty());
        }
        check("e\u{301}tat AT&T", &["e\u{301}tat", "AT&T"]);
    }

    #[test]
    fn sentence_splitting() {
        check_sentences(
            "Mr. Smith met Gen. Ruiz on Sept. 3. They talked. \"It went well.\" He left",
            &[
                "Mr. Smith met Gen. Ruiz on Sept. 3.",
                "They talked.",
                "\"It went well.\"",
                "He left",
            ],
        );
        check_sentences(
            "J. R. R. Tolkien wrote. Acme Inc. The firm grew.",
            &["J. R. R. Tolkien wrote.", "Acme Inc.", "The firm grew."],
        );
        check_sentences("Headline here\nBody starts.", &["Headline here", "Body starts."]);
        check_sentences(
            "It cost 3.5 dollars... and more. Done",
            &["It cost 3.5 dollars... and more.", "Done"],
        );
        check_sentences("in the U.S. The next day", &["in the U.S.", "The next day"]);
    }
}
