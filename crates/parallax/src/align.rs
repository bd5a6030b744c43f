//! Word alignment of two renderings of one statement: which words one text
//! uses where the other uses different ones.
//!
//! Texts are cut into words with their byte ranges; the words are compared
//! case-insensitively and aligned with Myers' diff (the `similar` crate).
//! What is left between two aligned stretches is a [`Change`]: a replacement
//! ("the Middle East" / "West Asia"), or words only one side has.

use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::ops::Range;

/// A word of a text with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The word, lowercased, for comparison.
    pub key: String,
}

/// The words of `text`: runs of letters, digits, hyphens and apostrophes
/// inside a word ("Amir-Abdollahian", "Russia's"), with their byte ranges.
pub fn words(text: &str) -> Vec<Word> {
    let mut res = Vec::new();
    let mut start: Option<usize> = None;
    let is_inner = |c: char| c == '-' || c == '\'' || c == '’';
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (pos, &(at, c)) in chars.iter().enumerate() {
        let next_is_alnum = chars.get(pos + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
        let inside = c.is_alphanumeric() || (start.is_some() && is_inner(c) && next_is_alnum);
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                res.push(Word { range: s..at, key: text[s..at].to_lowercase() });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        res.push(Word { range: s..text.len(), key: text[s..].to_lowercase() });
    }
    res
}

/// One stretch where two aligned texts differ: byte ranges in each (an empty
/// range where that side has nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The words of the first text.
    pub a: Range<usize>,
    /// The words of the second text.
    pub b: Range<usize>,
}

impl Change {
    /// Both sides hold words: one text says something the other words differently.
    pub fn is_replacement(&self) -> bool {
        !self.a.is_empty() && !self.b.is_empty()
    }
}

/// The stretches where `a` and `b` differ, in order. Adjacent changes are
/// one change; a text with no words in common with the other is one change.
pub fn changes(a: &str, b: &str) -> Vec<Change> {
    let (wa, wb) = (words(a), words(b));
    let (ka, kb): (Vec<&str>, Vec<&str>) =
        (wa.iter().map(|w| w.key.as_str()).collect(), wb.iter().map(|w| w.key.as_str()).collect());
    let span = |ws: &[Word], from: usize, len: usize| -> Range<usize> {
        if len == 0 {
            let at = ws
                .get(from)
                .map_or_else(|| ws.last().map_or(0, |w| w.range.end), |w| w.range.start);
            at..at
        } else {
            ws[from].range.start..ws[from + len - 1].range.end
        }
    };
    let mut res: Vec<Change> = Vec::new();
    let mut last_was_change = false;
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        let (ra, rb) = match op {
            DiffOp::Equal { .. } => {
                last_was_change = false;
                continue;
            }
            DiffOp::Delete { old_index, old_len, new_index } => {
                (span(&wa, old_index, old_len), span(&wb, new_index, 0))
            }
            DiffOp::Insert { old_index, new_index, new_len } => {
                (span(&wa, old_index, 0), span(&wb, new_index, new_len))
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (span(&wa, old_index, old_len), span(&wb, new_index, new_len))
            }
        };
        match res.last_mut() {
            Some(prev) if last_was_change => {
                prev.a = merge(&prev.a, &ra);
                prev.b = merge(&prev.b, &rb);
            }
            _ => res.push(Change { a: ra, b: rb }),
        }
        last_was_change = true;
    }
    res
}

/// The smallest range covering both, ignoring an empty one.
fn merge(x: &Range<usize>, y: &Range<usize>) -> Range<usize> {
    match (x.is_empty(), y.is_empty()) {
        (true, _) => y.clone(),
        (_, true) => x.clone(),
        _ => x.start.min(y.start)..x.end.max(y.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(a: &str, b: &str) -> Vec<(String, String)> {
        changes(a, b)
            .iter()
            .map(|c| (a[c.a.clone()].to_string(), b[c.b.clone()].to_string()))
            .collect()
    }

    #[test]
    fn words_keep_inner_hyphens_and_apostrophes() {
        let text = "Kestrel’s new X-136, (built) in-house.";
        let got: Vec<&str> = words(text).iter().map(|w| &text[w.range.clone()]).collect();
        assert_eq!(got, ["Kestrel’s", "new", "X-136", "built", "in-house"]);
    }

    #[test]
    fn a_region_named_two_ways_is_one_replacement() {
        assert_eq!(
            pairs(
                "Valdoria is one of the key states in the Northern Reach and a partner.",
                "Valdoria is one of the key countries in Upper Tarsk and a partner."
            ),
            [
                ("states".to_string(), "countries".to_string()),
                ("the Northern Reach".to_string(), "Upper Tarsk".to_string())
            ]
        );
    }

    #[test]
    fn words_only_one_side_has_are_one_sided_changes() {
        let got = changes("talks went well", "the talks went very well");
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|c| !c.is_replacement()));
        assert!(changes("Same words.", "same WORDS").is_empty());
    }
}
