//! Document vectors for the story stage: tokens, name folding, TF-IDF.

use super::{normalize, SparseVec, StoryInput};
use rayon::prelude::*;
use std::collections::BTreeMap;
use unicode_segmentation::UnicodeSegmentation;

/// One vocabulary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The folded key the term is counted under (`n:` names, `w:` words).
    pub key: String,
    /// The first spelling seen, for display.
    pub display: String,
    /// True for names (capitalised words).
    pub is_name: bool,
}

/// How much more a name counts than a common word: stories are told by who and where.
const NAME_WEIGHT: f32 = 3.0;
/// How much a capitalised word at a sentence start counts as a name (it may be an ordinary word).
const INITIAL_NAME_WEIGHT: f32 = 0.5;
/// Lower-case words shorter than this carry little topic (articles, prepositions).
const MIN_WORD_CHARS: usize = 4;

/// A token of a text, with the weight it adds to its term.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Folded key.
    pub key: String,
    /// The word as written.
    pub display: String,
    /// True for names.
    pub is_name: bool,
    /// Weight of this occurrence.
    pub weight: f32,
}

/// The tokens of `text` that the story stage counts.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut res = Vec::new();
    for_each_token(text, |token| res.push(token));
    res
}

/// Calls `f` with each token of `text` that the story stage counts, in order.
pub fn for_each_token(text: &str, mut f: impl FnMut(Token)) {
    let mut sentence_start = true;
    for word in text.split_word_bounds() {
        let first = word.chars().next().unwrap_or(' ');
        if matches!(word, "." | "!" | "?" | "\n" | "\r\n") || word.contains('\n') {
            sentence_start = true;
            continue;
        }
        if !first.is_alphanumeric() {
            continue;
        }
        let initial = std::mem::replace(&mut sentence_start, false);
        if word.chars().any(|c| c.is_numeric()) {
            continue;
        }
        let chars = word.chars().count();
        if first.is_uppercase() {
            if initial && chars < MIN_WORD_CHARS {
                continue;
            }
            let weight = if initial { INITIAL_NAME_WEIGHT } else { 1.0 };
            f(Token {
                key: format!("n:{}", name_key(word)),
                display: word.to_string(),
                is_name: true,
                weight,
            });
        } else if chars >= MIN_WORD_CHARS {
            let lower = word.to_lowercase();
            f(Token { key: format!("w:{lower}"), display: lower, is_name: false, weight: 1.0 });
        }
    }
}

/// Folds a name so that common transliteration variants meet: case, a
/// possessive ending, vowel spellings (ey/ei, oy/oi, y/i, ou/u, ee/i), k/q/c
/// before hard vowels, ph/f, kh/h, w/v, and doubled letters.
pub fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let lower = lower.trim_end_matches("'s").trim_end_matches("’s");
    let mut folded = String::with_capacity(lower.len());
    let chars: Vec<char> = lower.chars().map(fold_diacritic).collect();
    let mut idx = 0;
    while idx < chars.len() {
        let c = chars[idx];
        let next = chars.get(idx + 1).copied();
        let (out, skip) = match (c, next) {
            ('p', Some('h')) => ('f', 2),
            ('k', Some('h')) => ('h', 2),
            ('g', Some('h')) => ('g', 2),
            ('o', Some('u')) => ('u', 2),
            ('e', Some('e')) => ('i', 2),
            ('y', _) => ('i', 1),
            ('q', _) => ('k', 1),
            ('c', Some('a' | 'o' | 'u')) => ('k', 1),
            ('w', _) => ('v', 1),
            _ => (c, 1),
        };
        if !folded.ends_with(out) {
            folded.push(out);
        }
        idx += skip;
    }
    folded
}

fn fold_diacritic(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ō' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        // Cyrillic letters that look like Latin ones, as pasted pages often mix them in.
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'х' => 'x',
        _ => c,
    }
}

/// Documents tokenised together in [`tfidf`].
const TOKENIZE_CHUNK: usize = 1024;

/// TF-IDF vectors (sublinear term frequency, idf = ln((N+1)/df)), L2-normalised.
pub(super) fn tfidf(inputs: &[StoryInput<'_>]) -> (Vec<SparseVec>, Vec<Term>) {
    let mut ids: BTreeMap<String, u32> = BTreeMap::new();
    let mut vocabulary: Vec<Term> = Vec::new();
    let mut counts: Vec<BTreeMap<u32, f32>> = Vec::with_capacity(inputs.len());
    // Documents are tokenised in parallel, a chunk at a time (so memory holds
    // one chunk's tokens, not the corpus's); term ids are then given in input
    // order, as a sequential pass would give them.
    for chunk in inputs.chunks(TOKENIZE_CHUNK) {
        let keyed: Vec<BTreeMap<String, Token>> = chunk
            .par_iter()
            .map(|input| {
                // Counted per distinct key first, so memory follows the vocabulary, not the text length.
                let mut by_key: BTreeMap<String, Token> = BTreeMap::new();
                let mut add = |token: Token| match by_key.get_mut(&token.key) {
                    Some(seen) => seen.weight += token.weight,
                    None => {
                        by_key.insert(token.key.clone(), token);
                    }
                };
                for_each_token(input.body, &mut add);
                if let Some(title) = input.title {
                    for_each_token(title, &mut add);
                }
                by_key
            })
            .collect();
        for by_key in keyed {
            let mut doc_counts: BTreeMap<u32, f32> = BTreeMap::new();
            for (key, token) in by_key {
                let next_id = vocabulary.len() as u32;
                let id = *ids.entry(key).or_insert_with(|| {
                    vocabulary.push(Term {
                        key: token.key.clone(),
                        display: token.display,
                        is_name: token.is_name,
                    });
                    next_id
                });
                *doc_counts.entry(id).or_insert(0.0) += token.weight;
            }
            counts.push(doc_counts);
        }
    }
    let mut df = vec![0u32; vocabulary.len()];
    for doc_counts in &counts {
        for &term in doc_counts.keys() {
            df[term as usize] += 1;
        }
    }
    let n = inputs.len() as f32;
    let vectors = counts
        .into_iter()
        .map(|doc_counts| {
            let vector = doc_counts
                .into_iter()
                .map(|(term, count)| {
                    let idf = ((n + 1.0) / df[term as usize] as f32).ln();
                    let kind = if vocabulary[term as usize].is_name { NAME_WEIGHT } else { 1.0 };
                    (term, (1.0 + count.max(1e-3).ln().max(0.0)) * idf * kind)
                })
                .filter(|&(_, w)| w > 0.0)
                .collect();
            normalize(vector)
        })
        .collect();
    (vectors, vocabulary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_share_a_key() {
        for (a, b) in [
            ("Yuri", "Iuri"),
            ("Kowalski", "Kovalski"),
            ("Raheemi", "Rahimi"),
            ("Qasim", "Kasim"),
            ("Hassan", "Hasan"),
            ("Vargha", "Varga"),
            ("Mayor's", "Mayor"),
        ] {
            assert_eq!(name_key(a), name_key(b), "{a} ~ {b}");
        }
        assert_ne!(name_key("Brask"), name_key("Brisk"));
    }

    #[test]
    fn sentence_initial_short_words_are_dropped() {
        let keys: Vec<String> = tokens("The mayor met Brask. He left. Brask stayed in 2021.")
            .into_iter()
            .map(|t| t.key)
            .collect();
        assert_eq!(keys, ["w:mayor", "n:brask", "w:left", "n:brask", "w:stayed"]);
    }
}
