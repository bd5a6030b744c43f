//! Observation features of the tagger: the same code at training and at run time.
//!
//! Every feature is a string template hashed to a `u32` (collisions among the few
//! hundred thousand kept features are rare and harmless). A document is a list
//! of sentences of words; features look at a token, its neighbours within two
//! places, its shape and affixes, and at document-wide facts about its word
//! (whether the word also appears lowercase, or capitalised mid-sentence,
//! elsewhere in the same document: the strongest cue for sentence-initial and
//! all-caps headline words).

use std::collections::{HashMap, HashSet};

/// Facts about words learnt from the training data and shipped with the weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Lexicon {
    /// Hashes of words seen written in lowercase in the training text.
    pub lower_seen: HashSet<u32>,
    /// Word cluster paths (bit strings, most significant bit first, with their
    /// length in the low five bits) by [`cluster_key`] of the set and the word
    /// as written.
    pub clusters: HashMap<u32, u32>,
    /// Gazetteer categories (bit `c` for [`GAZETTEERS`]`[c]`) by hash of the
    /// lowercased entry, its tokens joined by single spaces.
    pub gazetteer: HashMap<u32, u8>,
}

/// Number of word-cluster sets the features read (each from its own source;
/// a second set, clusters of the news text in `../shared`, was tried and did
/// not help).
pub(crate) const CLUSTER_SETS: usize = 1;

/// The gazetteer categories, in bit order (file names of the training input).
pub(crate) const GAZETTEERS: [&str; 5] = ["country", "city", "region", "first", "last"];

/// Longest gazetteer entry, in tokens.
pub(crate) const GAZETTEER_MAX_TOKENS: usize = 4;

/// The features of one sentence: `feats[offsets[i]..offsets[i + 1]]` are token `i`'s.
#[derive(Debug, Clone, Default)]
pub(crate) struct SentenceFeatures {
    pub feats: Vec<u32>,
    pub offsets: Vec<u32>,
}

