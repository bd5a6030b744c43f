//! A static sentence embedder distilled from the same MiniLM model: one
//! vector per vocabulary token, a sentence is the normalised sum of its
//! tokens' vectors (the Model2Vec recipe: Tulkens and van Dongen, 2024).
//!
//! Distillation runs every token of the vocabulary through the model alone
//! (`[CLS] token [SEP]`, mean-pooled as [`Embedder`] pools a sentence),
//! centres the table (the shared `[CLS]`/`[SEP]` direction would otherwise
//! make every pair look alike; centring is the first step of Model2Vec's PCA,
//! and the rotation that follows it does not change cosines), and weights
//! each row by Model2Vec's Zipf/SIF factor `a / (a + p(rank))` with the
//! vocabulary order as the rank, so frequent pieces count less.
//! It costs one pass over the vocabulary (about a minute here) and is cached
//! beside the model files ([`StaticEmbedder::load_or_distill`]).
//!
//! Embedding is then a table look-up per token: thousands of times faster
//! than the transformer, with some loss of quality that the pipeline bench
//! measures (`parallax bench pipeline`).

use super::{EmbedError, Embedder, Result, DIM};
use rayon::prelude::*;
use std::io::Write as _;
use std::path::Path;
use tokenizers::Tokenizer;

/// Name of the cached table in the model folder.
pub const STATIC_FILE: &str = "static-token-vectors-v1.bin";

/// Model2Vec's SIF coefficient `a` of the weight `a / (a + p(rank))`.
const SIF_COEFFICIENT: f32 = 1e-4;

/// Vocabulary tokens run through the model together while distilling.
const DISTILL_BATCH: usize = 256;

/// First bytes of the cache file.
const MAGIC: &[u8; 8] = b"PXSTAT01";

/// Static token vectors distilled from the sentence model.
#[derive(Clone)]
pub struct StaticEmbedder {
    tokenizer: Tokenizer,
    /// Row-major, `n_tokens × DIM`.
    vectors: Vec<f32>,
    n_tokens: usize,
}

impl std::fmt::Debug for StaticEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticEmbedder")
            .field("n_tokens", &self.n_tokens)
            .field("dim", &DIM)
            .finish_non_exhaustive()
    }
}

impl StaticEmbedder {
    /// Distils the table from `embedder` (one model pass over the vocabulary).
    pub fn distill(embedder: &Embedder) -> Result<StaticEmbedder> {
        let tokenizer = embedder.tokenizer().clone();
        let n_tokens = tokenizer.get_vocab_size(true);
        let special = |name: &str| {
            tokenizer
                .token_to_id(name)
                .ok_or_else(|| EmbedError::Inference(format!("the tokenizer has no {name} token")))
        };
        let (cls, sep) = (special("[CLS]")?, special("[SEP]")?);
        let sequences: Vec<[u32; 3]> = (0..n_tokens as u32).map(|id| [cls, id, sep]).collect();
        let mut vectors = Vec::with_capacity(n_tokens * DIM);
        for chunk in sequences.chunks(DISTILL_BATCH) {
            let batch: Vec<&[u32]> = chunk.iter().map(|ids| &ids[..]).collect();
            for vector in embedder.embed_ids(&batch)? {
                vectors.extend(vector);
            }
        }
        centre_and_weight(&mut vectors, n_tokens);
        Ok(StaticEmbedder { tokenizer, vectors, n_tokens })
    }

    /// The table cached in `dir` (the model folder) when it is there and
    /// matches the tokenizer, else distilled from `embedder` and cached
    /// (written atomically; a failed write only loses the cache).
    pub fn load_or_distill(embedder: &Embedder, dir: &Path) -> Result<StaticEmbedder> {
        let path = dir.join(STATIC_FILE);
        let n_tokens = embedder.tokenizer().get_vocab_size(true);
        if let Ok(bytes) = std::fs::read(&path) {
            if let Some(vectors) = decode(&bytes, n_tokens) {
                return Ok(StaticEmbedder {
                    tokenizer: embedder.tokenizer().clone(),
                    vectors,
                    n_tokens,
                });
            }
        }
        let res = StaticEmbedder::distill(embedder)?;
        let _ = res.save(&path);
        Ok(res)
    }

    fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        let mut bytes = Vec::with_capacity(16 + self.vectors.len() * 4);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(self.n_tokens as u32).to_le_bytes());
        bytes.extend_from_slice(&(DIM as u32).to_le_bytes());
        for x in &self.vectors {
            bytes.extend_from_slice(&x.to_le_bytes());
        }
        file.write_all(&bytes)?;
        file.as_file().sync_all()?;
        file.persist(path).map_err(|err| err.error)?;
        Ok(())
    }

    /// One [`DIM`]-long, L2-normalised vector per sentence, in input order
    /// (all zeros for a sentence without tokens). Sentences are independent:
    /// a sentence's vector never depends on the others in the call.
    pub fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        sentences.par_iter().map(|sentence| self.embed_one(sentence)).collect()
    }

    fn embed_one(&self, sentence: &str) -> Vec<f32> {
        let mut sum = vec![0f32; DIM];
        let Ok(encoding) = self.tokenizer.encode(sentence, false) else { return sum };
        for &id in encoding.get_ids() {
            let id = id as usize;
            if id < self.n_tokens {
                for (s, x) in sum.iter_mut().zip(&self.vectors[id * DIM..(id + 1) * DIM]) {
                    *s += x;
                }
            }
        }
        let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            for s in &mut sum {
                *s /= norm;
            }
        }
        sum
    }
}

/// Subtracts the mean row, then scales row `rank` by Model2Vec's
/// `a / (a + p)`, `p` the Zipf probability of the rank.
fn centre_and_weight(vectors: &mut [f32], n_tokens: usize) {
    let mut mean = vec![0f64; DIM];
    for row in vectors.chunks(DIM) {
        for (m, x) in mean.iter_mut().zip(row) {
            *m += f64::from(*x);
        }
    }
    let harmonic: f64 = (0..n_tokens).map(|rank| 1.0 / (rank as f64 + 2.0)).sum();
    for (rank, row) in vectors.chunks_mut(DIM).enumerate() {
        let p = 1.0 / (rank as f64 + 2.0) / harmonic;
        let weight = f64::from(SIF_COEFFICIENT) / (f64::from(SIF_COEFFICIENT) + p);
        for (x, m) in row.iter_mut().zip(&mean) {
            *x = ((f64::from(*x) - m / n_tokens as f64) * weight) as f32;
        }
    }
}

fn decode(bytes: &[u8], n_tokens: usize) -> Option<Vec<f32>> {
    let header = bytes.get(..16)?;
    let read_u32 = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().expect("4 bytes"));
    if &header[..8] != MAGIC || read_u32(8) as usize != n_tokens || read_u32(12) as usize != DIM {
        return None;
    }
    let body = &bytes[16..];
    if body.len() != n_tokens * DIM * 4 {
        return None;
    }
    Some(body.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes"))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::cosine;

    #[test]
    fn centring_removes_the_shared_direction_and_weights_frequent_tokens_down() {
        // Three tokens sharing a large common component.
        let mut vectors = vec![0f32; 3 * DIM];
        for (row, own) in vectors.chunks_mut(DIM).zip([1usize, 2, 3]) {
            row[0] = 10.0;
            row[own] = 1.0;
        }
        centre_and_weight(&mut vectors, 3);
        let rows: Vec<&[f32]> = vectors.chunks(DIM).collect();
        assert!(rows.iter().all(|r| r[0].abs() < 1e-5), "common part left");
        assert!(cosine(rows[1], rows[2]) < 0.0);
        // The first rank weighs less than the last.
        let norm = |r: &[f32]| r.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!(norm(rows[0]) < norm(rows[2]));
    }

    #[test]
    fn cache_files_of_another_shape_are_refused() {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&2u32.to_le_bytes());
        bytes.extend_from_slice(&(DIM as u32).to_le_bytes());
        bytes.extend(std::iter::repeat_n(0u8, 2 * DIM * 4));
        assert_eq!(decode(&bytes, 2).map(|v| v.len()), Some(2 * DIM));
        assert!(decode(&bytes, 3).is_none());
        assert!(decode(&bytes[..bytes.len() - 1], 2).is_none());
        assert!(decode(b"short", 2).is_none());
    }

    /// Needs the model; distils the table (about a minute on two cores).
    #[test]
    #[ignore = "needs the sentence model; distils the table"]
    fn distilled_vectors_keep_paraphrases_closer_than_unrelated_pairs() {
        let embedder = Embedder::shared().unwrap_or_else(|err| panic!("{err}"));
        let dir = crate::embed::model_dir().unwrap_or_else(|err| panic!("{err}"));
        let statics = StaticEmbedder::load_or_distill(embedder, &dir).unwrap();
        let v = statics.embed(&[
            "The central bank raised interest rates by half a point on Thursday.",
            "On Thursday the central bank increased interest rates by 0.5 percentage points.",
            "A rare orchid flowered in the botanical garden for the first time in twenty years.",
        ]);
        assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]) + 0.2);
    }
}
