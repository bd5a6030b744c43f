//! `parallax bench pipeline` and `parallax bench scaling`: argument parsing
//! and printing around `parallax::eval::speed` and `parallax::eval::scaling`.

use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `parallax bench pipeline`.
#[derive(clap::Args, Debug)]
pub struct PipelineArgs {
    /// The data sets folder (fnc1/, conll2003/).
    #[arg(long, default_value = "../shared/datasets")]
    datasets: PathBuf,
    /// FNC-1 bodies to read (train, then test), at most.
    #[arg(long, default_value_t = 800)]
    fnc1: usize,
    /// CoNLL-2003 documents to read (eng.testb, eng.testa, eng.train), at most.
    #[arg(long, default_value_t = 200)]
    conll: usize,
    /// The spaCy venv (made by scripts/peer-venv.sh when missing); default target/peer-venv.
    #[arg(long)]
    peer_venv: Option<PathBuf>,
    /// Do not run spaCy.
    #[arg(long)]
    no_peer: bool,
    /// Do not load the sentence model.
    #[arg(long)]
    no_embeddings: bool,
}

/// Runs `parallax bench pipeline`.
pub fn bench_pipeline(args: PipelineArgs) -> anyhow::Result<ExitCode> {
    use parallax::eval::speed::{run, Options};
    let mut options = Options {
        fnc1: args.fnc1,
        conll: args.conll,
        no_embeddings: args.no_embeddings,
        ..Options::default()
    };
    if args.no_peer {
        options.peer = None;
    } else if let (Some(peer), Some(venv)) = (options.peer.as_mut(), args.peer_venv) {
        peer.python = venv.join("bin/python");
    }
    let report =
        run(&args.datasets, &options).map_err(|e| anyhow::anyhow!("{e}")).with_context(|| {
            format!("cannot run the pipeline benchmark on {}", args.datasets.display())
        })?;
    println!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `parallax bench scaling`.
#[derive(clap::Args, Debug)]
pub struct ScalingArgs {
    /// The data sets folder (fnc1/, polnear/, conll2003/, ecbplus/).
    #[arg(long, default_value = "../shared/datasets")]
    datasets: PathBuf,
    /// Corpus sizes in articles.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    sizes: Vec<usize>,
    /// Articles per day: the dates of n articles spread over n / docs-per-day days.
    #[arg(long, default_value_t = 50)]
    docs_per_day: usize,
    /// A fixed span of days for every size instead (density grows with the size).
    #[arg(long)]
    span_days: Option<i64>,
    /// Pool texts per data set, at most.
    #[arg(long)]
    per_dataset: Option<usize>,
    /// A text drawn again gets any day of the span, not a reprint day near its first one.
    #[arg(long)]
    copies_anytime: bool,
}

/// Runs `parallax bench scaling`.
pub fn bench_scaling(args: ScalingArgs) -> anyhow::Result<ExitCode> {
    use parallax::eval::scaling::{run, Options};
    let mut sizes = args.sizes;
    sizes.sort_unstable();
    let options = Options {
        sizes,
        docs_per_day: args.docs_per_day,
        span_days: args.span_days,
        per_dataset: args.per_dataset.unwrap_or(usize::MAX),
        reprints: !args.copies_anytime,
        ..Options::default()
    };
    let report = run(&args.datasets, &options, &|line| eprintln!("{line}"))
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| {
            format!("cannot run the scaling benchmark on {}", args.datasets.display())
        })?;
    println!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}
