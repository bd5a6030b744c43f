//! Fetches the sentence model into the cache (or checks `PARALLAX_MODEL_DIR`)
//! and loads it once, so that CI fails here, with the reason, before any test.
//!
//! `cargo run -p parallax --example fetch_model`

use std::process::ExitCode;

fn main() -> ExitCode {
    let model_dir = match parallax::embed::model_dir() {
        Ok(model_dir) => model_dir,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(err) = parallax::embed::Embedder::load(&model_dir) {
        eprintln!("error: {err}");
        return ExitCode::FAILURE;
    }
    eprintln!("parallax: sentence model ready in {}", model_dir.display());
    ExitCode::SUCCESS
}
