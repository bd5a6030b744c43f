//! Finding renderings of one statement in different documents: the
//! similarity of two short texts, and grouping that keeps one rendering per
//! document.
//!
//! Similarity is meaning when a sentence model is given ([`Meaning::Model`]:
//! the cosine of MiniLM embeddings, the best over the two texts' sentences,
//! so that a quoted fragment meets the sentence of a longer quotation it
//! belongs to) and shared words otherwise ([`Meaning::Words`]). Callers
//! block candidates first (same story, same speaker), so only few pairs are
//! ever compared, and embed everything they compare in one batched call.

use crate::embed::{cosine, Embedder};

/// How texts are compared.
#[derive(Debug, Clone, Copy)]
pub enum Meaning<'a> {
    /// Sentence embeddings.
    Model(&'a Embedder),
    /// Shared content words (no model).
    Words,
}

/// Similarity of texts, each given as one or more pieces (its sentences).
#[derive(Debug)]
pub struct Similarity {
    /// Per text, one vector per piece (empty without a model).
    vectors: Vec<Vec<Vec<f32>>>,
    /// Per text, its content words (with or without a model).
    words: Vec<std::collections::BTreeSet<String>>,
}

impl Similarity {
    /// Prepares `texts` for comparison: their content words, and when
    /// `meaning` has a model the embeddings of their `pieces` (each text's
    /// sentences, or the sentence around a fragment), all in one call.
    pub fn new(texts: &[&str], pieces: &[Vec<&str>], meaning: Meaning<'_>) -> Similarity {
        debug_assert_eq!(texts.len(), pieces.len());
        let texts_words = texts.iter().map(|text| content_words(text)).collect();
        let texts = pieces;
        let vectors = match meaning {
            Meaning::Words => Vec::new(),
            Meaning::Model(embedder) => {
                let flat: Vec<&str> = texts.iter().flatten().copied().collect();
                let mut all = embedder.embed(&flat).into_iter();
                texts.iter().map(|pieces| all.by_ref().take(pieces.len()).collect()).collect()
            }
        };
        Similarity { vectors, words: texts_words }
    }

    /// How close texts `a` and `b` are: the best cosine of their pieces with a
    /// model, else the share of the smaller text's content words the other has.
    pub fn of(&self, a: usize, b: usize) -> f32 {
        if let (Some(va), Some(vb)) = (self.vectors.get(a), self.vectors.get(b)) {
            // The mean over a's pieces of each piece's best match in b, and the
            // other way round; the mean of the two directions.
            let directed = |va: &[Vec<f32>], vb: &[Vec<f32>]| {
                va.iter()
                    .map(|x| vb.iter().map(|y| cosine(x, y)).fold(f32::MIN, f32::max))
                    .sum::<f32>()
                    / va.len().max(1) as f32
            };
            return ((directed(va, vb) + directed(vb, va)) / 2.0).max(0.0);
        }
        word_overlap(&self.words[a], &self.words[b])
    }

    /// The share of the smaller text's content words that the other text has.
    pub fn words_shared(&self, a: usize, b: usize) -> f32 {
        word_overlap(&self.words[a], &self.words[b])
    }
}

/// The share of the smaller set found in the other (0 when either is empty).
fn word_overlap(
    a: &std::collections::BTreeSet<String>,
    b: &std::collections::BTreeSet<String>,
) -> f32 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f32 / smaller as f32
}

/// The words of a text that carry content (four letters or more, not a
/// function word), lowercased and cut to their first five letters so that
/// "reached" meets "reaching".
pub fn content_words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .filter(|w| !is_function_word(w))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

/// English function words of four letters or more.
fn is_function_word(lower: &str) -> bool {
    matches!(
        lower,
        "from"
            | "that"
            | "with"
            | "this"
            | "these"
            | "those"
            | "have"
            | "been"
            | "will"
            | "were"
            | "their"
            | "there"
            | "which"
            | "would"
            | "could"
            | "should"
            | "about"
            | "into"
            | "also"
            | "they"
            | "them"
            | "than"
            | "then"
            | "when"
            | "what"
            | "said"
            | "says"
            | "while"
            | "some"
            | "such"
            | "only"
            | "over"
            | "very"
            | "just"
            | "being"
            | "where"
    )
}

/// The sentences of a text (cut after `.`, `!` or `?`, a space and a capital
/// letter or an opening quotation mark),
/// trimmed; the whole text when it has one.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut res = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (at, c) in text.char_indices() {
        let next_starts_sentence = bytes.get(at + 1) == Some(&b' ')
            && text[at + 2..]
                .chars()
                .next()
                .is_some_and(|n| n.is_uppercase() || "\"“‘'«".contains(n));
        if matches!(c, '.' | '!' | '?') && next_starts_sentence {
            res.push(text[start..=at].trim());
            start = at + 1;
        }
    }
    res.push(text[start..].trim());
    res.retain(|s| s.chars().any(char::is_alphanumeric));
    if res.is_empty() {
        res.push(text.trim());
    }
    res
}

