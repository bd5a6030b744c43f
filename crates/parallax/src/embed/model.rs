//! The embedder: BERT (all-MiniLM-L6-v2) in candle, mean pooling, L2 norm.

use super::{check_model_dir, model_dir, EmbedError, Result, BATCH_SIZE, DIM, MAX_TOKENS};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::fs;
use std::path::Path;
use std::sync::{Mutex, OnceLock, PoisonError};
use tokenizers::{Tokenizer, TruncationParams};

/// A loaded sentence-embedding model.
///
/// Output is deterministic: the same sentences give bitwise the same vectors,
/// whatever the thread count, and a sentence's vector does not depend on the
/// other sentences in the call beyond float rounding (below 1e-5).
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    pad_id: u32,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").field("dim", &DIM).finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads the model from a folder holding `model.safetensors`,
    /// `tokenizer.json` and `config.json` (see [`model_dir`]).
    pub fn load(dir: &Path) -> Result<Embedder> {
        check_model_dir(dir)?;
        let device = Device::Cpu;

        let config_path = dir.join("config.json");
        let config_text = fs::read_to_string(&config_path)
            .map_err(|source| EmbedError::Io { path: config_path.clone(), source })?;
        let config: Config =
            serde_json::from_str(&config_text).map_err(|err| load_error(&config_path, err))?;
        if config.hidden_size != DIM {
            return Err(load_error(
                &config_path,
                format!("hidden size {} where {DIM} is expected", config.hidden_size),
            ));
        }

        let tokenizer_path = dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tokenizer_path)
            .map_err(|err| load_error(&tokenizer_path, err))?;
        // The file pads every sentence to 128 tokens; `embed_batch` pads each
        // batch only to its longest sentence instead.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|err| load_error(&tokenizer_path, err))?;

        // Read the weights into memory rather than mmap them: mmap needs
        // `unsafe`, which the workspace forbids, and candle copies CPU tensors
        // out of the mapping anyway. The file buffer is freed right after.
        let weights_path = dir.join("model.safetensors");
        let weights = fs::read(&weights_path)
            .map_err(|source| EmbedError::Io { path: weights_path.clone(), source })?;
        let tensors = candle_core::safetensors::load_buffer(&weights, &device)
            .map_err(|err| load_error(&weights_path, err))?;
        drop(weights);
        let var_builder = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let model =
            BertModel::load(var_builder, &config).map_err(|err| load_error(&weights_path, err))?;

        let pad_id = u32::try_from(config.pad_token_id)
            .map_err(|err| load_error(&config_path, format!("pad_token_id: {err}")))?;
        Ok(Embedder { model, tokenizer, device, pad_id })
    }

    /// The process-wide embedder, loaded on first use from [`model_dir`]
    /// (which fetches the model if needed). Later calls return the same one.
    /// A failed load is not remembered: the next call tries again.
    pub fn shared() -> Result<&'static Embedder> {
        static SHARED: OnceLock<Embedder> = OnceLock::new();
        static LOADING: Mutex<()> = Mutex::new(());
        if let Some(embedder) = SHARED.get() {
            return Ok(embedder);
        }
        // One thread loads (and maybe fetches); the others wait for it.
        let _loading = LOADING.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(embedder) = SHARED.get() {
            return Ok(embedder);
        }
        let embedder = Embedder::load(&model_dir()?)?;
        Ok(SHARED.get_or_init(|| embedder))
    }

    /// One [`DIM`]-long, L2-normalised vector per sentence, in input order.
    ///
    /// Sentences are cut at [`MAX_TOKENS`] tokens, sorted by length and run in
    /// batches of [`BATCH_SIZE`], so pass everything to compare in one call.
    ///
    /// # Panics
    ///
    /// If the model fails on valid input, which is a bug; see [`Embedder::try_embed`].
    pub fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        self.try_embed(sentences).unwrap_or_else(|err| panic!("{err}"))
    }

    /// [`Embedder::embed`], returning the model's failure as an error.
    pub fn try_embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>> {
        let token_ids = self.token_ids(sentences)?;
        // A stable sort keeps equal lengths in input order, so batches (and
        // hence the vectors' last bits) depend only on the input.
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        order.sort_by_key(|&sentence_idx| token_ids[sentence_idx].len());
        let run_batch = |batch: &[usize]| {
            let batch_ids: Vec<&[u32]> =
                batch.iter().map(|&sentence_idx| token_ids[sentence_idx].as_slice()).collect();
            self.embed_batch(&batch_ids).map_err(inference_error)
        };
        // Batches run one after another: candle already spreads each matrix
        // product over its threads, and running batches side by side as well
        // measured no faster here.
        let batch_vectors: Vec<Vec<Vec<f32>>> =
            order.chunks(BATCH_SIZE).map(run_batch).collect::<Result<_>>()?;
        let mut res = vec![Vec::new(); sentences.len()];
        for (batch, vectors) in order.chunks(BATCH_SIZE).zip(batch_vectors) {
            for (&sentence_idx, vector) in batch.iter().zip(vectors) {
                res[sentence_idx] = vector;
            }
        }
        Ok(res)
    }

    /// Number of tokens (with `[CLS]` and `[SEP]`, after truncation) of each sentence.
    pub fn count_tokens(&self, sentences: &[&str]) -> Result<Vec<usize>> {
        Ok(self.token_ids(sentences)?.iter().map(Vec::len).collect())
    }

    /// The tokenizer (WordPiece, cut at [`MAX_TOKENS`], no padding).
    pub(crate) fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Mean-pooled, L2-normalised vectors of token-id sequences of equal
    /// length (with `[CLS]` and `[SEP]`), run as one batch.
    pub(crate) fn embed_ids(&self, batch_ids: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        self.embed_batch(batch_ids).map_err(inference_error)
    }

    fn token_ids(&self, sentences: &[&str]) -> Result<Vec<Vec<u32>>> {
        sentences
            .iter()
            .map(|sentence| {
                self.tokenizer
                    .encode(*sentence, true)
                    .map(|encoding| encoding.get_ids().to_vec())
                    .map_err(|err| EmbedError::Inference(format!("tokenizer: {err}")))
            })
            .collect()
    }

    /// Runs one batch: pads to the longest sentence, masks the padding, and
    /// mean-pools the last hidden states over the real tokens.
    fn embed_batch(&self, batch_ids: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let n_sentences = batch_ids.len();
        let max_len = batch_ids.iter().map(|ids| ids.len()).max().unwrap_or(0);
        let mut input = Vec::with_capacity(n_sentences * max_len);
        let mut mask = Vec::with_capacity(n_sentences * max_len);
        for ids in batch_ids {
            input.extend_from_slice(ids);
            input.resize(input.len() + max_len - ids.len(), self.pad_id);
            mask.resize(mask.len() + ids.len(), 1u32);
            mask.resize(mask.len() + max_len - ids.len(), 0u32);
        }
        let input_ids = Tensor::from_vec(input, (n_sentences, max_len), &self.device)?;
        let attention_mask = Tensor::from_vec(mask, (n_sentences, max_len), &self.device)?;
        let token_type_ids = input_ids.zeros_like()?;
        let hidden = self.model.forward(&input_ids, &token_type_ids, Some(&attention_mask))?;

        let mask = attention_mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let n_tokens = mask.sum(1)?;
        let mean = summed.broadcast_div(&n_tokens)?;
        // As sentence-transformers' Normalize: divide by max(norm, 1e-12).
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.maximum(1e-12)?;
        mean.broadcast_div(&norm)?.to_vec2::<f32>()
    }
}

