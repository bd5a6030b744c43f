use super::*;
use crate::ingest::Limits;

const HARBOUR: &str = "Portvale, Northland – The harbour of Portvale reopened on Monday after the storm, the port authority said.\n\nWorkers cleared the quay over the weekend, Harbour Master Ilse Varn said in a statement. \"The ferries will run again on Tuesday,\" Varn told reporters.\n";
const HARBOUR_2: &str = "PORTVALE — Ferries will return to Portvale on Tuesday, Harbour Master Ilse Varn said on Monday, after the storm closed the harbour.\n\n\"The ferries will run again on Tuesday,\" Varn said.\n";
const MINES: &str = "Coal miners in Eastbury began a strike on Friday over pay, the miners' union said, and the Eastbury Mining Company called the walkout unlawful.\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn no_progress(_: usize, _: usize) {}

fn batch_json(paths: &[PathBuf]) -> Vec<u8> {
    let ingested = ingest::read_paths(paths, Limits::default()).unwrap();
    pipeline::analyze(ingested.documents, &ingested.diagnostics, &Config::default(), &|| {})
        .to_json()
}

#[test]
fn unchanged_articles_are_left_alone_and_changed_ones_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(&input, "a.txt", HARBOUR);
    write(&input, "b.txt", MINES);
    let mut store = SqliteStore::open(&dir.path().join("p.db")).unwrap();
    let options = IngestOptions::default();
    let first = ingest(&mut store, std::slice::from_ref(&input), &options, &no_progress).unwrap();
    assert_eq!((first.new, first.changed, first.unchanged), (2, 0, 0));
    assert!(!first.refresh.up_to_date);
    let generation = store.generation().unwrap();
    let again = ingest(&mut store, std::slice::from_ref(&input), &options, &no_progress).unwrap();
    assert_eq!((again.new, again.changed, again.unchanged, again.batches), (0, 0, 2, 0));
    assert!(again.refresh.up_to_date);
    assert_eq!(store.generation().unwrap(), generation, "a no-op must not write");
    write(&input, "b.txt", HARBOUR_2);
    let changed = ingest(&mut store, std::slice::from_ref(&input), &options, &no_progress).unwrap();
    assert_eq!((changed.new, changed.changed, changed.unchanged), (0, 1, 1));
    assert_eq!(store.n_articles().unwrap(), 2);
    assert!(store.check().unwrap().is_empty());
    // The stored analysis is the batch run's over the files as they are now.
    assert_eq!(store.analysis().unwrap().unwrap().json, batch_json(&[input]));
}

#[test]
fn batches_in_any_order_give_the_batch_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    let a = write(&input, "a.txt", HARBOUR);
    let b = write(&input, "b.txt", HARBOUR_2);
    let c = write(&input.join("sub"), "c.txt", MINES);
    // A file the reader refuses and one it transcodes: their diagnostics are part of the file.
    write(&input, "empty.txt", "");
    std::fs::write(input.join("latin1.txt"), b"Eastbury \xe9t\xe9: the miners' strike went on.")
        .unwrap();
    let expected = batch_json(std::slice::from_ref(&input));
    let mut store = SqliteStore::open(&dir.path().join("p.db")).unwrap();
    let options = IngestOptions { batch_size: 1, ..Default::default() };
    ingest(&mut store, &[c, b], &options, &no_progress).unwrap();
    ingest(
        &mut store,
        &[input.join("latin1.txt"), input.join("empty.txt"), a],
        &options,
        &no_progress,
    )
    .unwrap();
    let json = current_analysis(&mut store, &Config::default()).unwrap().json;
    assert_eq!(String::from_utf8(json).unwrap(), String::from_utf8(expected).unwrap());
}

#[test]
fn a_repeated_id_from_another_file_is_renamed_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("x")).unwrap();
    let one = write(dir.path(), "a.txt", HARBOUR);
    let two = write(&dir.path().join("x"), "a.txt", MINES);
    let mut store = SqliteStore::open(&dir.path().join("p.db")).unwrap();
    let options = IngestOptions::default();
    ingest(&mut store, std::slice::from_ref(&one), &options, &no_progress).unwrap();
    let report = ingest(&mut store, std::slice::from_ref(&two), &options, &no_progress).unwrap();
    assert_eq!(report.new, 1);
    assert!(report.diagnostics.iter().any(|d| d.message.contains("renamed to \"a~2\"")));
    let again = ingest(&mut store, &[one, two], &options, &no_progress).unwrap();
    assert_eq!((again.new, again.unchanged), (0, 2));
    assert_eq!(store.article_ids().unwrap(), ["a", "a~2"]);
}

#[test]
fn the_same_file_twice_in_one_run_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", HARBOUR);
    let mut store = SqliteStore::open(&dir.path().join("p.db")).unwrap();
    let report =
        ingest(&mut store, &[a.clone(), a], &IngestOptions::default(), &no_progress).unwrap();
    assert_eq!((report.new, report.unchanged), (1, 1));
    assert_eq!(store.n_articles().unwrap(), 1);
}

