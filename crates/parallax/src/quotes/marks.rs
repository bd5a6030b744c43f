//! Pairing quotation marks into quoted regions.
//!
//! Marks are paired per paragraph with a stack:
//!
//! - double marks: `“…”`, `„…“`, `„…”`, `«…»`, `»…«`, straight `"…"` (a
//!   straight mark opens when it is left-flanking — white space or an opening
//!   bracket before it, a visible character after it — and closes otherwise);
//! - single marks `‘…’`, `'…'`, `‹…›` pair the same way, but an apostrophe
//!   that cannot close anything is ignored ("the allies’ plan", "’90s");
//! - a closing mark closes the innermost open mark of its family, dropping
//!   single marks left open inside it;
//! - a double mark still open at the end of its paragraph ends there (news
//!   style leaves a quotation open when it goes on in the next paragraph,
//!   which then opens again); a paragraph that starts with an opening mark
//!   right after such a paragraph *continues* that quotation;
//! - a closing mark with nothing open, in a paragraph that follows an
//!   unclosed quotation, closes a quotation that started with the paragraph.
//!
//! Only outermost regions are returned: nested quotations are part of the
//! quotation around them.

use super::tokens::{char_at, char_before, first_char, TokKind, Token};
use crate::doc::Span;

/// One quoted stretch of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Region {
    /// Token index of the opening mark, or the paragraph's first token when
    /// the region starts with the paragraph (no opening mark).
    pub first: usize,
    /// One past the token index of the closing mark, or one past the
    /// paragraph's last token when the region is not closed.
    pub last: usize,
    /// True when `first` is an opening mark.
    pub opened: bool,
    /// True when `last - 1` is a closing mark.
    pub closed: bool,
    /// The quoted words, without the marks, trimmed.
    pub span: Span,
    /// Word tokens inside.
    pub n_words: usize,
    /// Paragraph number.
    pub para: usize,
    /// Index (in the returned list) of the region this one continues: the
    /// unclosed quotation of the previous paragraph.
    pub continues: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    tok: usize,
    family: Family,
    /// The character that closes it best (`”` after `“`, `»` after `«`).
    closer: char,
}

fn is_opening_context(ch: Option<char>) -> bool {
    match ch {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '“' | '‘' | '«' | '„'
                )
        }
    }
}

fn is_closing_context(ch: Option<char>) -> bool {
    match ch {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '—'
                        | '–'
                        | '-'
                        | '…'
                        | '”'
                        | '’'
                        | '»'
                        | '"'
                        | '\''
                        | '/'
                )
        }
    }
}

/// Finds the quoted regions of `text`, outermost only, in text order.
pub(super) fn regions(text: &str, tokens: &[Token]) -> Vec<Region> {
    let mut res: Vec<Region> = Vec::new();
    let mut para_start = 0;
    // Index in `res` of the previous paragraph's unclosed region.
    let mut prev_unclosed: Option<usize> = None;
    while para_start < tokens.len() {
        let para = tokens[para_start].para;
        let mut para_end = para_start;
        while para_end < tokens.len() && tokens[para_end].para == para {
            para_end += 1;
        }
        let found = pair_paragraph(text, tokens, para_start, para_end, prev_unclosed.is_some());
        let mut unclosed_here = None;
        for (first, last, opened, closed) in found {
            let inner_first = if opened { first + 1 } else { first };
            let inner_last = if closed { last - 1 } else { last };
            let span = inner_span(text, tokens, inner_first, inner_last);
            let n_words =
                tokens[inner_first..inner_last].iter().filter(|t| t.kind == TokKind::Word).count();
            let continues = if first == para_start { prev_unclosed } else { None };
            let idx = res.len();
            res.push(Region { first, last, opened, closed, span, n_words, para, continues });
            if !closed {
                unclosed_here = Some(idx);
            }
        }
        prev_unclosed = unclosed_here;
        para_start = para_end;
    }
    res
}

