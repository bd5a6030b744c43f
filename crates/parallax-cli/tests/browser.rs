//! The report and the web UI in a real browser: Debian's chromium driven
//! headless through chromedriver (WebDriver, the `fantoccini` client).
//!
//! These tests need `chromium` and `chromium-driver` (`.ci/run` installs them).
//! Without chromedriver they fail and say so, unless `PARALLAX_SKIP_BROWSER=1`.

use crate::serve::{write_hostile, IMG_PAYLOAD, SCRIPT_PAYLOAD};
use crate::server::Server;
use crate::store::{export, ingest};
use crate::support::{shared, workspace};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs the driver and the browser.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The driver's path, `None` when the test should be skipped; panics when it
/// is missing and skipping was not asked for.
fn chromedriver() -> Option<PathBuf> {
    let found = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| Path::new(CHROMEDRIVER).is_file().then(|| PathBuf::from(CHROMEDRIVER)));
    match found {
        Some(path) => Some(path),
        None if std::env::var("PARALLAX_SKIP_BROWSER").as_deref() == Ok("1") => {
            eprintln!("skipped: chromedriver is missing and PARALLAX_SKIP_BROWSER=1");
            None
        }
        None => panic!(
            "the browser tests need chromedriver at {CHROMEDRIVER}: install Debian's chromium and \
             chromium-driver (`apt-get install chromium chromium-driver`; .ci/run does it), or set \
             PARALLAX_SKIP_BROWSER=1 to skip them"
        ),
    }
}

/// A running chromedriver, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_driver(path: &Path) -> Driver {
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, port, _profile: tempfile::tempdir().unwrap() }
}

