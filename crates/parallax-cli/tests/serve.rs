//! `parallax serve`: the JSON API's shapes and status codes, and the server's
//! defences (request size, rate, paths, policy, escaping).

use crate::server::{request, Server};
use crate::store::{export, ingest};
use crate::support::{parallax, stderr, workspace};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Markup an article may carry; none of it may run or become an element.
pub const SCRIPT_PAYLOAD: &str = "<script>window.__parallaxPwned = 'script'; alert(1)</script>";
/// An attribute-breaking payload.
pub const IMG_PAYLOAD: &str = "\"><img src=x onerror=\"window.__parallaxPwned='img'\">";

/// Writes a folder with a text article and a JSONL record carrying injection
/// payloads in their text, title and outlet.
pub fn write_hostile(dir: &Path) -> PathBuf {
    let folder = dir.join("hostile");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("hostile-page.txt"),
        format!(
            "Harbour board meets {SCRIPT_PAYLOAD}\n\nPortvale, May 2 – The harbour board of Portvale met on Monday, {IMG_PAYLOAD} the board's chair Ilse Varn said.\n\n\"We will reopen the quay {SCRIPT_PAYLOAD} on Friday,\" Varn said.\n"
        ),
    )
    .unwrap();
    let record = serde_json::json!({
        "id": "hostile-record",
        "title": format!("Quay {IMG_PAYLOAD} reopens"),
        "outlet": format!("<b>Ledger</b>{SCRIPT_PAYLOAD}"),
        "published": "2024-05-03",
        "text": format!("The quay of Portvale reopened on Friday {IMG_PAYLOAD}, harbour chair Ilse Varn said, {SCRIPT_PAYLOAD} after the board met on Monday.\n"),
    });
    std::fs::write(folder.join("hostile.jsonl"), format!("{record}\n")).unwrap();
    folder
}

/// A store of `examples/` plus the hostile articles, and its exported analysis.
fn fixture(dir: &Path) -> (PathBuf, Value) {
    let db = dir.join("p.db");
    let hostile = write_hostile(dir);
    ingest(&[&workspace().join("examples"), &hostile], &db);
    let (out, report) = (dir.join("a.json"), dir.join("a.html"));
    export(&db, &out, &report);
    (db, serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap())
}

fn list<'a>(analysis: &'a Value, name: &str) -> &'a Vec<Value> {
    analysis[name].as_array().unwrap_or_else(|| panic!("no {name} in the analysis"))
}

fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn api_lists_answer_with_the_contract_sections() {
    let dir = tempfile::tempdir().unwrap();
    let (db, analysis) = fixture(dir.path());
    let server = Server::start(&db, &[]);
    for name in [
        "documents",
        "stories",
        "entities",
        "quotes",
        "claims",
        "events",
        "times",
        "threads",
        "quote_groups",
        "comparisons",
        "diagnostics",
    ] {
        let reply = server.get(&format!("/api/{name}"));
        assert_eq!(reply.status, 200, "/api/{name}: {}", reply.text());
        assert!(reply.header("content-type").unwrap().starts_with("application/json"));
        let body = reply.json();
        assert_eq!(&body[name], &analysis[name], "/api/{name}");
    }
    assert!(!list(&analysis, "documents").is_empty() && !list(&analysis, "entities").is_empty());
    // Quotes come with their groups.
    assert_eq!(server.get("/api/quotes").json()["quote_groups"], analysis["quote_groups"]);
    // Paging.
    let page = server.get("/api/documents?offset=1&limit=2").json();
    assert_eq!(page["documents"].as_array().unwrap()[..], list(&analysis, "documents")[1..3]);
    assert_eq!(
        server.get("/api/documents?offset=999999").json()["documents"],
        Value::Array(vec![])
    );
    assert_eq!(server.get("/api/documents?limit=x").status, 400);
}

