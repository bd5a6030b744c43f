//! The `parallax` command: argument parsing, progress and exit codes around
//! the `parallax` library. No analysis logic lives here.

mod claim_benches;
mod perf;
mod serve;
mod store;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Multi-source news analysis: stories, dates, bodies and more, with evidence spans.
#[derive(Parser, Debug)]
#[command(name = "parallax", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse a pile of articles and write the analysis file.
    Analyze(AnalyzeArgs),
    /// Add articles to a store and update its analysis incrementally.
    Ingest(store::IngestArgs),
    /// Serve a store's analysis: the report's views, search and a JSON API.
    Serve(serve::ServeArgs),
    /// Run a benchmark on a public data set.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(clap::Args, Debug)]
struct AnalyzeArgs {
    /// Files or folders (walked recursively): .txt, .html/.htm, .jsonl/.ndjson.
    #[arg(required_unless_present = "db", conflicts_with = "db")]
    paths: Vec<PathBuf>,
    /// Export the analysis of this store (see `parallax ingest`) instead of reading paths.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Where to write the analysis file (JSON).
    #[arg(long, short)]
    out: PathBuf,
    /// Also write a self-contained HTML report here.
    #[arg(long)]
    report: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = 100 * 1024 * 1024)]
    max_file_bytes: u64,
    /// Read at most this many documents.
    #[arg(long, default_value_t = 1_000_000)]
    max_documents: usize,
    /// Compare quotations and claims by shared words instead of by meaning,
    /// without the sentence model (nothing is fetched; grouping is weaker).
    #[arg(long)]
    no_model: bool,
    /// Time budget of each per-document stage on one document, in milliseconds
    /// (0: none); a stage over it is cut off with a warning.
    #[arg(long, default_value_t = 60_000)]
    doc_timeout_ms: u64,
}

