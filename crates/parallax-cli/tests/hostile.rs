//! A bad-input corpus, generated here (nothing of it is committed): each
//! hostile input is put beside one good article and the binary is run on the
//! folder. Every case asserts the warning that names the file and its reason,
//! that the good article (and whatever the bad input still holds) was
//! analysed, and the exit code the README documents (0: the analysis was
//! written). Each case prints one row of the bad-input table (input, what
//! parallax printed, exit code, peak resident memory of the run); see them with
//! `cargo test -p parallax-cli --test tests hostile -- --nocapture --test-threads 1`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const GOOD: &str = "Portvale, Northland – The harbour of Portvale reopened on Monday after the storm, the port authority said.\n\nWorkers cleared the quay over the weekend, the authority added in a statement.\n";

/// One run of `parallax analyze IN --out OUT --quiet EXTRA...` with its peak memory.
struct Run {
    code: Option<i32>,
    stderr: String,
    json: Option<serde_json::Value>,
    /// Peak resident set (VmHWM) of the child in KiB, polled while it ran.
    peak_kib: u64,
}

impl Run {
    fn ids(&self) -> Vec<String> {
        let Some(json) = &self.json else { return Vec::new() };
        json["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// Asserts a line of stderr names `file` and says `reason`.
    fn assert_warned(&self, file: &str, reason: &str) {
        assert!(
            self.stderr.lines().any(|l| l.contains(file) && l.contains(reason)),
            "no line naming {file:?} with {reason:?} in:\n{}",
            self.stderr
        );
    }

    /// Prints the case's row of the bad-input table.
    fn row(&self, input: &str) {
        let printed: Vec<String> = self
            .stderr
            .lines()
            .map(|l| {
                // Temporary folder names differ from run to run; keep the file name.
                let l = l.split("/in/").last().unwrap_or(l);
                let l: String = l.chars().take(160).collect();
                l.replace('|', "\\|")
            })
            .collect();
        println!(
            "| {input} | {} | {} | {:.1} MiB |",
            printed.join("<br>"),
            self.code.map_or("signal".to_string(), |c| c.to_string()),
            self.peak_kib as f64 / 1024.0
        );
    }
}

/// Runs the binary on `input`, polling its VmHWM until it exits.
fn run(input: &Path, extra: &[&str]) -> Run {
    let out = input.parent().unwrap().join("out.json");
    let _ = std::fs::remove_file(&out);
    let child = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("analyze")
        .arg(input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run parallax");
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let waiter = std::thread::spawn(move || child.wait_with_output().expect("wait for parallax"));
    let mut peak_kib = 0;
    while !waiter.is_finished() {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            if let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let output = waiter.join().unwrap();
    let json = std::fs::read(&out)
        .ok()
        .map(|bytes| serde_json::from_slice(&bytes).expect("the analysis file is JSON"));
    Run {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        json,
        peak_kib,
    }
}

/// A folder `in/` holding the good article and the case's files.
fn folder_with(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("good.txt"), GOOD).unwrap();
    for (name, bytes) in files {
        let path = input.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    (dir, input)
}

/// Runs one case: the run exits 0, names `file` with `reason`, and the
/// analysis holds exactly `ids` (the good article's id is `good`).
fn case(input_name: &str, files: &[(&str, &[u8])], file: &str, reason: &str, ids: &[&str]) -> Run {
    let (_dir, input) = folder_with(files);
    let res = run(&input, &[]);
    res.row(input_name);
    assert_eq!(res.code, Some(0), "{}", res.stderr);
    res.assert_warned(file, reason);
    assert_eq!(res.ids(), ids, "{}", res.stderr);
    res
}

#[test]
fn empty_file() {
    case("empty file", &[("empty.txt", b"")], "empty.txt", "skipped: empty file", &["good"]);
}

#[test]
fn only_white_space() {
    case(
        "only white space",
        &[("blank.txt", b" \n\t\r\n  \n\x0c\n")],
        "blank.txt",
        "skipped: empty",
        &["good"],
    );
}

/// Bytes of a simple generator (xorshift), the same on every run.
fn garbage(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_garbage() {
    let bytes = garbage(64 * 1024, 0x9e37_79b9_7f4a_7c15);
    case("binary garbage (64 KiB)", &[("garbage.txt", &bytes)], "garbage.txt", "binary", &["good"]);
}

#[test]
fn binary_garbage_as_html_and_jsonl() {
    let bytes = garbage(16 * 1024, 7);
    let (_dir, input) = folder_with(&[("garbage.html", &bytes), ("garbage.jsonl", &bytes)]);
    let res = run(&input, &[]);
    res.row("binary garbage as .html and .jsonl");
    assert_eq!(res.code, Some(0), "{}", res.stderr);
    res.assert_warned("garbage.html", "binary");
    res.assert_warned("garbage.jsonl", "binary");
    assert_eq!(res.ids(), ["good"]);
}

#[test]
fn invalid_utf8() {
    let mut bytes = b"The river ferry resumed service on Tuesday, the operator said ".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x82]);
    bytes.extend_from_slice(b" after the repairs were finished.\n");
    let res = case(
        "invalid UTF-8",
        &[("broken-utf8.txt", &bytes)],
        "broken-utf8.txt",
        "not UTF-8: transcoded from",
        &["broken-utf8", "good"],
    );
    let text = res.json.as_ref().unwrap()["documents"][0]["text"].as_str().unwrap().to_string();
    assert!(text.starts_with("The river ferry") && text.contains("repairs"), "{text}");
}

#[test]
fn utf16_with_bom() {
    let article = "The ferry resumed service on Tuesday, the operator said after repairs.\n";
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(article.encode_utf16().flat_map(u16::to_le_bytes));
    let mut bytes_be = vec![0xfe, 0xff];
    bytes_be.extend(article.encode_utf16().flat_map(u16::to_be_bytes));
    let res = case(
        "UTF-16 LE and BE with BOM",
        &[("utf16le.txt", &bytes), ("utf16be.txt", &bytes_be)],
        "utf16le.txt",
        "transcoded from UTF-16LE",
        &["good", "utf16be", "utf16le"],
    );
    res.assert_warned("utf16be.txt", "transcoded from UTF-16BE");
    let doc = &res.json.as_ref().unwrap()["documents"][2];
    assert_eq!(doc["text"], article);
}

#[test]
fn latin1() {
    case(
        "Latin-1",
        &[("latin1.txt", b"Le caf\xe9 du port a rouvert lundi, a d\xe9clar\xe9 la mairie apr\xe8s la temp\xeate.\n")],
        "latin1.txt",
        "transcoded from windows-1252",
        &["good", "latin1"],
    );
}

/// 50 MB of article text (paragraphs of generated sentences). The run reads it
/// whole and analyses its first 4 MiB (the documented analysis limit) with a
/// warning, or, in a debug build on a slow machine, cuts the document off at
/// the time budget with a warning; either way the rest is analysed and memory
/// stays within a generous bound. (A release build takes about 30 s and
/// 380 MiB on 2 shared cores; see the README.)
#[test]
fn article_of_50_mb() {
    let mut text = String::with_capacity(50 * 1024 * 1024 + 200);
    let mut idx = 0u64;
    while text.len() < 50 * 1024 * 1024 {
        idx += 1;
        text.push_str(&format!(
            "Paragraph {idx}: the council of Portvale met on Monday and said the harbour budget would rise by {} percent next year.\n\n",
            idx % 97
        ));
    }
    let (_dir, input) = folder_with(&[("huge.txt", text.as_bytes())]);
    let res = run(&input, &["--doc-timeout-ms", "20000"]);
    res.row("a 50 MB article");
    assert_eq!(res.code, Some(0), "{}", res.stderr);
    assert!(
        res.stderr.lines().any(|l| l.contains("huge.txt")
            && (l.contains("longer than the analysis limit") || l.contains("time budget"))),
        "{}",
        res.stderr
    );
    assert_eq!(res.ids(), ["good", "huge"], "{}", res.stderr);
    // The text (50 MB) is held a few times over (input, body, output); 2 GiB
    // is far above what it needs and far below what a leak would take.
    assert!(res.peak_kib < 2 * 1024 * 1024, "peak {} KiB", res.peak_kib);
}

#[test]
fn file_of_100k_lines() {
    let mut text = String::new();
    for idx in 0..100_000 {
        text.push_str(&format!("Line {idx} of the harbour log: the tide rose.\n"));
    }
    let (_dir, input) = folder_with(&[("lines.txt", text.as_bytes())]);
    let res = run(&input, &["--doc-timeout-ms", "20000"]);
    res.row("a 100k-line file");
    assert_eq!(res.code, Some(0), "{}", res.stderr);
    // 4.6 MB: analysed up to the limit, or cut at the time budget in a slow debug build.
    assert!(
        res.stderr.lines().any(|l| l.contains("lines.txt")
            && (l.contains("longer than the analysis limit") || l.contains("time budget"))),
        "{}",
        res.stderr
    );
    assert_eq!(res.ids(), ["good", "lines"], "{}", res.stderr);
}

#[test]
fn html_nested_100k_levels() {
    let depth = 100_000;
    let mut markup = String::from("<html><body>");
    markup.push_str(&"<div>".repeat(depth));
    markup.push_str("<p>The harbour reopened on Monday after the storm, the port authority of Portvale said in a statement.</p>");
    markup.push_str(&"</div>".repeat(depth));
    markup.push_str("</body></html>");
    let res = case(
        "HTML nested 10^5 levels",
        &[("deep.html", markup.as_bytes())],
        "deep.html",
        "nested",
        &["deep", "good"],
    );
    let doc = &res.json.as_ref().unwrap()["documents"][0];
    assert!(doc["text"].as_str().unwrap().contains("The harbour reopened"));
}

#[test]
fn html_without_body() {
    case(
        "HTML with no body",
        &[(
            "headless.html",
            b"<html><head><title>Harbour news</title><meta charset=utf-8></head></html>",
        )],
        "headless.html",
        "no visible text",
        &["good"],
    );
}

#[test]
fn jsonl_with_a_broken_line() {
    case(
        "JSONL, broken line between two good ones",
        &[(
            "feed.jsonl",
            b"{\"id\":\"r1\",\"text\":\"The ferry resumed service on Tuesday.\"}\n{\"id\":\"r2\",\"text\":\"unterminated\n{\"id\":\"r3\",\"text\":\"The quay was cleared on Wednesday.\"}\n",
        )],
        "feed.jsonl:2",
        "malformed JSON record",
        &["good", "r1", "r3"],
    );
}

#[test]
fn duplicate_ids() {
    let res = case(
        "duplicate ids (JSONL records, files of one name in two folders)",
        &[
            (
                "feed.jsonl",
                b"{\"id\":\"same\",\"text\":\"The ferry resumed service on Tuesday.\"}\n{\"id\":\"same\",\"text\":\"The quay was cleared on Wednesday.\"}\n",
            ),
            ("sub/good.txt", b"A second article of the same name about the harbour tide.\n"),
        ],
        "feed.jsonl:2",
        "duplicate id \"same\"",
        &["good", "good~2", "same", "same~2"],
    );
    res.assert_warned("sub/good.txt", "duplicate id \"good\"");
}

/// Files that vanish or cannot be read: a dangling symbolic link (the file was
/// deleted after it was linked), a FIFO named `.txt` (reading it would block
/// forever), a folder named `.txt`, a file whose read fails with an IO error
/// (`/proc/self/mem` reads fail at offset 0, even for root), and, when not
/// root, a file without read permission.
#[cfg(unix)]
#[test]
fn unreadable_and_vanished_files() {
    let (_dir, input) = folder_with(&[(
        "folder.txt/inner.txt",
        b"An article inside a folder named like a file.\n",
    )]);
    std::os::unix::fs::symlink(input.join("deleted.txt"), input.join("gone.txt")).unwrap();
    std::os::unix::fs::symlink("/proc/self/mem", input.join("ioerror.txt")).unwrap();
    let fifo = Command::new("mkfifo").arg(input.join("pipe.txt")).status();
    let has_fifo = fifo.is_ok_and(|s| s.success());
    std::fs::write(input.join("locked.txt"), GOOD).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(input.join("locked.txt"), std::fs::Permissions::from_mode(0o000))
        .unwrap();
    // Root reads whatever the permissions say.
    let permissions_hold = std::fs::read(input.join("locked.txt")).is_err();
    let res = run(&input, &[]);
    res.row(
        "vanished / unreadable files (dangling link, FIFO, folder named .txt, IO error, chmod 000)",
    );
    assert_eq!(res.code, Some(0), "{}", res.stderr);
    res.assert_warned("gone.txt", "No such file");
    res.assert_warned("ioerror.txt", "cannot read");
    if has_fifo {
        res.assert_warned("pipe.txt", "not a regular file");
    }
    let mut expected = vec!["good", "inner"];
    if permissions_hold {
        res.assert_warned("locked.txt", "cannot open");
    } else {
        expected.push("locked");
    }
    assert_eq!(res.ids(), expected, "{}", res.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    let (_dir, input) =
        folder_with(&[("sub/inner.txt", b"An article about the tide in a sub-folder.\n")]);
    std::os::unix::fs::symlink(&input, input.join("sub/back-to-top")).unwrap();
    std::os::unix::fs::symlink("self.txt", input.join("self.txt")).unwrap();
    let res = run(&input, &[]);
    res.row("symbolic link loops (a folder link to its ancestor, a link to itself)");
    assert_eq!(res.code, Some(0), "{}", res.stderr);
    res.assert_warned("back-to-top", "symbolic link loop");
    res.assert_warned("self.txt", "skipped");
    assert_eq!(res.ids(), ["good", "inner"]);
}

/// Only bad input: exit 1 and no analysis file.
#[test]
fn nothing_readable() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("empty.txt"), b"").unwrap();
    std::fs::write(input.join("garbage.txt"), garbage(1000, 3)).unwrap();
    let res = run(&input, &[]);
    res.row("only bad files");
    assert_eq!(res.code, Some(1), "{}", res.stderr);
    assert!(res.json.is_none());
    res.assert_warned("garbage.txt", "binary");
    res.assert_warned("", "no document could be read");
}

/// A document whose stages overrun the per-document time budget is cut off
/// with a warning naming it; it stays in the output with its text, and the
/// other documents are analysed in full.
#[test]
fn time_budget_cuts_a_slow_document() {
    let mut text = String::new();
    for idx in 0..20_000 {
        text.push_str(&format!("Minister Ana Ruiz said on Monday that the harbour tax would rise by {idx} percent.\n\n"));
    }
    let (_dir, input) = folder_with(&[("slow.txt", text.as_bytes())]);
    let res = run(&input, &["--doc-timeout-ms", "1"]);
    res.row("a 1.7 MB article with a 1 ms time budget");
    assert_eq!(res.code, Some(0), "{}", res.stderr);
    res.assert_warned("slow.txt", "longer than the time budget of 1 ms");
    assert_eq!(res.ids(), ["good", "slow"]);
    let slow = &res.json.as_ref().unwrap()["documents"][1];
    assert_eq!(slow["text"].as_str().map(str::len), Some(text.len()));
    assert_eq!(slow["body"], "");
}
