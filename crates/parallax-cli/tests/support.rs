//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// `../shared` beside the repository; panics with a clear message when missing.
pub fn shared() -> PathBuf {
    let shared = workspace().join("../shared");
    assert!(
        shared.join("corpus/seeds").is_dir() && shared.join("tools/score").is_file(),
        "this test needs ../shared (the seed corpus and tools/score) beside the repository at {}; \
         it is part of the project checkout, not of this repository",
        shared.display()
    );
    shared
}

/// Runs the built `parallax` binary.
pub fn parallax(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parallax")).args(args).output().expect("run parallax")
}

/// Runs `parallax analyze PATHS --out OUT --quiet` and returns the output and the parsed file.
pub fn analyze(paths: &[&Path], out: &Path) -> (Output, Option<serde_json::Value>) {
    let mut args: Vec<String> = vec!["analyze".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string(), "--quiet".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = parallax(&args);
    let json = std::fs::read(out)
        .ok()
        .map(|bytes| serde_json::from_slice(&bytes).expect("analysis is JSON"));
    (output, json)
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
