//! `parallax bench stance` (FNC-1) and `parallax bench events` (ECB+ event
//! coreference): argument glue around `parallax::eval::{fnc1, ecbevents}`.

use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// The sentence model, or none when asked for none.
fn model(no_model: bool) -> anyhow::Result<Option<&'static parallax::embed::Embedder>> {
    if no_model {
        return Ok(None);
    }
    parallax::embed::Embedder::shared()
        .map(Some)
        .map_err(|err| anyhow::anyhow!("{err}\npass --no-model to run with shared words only"))
}

/// FNC-1 stance: the competition test split, or with `dev` the label-free
/// calibration on the training bodies (every `stride`-th body with the model).
pub fn stance(
    dataset: &Path,
    dev: bool,
    no_model: bool,
    stride: usize,
) -> anyhow::Result<ExitCode> {
    use parallax::eval::fnc1;
    let started = Instant::now();
    let embedder = model(no_model)?;
    if dev {
        for (name, e) in [("shared words only", None), ("MiniLM + shared words", embedder)] {
            if name.starts_with("MiniLM") && e.is_none() {
                continue;
            }
            let stride = if e.is_some() { stride } else { 1 };
            let calibration = fnc1::calibrate(dataset, e, stride)
                .map_err(|e| anyhow::anyhow!("{e}"))
                .with_context(|| format!("cannot read FNC-1 from {}", dataset.display()))?;
            println!("## {name} (training bodies, stride {stride})\n\n{}", calibration.notes);
        }
        // Sentences the reading calls refuting or hedged, for hand checks.
        let samples = fnc1::stance_samples(dataset, 41, 40)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot read FNC-1 from {}", dataset.display()))?;
        println!("## Sample readings (every 41st training body)\n");
        for (sentence, reading) in samples {
            let stance = reading.stance.map_or("-", |s| s.as_str());
            println!(
                "- [{stance} refutes={} hedges={}] {sentence}",
                reading.refutes, reading.hedges
            );
        }
        println!("\n{:.1} s", started.elapsed().as_secs_f64());
        return Ok(ExitCode::SUCCESS);
    }
    let report = fnc1::run(dataset, embedder)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot run FNC-1 on {}", dataset.display()))?;
    println!("{}", report.table());
    println!("{:.1} s in all, loading the model included", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// ECB+ cross-document event coreference: the test topics, or with `dev`
/// the train and development topics and a search over settings.
pub fn events(dataset: &Path, dev: bool, no_model: bool) -> anyhow::Result<ExitCode> {
    use parallax::eval::ecbevents::{run, Split};
    let started = Instant::now();
    let embedder = model(no_model)?;
    let split = if dev { Split::TrainDev } else { Split::Test };
    let report = run(dataset, split, embedder, dev)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot run ECB+ event coreference on {}", dataset.display()))?;
    println!("{}", report.table());
    println!("{:.1} s in all, loading the model included", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}