/// A headless browser session with a fresh profile.
async fn browser(driver: &Driver) -> Client {
    let mut options = json!({
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000",
            format!("--user-data-dir={}", driver._profile.path().display()),
        ],
    });
    if Path::new(CHROMIUM).is_file() {
        options["binary"] = Value::String(CHROMIUM.to_string());
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    capabilities.insert("unhandledPromptBehavior".into(), json!("ignore"));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a chromium session through chromedriver")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Evaluates `script` (a function body) in the page.
async fn eval(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Waits until `script` returns true.
async fn wait_for(client: &Client, script: &str, what: &str) {
    let started = Instant::now();
    loop {
        if eval(client, script).await == Value::Bool(true) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn count(client: &Client, css: &str) -> usize {
    client.find_all(Locator::Css(css)).await.unwrap().len()
}

/// Where screenshots go: `<target dir>/browser/`.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let dir = target.join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    let path = screenshot_dir().join(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
    path
}

fn list<'a>(analysis: &'a Value, name: &str) -> &'a [Value] {
    analysis[name].as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn is_dated(doc: &Value) -> bool {
    ["value", "earliest", "latest"].iter().any(|k| doc["published"][k].is_string())
}

/// What the views must show for this analysis.
struct Expected {
    dated_stories: BTreeSet<String>,
    dated_documents: usize,
    n_events: usize,
    graph_nodes: usize,
    /// The story with the most quote groups, its groups' quote texts.
    quote_story: Option<(String, usize, Vec<String>)>,
}

fn expected(analysis: &Value) -> Expected {
    let documents = list(analysis, "documents");
    let dated: BTreeSet<&str> =
        documents.iter().filter(|d| is_dated(d)).filter_map(|d| d["id"].as_str()).collect();
    let dated_stories = list(analysis, "stories")
        .iter()
        .filter(|s| {
            s["when"].is_string()
                || list(s, "documents").iter().any(|d| dated.contains(d.as_str().unwrap_or("")))
        })
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    let quotes: std::collections::BTreeMap<&str, &Value> =
        list(analysis, "quotes").iter().map(|q| (q["id"].as_str().unwrap(), q)).collect();
    let mut quote_story = None;
    for story in list(analysis, "stories") {
        let docs: BTreeSet<&str> =
            list(story, "documents").iter().filter_map(Value::as_str).collect();
        let groups: Vec<&Value> = list(analysis, "quote_groups")
            .iter()
            .filter(|g| {
                list(g, "quotes")
                    .iter()
                    .any(|q| docs.contains(quotes[q.as_str().unwrap()]["doc"].as_str().unwrap()))
            })
            .collect();
        let texts: Vec<String> = groups
            .iter()
            .flat_map(|g| list(g, "quotes"))
            .map(|q| quotes[q.as_str().unwrap()]["text"].as_str().unwrap().to_string())
            .collect();
        if !groups.is_empty()
            && quote_story
                .as_ref()
                .is_none_or(|(_, n, _): &(String, usize, Vec<String>)| groups.len() > *n)
        {
            quote_story = Some((story["id"].as_str().unwrap().to_string(), groups.len(), texts));
        }
    }
    Expected {
        dated_stories,
        dated_documents: dated.len(),
        n_events: list(analysis, "events").len(),
        graph_nodes: list(analysis, "entities").len().min(60),
        quote_story,
    }
}

/// Checks the timeline, the graph (with a click on an entity) and the quote
/// comparison of the page at `base` (the server's `/` or a report file) against
/// the analysis, and saves screenshots named after `label`.
async fn check_views(client: &Client, base: &str, analysis: &Value, label: &str) -> Vec<PathBuf> {
    let want = expected(analysis);
    let mut shots = Vec::new();
    client.goto(&format!("{base}#timeline")).await.unwrap();
    wait_for(
        client,
        "return document.querySelectorAll('#view-timeline rect.tl-band').length > 0",
        "the timeline",
    )
    .await;
    let labels = eval(
        client,
        "return [...document.querySelectorAll('#view-timeline text.tl-story-label')].map(t => t.textContent.split(/\\s+/)[0])",
    )
    .await;
    let shown: BTreeSet<String> =
        labels.as_array().unwrap().iter().filter_map(|v| v.as_str()).map(str::to_string).collect();
    assert!(
        want.dated_stories.is_subset(&shown),
        "{label}: timeline bands {shown:?}, dated stories {:?}",
        want.dated_stories
    );
    let rows = count(client, "#view-timeline g.tl-row").await;
    assert!(
        rows >= want.dated_documents && rows <= want.dated_documents + want.n_events,
        "{label}: {rows} timeline rows for {} dated documents and {} events",
        want.dated_documents,
        want.n_events
    );
    shots.push(screenshot(client, &format!("{label}-timeline.png")).await);

    client.goto(&format!("{base}#graph")).await.unwrap();
    wait_for(
        client,
        "return document.querySelectorAll('#view-graph g.g-node').length > 0",
        "the graph",
    )
    .await;
    assert_eq!(
        count(client, "#view-graph g.g-node").await,
        want.graph_nodes,
        "{label}: graph nodes"
    );
    // Click an entity: the page routes to it and its panel lists its aliases.
    let circle = client.find(Locator::Css("#view-graph g.g-node circle")).await.unwrap();
    circle.click().await.unwrap();
    wait_for(client, "return location.hash.startsWith('#graph/')", "the entity route").await;
    let hash =
        eval(client, "return decodeURIComponent(location.hash.slice('#graph/'.length))").await;
    let entity = list(analysis, "entities")
        .iter()
        .find(|e| e["id"] == hash)
        .unwrap_or_else(|| panic!("{label}: clicked {hash}, which is no entity"));
    let panel = client.find(Locator::Css(".entity-panel")).await.unwrap().text().await.unwrap();
    assert!(panel.contains(entity["name"].as_str().unwrap()), "{label}: panel {panel:?}");
    for alias in list(entity, "aliases") {
        assert!(panel.contains(alias.as_str().unwrap()), "{label}: alias {alias} not in {panel:?}");
    }
    shots.push(screenshot(client, &format!("{label}-entity.png")).await);

    if let Some((story, n_groups, texts)) = &want.quote_story {
        client.goto(&format!("{base}#stories/{story}")).await.unwrap();
        wait_for(
            client,
            "return document.querySelectorAll('#view-stories .qgroup').length > 0",
            "the quote groups",
        )
        .await;
        assert_eq!(
            count(client, "#view-stories .qgroup").await,
            *n_groups,
            "{label}: quote groups"
        );
        let shown = eval(
            client,
            "return [...document.querySelectorAll('#view-stories .qgroup .quote-col blockquote')].map(b => b.textContent)",
        )
        .await;
        let shown: Vec<String> =
            shown.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
        let (mut a, mut b) = (shown.clone(), texts.clone());
        a.sort();
        b.sort();
        assert_eq!(a, b, "{label}: quote columns");
        // Words not shared with the first rendering are marked.
        assert!(count(client, "#view-stories .qgroup blockquote *").await > 0);
        shots.push(screenshot(client, &format!("{label}-quotes.png")).await);
    }
    shots
}

fn seeds_store(dir: &Path) -> (PathBuf, PathBuf, Value) {
    let db = dir.join("seeds.db");
    ingest(&[&shared().join("corpus/seeds")], &db);
    let (out, report) = (dir.join("seeds.json"), dir.join("seeds.html"));
    export(&db, &out, &report);
    let analysis = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    (db, report, analysis)
}

#[test]
fn browser_shows_the_seeds_in_the_web_ui_and_the_report() {
    let Some(driver_path) = chromedriver() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (db, report, analysis) = seeds_store(dir.path());
    assert!(expected(&analysis).quote_story.is_some(), "the seeds have no quote group");
    let server = Server::start(&db, &[]);
    let driver = start_driver(&driver_path);
    runtime().block_on(async {
        let client = browser(&driver).await;
        let live = check_views(&client, &server.url("/"), &analysis, "live").await;
        // Search from the live page's tab.
        client.goto(&server.url("/")).await.unwrap();
        client.find(Locator::Css("#tabs a[href='/search']")).await.unwrap().click().await.unwrap();
        wait_for(&client, "return location.pathname === '/search'", "the search page").await;
        let file_url = format!("file://{}", report.display());
        let file = check_views(&client, &file_url, &analysis, "report-file").await;
        client.close().await.unwrap();
        assert_eq!(live.len() + file.len(), 6);
    });
}

#[test]
fn browser_runs_no_article_markup() {
    let Some(driver_path) = chromedriver() else { return };
    let dir = tempfile::tempdir().unwrap();
    let hostile = write_hostile(dir.path());
    let db = dir.path().join("hostile.db");
    ingest(&[&hostile], &db);
    let (out, report) = (dir.path().join("h.json"), dir.path().join("h.html"));
    export(&db, &out, &report);
    let server = Server::start(&db, &[]);
    let driver = start_driver(&driver_path);
    runtime().block_on(async {
        let client = browser(&driver).await;
        let pages = [
            server.url("/#documents/hostile-page"),
            server.url("/#documents/hostile-record"),
            server.url("/#stories"),
            server.url("/search?q=quay"),
            format!("file://{}#documents/hostile-record", report.display()),
            format!("file://{}#documents/hostile-page", report.display()),
        ];
        for page in &pages {
            client.goto(page).await.unwrap();
            wait_for(&client, "return document.readyState === 'complete'", page).await;
            // Give an injected handler (an image error) the time to fire.
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert!(client.get_alert_text().await.is_err(), "{page}: an alert is open");
            let pwned = eval(&client, "return typeof window.__parallaxPwned").await;
            assert_eq!(pwned, json!("undefined"), "{page}: a payload ran");
            assert_eq!(count(&client, "img").await, 0, "{page}: an <img> element exists");
            let scripts = count(&client, "script").await;
            assert!(scripts <= 2, "{page}: {scripts} script elements");
            let text = eval(&client, "return document.body.innerText").await;
            let text = text.as_str().unwrap();
            if page.contains("documents/") {
                assert!(
                    text.contains(SCRIPT_PAYLOAD) || text.contains(IMG_PAYLOAD),
                    "{page}: the payload is not shown as text"
                );
            }
        }
        client.goto(&server.url("/search?q=quay")).await.unwrap();
        screenshot(&client, "hostile-search.png").await;
        client.goto(&server.url("/#documents/hostile-page")).await.unwrap();
        wait_for(
            &client,
            "return document.querySelectorAll('.doc-text').length > 0",
            "the document",
        )
        .await;
        screenshot(&client, "hostile-document.png").await;
        client.close().await.unwrap();
    });
}
