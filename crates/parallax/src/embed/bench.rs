//! How fast the embedder is here: sentences per second and peak memory.

use super::{model_dir, Embedder, Result};
use std::fmt;
use std::time::Instant;

/// What [`bench()`] measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    /// Sentences embedded (in one call).
    pub n_sentences: usize,
    /// Mean tokens per sentence, with `[CLS]` and `[SEP]`.
    pub mean_tokens: f64,
    /// Threads candle uses for matrix products (`RAYON_NUM_THREADS`, else physical cores).
    pub threads: usize,
    /// Seconds to load the model from its folder.
    pub load_seconds: f64,
    /// Seconds to embed the sentences.
    pub embed_seconds: f64,
    /// CPU seconds (user + system, all threads) the process spent embedding.
    pub cpu_seconds: Option<f64>,
    /// Sentences per second.
    pub sentences_per_second: f64,
    /// Tokens per second.
    pub tokens_per_second: f64,
    /// Peak resident memory of the process in MB (`VmHWM`), when the OS says.
    pub peak_rss_mb: Option<f64>,
    /// FNV-1a hash of the vectors' bits: equal across runs and thread
    /// settings when the output is deterministic.
    pub checksum: u64,
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "embed: {} sentences ({:.1} tokens each) in {:.2} s = {:.1} sentences/s, {:.0} tokens/s; \
             {} threads; model load {:.2} s; ",
            self.n_sentences,
            self.mean_tokens,
            self.embed_seconds,
            self.sentences_per_second,
            self.tokens_per_second,
            self.threads,
            self.load_seconds,
        )?;
        if let Some(cpu_seconds) = self.cpu_seconds {
            write!(
                f,
                "{:.1} CPU s = {:.1} sentences per CPU second; ",
                cpu_seconds,
                self.n_sentences as f64 / cpu_seconds
            )?;
        }
        write!(f, "peak RSS ")?;
        match self.peak_rss_mb {
            Some(peak_rss_mb) => write!(f, "{peak_rss_mb:.0} MB")?,
            None => write!(f, "unknown")?,
        }
        write!(f, "; checksum {:016x}", self.checksum)
    }
}

/// Loads the model and embeds `n_sentences` news-like sentences
/// ([`news_sentences`]) in one call, after a short warm-up.
pub fn bench(n_sentences: usize) -> Result<BenchReport> {
    let dir = model_dir()?;
    let load_start = Instant::now();
    let embedder = Embedder::load(&dir)?;
    let load_seconds = load_start.elapsed().as_secs_f64();

    let sentences = news_sentences(n_sentences);
    let sentences: Vec<&str> = sentences.iter().map(String::as_str).collect();
    let n_tokens: usize = embedder.count_tokens(&sentences)?.iter().sum();
    // Warm-up: thread pools and allocator.
    embedder.try_embed(&sentences[..sentences.len().min(8)])?;

    let cpu_start = cpu_seconds();
    let embed_start = Instant::now();
    let vectors = embedder.try_embed(&sentences)?;
    let embed_seconds = embed_start.elapsed().as_secs_f64();
    let cpu_seconds = cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    assert_eq!(vectors.len(), n_sentences);

    Ok(BenchReport {
        n_sentences,
        mean_tokens: n_tokens as f64 / n_sentences.max(1) as f64,
        threads: candle_core::utils::get_num_threads(),
        load_seconds,
        embed_seconds,
        cpu_seconds,
        sentences_per_second: n_sentences as f64 / embed_seconds,
        tokens_per_second: n_tokens as f64 / embed_seconds,
        peak_rss_mb: peak_rss_mb(),
        checksum: checksum(&vectors),
    })
}

