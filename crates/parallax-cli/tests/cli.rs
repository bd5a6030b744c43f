//! The command line: exit codes, bad input, the examples corpus.

use crate::support::{analyze, parallax, stderr, workspace};
use std::path::Path;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

const GOOD: &str = "Portvale, Northland – The harbour of Portvale reopened on Monday after the storm, the port authority said.\n\nWorkers cleared the quay over the weekend, the authority added in a statement.\n";

#[test]
fn usage_errors_exit_2() {
    assert_eq!(parallax(&["analyze"]).status.code(), Some(2));
    assert_eq!(parallax(&["frobnicate"]).status.code(), Some(2));
    let out = parallax(&["analyze", "/no/such/parallax/path", "--out", "/tmp/parallax-never.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such/parallax/path"));
}

#[test]
fn nothing_readable_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.txt", b"");
    let out_path = dir.path().join("out.json");
    let (output, json) = analyze(&[dir.path()], &out_path);
    assert_eq!(output.status.code(), Some(1));
    assert!(json.is_none());
    assert!(stderr(&output).contains("empty.txt"));
}

/// Each bad input gets a warning naming it; the good article is still analysed.
#[test]
fn bad_inputs_are_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(&input, "good.txt", GOOD.as_bytes());
    write(&input, "empty.txt", b"");
    write(&input, "binary.txt", &[0x7f, b'E', b'L', b'F', 0, 0, 0, 1, 2, 3, 0, 0]);
    write(
        &input,
        "latin1.txt",
        b"Portvale \xe9t\xe9: the harbour festival opened on Friday with music and boats.",
    );
    write(&input, "broken.html", b"<html><body><div><p>Unclosed paragraph about the harbour festival in Portvale that opened <b>on Friday");
    write(&input, "feed.jsonl", b"{\"id\":\"r1\",\"text\":\"A record about the port.\"}\n{not json\n{\"id\":\"r2\",\"text\":\"Another record about the port.\"}\n");
    write(&input, "huge.txt", &vec![b'a'; 4096]);
    write(&input, "notes.pdf", b"%PDF-1.4");
    let out_path = dir.path().join("out.json");
    let mut args =
        vec!["analyze", input.to_str().unwrap(), "--out", out_path.to_str().unwrap(), "--quiet"];
    args.extend(["--max-file-bytes", "2048"]);
    let output = parallax(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    for (file, reason) in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "transcoded"),
        ("feed.jsonl:2", "malformed JSON"),
        ("huge.txt", "larger than the limit"),
        ("notes.pdf", "not an input format"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(reason)),
            "no {reason:?} line for {file} in:\n{err}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    let ids: Vec<&str> =
        json["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["broken", "good", "latin1", "r1", "r2"]);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 6);
}

#[test]
fn every_span_equals_its_slice() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.json");
    let (output, json) = analyze(&[&workspace().join("examples")], &out_path);
    assert!(output.status.success(), "{}", stderr(&output));
    let json = json.unwrap();
    let texts: std::collections::HashMap<&str, &str> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["text"].as_str().unwrap()))
        .collect();
    let mut checked = 0;
    let mut check = |doc: &str, span: &serde_json::Value| {
        let text = texts[doc];
        let (start, end) =
            (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
        assert_eq!(text.get(start..end), span["text"].as_str(), "span {start}..{end} of {doc}");
        checked += 1;
    };
    for doc in json["documents"].as_array().unwrap() {
        let id = doc["id"].as_str().unwrap();
        for removed in doc["removed"].as_array().unwrap() {
            check(id, removed);
        }
        if !doc["published"]["evidence"].is_null() {
            check(id, &doc["published"]["evidence"]);
        }
    }
    for time in json["times"].as_array().unwrap() {
        check(time["doc"].as_str().unwrap(), time);
    }
    assert!(checked > 20, "only {checked} spans checked");
}

/// The answer key of `examples/README.md`: stories, thread and dates.
#[test]
fn examples_match_their_answer_key() {
    let dir = tempfile::tempdir().unwrap();
    let (output, json) = analyze(&[&workspace().join("examples")], &dir.path().join("out.json"));
    assert!(output.status.success(), "{}", stderr(&output));
    let json = json.unwrap();
    let mut stories: Vec<Vec<&str>> = json["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["documents"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect())
        .collect();
    stories.sort();
    assert_eq!(
        stories,
        vec![
            vec![
                "01_valdoria-state-agency",
                "02_lorvenna-ledger",
                "03_southmarch-courier",
                "04_meridian-post-saved"
            ],
            vec!["05_lorvenna-ledger-iron-tide", "knna-iron-tide-24"],
            vec!["aldine-lantern-festival"],
        ]
    );
    let threads = json["threads"].as_array().unwrap();
    assert_eq!(threads.len(), 1, "{threads:?}");
    assert_eq!(threads[0]["stories"].as_array().unwrap().len(), 2);
    for doc in json["documents"].as_array().unwrap() {
        let published = &doc["published"];
        let (value, earliest, latest) = (
            published["value"].as_str(),
            published["earliest"].as_str(),
            published["latest"].as_str(),
        );
        match doc["id"].as_str().unwrap() {
            "01_valdoria-state-agency" | "02_lorvenna-ledger" => {
                assert_eq!(value, Some("2024-03-11"))
            }
            "03_southmarch-courier" | "04_meridian-post-saved" => {
                assert_eq!(published["basis"], "story");
                assert_eq!(earliest, Some("2024-03-11"), "{published}");
                assert!(latest <= Some("2024-03-12"), "{published}");
            }
            "05_lorvenna-ledger-iron-tide" | "knna-iron-tide-24" => {
                assert_eq!(value, Some("2024-04-15"))
            }
            "aldine-lantern-festival" => assert_eq!(value, Some("2024-06-08")),
            other => panic!("unexpected document {other}"),
        }
    }
}

/// An article that carries markup gets a report where that markup is text.
#[test]
fn report_renders_injected_markup_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let payload = "Harbour news <script>alert(1)</script> and \"><img src=x onerror=alert(1)> in Portvale on Monday.";
    write(&input, "evil.txt", format!("{GOOD}\n{payload}\n").as_bytes());
    let (out, report) = (dir.path().join("out.json"), dir.path().join("report.html"));
    let output = parallax(&[
        "analyze",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
        "not a page"
    );
    // Only the report's own two script elements: the data block and the program.
    assert_eq!(html.matches("<script").count(), 2);
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("Content-Security-Policy"));
}
