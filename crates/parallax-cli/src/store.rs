//! `parallax ingest`, `parallax analyze --db` and `parallax bench store`:
//! arguments and messages around `parallax::store`.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use parallax::store::{self, IngestOptions, SqliteStore, Store};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `parallax ingest`.
#[derive(clap::Args, Debug)]
pub struct IngestArgs {
    /// Files or folders (walked recursively): .txt, .html/.htm, .jsonl/.ndjson.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The store (an SQLite file, created when missing).
    #[arg(long)]
    db: PathBuf,
    /// No progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = 100 * 1024 * 1024)]
    max_file_bytes: u64,
    /// Articles written per transaction.
    #[arg(long, default_value_t = 64)]
    batch_size: usize,
    /// Compare quotations and claims by shared words instead of by meaning,
    /// without the sentence model (as `analyze --no-model`).
    #[arg(long)]
    no_model: bool,
}

/// Arguments of `parallax bench store`.
#[derive(clap::Args, Debug)]
pub struct BenchStoreArgs {
    /// The FNC-1 folder (train_bodies.csv, competition_test_bodies.csv).
    #[arg(long, default_value = "../shared/datasets/fnc1")]
    dataset: PathBuf,
    /// Articles in the store before single articles are added.
    #[arg(long, default_value_t = 10_000)]
    articles: usize,
    /// Single articles added one at a time afterwards (the median is reported).
    #[arg(long, default_value_t = 5)]
    increments: usize,
    /// Articles per transaction in the bulk ingest.
    #[arg(long, default_value_t = 256)]
    batch_size: usize,
    /// Without the sentence model (quotations and claims compared by shared words).
    #[arg(long)]
    no_model: bool,
}

/// The settings `analyze` would use.
fn config(no_model: bool) -> anyhow::Result<parallax::pipeline::Config> {
    Ok(parallax::pipeline::Config { embedder: crate::load_model(no_model)?, ..Default::default() })
}

fn open(db: &Path) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(db).with_context(|| format!("cannot open the store {}", db.display()))
}

/// `parallax ingest PATH... --db FILE`.
pub fn ingest(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut store = open(&args.db)?;
    let options = IngestOptions {
        limits: parallax::ingest::Limits {
            max_file_bytes: args.max_file_bytes,
            ..parallax::ingest::Limits::default()
        },
        batch_size: args.batch_size.max(1),
        config: config(args.no_model)?,
    };
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} ingesting [{bar:40}] {pos}/{len} files ({per_sec}, eta {eta})",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar
    };
    let report = store::ingest(&mut store, &args.paths, &options, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    for diagnostic in &report.diagnostics {
        eprintln!("{diagnostic}");
    }
    if report.new + report.changed + report.unchanged == 0 {
        eprintln!("error: no document could be read from the given paths");
        return Ok(ExitCode::from(1));
    }
    if !args.quiet {
        eprintln!(
            "ingested {} files: {} new, {} changed, {} unchanged articles; {} {} documents in {} s: {}",
            report.files,
            report.new,
            report.changed,
            report.unchanged,
            if report.refresh.up_to_date { "analysis up to date," } else { "analysis refreshed," },
            report.refresh.n_documents,
            format_args!("{:.2}", started.elapsed().as_secs_f64()),
            args.db.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `parallax analyze --db FILE --out F [--report H]`: the stored analysis,
/// refreshed when stale or made with other settings.
pub fn export(
    db: &Path,
    out: &Path,
    report: Option<&Path>,
    quiet: bool,
    no_model: bool,
) -> anyhow::Result<ExitCode> {
    if !db.is_file() {
        anyhow::bail!(
            "no store at {}: create it with `parallax ingest PATH... --db FILE`",
            db.display()
        );
    }
    let mut store = open(db)?;
    if store.n_articles()? == 0 {
        eprintln!("error: the store {} holds no article", db.display());
        return Ok(ExitCode::from(1));
    }
    let analysis = store::current_analysis(&mut store, &config(no_model)?)?;
    parallax::analysis::write_atomically(out, &analysis.json)
        .with_context(|| format!("cannot write {}", out.display()))?;
    if let Some(report_path) = report {
        let value: serde_json::Value =
            serde_json::from_slice(&analysis.json).context("the stored analysis is not JSON")?;
        parallax::analysis::write_atomically(
            report_path,
            parallax::report::render(&value).as_bytes(),
        )
        .with_context(|| format!("cannot write {}", report_path.display()))?;
    }
    if !quiet {
        eprintln!(
            "exported the analysis of {} articles from {}: {}",
            store.n_articles()?,
            db.display(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `parallax bench store`: ingest rate and the cost of one more article.
pub fn bench(args: BenchStoreArgs) -> anyhow::Result<ExitCode> {
    let options = store::bench::BenchOptions {
        dataset: args.dataset.clone(),
        n_articles: args.articles,
        n_increments: args.increments,
        batch_size: args.batch_size,
        config: config(args.no_model)?,
        ..Default::default()
    };
    let work = tempfile::Builder::new()
        .prefix("parallax-bench-store-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let report = store::bench::run(&options, work.path())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot run the store benchmark on {}", args.dataset.display()))?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