fn load_error(path: &Path, err: impl std::fmt::Display) -> EmbedError {
    EmbedError::Load { path: path.to_path_buf(), message: err.to_string() }
}

fn inference_error(err: candle_core::Error) -> EmbedError {
    EmbedError::Inference(err.to_string())
}

/// These tests need the model: without it they fail, saying how to get it.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::{cosine, news_sentences};

    fn embedder() -> &'static Embedder {
        Embedder::shared()
            .unwrap_or_else(|err| panic!("the model tests need the sentence model: {err}"))
    }

    fn similarity(a: &str, b: &str) -> f32 {
        let vectors = embedder().embed(&[a, b]);
        cosine(&vectors[0], &vectors[1])
    }

    #[test]
    fn paraphrases_are_close() {
        let pairs = [
            (
                "The central bank raised interest rates by half a point on Thursday.",
                "On Thursday the central bank increased interest rates by 0.5 percentage points.",
            ),
            (
                "Firefighters battled a large blaze at a warehouse near the harbour overnight.",
                "Overnight, firefighters fought a big fire at a warehouse close to the harbour.",
            ),
            (
                "The prime minister said the government would not raise taxes this year.",
                "There will be no tax increase this year, the prime minister said.",
            ),
        ];
        for (a, b) in pairs {
            let sim = similarity(a, b);
            assert!(sim > 0.7, "{sim} for {a:?} / {b:?}");
        }
    }

    #[test]
    fn unrelated_sentences_are_far() {
        let pairs = [
            (
                "The central bank raised interest rates by half a point on Thursday.",
                "A rare orchid flowered in the botanical garden for the first time in twenty years.",
            ),
            (
                "Firefighters battled a large blaze at a warehouse near the harbour overnight.",
                "The striker scored twice as the home side won the cup final.",
            ),
        ];
        for (a, b) in pairs {
            let sim = similarity(a, b);
            assert!(sim < 0.3, "{sim} for {a:?} / {b:?}");
        }
    }

    #[test]
    fn vectors_are_unit_length_and_384_long() {
        let long = "word ".repeat(2000);
        let sentences = ["A short one.", "", long.as_str()];
        let vectors = embedder().embed(&sentences);
        assert_eq!(vectors.len(), 3);
        for vector in &vectors {
            assert_eq!(vector.len(), DIM);
            let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
        }
        assert_eq!(embedder().count_tokens(&[long.as_str()]).unwrap(), [MAX_TOKENS]);
        assert!(embedder().embed(&[]).is_empty());
    }

    #[test]
    fn same_input_gives_bitwise_the_same_vectors() {
        let sentences = news_sentences(40);
        let sentences: Vec<&str> = sentences.iter().map(String::as_str).collect();
        let first = embedder().embed(&sentences);
        let second = embedder().embed(&sentences);
        // A separately loaded model, too.
        let reloaded = Embedder::load(&model_dir().unwrap()).unwrap().embed(&sentences);
        let bits = |vectors: &[Vec<f32>]| -> Vec<Vec<u32>> {
            vectors.iter().map(|v| v.iter().map(|x| x.to_bits()).collect()).collect()
        };
        assert!(bits(&first) == bits(&second), "two calls differ");
        assert!(bits(&first) == bits(&reloaded), "a reloaded model differs");
    }

    #[test]
    fn batched_and_single_vectors_agree() {
        // More than one batch, with lengths that differ so that padding is used.
        let mut sentences = news_sentences(37);
        sentences.push("Short.".to_string());
        sentences.push("word ".repeat(300));
        let sentences: Vec<&str> = sentences.iter().map(String::as_str).collect();
        let batched = embedder().embed(&sentences);
        for (sentence, batched_vector) in sentences.iter().zip(&batched) {
            let single = embedder().embed(&[sentence]);
            let max_diff = single[0]
                .iter()
                .zip(batched_vector)
                .map(|(x, y)| (x - y).abs())
                .fold(0f32, f32::max);
            assert!(max_diff < 1e-5, "{max_diff} for {sentence:?}");
        }
    }
}