/// The trimmed span between two token positions: white space and trailing
/// commas, colons, semicolons and dashes are left out.
fn inner_span(text: &str, tokens: &[Token], first: usize, last: usize) -> Span {
    if first >= last {
        let pos = tokens.get(first).map_or(text.len(), |t| t.start);
        return Span::new(pos, pos);
    }
    let mut end_tok = last;
    while end_tok > first {
        let tok = &tokens[end_tok - 1];
        let ch = first_char(text, tok);
        if tok.kind == TokKind::Punct && matches!(ch, ',' | ';' | ':' | '—' | '–' | '-') {
            end_tok -= 1;
        } else {
            break;
        }
    }
    if end_tok == first {
        return Span::new(tokens[first].start, tokens[first].start);
    }
    Span::new(tokens[first].start, tokens[end_tok - 1].end)
}

/// Pairs the marks of one paragraph (tokens `start..end`). Returns outermost
/// regions as (first token, one past last token, opened, closed).
fn pair_paragraph(
    text: &str,
    tokens: &[Token],
    start: usize,
    end: usize,
    after_unclosed: bool,
) -> Vec<(usize, usize, bool, bool)> {
    let mut stack: Vec<Open> = Vec::new();
    let mut pairs: Vec<(usize, usize, bool, bool)> = Vec::new();
    let mut seen_opener = false;
    for (idx, tok) in tokens.iter().enumerate().take(end).skip(start) {
        if tok.kind != TokKind::Mark {
            continue;
        }
        let ch = mark_char(text, tok);
        let before = char_before(text, tok.start);
        let after = char_at(text, tok.end);
        let left_flank = after.is_some_and(|c| !c.is_whitespace()) && is_opening_context(before);
        let right_flank = before.is_some_and(|c| !c.is_whitespace()) && is_closing_context(after);
        let innermost_double = stack.iter().rposition(|o| o.family == Family::Double);
        let open = |stack: &mut Vec<Open>, family, closer| {
            stack.push(Open { tok: idx, family, closer });
        };
        let close_double = |stack: &mut Vec<Open>, pairs: &mut Vec<_>, at: usize| {
            let opener = stack[at];
            stack.truncate(at);
            pairs.push((opener.tok, idx + 1, true, true));
        };
        match ch {
            '“' => {
                // Closes a low-9 opening („…“), or a curly opening when it is
                // clearly in closing position (a typo for ”).
                match innermost_double {
                    Some(at) if stack[at].closer == '“' => {
                        close_double(&mut stack, &mut pairs, at)
                    }
                    Some(at) if right_flank && !left_flank => {
                        close_double(&mut stack, &mut pairs, at)
                    }
                    _ => {
                        open(&mut stack, Family::Double, '”');
                        seen_opener = true;
                    }
                }
            }
            '”' | '‟' => match innermost_double {
                Some(at) => close_double(&mut stack, &mut pairs, at),
                None if left_flank && !right_flank => {
                    open(&mut stack, Family::Double, '”');
                    seen_opener = true;
                }
                None => {
                    if after_unclosed && !seen_opener && stack.is_empty() {
                        pairs.push((start, idx + 1, false, true));
                    }
                }
            },
            '„' => {
                open(&mut stack, Family::Double, '“');
                seen_opener = true;
            }
            '«' => match innermost_double {
                Some(at) if stack[at].closer == '«' => close_double(&mut stack, &mut pairs, at),
                _ => {
                    open(&mut stack, Family::Double, '»');
                    seen_opener = true;
                }
            },
            '»' => match innermost_double {
                Some(at) if stack[at].closer == '»' || right_flank => {
                    close_double(&mut stack, &mut pairs, at)
                }
                None if left_flank && !right_flank => {
                    open(&mut stack, Family::Double, '«');
                    seen_opener = true;
                }
                _ => {
                    if innermost_double.is_none() && after_unclosed && !seen_opener {
                        pairs.push((start, idx + 1, false, true));
                    }
                }
            },
            '"' => match innermost_double {
                Some(at) if !left_flank || right_flank => close_double(&mut stack, &mut pairs, at),
                Some(at) if stack[at].closer == '"' => {
                    // Left-flanking while a straight quotation is open: the
                    // open one was never closed; read this one as its end.
                    close_double(&mut stack, &mut pairs, at)
                }
                _ if left_flank || !right_flank => {
                    open(&mut stack, Family::Double, '"');
                    seen_opener = true;
                }
                _ => {
                    if innermost_double.is_none() && after_unclosed && !seen_opener {
                        pairs.push((start, idx + 1, false, true));
                    }
                }
            },
            // A single opening mark before a digit is an elision ("’90s").
            '‘' | '‛' | '‹' | '‚' if left_flank && !after.is_some_and(|c| c.is_ascii_digit()) =>
            {
                let closer = if ch == '‹' { '›' } else { '’' };
                open(&mut stack, Family::Single, closer);
            }
            '’' | '\'' | '›' | '`' => {
                let innermost_single = stack.last().filter(|o| o.family == Family::Single);
                if innermost_single.is_some() && right_flank {
                    let opener = stack.pop().expect("checked above");
                    pairs.push((opener.tok, idx + 1, true, true));
                } else if ch == '\'' && left_flank && !right_flank {
                    open(&mut stack, Family::Single, '\'');
                }
            }
            _ => {}
        }
    }
    // The outermost unclosed double mark runs to the end of the paragraph.
    if let Some(opener) = stack.iter().find(|o| o.family == Family::Double) {
        pairs.push((opener.tok, end, true, false));
    }
    outermost(pairs)
}

