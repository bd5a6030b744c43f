//! The store: `parallax ingest`, `parallax analyze --db`, and a kill -9 harness.

use crate::support::{parallax, shared, stderr};
use parallax::store::{SqliteStore, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `parallax ingest PATHS --db DB --quiet`, asserting success.
pub fn ingest(paths: &[&Path], db: &Path) {
    ingest_with(paths, db, &[]);
}

/// `parallax ingest PATHS --db DB --quiet EXTRA...`, asserting success.
fn ingest_with(paths: &[&Path], db: &Path, extra: &[&str]) {
    let mut args = vec!["ingest"];
    args.extend(paths.iter().map(|p| s(p)));
    args.extend(["--db", s(db), "--quiet"]);
    args.extend(extra);
    let output = parallax(&args);
    assert!(output.status.success(), "ingest failed: {}", stderr(&output));
}

/// `parallax analyze --db DB --out OUT --report REPORT --quiet`, asserting success.
pub fn export(db: &Path, out: &Path, report: &Path) {
    export_with(db, out, report, &[]);
}

/// `parallax analyze --db DB --out OUT --report REPORT --quiet EXTRA...`, asserting success.
fn export_with(db: &Path, out: &Path, report: &Path, extra: &[&str]) {
    let mut args = vec!["analyze", "--db", s(db), "--out", s(out), "--report", s(report)];
    args.extend(["--quiet"]);
    args.extend(extra);
    let output = parallax(&args);
    assert!(output.status.success(), "analyze --db failed: {}", stderr(&output));
}

/// `parallax analyze PATHS --out OUT --report REPORT --quiet EXTRA...`, asserting success.
fn batch(paths: &[&Path], out: &Path, report: &Path, extra: &[&str]) {
    let mut args = vec!["analyze"];
    args.extend(paths.iter().map(|p| s(p)));
    args.extend(["--out", s(out), "--report", s(report), "--quiet"]);
    args.extend(extra);
    let output = parallax(&args);
    assert!(output.status.success(), "analyze failed: {}", stderr(&output));
}

fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Ingesting a corpus in two batches, in another order than a folder walk,
/// then exporting gives the batch run's analysis file and report, byte for byte.
fn check_equivalence(corpus: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let (batch_out, batch_report) = (dir.path().join("batch.json"), dir.path().join("batch.html"));
    batch(&[corpus], &batch_out, &batch_report, &[]);
    let files = files_of(corpus);
    assert!(files.len() >= 3, "{} has too few files for this test", corpus.display());
    let half = files.len() / 2;
    let mut second: Vec<&Path> = files[..half].iter().map(PathBuf::as_path).collect();
    let mut first: Vec<&Path> = files[half..].iter().map(PathBuf::as_path).collect();
    first.reverse();
    second.reverse();
    let db = dir.path().join("p.db");
    ingest(&first, &db);
    ingest(&second, &db);
    // Again: nothing changes.
    ingest(&[corpus], &db);
    let (out, report) = (dir.path().join("store.json"), dir.path().join("store.html"));
    export(&db, &out, &report);
    let (expected, got) = (std::fs::read(&batch_out).unwrap(), std::fs::read(&out).unwrap());
    assert!(
        expected == got,
        "the store's analysis differs from the batch run's over {}",
        corpus.display()
    );
    assert!(std::fs::read(&batch_report).unwrap() == std::fs::read(&report).unwrap());
}

#[test]
fn store_export_equals_the_batch_run_on_the_seeds() {
    check_equivalence(&shared().join("corpus/seeds"));
}

#[test]
fn store_export_equals_the_batch_run_on_the_examples() {
    // HTML, JSONL and a file that is not input (its warning is part of the file).
    check_equivalence(&crate::support::workspace().join("examples"));
}

#[test]
fn ingest_and_export_report_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let out = dir.path().join("out.json");
    // No store yet.
    let output = parallax(&["analyze", "--db", s(&db), "--out", s(&out)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("parallax ingest"));
    // Paths and --db together.
    let output = parallax(&["analyze", s(dir.path()), "--db", s(&db), "--out", s(&out)]);
    assert_eq!(output.status.code(), Some(2));
    // A missing input path.
    let output = parallax(&["ingest", "/no/such/parallax/input", "--db", s(&db)]);
    assert_eq!(output.status.code(), Some(2));
    // Nothing readable.
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let output = parallax(&["ingest", s(&dir.path().join("empty.txt")), "--db", s(&db)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("empty.txt"));
}

// ------------------------------------------------------------------ kill -9

/// A small deterministic generator (64-bit LCG), so the harness can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mir", "ten", "va", "dor", "el", "sun", "bra", "ni", "tho", "rek", "osa", "lun",
    "gar", "fi", "pel", "zu", "mon", "tra",
];
const NOUNS: &[&str] = &[
    "harbour",
    "bridge",
    "council",
    "factory",
    "school",
    "railway",
    "hospital",
    "market",
    "festival",
    "reservoir",
    "airport",
    "museum",
];
const VERBS: &[&str] =
    &["reopened", "closed", "expanded", "inspected", "approved", "delayed", "funded", "opened"];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn name(rng: &mut Lcg, n_syllables: usize) -> String {
    let word: String = (0..n_syllables).map(|_| SYLLABLES[rng.below(20) as usize]).collect();
    let mut chars = word.chars();
    chars.next().unwrap().to_uppercase().chain(chars).collect()
}

/// Writes `n` generated articles (a third as JSONL records, ten to a file, the
/// rest as text files) about `n / 5 + 1` generated topics; returns their ids.
fn generate_corpus(dir: &Path, n: usize, seed: u64) -> Vec<String> {
    let mut rng = Lcg(seed);
    let n_topics = n / 5 + 1;
    let topics: Vec<(String, String, &str, &str, u32, u32)> = (0..n_topics)
        .map(|_| {
            let n_syllables = 2 + rng.below(2) as usize;
            let place = name(&mut rng, n_syllables);
            let person = format!("{} {}", name(&mut rng, 2), name(&mut rng, 3));
            let noun = NOUNS[rng.below(NOUNS.len() as u64) as usize];
            let verb = VERBS[rng.below(VERBS.len() as u64) as usize];
            (place, person, noun, verb, 1 + rng.below(12) as u32, 1 + rng.below(27) as u32)
        })
        .collect();
    let mut ids = Vec::new();
    let mut records = Vec::new();
    for k in 0..n {
        let (place, person, noun, verb, month, day) = &topics[k % n_topics];
        let agency = name(&mut rng, 2).to_uppercase();
        let mut text = format!(
            "{} {}: {} {} the {} after weeks of debate\n\n{}, {} {} ({}) – The {} of {} was {} on Monday, {} said at a briefing.\n\n",
            place, noun, place, verb, noun, place.to_uppercase(), MONTHS[*month as usize - 1], day, agency, noun, place, verb, person
        );
        for _ in 0..2 + rng.below(5) {
            let other = name(&mut rng, 2);
            text.push_str(&format!(
                "\"We expect the {} to serve {} families,\" {} told reporters, adding that {} officials from {} had visited the site on Tuesday. ",
                noun,
                100 + rng.below(9000),
                person.split(' ').nth(1).unwrap(),
                rng.below(20) + 2,
                other
            ));
        }
        text.push('\n');
        let id = format!("gen-{k:05}");
        if k % 3 == 0 {
            records.push(serde_json::json!({
                "id": id, "outlet": format!("{} Daily", name(&mut rng, 2)),
                "published": format!("2024-{month:02}-{day:02}"), "text": text,
            }));
        } else {
            std::fs::write(dir.join(format!("{id}.txt")), text).unwrap();
        }
        ids.push(id);
    }
    for (idx, chunk) in records.chunks(10).enumerate() {
        let lines: Vec<String> = chunk.iter().map(|r| r.to_string()).collect();
        std::fs::write(dir.join(format!("feed-{idx:03}.jsonl")), lines.join("\n") + "\n").unwrap();
    }
    ids.sort();
    ids
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value.parse().unwrap_or_else(|_| panic!("{name}={value:?} is not a number")),
        Err(_) => default,
    }
}