#[test]
fn api_documents_by_id_and_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let (db, analysis) = fixture(dir.path());
    let server = Server::start(&db, &[]);
    for doc in list(&analysis, "documents") {
        let id = doc["id"].as_str().unwrap();
        let reply = server.get(&format!("/api/documents/{}", encode(id)));
        assert_eq!(reply.status, 200, "{id}");
        assert_eq!(&reply.json(), doc);
    }
    for path in
        ["/api/documents/no-such-document", "/api/nothing", "/nowhere", "/api/documents/a/b"]
    {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.json()["error"].is_string(), "{path}");
    }
}

#[test]
fn api_search_finds_bodies_entities_and_stories() {
    let dir = tempfile::tempdir().unwrap();
    let (db, analysis) = fixture(dir.path());
    let server = Server::start(&db, &[]);
    // A word of the most mentioned entity's name (no name is written into this test).
    let entity = list(&analysis, "entities")
        .iter()
        .max_by_key(|e| e["mentions"].as_array().unwrap().len())
        .unwrap();
    let word = entity["name"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_string();
    let reply = server.get(&format!("/api/search?q={}", encode(&word)));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let found = reply.json();
    assert_eq!(found["query"], Value::String(word.clone()));
    assert!(found["entities"].as_array().unwrap().iter().any(|e| e["id"] == entity["id"]));
    let ids: Vec<&str> =
        list(&analysis, "documents").iter().map(|d| d["id"].as_str().unwrap()).collect();
    let hits = found["documents"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert!(ids.contains(&hit["id"].as_str().unwrap()));
        assert!(hit["snippet"].as_str().unwrap().to_lowercase().contains(&word.to_lowercase()));
    }
    // A story by its id.
    let story = &list(&analysis, "stories")[0];
    let by_id = server.get(&format!("/api/search?q={}", story["id"].as_str().unwrap())).json();
    assert!(by_id["stories"].as_array().unwrap().iter().any(|s| s["id"] == story["id"]));
    // Bad queries.
    assert_eq!(server.get("/api/search").status, 400);
    assert_eq!(server.get("/api/search?q=%22%29%28*").status, 400);
    assert_eq!(server.get(&format!("/api/search?q={}", "a".repeat(600))).status, 400);
    // Query syntax of the index is only words here.
    assert_eq!(server.get("/api/search?q=NEAR%28harbour%20OR%20*").status, 200);
}

#[test]
fn search_is_rate_limited() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = fixture(dir.path());
    let server = Server::start(&db, &["--search-per-second", "1"]);
    let statuses: Vec<u16> = (0..6).map(|_| server.get("/api/search?q=harbour").status).collect();
    assert_eq!(statuses[0], 200);
    assert!(statuses.contains(&429), "{statuses:?}");
    let limited = (0..3).map(|_| server.get("/api/search?q=harbour")).find(|r| r.status == 429);
    assert_eq!(limited.expect("still limited").header("retry-after"), Some("1"));
    // Other endpoints are not limited.
    assert_eq!(server.get("/api/stories").status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(server.get("/api/search?q=harbour").status, 200);
}

#[test]
fn hostile_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = fixture(dir.path());
    let server = Server::start(&db, &[]);
    let host = &server.addr;
    assert_eq!(server.get("/assets/search.css").status, 200);
    for target in [
        "/assets/../../../../../../etc/passwd",
        "/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/../../../../etc/passwd",
        "/assets/search.css/../../Cargo.toml",
        "/assets/..\\..\\Cargo.toml",
        "/assets/%00",
        "//etc/passwd",
    ] {
        let reply = request(
            host,
            format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert!(matches!(reply.status, 400 | 404), "{target}: {}", reply.status);
        let text = reply.text();
        assert!(!text.contains("root:") && !text.contains("[workspace]"), "{target}: {text}");
    }
    // A declared body over the limit, and one of unknown length.
    let big = request(
        host,
        format!("POST /api/search HTTP/1.1\r\nHost: {host}\r\nContent-Length: 50000000\r\nConnection: close\r\n\r\n{}", "x".repeat(1000)).as_bytes(),
    );
    assert_eq!(big.status, 413);
    let chunked = request(
        host,
        format!("GET /api/stories HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n").as_bytes(),
    );
    assert_eq!(chunked.status, 413);
    let long = server.get(&format!("/api/search?q={}", "a".repeat(9000)));
    assert_eq!(long.status, 414);
    // Only GET and HEAD.
    for method in ["POST", "PUT", "DELETE"] {
        let reply = request(
            host,
            format!("{method} /api/stories HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}").as_bytes(),
        );
        assert_eq!(reply.status, 405, "{method}");
    }
    let head = request(
        host,
        format!("HEAD /api/stories HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn every_response_carries_a_restrictive_policy() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = fixture(dir.path());
    let server = Server::start(&db, &[]);
    for path in
        ["/", "/search", "/search?q=harbour", "/assets/search.css", "/api/stories", "/nowhere"]
    {
        let reply = server.get(path);
        let policy = reply.header("content-security-policy").unwrap_or_else(|| panic!("{path}"));
        assert!(policy.starts_with("default-src 'none'"), "{path}: {policy}");
        assert!(!policy.contains("unsafe-"), "{path}: {policy}");
        assert!(policy.contains("base-uri 'none'"), "{path}: {policy}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert!(index.header("content-type").unwrap().starts_with("text/html"));
    assert!(index.header("content-security-policy").unwrap().contains("script-src 'sha256-"));
    // The search page runs no script at all.
    assert!(!server
        .get("/search?q=harbour")
        .header("content-security-policy")
        .unwrap()
        .contains("script-src"));
}

#[test]
fn pages_show_article_markup_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = fixture(dir.path());
    let server = Server::start(&db, &[]);
    let page = server.get("/search?q=quay");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("hostile-record") && html.contains("hostile-page"), "{html}");
    assert!(html.contains("&lt;img src=x onerror="), "{html}");
    assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
    assert!(!html.to_ascii_lowercase().contains(" onerror=\"window"), "{html}");
    // The live report: only its own two script elements, article text as escaped data.
    let index = server.get("/").text();
    assert_eq!(index.to_ascii_lowercase().matches("<script").count(), 2);
    assert!(!index.contains("<img"));
    assert!(index.contains("\\u003cscript\\u003ewindow.__parallaxPwned"));
    // The API answers JSON; the payload is a string value.
    let doc = server.get("/api/documents/hostile-record").json();
    assert!(doc["text"].as_str().unwrap().contains(IMG_PAYLOAD));
}

#[test]
fn the_server_follows_new_ingests() {
    let dir = tempfile::tempdir().unwrap();
    let (db, analysis) = fixture(dir.path());
    let server = Server::start(&db, &[]);
    let before = list(&analysis, "documents").len();
    assert_eq!(server.get("/api/documents").json()["documents"].as_array().unwrap().len(), before);
    let more = dir.path().join("more");
    std::fs::create_dir(&more).unwrap();
    std::fs::write(
        more.join("late-article.txt"),
        "Eastbury, June 3 – Coal miners in Eastbury ended their strike on Monday, the union said.\n",
    )
    .unwrap();
    ingest(&[&more], &db);
    let started = Instant::now();
    loop {
        let now = server.get("/api/documents").json()["documents"].as_array().unwrap().len();
        if now == before + 1 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the server still shows {now} documents"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(server.get("/api/documents/late-article").status, 200);
}

#[test]
fn serve_defaults_to_loopback_and_needs_a_store() {
    let help = parallax(&["serve", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout).into_owned();
    assert!(text.contains("[default: 127.0.0.1:8080]"), "{text}");
    let output = parallax(&["serve", "--db", "/no/such/parallax.db", "--addr", "127.0.0.1:0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("parallax ingest"));
}