/// The mark a token stands for: a doubled single mark stands for a double
/// one (`''` for `"`, ``` `` ``` and `‘‘` for `“`, `’’` for `”`).
fn mark_char(text: &str, tok: &Token) -> char {
    let ch = first_char(text, tok);
    if tok.end - tok.start == 2 * ch.len_utf8() {
        return match ch {
            '\'' => '"',
            '`' | '‘' => '“',
            '’' => '”',
            other => other,
        };
    }
    ch
}

/// Keeps the regions that no other region contains, in text order.
fn outermost(mut pairs: Vec<(usize, usize, bool, bool)>) -> Vec<(usize, usize, bool, bool)> {
    pairs.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut res: Vec<(usize, usize, bool, bool)> = Vec::new();
    for pair in pairs {
        if let Some(last) = res.last() {
            if pair.0 < last.1 {
                continue;
            }
        }
        res.push(pair);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn quoted(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        regions(text, &tokens)
            .iter()
            .map(|r| {
                let mut s = text[r.span.range()].to_string();
                if !r.closed {
                    s.push_str(" …");
                }
                if let Some(prev) = r.continues {
                    s = format!("^{prev} {s}");
                }
                s
            })
            .collect()
    }

    #[test]
    fn curly_straight_guillemets_low_nine() {
        assert_eq!(quoted("He said “we will win,” and left."), ["we will win"]);
        assert_eq!(quoted(r#"He said "we will win" and left."#), ["we will win"]);
        assert_eq!(quoted("Er sagte „wir gewinnen“ dann."), ["wir gewinnen"]);
        assert_eq!(quoted("Il a dit « nous gagnerons » hier."), ["nous gagnerons"]);
        assert_eq!(quoted("She wrote »this is it« once."), ["this is it"]);
    }

    #[test]
    fn nested_marks_stay_inside() {
        assert_eq!(
            quoted("“They told me ‘never again,’ and left,” she said."),
            ["They told me ‘never again,’ and left"]
        );
        assert_eq!(
            quoted(r#""He called it 'a farce' twice," Oro said."#),
            ["He called it 'a farce' twice"]
        );
    }

    #[test]
    fn apostrophes_are_not_marks() {
        assert_eq!(quoted("The allies’ plan from the ’90s didn’t work."), Vec::<String>::new());
        assert_eq!(quoted("The allies' plan didn't work."), Vec::<String>::new());
    }

    #[test]
    fn unclosed_quotes_end_with_the_paragraph_and_continue() {
        let text = "Pell said: “We will stay.\n\n“We will not leave,” he added.\n\nDone.";
        assert_eq!(quoted(text), ["We will stay. …", "^0 We will not leave"]);
        let text = "Pell said: “We will stay.\n\nWe will not leave,” he added.";
        assert_eq!(quoted(text), ["We will stay. …", "^0 We will not leave"]);
    }

    #[test]
    fn doubled_single_marks_are_double_marks() {
        assert_eq!(quoted("''We will win,'' he said. ``Soon.''"), ["We will win", "Soon."]);
    }

    #[test]
    fn single_quotes_at_top_level() {
        assert_eq!(quoted("Oro called it ‘a dark day’ for all."), ["a dark day"]);
    }
}
