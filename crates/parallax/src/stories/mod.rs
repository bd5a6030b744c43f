//! Stories and threads: which articles report the same event, and which
//! stories belong to one ongoing topic.
//!
//! Each document becomes a sparse TF-IDF vector over its body words, with
//! names (capitalised words inside sentences, folded by [`name_key`] so that
//! transliteration variants meet) weighted above common words. Candidate pairs
//! come from an inverted index over each document's strongest terms, never
//! from all pairs, so the cost grows with the number of documents times the
//! length of the postings it reads (capped). Pairs above a similarity floor
//! whose dates agree join one story; stories whose centroids are close and
//! whose dates lie within a window join one thread.

mod features;

use chrono::NaiveDate;
use std::collections::BTreeMap;

pub use features::{name_key, tokens, Term};

/// What the story stage needs to know of one document.
#[derive(Debug, Clone)]
pub struct StoryInput<'a> {
    /// The article body.
    pub body: &'a str,
    /// The headline, when known.
    pub title: Option<&'a str>,
    /// The document's own publication day, when it has one.
    pub date: Option<NaiveDate>,
}

/// Settings of the story stage.
#[derive(Debug, Clone, Copy)]
pub struct StoryConfig {
    /// Cosine similarity at or above which two documents report the same story.
    pub story_similarity: f32,
    /// Cosine similarity at or above which an undated document joins every
    /// match, not only its best one.
    pub strong_similarity: f32,
    /// Dated documents further apart than this many days are never one story.
    pub story_days: i64,
    /// Cosine similarity of story centroids at or above which two stories share a thread.
    pub thread_similarity: f32,
    /// Stories further apart than this many days are never one thread.
    pub thread_days: i64,
    /// How many of its strongest terms a document is indexed and looked up by.
    pub terms_per_doc: usize,
    /// Postings longer than this are not read for candidates (the term is too common to block on).
    pub max_postings: usize,
}

impl Default for StoryConfig {
    fn default() -> StoryConfig {
        StoryConfig {
            story_similarity: 0.10,
            strong_similarity: 0.35,
            story_days: 4,
            thread_similarity: 0.07,
            thread_days: 120,
            terms_per_doc: 40,
            max_postings: 2000,
        }
    }
}

/// One story: the indices (into the input slice) of the documents reporting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// Member documents, ascending.
    pub documents: Vec<usize>,
}

/// One thread: stories of one ongoing topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    /// Member stories (indices into the story list), ascending.
    pub stories: Vec<usize>,
    /// The names the stories share most, strongest first.
    pub shared_terms: Vec<String>,
}

/// The outcome of the story stage.
#[derive(Debug, Clone, Default)]
pub struct Clustering {
    /// Stories ordered by their first document.
    pub stories: Vec<Story>,
    /// Threads of two or more stories, ordered by their first story.
    pub threads: Vec<Thread>,
    /// How many document pairs were compared (for measuring sub-quadratic behaviour).
    pub pairs_compared: usize,
}

/// A sparse, L2-normalised vector: (term id, weight), sorted by term id.
type SparseVec = Vec<(u32, f32)>;

