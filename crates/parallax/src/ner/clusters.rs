//! Word clusters for the tagger's cluster features, made from word vectors.
//!
//! Training time only. [`vector_clusters`] reads word vectors (GloVe's text
//! format: `word v1 … vN`, one word a line), centres them and scales them to
//! unit length, then splits them in two again and again by spherical 2-means
//! (bisecting k-means), so each word gets a bit path from the root of a
//! binary tree, as Brown clusters have: prefixes of the path name coarser
//! clusters ("kohl", "yeltsin" and "chirac" share a long prefix; "bonn" and
//! "ankara" another), and the tagger uses prefixes of several lengths.
//! Everything is deterministic (a fixed seed, fixed orders).
//!
//! [`write_paths`] and [`read_paths`] use the text format of Brown-clustering
//! tools (`bits<TAB>word<TAB>count`, one word a line), so clusters made
//! elsewhere can be used too.

/// Settings of [`vector_clusters`].
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Deepest split (at most 27 bits of path).
    pub depth: u32,
    /// A cluster with fewer words is not split further.
    pub min_leaf: usize,
    /// Iterations of 2-means at each split.
    pub iterations: usize,
    /// Seed of the initial centroids.
    pub seed: u64,
}

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig { depth: 16, min_leaf: 8, iterations: 10, seed: 0xc105_7e45 }
    }
}

/// One clustered word: its bit path (`bits[0]` is the first split) and count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPath {
    /// The word as written.
    pub word: String,
    /// `'0'`/`'1'` characters from the root.
    pub bits: String,
    /// Times the word was seen, or another measure of its frequency.
    pub count: u32,
}

/// Clusters words given as vectors (`word v1 v2 …` lines, most frequent word
/// first, as GloVe files are): vectors are centred and scaled to unit length,
/// then split in two again and again. The count of each word is its rank
/// from the end (a frequency stand-in). Lines that do not parse are skipped.
pub fn vector_clusters(text: &str, config: &ClusterConfig) -> Vec<WordPath> {
    let mut words = Vec::new();
    let mut vectors: Vec<Vec<f32>> = Vec::new();
    for line in text.lines() {
        let mut cols = line.split(' ');
        let Some(word) = cols.next().filter(|w| !w.is_empty()) else { continue };
        let Ok(vector) = cols.map(str::parse::<f32>).collect::<Result<Vec<f32>, _>>() else {
            continue;
        };
        if vector.is_empty() || vectors.first().is_some_and(|v| v.len() != vector.len()) {
            continue;
        }
        words.push(word.to_string());
        vectors.push(vector);
    }
    let Some(dims) = vectors.first().map(Vec::len) else { return Vec::new() };
    let mut mean = vec![0f64; dims];
    for v in &vectors {
        for (m, &x) in mean.iter_mut().zip(v) {
            *m += f64::from(x);
        }
    }
    mean.iter_mut().for_each(|m| *m /= vectors.len() as f64);
    let rows: Vec<Vec<(u32, f32)>> = vectors
        .iter()
        .map(|v| {
            let centred: Vec<f32> = v.iter().zip(&mean).map(|(&x, &m)| x - m as f32).collect();
            let norm = centred.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            centred.iter().enumerate().map(|(d, &x)| (d as u32, x / norm)).collect()
        })
        .collect();
    let mut paths = vec![String::new(); words.len()];
    let mut seed = config.seed | 1;
    bisect(&rows, dims, (0..words.len()).collect(), config, &mut paths, &mut seed);
    let n = words.len();
    words
        .into_iter()
        .zip(paths)
        .enumerate()
        .filter(|(_, (_, bits))| !bits.is_empty())
        .map(|(rank, (word, bits))| WordPath { word, bits, count: (n - rank) as u32 })
        .collect()
}