fn checksum(vectors: &[Vec<f32>]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in vectors.iter().flatten().flat_map(|x| x.to_bits().to_le_bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Peak resident set size of this process in MB, from `/proc/self/status`.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

/// CPU time of this process so far (user + system), from `/proc/self/stat`.
/// On a busy machine this, unlike wall time, does not count other processes.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line: indices 11 and 12 here.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // Clock ticks: 100 per second on every Linux configuration in use.
    Some((utime + stime) / 100.0)
}

/// `n` made-up news sentences of 15 to 40 words, the same every time.
pub fn news_sentences(n: usize) -> Vec<String> {
    const SUBJECTS: [&str; 12] = [
        "The finance minister",
        "A spokesperson for the regional police",
        "The opposition leader",
        "Officials at the port authority",
        "The company's chief executive",
        "Residents of the northern district",
        "The health ministry",
        "A group of independent economists",
        "The mayor of the coastal city",
        "Union representatives",
        "The national weather service",
        "Prosecutors in the capital",
    ];
    const VERBS: [&str; 10] = [
        "said on Tuesday that",
        "warned in a statement that",
        "told reporters after the meeting that",
        "announced late on Friday that",
        "confirmed in an interview that",
        "denied reports that",
        "argued during a televised debate that",
        "insisted on Monday that",
        "acknowledged in a letter to parliament that",
        "claimed at a press conference that",
    ];
    const CLAUSES: [&str; 12] = [
        "the new budget would cut spending on roads and bridges by nearly a fifth",
        "at least fourteen people had been injured when the bus left the motorway",
        "negotiations over the wage agreement had collapsed without a deal",
        "the river was expected to peak well above last year's flood level",
        "the factory would close by the end of the year with the loss of 600 jobs",
        "investigators had found no evidence of a cyberattack on the payment system",
        "hospital waiting lists had grown for the third consecutive month",
        "the ceasefire had largely held despite scattered reports of shelling",
        "fuel prices were likely to rise again before the summer holidays",
        "the contract had been awarded without a proper tender",
        "the vaccination campaign would be extended to children over twelve",
        "the ministry had underestimated the cost of the rail project",
    ];
    const TAILS: [&str; 8] = [
        "",
        ", according to a document seen by local media",
        ", although critics said the figures were misleading",
        ", a claim the government rejected within hours",
        ", adding that further details would follow next week",
        ", in remarks that drew sharp criticism from business groups",
        ", citing preliminary data from the statistics office",
        ", as protesters gathered outside the building",
    ];
    // A fixed linear congruential generator: reproducible without a crate.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |len: usize| {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % len
    };
    (0..n)
        .map(|_| {
            format!(
                "{} {} {}{}.",
                SUBJECTS[next(SUBJECTS.len())],
                VERBS[next(VERBS.len())],
                CLAUSES[next(CLAUSES.len())],
                TAILS[next(TAILS.len())]
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_sentences_are_reproducible_and_news_length() {
        let sentences = news_sentences(200);
        assert_eq!(sentences, news_sentences(200));
        for sentence in &sentences {
            let n_words = sentence.split_whitespace().count();
            assert!((15..=40).contains(&n_words), "{n_words} words: {sentence}");
        }
        let distinct: std::collections::BTreeSet<&String> = sentences.iter().collect();
        assert!(distinct.len() > 190, "{} distinct", distinct.len());
    }

    #[test]
    fn peak_memory_and_cpu_time_are_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_mb().is_some_and(|mb| mb > 1.0));
            assert!(cpu_seconds().is_some_and(|seconds| seconds >= 0.0));
        }
    }

    /// `cargo test -p parallax --release --lib embed::bench -- --ignored --nocapture`;
    /// set `RAYON_NUM_THREADS` to try thread counts.
    #[test]
    #[ignore = "benchmark: needs the model and a quiet machine"]
    fn bench_embedding_speed() {
        let n_sentences = std::env::var("PARALLAX_BENCH_SENTENCES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(512);
        let report = bench(n_sentences).unwrap_or_else(|err| panic!("{err}"));
        eprintln!("{report}");
    }
}