#[test]
fn jsonl_records_are_articles_with_their_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let line1 = serde_json::json!({"id": "r1", "text": HARBOUR, "outlet": "Ledger"}).to_string();
    let line2 = serde_json::json!({"id": "r2", "text": MINES}).to_string();
    let feed = write(dir.path(), "feed.jsonl", &format!("{line1}\n{{broken\n{line2}\n"));
    let mut store = SqliteStore::open(&dir.path().join("p.db")).unwrap();
    let report =
        ingest(&mut store, std::slice::from_ref(&feed), &IngestOptions::default(), &no_progress)
            .unwrap();
    assert_eq!(report.new, 2);
    assert!(report.diagnostics.iter().any(|d| d.origin.ends_with("feed.jsonl:2")));
    assert_eq!(store.article("r2").unwrap().unwrap().hash, content_hash("r2", line2.as_bytes()));
    // A changed record changes only its own article.
    let line2b = serde_json::json!({"id": "r2", "text": HARBOUR_2}).to_string();
    write(dir.path(), "feed.jsonl", &format!("{line1}\n{{broken\n{line2b}\n"));
    let report =
        ingest(&mut store, std::slice::from_ref(&feed), &IngestOptions::default(), &no_progress)
            .unwrap();
    assert_eq!((report.new, report.changed, report.unchanged), (0, 1, 1));
    assert_eq!(current_analysis(&mut store, &Config::default()).unwrap().json, batch_json(&[feed]));
}

#[test]
fn processed_documents_round_trip_through_json() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", HARBOUR);
    write(
        dir.path(),
        "b.html",
        "<html><head><title>Ferries return</title><meta property=\"article:published_time\" content=\"2024-03-11\"></head><body><p>Thu. Nov 14th, 2024</p><article><h1>Ferries return</h1><p>Ferries returned to Portvale on Monday, officials said.</p></article></body></html>",
    );
    let ingested = ingest::read_paths(&[dir.path().to_path_buf()], Limits::default()).unwrap();
    let config = Config::default();
    let processed: Vec<Processed> =
        ingested.documents.into_iter().map(|d| pipeline::process(d, &config)).collect();
    let back: Vec<Processed> = processed
        .iter()
        .map(|p| serde_json::from_slice(&serde_json::to_vec(p).unwrap()).unwrap())
        .collect();
    for (a, b) in processed.iter().zip(&back) {
        assert_eq!(serde_json::to_string(a).unwrap(), serde_json::to_string(b).unwrap());
    }
    assert_eq!(
        pipeline::assemble_processed(&processed, &[], &config).to_json(),
        pipeline::assemble_processed(&back, &[], &config).to_json()
    );
}

#[test]
fn search_finds_words_and_ignores_query_syntax() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", HARBOUR);
    write(dir.path(), "b.txt", MINES);
    let mut store = SqliteStore::open(&dir.path().join("p.db")).unwrap();
    ingest(&mut store, &[dir.path().to_path_buf()], &IngestOptions::default(), &no_progress)
        .unwrap();
    let hits = store.search(&query_terms("harbour", 8), 10).unwrap();
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["a"]);
    assert!(hits[0].snippet.iter().any(|(text, hit)| *hit && text.eq_ignore_ascii_case("harbour")));
    for hostile in ["\"", "NEAR(", "a AND OR", "*", "title:x", "'); DROP TABLE articles; --"] {
        store.search(&query_terms(hostile, 8), 10).unwrap();
    }
    assert_eq!(store.n_articles().unwrap(), 2);
    assert!(store.search(&query_terms("harbour miners", 8), 10).unwrap().is_empty());
}

#[test]
fn query_terms_are_bounded_words() {
    assert_eq!(query_terms("Ilse  Varn's \"harbour\"", 8), ["Ilse", "Varn", "s", "harbour"]);
    assert_eq!(query_terms(&"x ".repeat(100), 4).len(), 4);
    assert_eq!(query_terms(&"y".repeat(500), 4)[0].len(), 64);
}

#[test]
fn another_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE meta SET value = 'parallax.store/99' WHERE key = 'format'", []).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err().to_string();
    assert!(err.contains("parallax.store/99"), "{err}");
}

#[test]
fn an_analysis_made_with_other_settings_is_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", HARBOUR);
    let mut store = SqliteStore::open(&dir.path().join("p.db")).unwrap();
    ingest(&mut store, &[dir.path().to_path_buf()], &IngestOptions::default(), &no_progress)
        .unwrap();
    let default_key = config_key(&Config::default());
    assert_eq!(store.analysis().unwrap().unwrap().config, default_key);
    let other = Config { max_analysed_bytes: 1000, ..Config::default() };
    let refreshed = refresh(&mut store, &other).unwrap();
    assert!(!refreshed.up_to_date);
    assert_eq!(current_analysis(&mut store, &other).unwrap().config, config_key(&other));
    assert!(refresh(&mut store, &other).unwrap().up_to_date);
    assert!(!refresh(&mut store, &Config::default()).unwrap().up_to_date);
}
