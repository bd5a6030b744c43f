//! The seed corpus through the scorer's gates, and determinism.

use crate::support::{analyze, shared, workspace};
use std::process::Command;

/// The scorer gates this build must pass on the seeds: the spine's
/// (bodies, dates, stories, threads, spans), the time layer's, and the
/// entity, quote, claim, event and framing gates.
const SEED_GATES: &[&str] = &[
    "boilerplate_removed=1",
    "body_kept=1",
    "published=1",
    "story_f1=1",
    "thread_link=1",
    "span_integrity=1",
    "time_recall=0.95",
    "time_value=0.9",
    "entity_recall=0.95",
    "entity_purity=1",
    "person_precision=0.95",
    "trap_free=1",
    "quote_recall=0.95",
    "quote_speaker=0.95",
    "quote_kind=0.9",
    "quote_group_pairs=0.9",
    "quote_group_precision=0.9",
    "claim_positions=0.8",
    "claim_grouping=0.8",
    "event_recall=0.8",
    "event_documents=0.8",
    "framing_recall=0.66",
];

#[test]
fn seeds_pass_the_scorer_gates() {
    let shared = shared();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("analysis.json");
    let (output, json) = analyze(&[&shared.join("corpus/seeds")], &out);
    assert!(output.status.success(), "analyze failed: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(json.unwrap()["schema"], "parallax.analysis/1");
    let mut score = Command::new("python3");
    score
        .arg(shared.join("tools/score"))
        .arg(shared.join("corpus/seeds-gold.json"))
        .arg(&out)
        .arg("--corpus")
        .arg(shared.join("corpus/seeds"));
    for gate in SEED_GATES {
        score.arg("--min").arg(gate);
    }
    let result = score.output().expect("run ../shared/tools/score with python3");
    let report = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "seed gates failed:\n{report}{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn same_input_gives_byte_identical_output() {
    let shared = shared();
    let dir = tempfile::tempdir().unwrap();
    let seeds = shared.join("corpus/seeds");
    let examples = workspace().join("examples");
    let (first, second) = (dir.path().join("a.json"), dir.path().join("b.json"));
    let (out_a, _) = analyze(&[&seeds, &examples], &first);
    let (out_b, _) = analyze(&[&seeds, &examples], &second);
    assert!(out_a.status.success() && out_b.status.success());
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
}