fn next_random(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn dot(row: &[(u32, f32)], centroid: &[f32]) -> f32 {
    row.iter().map(|&(c, x)| x * centroid[c as usize]).sum()
}

/// Splits `members` in two with spherical 2-means and recurses, appending a
/// bit to each member's path at every level. Work is iterative (a stack), so
/// deep trees cannot overflow the call stack.
fn bisect(
    rows: &[Vec<(u32, f32)>],
    n_dims: usize,
    members: Vec<usize>,
    config: &ClusterConfig,
    paths: &mut [String],
    seed: &mut u64,
) {
    use rayon::prelude::*;
    let mut stack = vec![(members, 0u32)];
    while let Some((members, depth)) = stack.pop() {
        if depth >= config.depth.min(27) || members.len() < 2 * config.min_leaf {
            continue;
        }
        // Initial centroids: a random member among the more frequent half and
        // the member least like it (members are in order of frequency).
        let head = members.len().div_ceil(2);
        let first = members[(next_random(seed) % head as u64) as usize];
        let mut centroids = [vec![0f32; n_dims], vec![0f32; n_dims]];
        for &(c, x) in &rows[first] {
            centroids[0][c as usize] = x;
        }
        let second = members[..head]
            .iter()
            .copied()
            .filter(|&m| m != first)
            .min_by(|&a, &b| {
                dot(&rows[a], &centroids[0])
                    .total_cmp(&dot(&rows[b], &centroids[0]))
                    .then(a.cmp(&b))
            })
            .unwrap_or(first);
        for &(c, x) in &rows[second] {
            centroids[1][c as usize] = x;
        }
        let mut side = vec![false; members.len()];
        for _ in 0..config.iterations {
            let new_side: Vec<bool> = members
                .par_iter()
                .map(|&m| dot(&rows[m], &centroids[1]) > dot(&rows[m], &centroids[0]))
                .collect();
            let changed = new_side != side;
            side = new_side;
            let mut sums = [vec![0f32; n_dims], vec![0f32; n_dims]];
            for (&m, &s) in members.iter().zip(&side) {
                let sum = &mut sums[usize::from(s)];
                for &(c, x) in &rows[m] {
                    sum[c as usize] += x;
                }
            }
            for (centroid, sum) in centroids.iter_mut().zip(sums) {
                let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
                if norm > 0.0 {
                    *centroid = sum.iter().map(|x| x / norm).collect();
                }
            }
            if !changed {
                break;
            }
        }
        let ones: Vec<usize> =
            members.iter().zip(&side).filter(|(_, &s)| s).map(|(&m, _)| m).collect();
        let zeros: Vec<usize> =
            members.iter().zip(&side).filter(|(_, &s)| !s).map(|(&m, _)| m).collect();
        if ones.is_empty() || zeros.is_empty() {
            continue;
        }
        for &m in &zeros {
            paths[m].push('0');
        }
        for &m in &ones {
            paths[m].push('1');
        }
        stack.push((ones, depth + 1));
        stack.push((zeros, depth + 1));
    }
}

/// Writes clusters as `bits<TAB>word<TAB>count` lines.
pub fn write_paths(paths: &[WordPath]) -> String {
    let mut out = String::new();
    for p in paths {
        out.push_str(&p.bits);
        out.push('\t');
        out.push_str(&p.word);
        out.push('\t');
        out.push_str(&p.count.to_string());
        out.push('\n');
    }
    out
}

/// Reads `bits<TAB>word[<TAB>count]` lines (bad lines are skipped).
pub fn read_paths(text: &str) -> Vec<WordPath> {
    text.lines()
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let bits = cols.next()?.trim();
            let word = cols.next()?.trim();
            let count = cols.next().and_then(|c| c.trim().parse().ok()).unwrap_or(0);
            let valid = !bits.is_empty() && bits.bytes().all(|b| b == b'0' || b == b'1');
            (valid && !word.is_empty()).then(|| WordPath {
                word: word.to_string(),
                bits: bits.to_string(),
                count,
            })
        })
        .collect()
}

/// A bit path as the lexicon stores it: the bits from the most significant
/// end (at most 27), the length in the low five bits.
pub(crate) fn packed_path(bits: &str) -> u32 {
    let len = bits.len().min(27) as u32;
    let mut value = 0u32;
    for (k, b) in bits.bytes().take(27).enumerate() {
        if b == b'1' {
            value |= 1 << (31 - k);
        }
    }
    value | len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_vectors_share_a_cluster() {
        // Two groups of words around two directions, with a little spread.
        let mut text = String::new();
        for k in 0..40 {
            let x = k as f32 / 100.0;
            text += &format!("person{k} 1.0 {x} 0.1 0.0\n");
            text += &format!("place{k} 0.0 0.1 {x} 1.0\n");
        }
        text += "broken 1.0 x\n";
        let config = ClusterConfig { min_leaf: 4, depth: 6, ..ClusterConfig::default() };
        let paths = vector_clusters(&text, &config);
        assert_eq!(paths.len(), 80, "the line that does not parse is skipped");
        let first_bit = |w: &str| paths.iter().find(|p| p.word == w).unwrap().bits[..1].to_string();
        for k in 1..40 {
            assert_eq!(first_bit(&format!("person{k}")), first_bit("person0"));
            assert_eq!(first_bit(&format!("place{k}")), first_bit("place0"));
        }
        assert_ne!(first_bit("person0"), first_bit("place0"));
        assert!(paths.iter().all(|p| p.bits.len() <= 6));
        // Same input, same clusters.
        assert_eq!(vector_clusters(&text, &config), paths);
    }

    #[test]
    fn path_files_round_trip() {
        let paths = vec![
            WordPath { word: "Kestrel".into(), bits: "0110".into(), count: 12 },
            WordPath { word: "said".into(), bits: "1".into(), count: 99 },
        ];
        assert_eq!(read_paths(&write_paths(&paths)), paths);
        assert!(read_paths("01x\tword\t3\n\t\t\n").is_empty());
        assert_eq!(packed_path("101"), 0b101 << 29 | 3);
    }
}
