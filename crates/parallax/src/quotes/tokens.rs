//! Words, punctuation and quotation marks with their byte offsets, paragraph
//! numbers and sentence boundaries.
//!
//! The tokenizer is deliberately simple: a word is a run of letters and digits
//! with inner apostrophes, hyphens, periods and commas between digits
//! ("don't", "Russia's", "U.S", "1,000"); every other visible character is a
//! token of its own. A newline starts a new paragraph.

use super::lexicon;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokKind {
    /// Letters and digits.
    Word,
    /// A quotation mark (or an apostrophe that is not inside a word).
    Mark,
    /// Any other visible character.
    Punct,
}

/// One token of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it is.
    pub kind: TokKind,
    /// Paragraph number (0-based; a newline starts a new paragraph).
    pub para: usize,
}

/// Characters that may be quotation marks.
pub(super) fn is_mark_char(ch: char) -> bool {
    matches!(
        ch,
        '"' | '\''
            | '“'
            | '”'
            | '„'
            | '‟'
            | '«'
            | '»'
            | '‘'
            | '’'
            | '‚'
            | '‛'
            | '‹'
            | '›'
            | '`'
    )
}

/// Splits `text` into tokens.
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut res = Vec::new();
    let mut para = 0;
    let mut seen_visible = false;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut idx = 0;
    while idx < chars.len() {
        let (pos, ch) = chars[idx];
        if ch == '\n' {
            if seen_visible {
                para += 1;
                seen_visible = false;
            }
            idx += 1;
            continue;
        }
        if ch.is_whitespace() {
            idx += 1;
            continue;
        }
        seen_visible = true;
        if ch.is_alphanumeric() {
            let mut end_idx = idx + 1;
            while end_idx < chars.len() {
                let c = chars[end_idx].1;
                if c.is_alphanumeric() || is_combining(c) {
                    end_idx += 1;
                    continue;
                }
                let next = chars.get(end_idx + 1).map(|&(_, n)| n);
                let prev = chars[end_idx - 1].1;
                let joins = match c {
                    '\'' | '’' | '-' | '‐' | '‑' | '&' | '.' => {
                        next.is_some_and(|n| n.is_alphanumeric())
                    }
                    ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                    _ => false,
                };
                if joins {
                    end_idx += 1;
                } else {
                    break;
                }
            }
            let end = chars.get(end_idx).map_or(text.len(), |&(p, _)| p);
            res.push(Token { start: pos, end, kind: TokKind::Word, para });
            idx = end_idx;
            continue;
        }
        let mut end = pos + ch.len_utf8();
        let kind = if is_mark_char(ch) { TokKind::Mark } else { TokKind::Punct };
        // Two single marks in a row are one double mark ('' and `` in some
        // news archives).
        let doubled = matches!(ch, '\'' | '`' | '‘' | '’')
            && chars.get(idx + 1).is_some_and(|&(_, next)| next == ch);
        if doubled {
            end += ch.len_utf8();
            idx += 1;
        }
        res.push(Token { start: pos, end, kind, para });
        idx += 1;
    }
    // A paragraph number is only advanced after visible text; a text that
    // starts with newlines still starts at paragraph 0.
    res
}

fn is_combining(ch: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&ch)
}

/// The first character of a token.
pub(super) fn first_char(text: &str, tok: &Token) -> char {
    text[tok.start..tok.end].chars().next().unwrap_or(' ')
}

/// The character just before byte `pos`, if any.
pub(super) fn char_before(text: &str, pos: usize) -> Option<char> {
    text[..pos].chars().next_back()
}

/// The character at byte `pos`, if any.
pub(super) fn char_at(text: &str, pos: usize) -> Option<char> {
    text[pos..].chars().next()
}

/// True for a word token that ends with a possessive ("Russia's", "allies'").
pub(super) fn is_possessive(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.ends_with("'s") || lower.ends_with("’s")
}

/// Sentence boundaries: `starts[i]..starts[i + 1]` are the tokens of one
/// sentence. `in_region[t]` tells whether token `t` is inside a quotation
/// (sentence ends inside quotations are ignored, so that a quotation and its
/// attribution stay in one sentence).
pub(super) fn sentences(text: &str, tokens: &[Token], in_region: &[bool]) -> Vec<(usize, usize)> {
    let mut res = Vec::new();
    let mut start = 0;
    for idx in 0..tokens.len() {
        let tok = &tokens[idx];
        let last_of_para = tokens.get(idx + 1).is_none_or(|next| next.para != tok.para);
        let ends = last_of_para
            || (!in_region[idx] && ends_sentence(text, tokens, in_region, idx))
            || quotation_ends_sentence(text, tokens, in_region, idx);
        if ends {
            res.push((start, idx + 1));
            start = idx + 1;
        }
    }
    if start < tokens.len() {
        res.push((start, tokens.len()));
    }
    res
}