impl SentenceFeatures {
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn token(&self, i: usize) -> &[u32] {
        &self.feats[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Incremental FNV-1a over the parts of one feature, finished by a mixer.
struct Hasher(u64);

impl Hasher {
    fn new(template: u8) -> Hasher {
        let mut h = Hasher(FNV_OFFSET);
        h.byte(template);
        h
    }

    fn byte(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(FNV_PRIME);
    }

    fn str(mut self, s: &str) -> Hasher {
        for &b in s.as_bytes() {
            self.byte(b);
        }
        self.byte(0xff);
        self
    }

    fn num(mut self, n: u32) -> Hasher {
        for b in n.to_le_bytes() {
            self.byte(b);
        }
        self
    }

    fn finish(self) -> u32 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 32) as u32
    }
}

/// The hash of a word, as used by the lexicon.
pub(crate) fn word_hash(word: &str) -> u32 {
    Hasher::new(b'W').str(word).finish()
}

/// Maps typographic variants to the ASCII forms of the training data: curly
/// quotes to straight ones, dashes to hyphens, the ellipsis to three periods.
pub(crate) fn normalize(word: &str) -> String {
    let mut res = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{AB}' | '\u{BB}' | '\u{201F}' => {
                res.push('"')
            }
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{02BC}' | '\u{2039}' | '\u{203A}' | '`' => {
                res.push('\'')
            }
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
                res.push('-')
            }
            '\u{2026}' => res.push_str("..."),
            _ => res.push(c),
        }
    }
    if res == "''" || res == "\"\"" {
        res = "\"".to_string();
    }
    res
}

/// Word shape: letters to `X`/`x`, digits to `d`, other characters kept;
/// runs longer than `cap` are cut to `cap`.
fn shape(word: &str, cap: usize) -> String {
    let mut res = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if s == last {
            run += 1;
        } else {
            run = 1;
            last = s;
        }
        if run <= cap {
            res.push(s);
        }
    }
    res
}

/// How a word is capitalised.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    Initial,
    AllCaps,
    Mixed,
    None,
}

fn case_of(word: &str) -> Case {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else { return Case::None };
    let rest: Vec<char> = letters.collect();
    if first.is_lowercase() && rest.iter().all(|c| c.is_lowercase()) {
        Case::Lower
    } else if first.is_uppercase() && rest.iter().all(|c| c.is_lowercase()) {
        Case::Initial
    } else if first.is_uppercase() && rest.iter().all(|c| c.is_uppercase()) {
        Case::AllCaps
    } else {
        Case::Mixed
    }
}

struct Word {
    norm: String,
    lower: String,
    shape: String,
    short: String,
    case: Case,
}

/// Document-wide facts about lowercased words.
#[derive(Default, Clone, Copy)]
struct DocFacts {
    /// Written lowercase somewhere in the document.
    lower: bool,
    /// Written capitalised (initial capital) away from a sentence start.
    capitalised_inside: bool,
    /// Written with an initial capital anywhere (so an all-caps form has a
    /// mixed-case sibling).
    initial: bool,
}

const BOS: &str = "<s>";
const EOS: &str = "</s>";

/// Computes the features of every sentence of one document.
pub(crate) fn document_features(doc: &[Vec<&str>], lexicon: &Lexicon) -> Vec<SentenceFeatures> {
    let words: Vec<Vec<Word>> = doc
        .iter()
        .map(|sentence| {
            sentence
                .iter()
                .map(|w| {
                    let norm = normalize(w);
                    let lower = norm.to_lowercase();
                    Word {
                        shape: shape(&norm, 4),
                        short: shape(&norm, 1),
                        case: case_of(&norm),
                        lower,
                        norm,
                    }
                })
                .collect()
        })
        .collect();
    let mut facts: HashMap<&str, DocFacts> = HashMap::new();
    for sentence in &words {
        for (i, word) in sentence.iter().enumerate() {
            let f = facts.entry(word.lower.as_str()).or_default();
            match word.case {
                Case::Lower => f.lower = true,
                Case::Initial => {
                    f.initial = true;
                    if i > 0 {
                        f.capitalised_inside = true;
                    }
                }
                _ => {}
            }
        }
    }
    words.iter().map(|sentence| sentence_features(sentence, &facts, lexicon)).collect()
}

fn sentence_features(
    sentence: &[Word],
    facts: &HashMap<&str, DocFacts>,
    lexicon: &Lexicon,
) -> SentenceFeatures {
    let n = sentence.len();
    let mut res = SentenceFeatures { feats: Vec::with_capacity(n * 48), offsets: vec![0] };
    let headline = sentence.iter().filter(|w| w.case != Case::None).all(|w| w.case != Case::Lower)
        && sentence.iter().any(|w| w.case == Case::AllCaps);
    let lower_at = |j: isize| -> &str {
        if j < 0 {
            BOS
        } else if j as usize >= n {
            EOS
        } else {
            &sentence[j as usize].lower
        }
    };
    let short_at = |j: isize| -> &str {
        if j < 0 {
            BOS
        } else if j as usize >= n {
            EOS
        } else {
            &sentence[j as usize].short
        }
    };
    let shape_at = |j: isize| -> &str {
        if j < 0 {
            BOS
        } else if j as usize >= n {
            EOS
        } else {
            &sentence[j as usize].shape
        }
    };
    // Each token's path in each cluster set, looked up once.
    let paths: Vec<[Option<u32>; CLUSTER_SETS]> = sentence
        .iter()
        .map(|w| std::array::from_fn(|set| cluster_path(w, set as u32, lexicon)))
        .collect();
    let cluster_of = |set: u32, k: usize| paths[k][set as usize];
    let gazetteer = gazetteer_parts(sentence, lexicon);
    let runs = if headline { vec![None; n] } else { capitalised_runs(sentence) };
    for (i, word) in sentence.iter().enumerate() {
        let f = &mut res.feats;
        let j = i as isize;
        f.push(Hasher::new(0).finish());
        f.push(Hasher::new(1).str(&word.norm).finish());
        f.push(Hasher::new(2).str(&word.lower).finish());
        f.push(Hasher::new(3).str(lower_at(j - 1)).finish());
        f.push(Hasher::new(4).str(lower_at(j + 1)).finish());
        f.push(Hasher::new(5).str(lower_at(j - 2)).finish());
        f.push(Hasher::new(6).str(lower_at(j + 2)).finish());
        f.push(Hasher::new(7).str(&word.shape).finish());
        f.push(Hasher::new(8).str(short_at(j - 1)).finish());
        f.push(Hasher::new(9).str(short_at(j + 1)).finish());
        f.push(Hasher::new(10).str(shape_at(j - 1)).str(&word.shape).finish());
        f.push(Hasher::new(11).str(&word.shape).str(shape_at(j + 1)).finish());
        f.push(Hasher::new(12).str(short_at(j - 1)).str(&word.short).str(short_at(j + 1)).finish());
        f.push(Hasher::new(13).str(lower_at(j - 1)).str(&word.lower).finish());
        f.push(Hasher::new(14).str(&word.lower).str(lower_at(j + 1)).finish());
        let chars: Vec<char> = word.lower.chars().collect();
        for k in 1..=4.min(chars.len()) {
            let prefix: String = chars[..k].iter().collect();
            let suffix: String = chars[chars.len() - k..].iter().collect();
            f.push(Hasher::new(15).num(k as u32).str(&prefix).finish());
            f.push(Hasher::new(16).num(k as u32).str(&suffix).finish());
        }
        let case = word.case as u32;
        let first = u32::from(i == 0);
        f.push(Hasher::new(17).num(first).str(&word.shape).finish());
        let seen = u32::from(lexicon.lower_seen.contains(&word_hash(&word.lower)));
        f.push(Hasher::new(18).num(seen).num(case).num(first).finish());
        f.push(Hasher::new(19).num(u32::from(headline)).str(&word.short).num(seen).finish());
        let fact = facts.get(word.lower.as_str()).copied().unwrap_or_default();
        let doc_bits = u32::from(fact.lower)
            | u32::from(fact.capitalised_inside) << 1
            | u32::from(fact.initial) << 2;
        f.push(Hasher::new(20).num(doc_bits).num(case).num(first).finish());
        f.push(Hasher::new(21).str(lower_at(j - 1)).str(&word.short).finish());
        f.push(Hasher::new(22).str(&word.short).str(lower_at(j + 1)).finish());
        if word.lower.contains('-') {
            let mut parts = word.lower.split('-').filter(|p| !p.is_empty());
            if let Some(head) = parts.next() {
                f.push(Hasher::new(23).str(head).finish());
            }
            if let Some(tail) = word.lower.rsplit('-').find(|p| !p.is_empty()) {
                f.push(Hasher::new(24).str(tail).finish());
            }
        }
        for set in 0..CLUSTER_SETS as u32 {
            if let Some(path) = cluster_of(set, i) {
                let len = path & 31;
                for depth in [4u32, 8, 12, 16] {
                    if depth <= len {
                        f.push(
                            Hasher::new(25).num(set).num(depth).num(path >> (32 - depth)).finish(),
                        );
                    }
                }
                f.push(Hasher::new(26).num(set).num(path).finish());
                // The cluster as written: "bush" and "Bush", "may" and "May".
                for depth in [8u32, 12] {
                    if depth <= len {
                        f.push(
                            Hasher::new(37)
                                .num(set)
                                .num(depth)
                                .num(path >> (32 - depth))
                                .num(case)
                                .num(first)
                                .finish(),
                        );
                    }
                }
            }
            for (template, k) in [(27u8, j - 1), (28, j + 1)] {
                if k >= 0 && (k as usize) < n {
                    if let Some(path) = cluster_of(set, k as usize) {
                        let depth = 8.min(path & 31);
                        f.push(
                            Hasher::new(template)
                                .num(set)
                                .num(depth)
                                .num(path >> (32 - depth.max(1)))
                                .finish(),
                        );
                    }
                }
            }
        }
        f.push(Hasher::new(29).num(u32::from(headline)).num(case).num(first).num(seen).finish());
        for (c, part) in gazetteer[i].iter().enumerate() {
            if *part != 0 {
                let part = u32::from(*part);
                f.push(Hasher::new(30).num(c as u32).num(part).finish());
                f.push(Hasher::new(31).num(c as u32).num(part).num(case).finish());
            }
        }
        // The run of capitalised words the token is in, by its last word
        // ("... Ministry of Defence", "... United") and first word.
        if let Some((run_start, run_end)) = runs[i] {
            let part = if run_end - run_start == 1 {
                1
            } else if i == run_start {
                2
            } else if i + 1 == run_end {
                4
            } else {
                3
            };
            let len = (run_end - run_start).min(5) as u32;
            f.push(Hasher::new(34).str(&sentence[run_end - 1].lower).num(part).finish());
            f.push(Hasher::new(35).str(&sentence[run_start].lower).num(part).finish());
            f.push(Hasher::new(36).num(len).num(part).finish());
        }
        // Gazetteer matches of the neighbours ("Anika" a given name before).
        for (template, k) in [(32u8, j - 1), (33, j + 1)] {
            if k >= 0 && (k as usize) < n {
                for (c, part) in gazetteer[k as usize].iter().enumerate() {
                    if *part != 0 {
                        f.push(Hasher::new(template).num(c as u32).num(u32::from(*part)).finish());
                    }
                }
            }
        }
        res.offsets.push(res.feats.len() as u32);
    }
    res
}

/// The path of a word in cluster set `set`: of its form as written, else of
/// its lowercase form ("The"), else of its capitalised form (a headline's "JAPAN").
fn cluster_path(word: &Word, set: u32, lexicon: &Lexicon) -> Option<u32> {
    if lexicon.clusters.is_empty() {
        return None;
    }
    let get = |w: &str| lexicon.clusters.get(&cluster_key(set, w)).copied();
    get(&word.norm).or_else(|| get(&word.lower)).or_else(|| {
        let mut chars = word.lower.chars();
        let first = chars.next()?;
        let title: String = first.to_uppercase().chain(chars).collect();
        get(&title)
    })
}

/// The lexicon key of a word in cluster set `set`.
pub(crate) fn cluster_key(set: u32, word: &str) -> u32 {
    Hasher::new(b'C').num(set).str(word).finish()
}

/// The second layer's features: each token's first-layer features plus what the
/// first layer said about this token and its neighbours, and about the same
/// word elsewhere in the document (the labels of its other capitalised
/// occurrences: "Blackburn" alone after "Peter Blackburn", a headline's
/// "JAPAN" after the body's "Japan").
pub(crate) fn stage2_features(
    doc: &[Vec<&str>],
    base: &[SentenceFeatures],
    labels: &[Vec<usize>],
) -> Vec<SentenceFeatures> {
    use super::model::{part_of, N_LABELS};
    let lower: Vec<Vec<String>> =
        doc.iter().map(|s| s.iter().map(|w| normalize(w).to_lowercase()).collect()).collect();
    let capitalised = |s: usize, i: usize| {
        let word = doc[s][i];
        word.chars().any(char::is_alphabetic) && !matches!(case_of(word), Case::Lower)
    };
    // Label counts of each capitalised word over the document.
    let mut seen: HashMap<&str, [u32; N_LABELS]> = HashMap::new();
    for (s, sentence) in lower.iter().enumerate() {
        for (i, word) in sentence.iter().enumerate() {
            if capitalised(s, i) {
                seen.entry(word.as_str()).or_insert([0; N_LABELS])[labels[s][i]] += 1;
            }
        }
    }
    let mut res = Vec::with_capacity(base.len());
    for (s, sentence) in lower.iter().enumerate() {
        let mut out = SentenceFeatures { feats: Vec::new(), offsets: vec![0] };
        let n = sentence.len();
        for i in 0..n {
            out.feats.extend_from_slice(base[s].token(i));
            let own = labels[s][i] as u32;
            let prev = if i > 0 { labels[s][i - 1] as u32 } else { 99 };
            let next = if i + 1 < n { labels[s][i + 1] as u32 } else { 99 };
            out.feats.push(Hasher::new(40).num(own).finish());
            out.feats.push(Hasher::new(41).num(prev).num(own).finish());
            out.feats.push(Hasher::new(42).num(own).num(next).finish());
            if capitalised(s, i) {
                let mut counts = seen[sentence[i].as_str()];
                counts[labels[s][i]] -= 1;
                let total: u32 = counts.iter().sum();
                if total == 0 {
                    out.feats.push(Hasher::new(43).finish());
                }
                let mut types = [0u32; 5];
                for (l, &c) in counts.iter().enumerate() {
                    if c > 0 {
                        let (_, t) = part_of(l);
                        out.feats.push(Hasher::new(44).num(l as u32).finish());
                        let slot = if l == 0 { 4 } else { t };
                        types[slot] += c;
                    }
                }
                let best = (0..5).max_by_key(|&k| (types[k], 5 - k)).unwrap_or(4);
                if let Some(share) = (types[best] * 4).checked_div(total) {
                    out.feats.push(Hasher::new(45).num(best as u32).num(share).finish());
                    for (k, &c) in types.iter().enumerate() {
                        if c > 0 {
                            out.feats.push(Hasher::new(46).num(k as u32).finish());
                        }
                    }
                }
            }
            out.offsets.push(out.feats.len() as u32);
        }
        res.push(out);
    }
    res
}

/// For each token, the run of capitalised words it belongs to (first token,
/// one past the last). Short function words may join two capitalised words
/// ("Ministry of Defence", "Bank of the West").
fn capitalised_runs(sentence: &[Word]) -> Vec<Option<(usize, usize)>> {
    let n = sentence.len();
    let capital =
        |k: usize| matches!(sentence[k].case, Case::Initial | Case::AllCaps | Case::Mixed);
    let connector = |k: usize| {
        matches!(
            sentence[k].lower.as_str(),
            "of" | "the" | "and" | "for" | "de" | "&" | "al" | "von" | "van" | "bin"
        )
    };
    let mut res = vec![None; n];
    let mut i = 0;
    while i < n {
        if !capital(i) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        loop {
            if end < n && capital(end) {
                end += 1;
                continue;
            }
            // Up to two connectors followed by a capitalised word.
            let mut k = end;
            while k < n && k < end + 2 && connector(k) {
                k += 1;
            }
            if k > end && k < n && capital(k) {
                end = k + 1;
                continue;
            }
            break;
        }
        for slot in &mut res[i..end] {
            *slot = Some((i, end));
        }
        i = end;
    }
    res
}

/// For each token and gazetteer category, where the token sits in the longest
/// entry of that category covering it: 0 none, 1 single, 2 first, 3 inside, 4 last.
fn gazetteer_parts(sentence: &[Word], lexicon: &Lexicon) -> Vec<[u8; GAZETTEERS.len()]> {
    let n = sentence.len();
    let mut res = vec![[0u8; GAZETTEERS.len()]; n];
    if lexicon.gazetteer.is_empty() {
        return res;
    }
    let mut best = vec![[0usize; GAZETTEERS.len()]; n];
    let mut key = String::new();
    for i in 0..n {
        if sentence[i].case == Case::None {
            continue;
        }
        key.clear();
        for len in 1..=GAZETTEER_MAX_TOKENS.min(n - i) {
            if len > 1 {
                key.push(' ');
            }
            key.push_str(&sentence[i + len - 1].lower);
            let Some(&mask) = lexicon.gazetteer.get(&word_hash(&key)) else { continue };
            for c in 0..GAZETTEERS.len() {
                if mask & (1 << c) == 0 {
                    continue;
                }
                for k in i..i + len {
                    if best[k][c] < len {
                        best[k][c] = len;
                        res[k][c] = if len == 1 {
                            1
                        } else if k == i {
                            2
                        } else if k == i + len - 1 {
                            4
                        } else {
                            3
                        };
                    }
                }
            }
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_cases() {
        assert_eq!(shape("Korvan-220", 4), "Xxxxx-ddd");
        assert_eq!(shape("Korvan-220", 1), "Xx-d");
        assert_eq!(shape("S-400", 4), "X-ddd");
        assert!(case_of("NATO") == Case::AllCaps);
        assert!(case_of("Kyiv") == Case::Initial);
        assert!(case_of("iPhone") == Case::Mixed);
        assert_eq!(normalize("“Korvan–220’s”"), "\"Korvan-220's\"");
    }

    #[test]
    fn features_are_deterministic() {
        let lexicon = Lexicon::default();
        let doc = vec![vec!["Anika", "Varga", "met", "Farid", "."]];
        let a = document_features(&doc, &lexicon);
        let b = document_features(&doc, &lexicon);
        assert_eq!(a[0].feats, b[0].feats);
        assert_eq!(a[0].len(), 5);
    }
}