/// Groups documents into stories and stories into threads.
pub fn cluster(inputs: &[StoryInput<'_>], config: &StoryConfig) -> Clustering {
    let (vectors, vocabulary) = features::tfidf(inputs);
    let mut pairs_compared = 0;
    let mut union = UnionFind::new(inputs.len());
    let dates: Vec<Option<NaiveDate>> = inputs.iter().map(|input| input.date).collect();
    let index = InvertedIndex::build(&vectors, &dates, config);
    // Best neighbour of each undated document: (similarity, other).
    let mut best: Vec<Option<(f32, usize)>> = vec![None; inputs.len()];
    for (doc_idx, vector) in vectors.iter().enumerate() {
        for other in index.candidates(doc_idx, vector, config, config.story_days) {
            pairs_compared += 1;
            let sim = cosine(vector, &vectors[other]);
            if sim < config.story_similarity {
                continue;
            }
            match (inputs[doc_idx].date, inputs[other].date) {
                // Dated documents join when they are close in time.
                (Some(a), Some(b)) => {
                    if (a - b).num_days().abs() <= config.story_days {
                        union.join(doc_idx, other);
                    }
                }
                // An undated document joins only its single best match, so it
                // can never bridge two stories that the dates keep apart.
                (date_a, date_b) => {
                    if sim >= config.strong_similarity {
                        union.join(doc_idx, other);
                    }
                    for (undated, neighbour, has_date) in
                        [(doc_idx, other, date_a.is_some()), (other, doc_idx, date_b.is_some())]
                    {
                        if !has_date
                            && best[undated]
                                .is_none_or(|(s, n)| sim > s || (sim == s && neighbour < n))
                        {
                            best[undated] = Some((sim, neighbour));
                        }
                    }
                }
            }
        }
    }
    for (doc_idx, neighbour) in best.iter().enumerate() {
        if let Some((_, other)) = neighbour {
            union.join(doc_idx, *other);
        }
    }
    let stories: Vec<Story> =
        union.groups().into_iter().map(|documents| Story { documents }).collect();
    let threads = link_threads(inputs, &vectors, &vocabulary, &stories, config);
    Clustering { stories, threads, pairs_compared }
}

/// Links stories into threads by the similarity of their centroids.
fn link_threads(
    inputs: &[StoryInput<'_>],
    vectors: &[SparseVec],
    vocabulary: &[Term],
    stories: &[Story],
    config: &StoryConfig,
) -> Vec<Thread> {
    let centroids: Vec<SparseVec> = stories
        .iter()
        .map(|s| normalize(sum_vectors(s.documents.iter().map(|&d| &vectors[d]))))
        .collect();
    let dates: Vec<Option<NaiveDate>> =
        stories.iter().map(|s| s.documents.iter().filter_map(|&d| inputs[d].date).min()).collect();
    let index = InvertedIndex::build(&centroids, &dates, config);
    let mut union = UnionFind::new(stories.len());
    for (story_idx, centroid) in centroids.iter().enumerate() {
        for other in index.candidates(story_idx, centroid, config, config.thread_days) {
            let close = match (dates[story_idx], dates[other]) {
                (Some(a), Some(b)) => (a - b).num_days().abs() <= config.thread_days,
                _ => true,
            };
            if close && cosine(centroid, &centroids[other]) >= config.thread_similarity {
                union.join(story_idx, other);
            }
        }
    }
    union
        .groups()
        .into_iter()
        .filter(|g| g.len() > 1)
        .map(|stories_in_thread| {
            let shared_terms = shared_names(&stories_in_thread, &centroids, vocabulary);
            Thread { stories: stories_in_thread, shared_terms }
        })
        .collect()
}

/// The names present in every story of a thread, by their summed weight.
fn shared_names(members: &[usize], centroids: &[SparseVec], vocabulary: &[Term]) -> Vec<String> {
    let mut weight: BTreeMap<u32, (usize, f32)> = BTreeMap::new();
    for &story_idx in members {
        for &(term, w) in &centroids[story_idx] {
            let entry = weight.entry(term).or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += w;
        }
    }
    let mut shared: Vec<(u32, f32)> = weight
        .into_iter()
        .filter(|&(term, (count, _))| count == members.len() && vocabulary[term as usize].is_name)
        .map(|(term, (_, w))| (term, w))
        .collect();
    shared.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    shared.into_iter().take(6).map(|(term, _)| vocabulary[term as usize].display.clone()).collect()
}

/// Term id → documents holding it among their strongest terms.
///
/// Each posting is kept twice: all its documents by index (its length decides
/// whether it is read at all), and its dated documents by (date, index), so
/// that a dated document reads only the dated documents within its window
/// (pairs further apart in time are never joined, so skipping them changes
/// nothing) plus the undated ones: the work follows the documents per day,
/// not the size of the corpus.
struct InvertedIndex {
    postings: BTreeMap<u32, Posting>,
    dates: Vec<Option<NaiveDate>>,
}

#[derive(Default)]
struct Posting {
    /// Every document, ascending.
    all: Vec<usize>,
    /// Dated documents by (date, index).
    dated: Vec<(NaiveDate, usize)>,
    /// Undated documents, ascending.
    undated: Vec<usize>,
}

impl InvertedIndex {
    fn build(
        vectors: &[SparseVec],
        dates: &[Option<NaiveDate>],
        config: &StoryConfig,
    ) -> InvertedIndex {
        let mut postings: BTreeMap<u32, Posting> = BTreeMap::new();
        for (doc_idx, vector) in vectors.iter().enumerate() {
            for term in strongest_terms(vector, config.terms_per_doc) {
                let posting = postings.entry(term).or_default();
                posting.all.push(doc_idx);
                match dates[doc_idx] {
                    Some(date) => posting.dated.push((date, doc_idx)),
                    None => posting.undated.push(doc_idx),
                }
            }
        }
        for posting in postings.values_mut() {
            posting.dated.sort_unstable();
        }
        InvertedIndex { postings, dates: dates.to_vec() }
    }

    /// Documents after `doc_idx` sharing one of its strongest terms and, when
    /// both are dated, at most `days` apart.
    fn candidates(
        &self,
        doc_idx: usize,
        vector: &SparseVec,
        config: &StoryConfig,
        days: i64,
    ) -> Vec<usize> {
        let mut found = Vec::new();
        for term in strongest_terms(vector, config.terms_per_doc) {
            let Some(posting) = self.postings.get(&term) else { continue };
            if posting.all.len() > config.max_postings {
                continue;
            }
            match self.dates[doc_idx] {
                None => found.extend(posting.all.iter().copied().filter(|&d| d > doc_idx)),
                Some(date) => {
                    let (from, to) =
                        (date - chrono::Duration::days(days), date + chrono::Duration::days(days));
                    let first = posting.dated.partition_point(|&(d, _)| d < from);
                    let window = posting.dated[first..].iter().take_while(|&&(d, _)| d <= to);
                    found.extend(window.map(|&(_, d)| d).filter(|&d| d > doc_idx));
                    found.extend(posting.undated.iter().copied().filter(|&d| d > doc_idx));
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

fn strongest_terms(vector: &SparseVec, k: usize) -> Vec<u32> {
    let mut by_weight: Vec<(u32, f32)> = vector.clone();
    by_weight.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    by_weight.into_iter().take(k).map(|(t, _)| t).collect()
}

fn cosine(a: &SparseVec, b: &SparseVec) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

fn sum_vectors<'a>(vectors: impl Iterator<Item = &'a SparseVec>) -> SparseVec {
    let mut sum: BTreeMap<u32, f32> = BTreeMap::new();
    for vector in vectors {
        for &(term, w) in vector {
            *sum.entry(term).or_insert(0.0) += w;
        }
    }
    sum.into_iter().collect()
}

pub(crate) fn normalize(mut vector: SparseVec) -> SparseVec {
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut vector {
            *w /= norm;
        }
    }
    vector
}

/// Disjoint sets over `0..n`, joined by index.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n).collect() }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller root wins, so groups are labelled by their first member.
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }

    /// The groups, each ascending, ordered by their first member.
    fn groups(&mut self) -> Vec<Vec<usize>> {
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for x in 0..self.parent.len() {
            let root = self.find(x);
            by_root.entry(root).or_default().push(x);
        }
        by_root.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(body: &'a str, date: Option<&str>) -> StoryInput<'a> {
        StoryInput { body, title: None, date: date.map(|d| d.parse().unwrap()) }
    }

    #[test]
    fn same_event_joins_and_other_topic_stays_apart() {
        let inputs = [
            input("Mayor Ilona Brask opened the Kettle Bridge in Portvale on Monday. Brask said the Kettle Bridge cost less than planned.", Some("2021-05-03")),
            input("Portvale's Kettle Bridge was opened by Mayor Brask, who said it came in under budget. The Kettle Bridge spans the river.", None),
            input("The Orrin Lions beat the Tesk Rovers three to one in the cup final at Dunmore stadium.", Some("2021-05-03")),
        ];
        let clustering = cluster(&inputs, &StoryConfig::default());
        let groups: Vec<_> = clustering.stories.iter().map(|s| s.documents.clone()).collect();
        assert_eq!(groups, vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn dates_far_apart_split_a_story_but_can_share_a_thread() {
        let a = "Mayor Ilona Brask of Portvale met the Kettle Bridge builders. Brask praised the Kettle Bridge crews.";
        let b = "Mayor Ilona Brask of Portvale met the Kettle Bridge builders again. Brask thanked the Kettle Bridge crews.";
        let inputs = [input(a, Some("2021-05-03")), input(b, Some("2021-06-10"))];
        let clustering = cluster(&inputs, &StoryConfig::default());
        assert_eq!(clustering.stories.len(), 2);
        assert_eq!(clustering.threads.len(), 1);
        assert!(clustering.threads[0].shared_terms.iter().any(|t| t == "Brask"));
    }

    #[test]
    fn union_find_groups_are_ordered() {
        let mut union = UnionFind::new(5);
        union.join(4, 1);
        union.join(3, 0);
        assert_eq!(union.groups(), vec![vec![0, 3], vec![1, 4], vec![2]]);
    }
}