fn ends_sentence(text: &str, tokens: &[Token], in_region: &[bool], idx: usize) -> bool {
    let tok = &tokens[idx];
    if tok.kind != TokKind::Punct {
        return false;
    }
    let ch = first_char(text, tok);
    if !matches!(ch, '.' | '!' | '?' | '…') {
        return false;
    }
    // Further final punctuation or closing brackets belong to this sentence.
    let Some(next) = tokens.get(idx + 1) else { return true };
    let next_ch = first_char(text, next);
    if next.start == tok.end && matches!(next_ch, '.' | '!' | '?' | ')' | ']') {
        return false;
    }
    if ch == '.' && idx > 0 {
        let prev = &tokens[idx - 1];
        if prev.kind == TokKind::Word && prev.end == tok.start {
            let word = &text[prev.start..prev.end];
            if lexicon::is_abbreviation(word) {
                return false;
            }
        }
    }
    if next.kind == TokKind::Mark && in_region.get(idx + 1).copied().unwrap_or(false) {
        return true;
    }
    next_ch.is_uppercase() || next_ch.is_ascii_digit() || matches!(next_ch, '(' | '[' | '—' | '–')
}

/// True when token `idx` closes a quotation that ends a sentence inside its
/// marks (`… exists.”`) and a new sentence follows — unless that sentence is
/// only the quotation's attribution (`“We won!” Pell said.`).
fn quotation_ends_sentence(text: &str, tokens: &[Token], in_region: &[bool], idx: usize) -> bool {
    let tok = &tokens[idx];
    if tok.kind != TokKind::Mark || idx == 0 || !in_region[idx] {
        return false;
    }
    let Some(next) = tokens.get(idx + 1) else { return false };
    if in_region[idx + 1] && tokens[idx + 1].kind != TokKind::Mark || next.para != tok.para {
        return false;
    }
    // Only a closing mark: the token after it is outside the region, or
    // starts another region.
    let inner = &tokens[idx - 1];
    if !in_region[idx - 1]
        || inner.kind != TokKind::Punct
        || !matches!(first_char(text, inner), '.' | '!' | '?' | '…')
    {
        return false;
    }
    if !first_char(text, next).is_uppercase() {
        return false;
    }
    // A short sentence with a cue and nothing reported after it.
    let mut has_cue = false;
    for (n_words, later) in tokens.iter().skip(idx + 1).take(10).enumerate() {
        if later.para != tok.para {
            return !has_cue;
        }
        let word = &text[later.start..later.end];
        let after_abbreviation = n_words > 0 && {
            let prev = &tokens[idx + n_words];
            prev.kind == TokKind::Word
                && prev.end == later.start
                && lexicon::is_abbreviation(&text[prev.start..prev.end])
        };
        match later.kind {
            TokKind::Punct
                if matches!(first_char(text, later), '.' | '!' | '?') && !after_abbreviation =>
            {
                return !has_cue;
            }
            TokKind::Punct if first_char(text, later) == ':' => return true,
            TokKind::Mark => return true,
            TokKind::Word if word.eq_ignore_ascii_case("that") || n_words >= 8 => return true,
            TokKind::Word => {
                has_cue |= lexicon::cue_form(word)
                    .is_some_and(|c| matches!(c.form, lexicon::Form::Past | lexicon::Form::Third));
            }
            TokKind::Punct => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn words_keep_inner_apostrophes_and_numbers() {
        assert_eq!(
            words("Russia's U.S. allies don’t pay $1,000."),
            ["Russia's", "U.S", ".", "allies", "don’t", "pay", "$", "1,000", "."]
        );
        assert_eq!(words("“Yes,” he said"), ["“", "Yes", ",", "”", "he", "said"]);
    }

    #[test]
    fn newlines_start_paragraphs() {
        let toks = tokenize("A b.\n\nC d.\nE");
        let paras: Vec<usize> = toks.iter().map(|t| t.para).collect();
        assert_eq!(paras, [0, 0, 0, 1, 1, 1, 2]);
    }

    #[test]
    fn sentences_skip_abbreviations() {
        let text = "Mr. Pell met Gen. Oro. They talked. It ended";
        let toks = tokenize(text);
        let in_region = vec![false; toks.len()];
        let got: Vec<&str> = sentences(text, &toks, &in_region)
            .into_iter()
            .map(|(a, b)| &text[toks[a].start..toks[b - 1].end])
            .collect();
        assert_eq!(got, ["Mr. Pell met Gen. Oro.", "They talked.", "It ended"]);
    }
}
