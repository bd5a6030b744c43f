//! Computes word clusters for the named-entity tagger from word vectors
//! (`--vectors`, `word v1 … vN` lines, as `scripts/glove.sh` writes).
//!
//! ```text
//! scripts/glove.sh
//! cargo run --release -p parallax --example ner_clusters -- \
//!     --vectors target/glove.txt --out target/clusters.txt
//! ```
//!
//! Options: `--depth N` (16), `--min-leaf N` (8), `--iterations N` (10), `--seed N`.
//! The output has one `bits<TAB>word<TAB>count` line per word; `train_ner
//! --clusters FILE` reads it.
#![allow(clippy::print_stdout)]

use parallax::ner::clusters::{vector_clusters, write_paths, ClusterConfig};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut vectors = None;
    let mut out = None;
    let mut config = ClusterConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{arg}: {e}"));
        match arg.as_str() {
            "--vectors" => vectors = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--depth" => config.depth = number(value()?)? as u32,
            "--min-leaf" => config.min_leaf = number(value()?)? as usize,
            "--iterations" => config.iterations = number(value()?)? as usize,
            "--seed" => config.seed = number(value()?)?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let (Some(vectors), Some(out)) = (vectors, out) else {
        return Err("usage: ner_clusters --vectors FILE --out FILE [--depth N] [--min-leaf N] [--iterations N] [--seed N]".into());
    };
    let started = std::time::Instant::now();
    let text = std::fs::read_to_string(&vectors)
        .map_err(|e| format!("cannot read {}: {e}", vectors.display()))?;
    println!("{config:?}");
    let paths = vector_clusters(&text, &config);
    std::fs::write(&out, write_paths(&paths))
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let leaves: std::collections::BTreeSet<&str> = paths.iter().map(|p| p.bits.as_str()).collect();
    println!(
        "{} words in {} clusters written to {} in {:.1} s",
        paths.len(),
        leaves.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
