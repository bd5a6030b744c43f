//! Trains the named-entity tagger on CoNLL-2003 and writes the weights.
//!
//! ```text
//! cargo run --release -p parallax --example train_ner -- \
//!     --train ../shared/datasets/conll2003/eng.train \
//!     --dev ../shared/datasets/conll2003/eng.testa \
//!     --out crates/parallax/models/ner-conll.bin
//! ```
//!
//! Options: `--epochs N` (most passes; training stops five epochs after the
//! best development score), `--min-count N` (drop rarer features), `--prune X`
//! (drop averaged weights below X times the largest), `--folds N` (jackknife
//! folds for the second layer; 0 trains one layer), `--no-sentence-copies`
//! (train on whole documents only), `--seed N`,
//! `--gazetteers DIR` (name lists written by `scripts/gazetteers.sh`),
//! `--clusters FILE` (word clusters written by the `ner_clusters` example).
#![allow(clippy::print_stdout)]

use parallax::ner::clusters::read_paths;
use parallax::ner::train::{read_conll, read_gazetteers, train_model, Gazetteers, TrainConfig};
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
    let mut train = None;
    let mut dev = None;
    let mut out = None;
    let mut gazetteers = None;
    let mut clusters = Vec::new();
    let mut config = TrainConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--train" => train = Some(PathBuf::from(value()?)),
            "--dev" => dev = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--gazetteers" => gazetteers = Some(PathBuf::from(value()?)),
            "--clusters" => clusters.push(PathBuf::from(value()?)),
            "--epochs" => config.epochs = value()?.parse().map_err(|e| format!("--epochs: {e}"))?,
            "--min-count" => {
                config.min_count = value()?.parse().map_err(|e| format!("--min-count: {e}"))?
            }
            "--prune" => config.prune = value()?.parse().map_err(|e| format!("--prune: {e}"))?,
            "--no-sentence-copies" => config.sentence_copies = false,
            "--no-layer2-copies" => config.layer2_copies = false,
            "--folds" => config.folds = value()?.parse().map_err(|e| format!("--folds: {e}"))?,
            "--seed" => config.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let (Some(train), Some(dev), Some(out)) = (train, dev, out) else {
        return Err("usage: train_ner --train FILE --dev FILE --out FILE [--epochs N] [--min-count N] [--prune X] [--folds N] [--no-sentence-copies] [--seed N] [--gazetteers DIR] [--clusters FILE]".into());
    };
    let started = std::time::Instant::now();
    let train_docs = read_conll(&train)?;
    let dev_docs = read_conll(&dev)?;
    let mut gazetteers = match gazetteers {
        Some(dir) => read_gazetteers(&dir)?,
        None => Gazetteers::default(),
    };
    for path in clusters {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let paths = read_paths(&text);
        println!("{} clustered words from {}", paths.len(), path.display());
        gazetteers.clusters.push(paths);
    }
    println!("{config:?}");
    let (bytes, report) =
        train_model(&train_docs, &dev_docs, &gazetteers, &config, |line| println!("{line}"));
    std::fs::write(&out, &bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "kept epoch {} with {} features; {} bytes written to {} in {:.1} s",
        report.best_epoch,
        report.features,
        bytes.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    println!("| type | P | R | F1 | (dev, shipped weights)\n|---|---|---|---|");
    for (name, counts) in &report.dev {
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} |",
            counts.precision(),
            counts.recall(),
            counts.f1()
        );
    }
    Ok(())
}