/// Kills `parallax ingest` with SIGKILL at random points, several rounds, then
/// lets it finish: after every kill the store is sound (integrity check, every
/// article with its per-document result and search entry, each id once), and
/// at the end it holds every article exactly once and exports the batch run's
/// analysis. `PARALLAX_KILL_ARTICLES` (default 200), `PARALLAX_KILL_ROUNDS`
/// (default 8) and `PARALLAX_KILL_SEED` replay it at other sizes.
#[test]
fn killed_ingests_leave_every_article_exactly_once() {
    let n_articles = env_number("PARALLAX_KILL_ARTICLES", 200) as usize;
    let rounds = env_number("PARALLAX_KILL_ROUNDS", 8);
    let seed = env_number("PARALLAX_KILL_SEED", 0x5eed);
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let ids = generate_corpus(&corpus, n_articles, seed);
    let db = dir.path().join("p.db");
    let mut rng = Lcg(seed ^ 0x9e37_79b9_7f4a_7c15);
    // Kill points: a random time in [scale / 5, scale], the scale growing by
    // half each round, so the kills fall at start-up, while batches are
    // processed and written, and (for the later rounds) in the refresh.
    let mut scale = Duration::from_millis(1000);
    let mut log = Vec::new();
    let mut n_killed = 0;
    for round in 0..rounds {
        let min = scale.as_millis() as u64 / 5;
        let delay = Duration::from_millis(min + rng.below(scale.as_millis() as u64 - min));
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
            .args(["ingest", s(&corpus), "--db", s(&db), "--quiet", "--batch-size", "8"])
            // The sentence model only serves the cross-document stages; loading
            // it would take the first seconds of every round.
            .arg("--no-model")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start parallax ingest");
        let mut finished = false;
        while started.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if !finished {
            // SIGKILL: no destructor, no rollback handler, nothing runs.
            child.kill().expect("kill -9 parallax ingest");
            n_killed += 1;
        }
        let status = child.wait().unwrap();
        let store = SqliteStore::open_existing(&db);
        let n_stored = match &store {
            Ok(store) => {
                let problems = store.check().unwrap();
                assert!(problems.is_empty(), "round {round}: {problems:?}");
                let stored = store.article_ids().unwrap();
                assert!(stored.windows(2).all(|w| w[0] < w[1]), "an id is stored twice");
                assert!(stored.iter().all(|id| ids.binary_search(id).is_ok()), "an unknown id");
                stored.len()
            }
            // Killed before the store's tables were created: nothing to check.
            Err(_) => 0,
        };
        log.push(format!(
            "round {round}: {} after {} ms, {n_stored}/{n_articles} articles stored",
            if finished { format!("finished ({status})") } else { "killed".to_string() },
            delay.as_millis()
        ));
        if finished {
            break;
        }
        scale = scale * 3 / 2;
    }
    // Resume to the end.
    ingest_with(&[&corpus], &db, &["--no-model"]);
    let store = SqliteStore::open_existing(&db).unwrap();
    assert!(store.check().unwrap().is_empty());
    assert_eq!(store.article_ids().unwrap(), ids, "every article exactly once");
    let (out, report) = (dir.path().join("store.json"), dir.path().join("store.html"));
    export_with(&db, &out, &report, &["--no-model"]);
    let (batch_out, batch_report) = (dir.path().join("batch.json"), dir.path().join("batch.html"));
    batch(&[&corpus], &batch_out, &batch_report, &["--no-model"]);
    assert!(
        std::fs::read(&out).unwrap() == std::fs::read(&batch_out).unwrap(),
        "after the kills, the store's analysis differs from the batch run's"
    );
    eprintln!(
        "kill -9 harness: {n_articles} articles, {n_killed} kills in {} rounds, then resumed: \
         {} articles stored, each once; store sound after every kill; export equals the batch run\n  {}",
        log.len(),
        ids.len(),
        log.join("\n  ")
    );
    assert!(n_killed > 0 || rounds == 0, "no ingest was killed: {log:?}");
}