/// Groups items whose pairwise similarity reaches a threshold, keeping at
/// most one item per document in a group: the most similar pairs join
/// first, and a pair whose groups hold the same document is skipped.
///
/// `docs[i]` is item i's document; `pairs` are (similarity, a, b) for the
/// candidate pairs that reached the threshold. Returns groups of two or more
/// items, each sorted, in order of their first item.
pub fn one_per_document(docs: &[&str], mut pairs: Vec<(f32, usize, usize)>) -> Vec<Vec<usize>> {
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut group_of: Vec<usize> = (0..docs.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..docs.len()).map(|i| vec![i]).collect();
    for (_, a, b) in pairs {
        let (ga, gb) = (group_of[a], group_of[b]);
        if ga == gb {
            continue;
        }
        let clash = members[ga].iter().any(|&x| members[gb].iter().any(|&y| docs[x] == docs[y]));
        if clash {
            continue;
        }
        let (keep, gone) = (ga.min(gb), ga.max(gb));
        let moved = std::mem::take(&mut members[gone]);
        for &m in &moved {
            group_of[m] = keep;
        }
        members[keep].extend(moved);
    }
    let mut groups: Vec<Vec<usize>> = members.into_iter().filter(|m| m.len() > 1).collect();
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort();
    groups
}

/// Largest block [`average_linkage`] clusters as a whole; a larger one is cut
/// into consecutive parts of this size (items come in document order, so
/// parts stay close in time), keeping the work bounded.
pub const MAX_LINKAGE_BLOCK: usize = 300;

/// Average-linkage clustering of the items of one block: the two clusters
/// whose mean pairwise similarity is highest join while it reaches
/// `threshold`. Unlike joining every similar pair, a chain of loosely related
/// items does not become one cluster. Returns clusters of two or more items
/// (as given in `items`), each sorted, in order of their first item.
pub fn average_linkage(
    items: &[usize],
    sim: impl Fn(usize, usize) -> f32,
    threshold: f32,
) -> Vec<Vec<usize>> {
    let mut res = Vec::new();
    for part in items.chunks(MAX_LINKAGE_BLOCK) {
        let n = part.len();
        let mut matrix = vec![0f32; n * n];
        for a in 0..n {
            for b in a + 1..n {
                let s = sim(part[a], part[b]);
                matrix[a * n + b] = s;
                matrix[b * n + a] = s;
            }
        }
        let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
        loop {
            let mut best: Option<(f32, usize, usize)> = None;
            for x in 0..clusters.len() {
                for y in x + 1..clusters.len() {
                    let total: f32 = clusters[x]
                        .iter()
                        .flat_map(|&a| clusters[y].iter().map(move |&b| (a, b)))
                        .map(|(a, b)| matrix[a * n + b])
                        .sum();
                    let mean = total / (clusters[x].len() * clusters[y].len()) as f32;
                    if mean >= threshold && best.is_none_or(|(m, _, _)| mean > m) {
                        best = Some((mean, x, y));
                    }
                }
            }
            let Some((_, x, y)) = best else { break };
            let moved = clusters.remove(y);
            clusters[x].extend(moved);
        }
        for cluster in clusters.into_iter().filter(|c| c.len() > 1) {
            let mut members: Vec<usize> = cluster.into_iter().map(|i| part[i]).collect();
            members.sort_unstable();
            res.push(members);
        }
    }
    res.sort();
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_after_end_marks() {
        assert_eq!(sentences("We won. They lost! Why?"), ["We won.", "They lost!", "Why?"]);
        assert_eq!(sentences("a fragment"), ["a fragment"]);
        assert_eq!(sentences("No. 5 and U.S. policy"), ["No. 5 and U.S. policy"]);
    }

    #[test]
    fn words_similarity_is_the_share_of_the_smaller_text() {
        let texts = ["harbour talks collapsed today", "the harbour talks"];
        let pieces: Vec<Vec<&str>> = texts.iter().map(|t| vec![*t]).collect();
        let sim = Similarity::new(&texts, &pieces, Meaning::Words);
        assert!((sim.of(0, 1) - 1.0).abs() < 1e-6);
        assert_eq!(sim.of(0, 0), 1.0);
        assert_eq!(content_words("They reached it from there"), content_words("reaching"));
    }

    #[test]
    fn average_linkage_does_not_chain() {
        // 0-1 and 1-2 are close, 0-2 far: single linkage would chain all three.
        let sim = |a: usize, b: usize| match (a.min(b), a.max(b)) {
            (0, 1) => 0.9,
            (1, 2) => 0.7,
            (0, 2) => 0.1,
            _ => 0.0,
        };
        assert_eq!(average_linkage(&[0, 1, 2, 3], sim, 0.6), [vec![0, 1]]);
        assert_eq!(average_linkage(&[0, 1, 2], sim, 0.3), [vec![0, 1, 2]]);
    }

    #[test]
    fn groups_keep_one_item_per_document() {
        let docs = ["d1", "d2", "d1", "d3"];
        let groups = one_per_document(&docs, vec![(0.9, 0, 1), (0.8, 1, 2), (0.7, 2, 3)]);
        // 2 cannot join {0, 1}: d1 is there already.
        assert_eq!(groups, [vec![0, 1], vec![2, 3]]);
        assert!(one_per_document(&docs, Vec::new()).is_empty());
    }
}