#[derive(Subcommand, Debug)]
enum BenchCommand {
    /// Ingest rate into a store and the cost of adding one article to a full store.
    Store(store::BenchStoreArgs),
    /// Body extraction on the article-extraction benchmark (181 HTML pages).
    Extract {
        /// The benchmark folder (html/, ground-truth.json, baseline-outputs/).
        #[arg(long, default_value = "../shared/datasets/aeb")]
        dataset: PathBuf,
    },
    /// Boilerplate removal on trafilatura's evaluation set (English pages with HTML).
    Boilerplate {
        /// The data set folder (evaldata-en.json, html/).
        #[arg(long, default_value = "../shared/datasets/trafilatura-eval")]
        dataset: PathBuf,
    },
    /// Story clustering on ECB+ (topic/sub-topic = story), B-cubed over documents.
    Stories {
        /// The data set folder (ECB+/).
        #[arg(long, default_value = "../shared/datasets/ecbplus")]
        dataset: PathBuf,
        /// Score the development topics (1-35) instead of the test topics (36-45).
        #[arg(long)]
        dev: bool,
    },
    /// Named entities on CoNLL-2003 eng.testb (eng.testa with --dev), beside spaCy en_core_web_sm
    /// when its venv exists (scripts/peer-venv.sh).
    Entities {
        /// The data set folder (eng.testa, eng.testb).
        #[arg(long, default_value = "../shared/datasets/conll2003")]
        dataset: PathBuf,
        /// Score the development split instead of the test split (no peer).
        #[arg(long)]
        dev: bool,
    },
    /// Sentence-embedding speed (MiniLM in candle): sentences/s, CPU time and peak memory.
    Embed {
        /// How many sentences to embed (made-up news sentences of 15 to 40 words).
        #[arg(long, default_value_t = 512)]
        sentences: usize,
    },
    /// Outlet comparison on PolNeAR's 1,008 articles: framing and attribution
    /// differences per story told by 2+ outlets, with a sample to judge.
    Framing {
        /// The data set folder (metadata.tsv, train/, dev/, test/).
        #[arg(long, default_value = "../shared/datasets/polnear")]
        dataset: PathBuf,
        /// How many examples to print.
        #[arg(long, default_value_t = 20)]
        sample: usize,
    },
    /// Quotations on PolNeAR (content detection and source accuracy).
    Quotes {
        /// The data set folder (train/, dev/, test/).
        #[arg(long, default_value = "../shared/datasets/polnear")]
        dataset: PathBuf,
        /// Score the development split instead of the test split.
        #[arg(long)]
        dev: bool,
    },
    /// Speed of every stage and of the whole pipeline on FNC-1 and CoNLL-2003 texts, beside spaCy.
    Pipeline(perf::PipelineArgs),
    /// Time and memory of the cross-document stages at growing corpus sizes, with the fitted exponent.
    Scaling(perf::ScalingArgs),
    /// Stance of a body towards a headline's claim on FNC-1 (competition test split).
    Stance {
        /// The data set folder (competition_test_*.csv, train_bodies.csv).
        #[arg(long, default_value = "../shared/datasets/fnc1")]
        dataset: PathBuf,
        /// Choose settings without labels on the training bodies instead.
        #[arg(long)]
        dev: bool,
        /// Shared words only, without the sentence model.
        #[arg(long)]
        no_model: bool,
        /// With --dev and the model, read every N-th training body.
        #[arg(long, default_value_t = 4)]
        stride: usize,
    },
    /// Cross-document event coreference on ECB+ (gold mentions, test topics 36-45).
    Events {
        /// The data set folder (ECB+/, ECBplus_coreference_sentences.csv).
        #[arg(long, default_value = "../shared/datasets/ecbplus")]
        dataset: PathBuf,
        /// Score the train and development topics (1-35) and search settings instead.
        #[arg(long)]
        dev: bool,
        /// Without the sentence model (stems, shared words and names).
        #[arg(long)]
        no_model: bool,
    },
    /// Time expressions on TempEval-3 (TBAQ-cleaned for development, platinum to report).
    Times {
        /// The data set folder (TBAQ-cleaned/, te3-platinum/).
        #[arg(long, default_value = "../shared/datasets/tempeval3")]
        dataset: PathBuf,
        /// Score the development split (TBAQ-cleaned) instead of the evaluation split.
        #[arg(long)]
        dev: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Analyze(args) => analyze(args),
        Command::Ingest(args) => store::ingest(args),
        Command::Serve(args) => serve::serve(args),
        Command::Bench(BenchCommand::Store(args)) => store::bench(args),
        Command::Bench(BenchCommand::Extract { dataset }) => bench_extract(&dataset),
        Command::Bench(BenchCommand::Boilerplate { dataset }) => bench_boilerplate(&dataset),
        Command::Bench(BenchCommand::Times { dataset, dev }) => bench_times(&dataset, dev),
        Command::Bench(BenchCommand::Stories { dataset, dev }) => bench_stories(&dataset, dev),
        Command::Bench(BenchCommand::Entities { dataset, dev }) => bench_entities(&dataset, dev),
        Command::Bench(BenchCommand::Quotes { dataset, dev }) => bench_quotes(&dataset, dev),
        Command::Bench(BenchCommand::Embed { sentences }) => bench_embed(sentences),
        Command::Bench(BenchCommand::Framing { dataset, sample }) => {
            bench_framing(&dataset, sample)
        }
        Command::Bench(BenchCommand::Pipeline(args)) => perf::bench_pipeline(args),
        Command::Bench(BenchCommand::Scaling(args)) => perf::bench_scaling(args),
        Command::Bench(BenchCommand::Stance { dataset, dev, no_model, stride }) => {
            claim_benches::stance(&dataset, dev, no_model, stride)
        }
        Command::Bench(BenchCommand::Events { dataset, dev, no_model }) => {
            claim_benches::events(&dataset, dev, no_model)
        }
    };
    match res {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    if let Some(db) = &args.db {
        return store::export(db, &args.out, args.report.as_deref(), args.quiet, args.no_model);
    }
    let started = Instant::now();
    let limits = parallax::ingest::Limits {
        max_file_bytes: args.max_file_bytes,
        max_documents: args.max_documents,
    };
    let mut ingested = parallax::ingest::read_paths(&args.paths, limits)?;
    for diagnostic in &ingested.diagnostics {
        eprintln!("{diagnostic}");
    }
    if ingested.documents.is_empty() {
        eprintln!("error: no document could be read from the given paths");
        return Ok(ExitCode::from(1));
    }
    let n_documents = ingested.documents.len();
    let config =
        parallax::pipeline::Config { embedder: load_model(args.no_model)?, ..Default::default() };
    let bar = progress_bar(n_documents, args.quiet);
    let analysis = parallax::pipeline::analyze(
        std::mem::take(&mut ingested.documents),
        &ingested.diagnostics,
        &parallax::pipeline::Config {
            doc_timeout: (args.doc_timeout_ms > 0)
                .then(|| std::time::Duration::from_millis(args.doc_timeout_ms)),
            ..config
        },
        &|| bar.inc(1),
    );
    bar.finish_and_clear();
    for diagnostic in &analysis.diagnostics[ingested.diagnostics.len()..] {
        eprintln!("{}: {}: {}", diagnostic.level, diagnostic.origin, diagnostic.message);
    }
    let json = analysis.to_json();
    parallax::analysis::write_atomically(&args.out, &json)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    if let Some(report_path) = &args.report {
        let value: serde_json::Value =
            serde_json::from_slice(&json).context("the analysis file is not JSON")?;
        parallax::analysis::write_atomically(
            report_path,
            parallax::report::render(&value).as_bytes(),
        )
        .with_context(|| format!("cannot write {}", report_path.display()))?;
    }
    if !args.quiet {
        eprintln!(
            "analyzed {} documents into {} stories and {} threads in {:.2} s: {}",
            n_documents,
            analysis.stories.len(),
            analysis.threads.len(),
            started.elapsed().as_secs_f64(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The sentence model (fetched into the cache on first use), or none when
/// the user asked for none.
fn load_model(no_model: bool) -> anyhow::Result<Option<&'static parallax::embed::Embedder>> {
    if no_model {
        return Ok(None);
    }
    parallax::embed::Embedder::shared().map(Some).map_err(|err| {
        anyhow::anyhow!(
            "{err}\nparallax compares quotations and claims with a sentence model; \
             fetch it once while online, set {} to a folder holding it, \
             or pass --no-model to compare by shared words only",
            parallax::embed::MODEL_DIR_ENV
        )
    })
}

/// A progress bar on stderr when it is a terminal, the run is long enough to
/// want one, and the user did not ask for quiet.
fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || len < 50 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} analyzing [{bar:40}] {pos}/{len} documents ({per_sec}, eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar
}

fn bench_extract(dataset: &std::path::Path) -> anyhow::Result<ExitCode> {
    let extract = |html: &str| parallax::pipeline::body_of_html(html);
    let report = parallax::eval::aeb::run(dataset, &extract)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot run the extraction benchmark on {}", dataset.display()))?;
    println!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}

fn bench_boilerplate(dataset: &std::path::Path) -> anyhow::Result<ExitCode> {
    let page_only = |html: &str| {
        let page = parallax::html::read_page(html);
        page.body.iter().map(|span| &page.text[span.range()]).collect::<Vec<_>>().join("\n\n")
    };
    let full = |html: &str| parallax::pipeline::body_of_html(html);
    println!("| system | precision | recall | accuracy | F1 | with found | without kept |");
    println!("|---|---|---|---|---|---|---|");
    for (name, extract) in [
        ("parallax (extraction + cleaning)", &full as &(dyn Fn(&str) -> String + Sync)),
        ("parallax extraction only (rs-trafilatura aligned)", &page_only),
    ] {
        let (counts, _) = parallax::eval::trafeval::run(dataset, extract)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| {
                format!("cannot run the boilerplate benchmark on {}", dataset.display())
            })?;
        let (precision, recall, accuracy, f1) = counts.scores();
        println!(
            "| {name} | {precision:.3} | {recall:.3} | {accuracy:.3} | {f1:.3} | {}/{} | {}/{} |",
            counts.tp,
            counts.tp + counts.fn_,
            counts.fp,
            counts.fp + counts.tn
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_times(dataset: &std::path::Path, dev: bool) -> anyhow::Result<ExitCode> {
    use parallax::eval::tempeval::{run, Split};
    let split = if dev { Split::Train } else { Split::Platinum };
    let report = run(dataset, split)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot run TempEval-3 on {}", dataset.display()))?;
    println!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}

fn bench_stories(dataset: &std::path::Path, dev: bool) -> anyhow::Result<ExitCode> {
    use parallax::eval::ecbstories::{run, Split};
    let split = if dev { Split::Dev } else { Split::Test };
    let started = Instant::now();
    let report = run(dataset, split, &parallax::stories::StoryConfig::default())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot run the story benchmark on {}", dataset.display()))?;
    println!("{}", report.table());
    println!("{:.2} s including reading the XML", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

fn bench_entities(dataset: &std::path::Path, dev: bool) -> anyhow::Result<ExitCode> {
    use parallax::eval::conll;
    let report =
        if dev { conll::run_with(dataset, conll::Split::Dev, None) } else { conll::run(dataset) }
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot run CoNLL-2003 on {}", dataset.display()))?;
    println!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}

fn bench_embed(sentences: usize) -> anyhow::Result<ExitCode> {
    let report = parallax::embed::bench(sentences).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn bench_framing(dataset: &std::path::Path, sample: usize) -> anyhow::Result<ExitCode> {
    let config = parallax::pipeline::Config { embedder: load_model(false)?, ..Default::default() };
    let report = parallax::eval::framing::run(dataset, &config, sample)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot run the framing bench on {}", dataset.display()))?;
    println!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}

fn bench_quotes(dataset: &std::path::Path, dev: bool) -> anyhow::Result<ExitCode> {
    use parallax::eval::polnear::{run, Split};
    let report = run(dataset, if dev { Split::Dev } else { Split::Test })
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot run PolNeAR on {}", dataset.display()))?;
    println!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}
