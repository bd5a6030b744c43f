//! `parallax serve`: the report's views live over a store, a search page, and
//! a JSON API, on loopback by default.
//!
//! The server only reads the store. It keeps the stored analysis (the bytes
//! `parallax analyze --db` would export) parsed in memory and follows the
//! store: when an ingest has stored a newer analysis, the next request sees it.
//!
//! Hardening: only GET and HEAD are routed; a request with a body over
//! [`MAX_BODY_BYTES`] or a target over [`MAX_URI_BYTES`] is refused before any
//! handler runs; search (the one endpoint that does real work per request) has
//! a rate limit and a concurrency limit; assets are a fixed set compiled into
//! the binary, looked up by exact name, so no path can reach the file system;
//! every response carries a Content-Security-Policy, and every page escapes
//! article text (the report page embeds it as escaped JSON and draws it with
//! `textContent`; the search page escapes it on the server).

use anyhow::Context;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use parallax::store::{self, SqliteStore, Store};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Largest request body accepted (no route takes a body; this bounds what is read).
const MAX_BODY_BYTES: u64 = 16 * 1024;
/// Longest request target (path and query) accepted.
const MAX_URI_BYTES: usize = 8 * 1024;
/// Longest search query accepted, in bytes.
const MAX_QUERY_BYTES: usize = 512;
/// Words of a search query used.
const MAX_QUERY_TERMS: usize = 16;
/// Searches running at once; more get 503.
const SEARCH_CONCURRENCY: usize = 4;
/// How often the server asks the store whether a newer analysis exists.
const RELOAD_CHECK: Duration = Duration::from_millis(500);

/// Policy of the pages the server writes itself and of every other response.
const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The style sheet of the search page (served as `/assets/search.css`).
const SEARCH_CSS: &str = include_str!("serve/search.css");

/// Arguments of `parallax serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The store written by `parallax ingest`.
    #[arg(long)]
    db: PathBuf,
    /// Address to listen on (loopback unless you say otherwise).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Only print the address.
    #[arg(long, short)]
    quiet: bool,
    /// Searches allowed per second (a burst of twice as many is allowed).
    #[arg(long, default_value_t = 20.0)]
    search_per_second: f64,
    /// When the store's analysis must be recomputed at start, compare
    /// quotations and claims by shared words, without the sentence model.
    #[arg(long)]
    no_model: bool,
}

/// The analysis the server shows, parsed once per store generation.
struct Loaded {
    generation: u64,
    /// The settings key it was assembled with.
    config: String,
    analysis: Value,
    /// Document id → index in `analysis.documents`.
    documents: BTreeMap<String, usize>,
    /// The report page, rendered on first request.
    page: OnceLock<String>,
}

impl Loaded {
    fn new(stored: &store::StoredAnalysis) -> anyhow::Result<Loaded> {
        let json = &stored.json;
        let analysis: Value =
            serde_json::from_slice(json).context("the stored analysis is not JSON")?;
        let documents = section(&analysis, "documents")
            .iter()
            .enumerate()
            .filter_map(|(idx, d)| Some((d.get("id")?.as_str()?.to_string(), idx)))
            .collect();
        Ok(Loaded {
            generation: stored.generation,
            config: stored.config.clone(),
            analysis,
            documents,
            page: OnceLock::new(),
        })
    }

    fn page(&self) -> &str {
        self.page.get_or_init(|| with_search_link(&parallax::report::render(&self.analysis)))
    }
}

/// A token bucket: `rate` tokens a second, at most `burst` saved.
struct Bucket {
    tokens: f64,
    rate: f64,
    burst: f64,
    last: Instant,
}

impl Bucket {
    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

struct AppState {
    db: PathBuf,
    /// Connections kept between requests (each request takes one).
    connections: Mutex<Vec<SqliteStore>>,
    current: Mutex<Arc<Loaded>>,
    last_check: Mutex<Instant>,
    search_bucket: Mutex<Bucket>,
    search_slots: tokio::sync::Semaphore,
}

type Shared = Arc<AppState>;

/// What can go wrong in a request, mapped to a status in one place.
#[derive(Debug)]
enum ServeError {
    NotFound(String),
    BadRequest(String),
    TooManyRequests,
    Busy,
    TooLarge,
    UriTooLong,
    Internal(String),
}

impl IntoResponse for ServeError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ServeError::NotFound(what) => (StatusCode::NOT_FOUND, what),
            ServeError::BadRequest(why) => (StatusCode::BAD_REQUEST, why),
            ServeError::TooManyRequests => {
                (StatusCode::TOO_MANY_REQUESTS, "too many searches: try again in a second".into())
            }
            ServeError::Busy => {
                (StatusCode::SERVICE_UNAVAILABLE, "too many searches at once: try again".into())
            }
            ServeError::TooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "request body too large".into())
            }
            ServeError::UriTooLong => (StatusCode::URI_TOO_LONG, "request target too long".into()),
            ServeError::Internal(why) => (StatusCode::INTERNAL_SERVER_ERROR, why),
        };
        let mut res = (status, axum::Json(json!({ "error": message }))).into_response();
        if matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE) {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        res
    }
}

impl From<anyhow::Error> for ServeError {
    fn from(err: anyhow::Error) -> ServeError {
        ServeError::Internal(format!("{err:#}"))
    }
}

impl From<store::Error> for ServeError {
    fn from(err: store::Error) -> ServeError {
        ServeError::Internal(err.to_string())
    }
}

/// `parallax serve --db FILE [--addr A]`.
pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    if !args.db.is_file() {
        anyhow::bail!(
            "no store at {}: create it with `parallax ingest PATH... --db FILE`",
            args.db.display()
        );
    }
    // Bring the stored analysis up to date once (an ingest may have been killed).
    let mut store = SqliteStore::open(&args.db)
        .with_context(|| format!("cannot open the store {}", args.db.display()))?;
    let config = parallax::pipeline::Config {
        embedder: crate::load_model(args.no_model)?,
        ..Default::default()
    };
    let analysis = store::current_analysis(&mut store, &config)?;
    let loaded = Loaded::new(&analysis)?;
    let n_documents = loaded.documents.len();
    let state = Arc::new(AppState {
        db: args.db.clone(),
        connections: Mutex::new(vec![store]),
        current: Mutex::new(Arc::new(loaded)),
        last_check: Mutex::new(Instant::now()),
        search_bucket: Mutex::new(Bucket {
            tokens: 2.0 * args.search_per_second,
            rate: args.search_per_second,
            burst: 2.0 * args.search_per_second,
            last: Instant::now(),
        }),
        search_slots: tokio::sync::Semaphore::new(SEARCH_CONCURRENCY),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr()?;
        println!("parallax serving http://{local}/");
        if !local.ip().is_loopback() {
            eprintln!("warning: {local} is reachable from other machines; the server has no authentication");
        }
        if !args.quiet {
            eprintln!("{n_documents} documents from {}; Ctrl-C stops", args.db.display());
        }
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the server stopped")?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/search", get(search_page))
        .route("/assets/{name}", get(asset))
        .route("/api/documents", get(documents))
        .route("/api/documents/{id}", get(document))
        .route("/api/search", get(search_api))
        .route("/api/{section}", get(section_api))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(guard))
        .with_state(state)
}

/// Runs around every request: refuses oversized requests and non-GET methods
/// before routing, and sets the security headers on every response.
async fn guard(request: Request, next: Next) -> Response {
    let mut res = if request.uri().to_string().len() > MAX_URI_BYTES {
        ServeError::UriTooLong.into_response()
    } else if body_too_large(request.headers()) {
        ServeError::TooLarge.into_response()
    } else if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut res = (StatusCode::METHOD_NOT_ALLOWED, axum::Json(json!({"error": "only GET"})))
            .into_response();
        res.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        res
    } else {
        next.run(request).await
    };
    let headers = res.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_POLICY));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A declared body over the limit, or a body of unknown length (chunked).
fn body_too_large(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return true;
    }
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>().map_or(true, |n| n > MAX_BODY_BYTES))
        .unwrap_or(false)
}

async fn not_found() -> ServeError {
    ServeError::NotFound("no such page".into())
}

/// Runs `work` with a store connection on the blocking pool.
async fn with_store<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&mut SqliteStore) -> Result<T, ServeError> + Send + 'static,
) -> Result<T, ServeError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let taken = state.connections.lock().expect("pool lock").pop();
        let mut store = match taken {
            Some(store) => store,
            None => SqliteStore::open_existing(&state.db)?,
        };
        let res = work(&mut store);
        let mut pool = state.connections.lock().expect("pool lock");
        if pool.len() < SEARCH_CONCURRENCY {
            pool.push(store);
        }
        res
    })
    .await
    .map_err(|e| ServeError::Internal(format!("worker failed: {e}")))?
}

/// The analysis to answer from: reloaded when the store holds a newer one.
async fn current(state: &Shared) -> Result<Arc<Loaded>, ServeError> {
    let due = {
        let mut last = state.last_check.lock().expect("lock");
        if last.elapsed() >= RELOAD_CHECK {
            *last = Instant::now();
            true
        } else {
            false
        }
    };
    let loaded = state.current.lock().expect("lock").clone();
    if !due {
        return Ok(loaded);
    }
    let known = (loaded.generation, loaded.config.clone());
    let newer = with_store(state, move |store| {
        Ok(match store.analysis_version()? {
            Some(version) if version != known => store.analysis()?,
            _ => None,
        })
    })
    .await?;
    let Some(newer) = newer else { return Ok(loaded) };
    let fresh = Arc::new(Loaded::new(&newer)?);
    *state.current.lock().expect("lock") = fresh.clone();
    Ok(fresh)
}

fn section<'a>(analysis: &'a Value, name: &str) -> &'a [Value] {
    analysis.get(name).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// `offset` and `limit` of a list request.
#[derive(serde::Deserialize, Default)]
struct Page {
    offset: Option<usize>,
    limit: Option<usize>,
}

impl Page {
    fn of<'a>(&self, items: &'a [Value]) -> &'a [Value] {
        let start = self.offset.unwrap_or(0).min(items.len());
        let end = start.saturating_add(self.limit.unwrap_or(usize::MAX)).min(items.len());
        &items[start..end]
    }
}

fn json_response(value: &Value) -> Response {
    axum::Json(value).into_response()
}

fn html_response(body: String, policy: &str) -> Response {
    let mut res = axum::response::Html(body).into_response();
    if let Ok(value) = HeaderValue::from_str(policy) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    res
}

async fn index(State(state): State<Shared>) -> Result<Response, ServeError> {
    let loaded = current(&state).await?;
    let page = loaded.page().to_string();
    Ok(html_response(page, &parallax::report::content_security_policy()))
}

/// The report page with a link to the search page among its tabs.
fn with_search_link(page: &str) -> String {
    // The first occurrence is the template's: the data comes after it.
    const TABS: &str = r#"<nav class="tabs" id="tabs">"#;
    match page.find(TABS) {
        Some(at) => {
            let at = at + TABS.len();
            format!("{}\n    <a href=\"/search\">Search</a>{}", &page[..at], &page[at..])
        }
        None => page.to_string(),
    }
}

async fn asset(UrlPath(name): UrlPath<String>) -> Result<Response, ServeError> {
    // A fixed set, matched by exact name: nothing here reads a file.
    match name.as_str() {
        "search.css" => {
            Ok(([(header::CONTENT_TYPE, "text/css; charset=utf-8")], SEARCH_CSS).into_response())
        }
        _ => Err(ServeError::NotFound("no such asset".into())),
    }
}

async fn documents(
    State(state): State<Shared>,
    Query(page): Query<Page>,
) -> Result<Response, ServeError> {
    let loaded = current(&state).await?;
    let items = page.of(section(&loaded.analysis, "documents"));
    Ok(json_response(&json!({ "documents": items })))
}

async fn document(
    State(state): State<Shared>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ServeError> {
    let loaded = current(&state).await?;
    let idx = loaded
        .documents
        .get(&id)
        .copied()
        .ok_or_else(|| ServeError::NotFound(format!("no document {id:?}")))?;
    Ok(json_response(&section(&loaded.analysis, "documents")[idx]))
}

/// The sections served as lists at `/api/{section}` (documents and search have their own routes).
const SECTIONS: &[&str] = &[
    "stories",
    "threads",
    "entities",
    "times",
    "quotes",
    "quote_groups",
    "claims",
    "events",
    "comparisons",
    "diagnostics",
];

async fn section_api(
    State(state): State<Shared>,
    UrlPath(name): UrlPath<String>,
    Query(page): Query<Page>,
) -> Result<Response, ServeError> {
    let Some(&name) = SECTIONS.iter().find(|&&s| s == name) else {
        return Err(ServeError::NotFound(format!("no section {name:?}")));
    };
    let loaded = current(&state).await?;
    let mut res = serde_json::Map::new();
    res.insert(name.to_string(), Value::from(page.of(section(&loaded.analysis, name)).to_vec()));
    // Quotes come with their groups, which only make sense beside them.
    if name == "quotes" {
        res.insert(
            "quote_groups".into(),
            Value::from(section(&loaded.analysis, "quote_groups").to_vec()),
        );
    }
    Ok(json_response(&Value::Object(res)))
}

#[derive(serde::Deserialize, Default)]
struct SearchQuery {
    q: Option<String>,
    limit: Option<usize>,
}

/// What a search found.
struct Found {
    query: String,
    documents: Vec<store::DocumentHit>,
    entities: Vec<Value>,
    stories: Vec<Value>,
}

/// Runs a search under the rate and concurrency limits.
async fn run_search(state: &Shared, query: SearchQuery) -> Result<Found, ServeError> {
    let text = query.q.unwrap_or_default();
    if text.len() > MAX_QUERY_BYTES {
        return Err(ServeError::BadRequest(format!(
            "the query is longer than {MAX_QUERY_BYTES} bytes"
        )));
    }
    let terms = store::query_terms(&text, MAX_QUERY_TERMS);
    if terms.is_empty() {
        return Err(ServeError::BadRequest("give a query with at least one word: ?q=…".into()));
    }
    if !state.search_bucket.lock().expect("lock").take() {
        return Err(ServeError::TooManyRequests);
    }
    let _slot = state.search_slots.try_acquire().map_err(|_| ServeError::Busy)?;
    let limit = query.limit.unwrap_or(20).clamp(1, 100);
    let loaded = current(state).await?;
    let fts_terms = terms.clone();
    let documents = with_store(state, move |store| Ok(store.search(&fts_terms, limit)?)).await?;
    let lowered: Vec<String> = terms.iter().map(|t| t.to_lowercase()).collect();
    let matches = |texts: Vec<&str>| {
        let joined = texts.join(" \u{1}").to_lowercase();
        lowered.iter().all(|t| joined.contains(t.as_str()))
    };
    let entities = section(&loaded.analysis, "entities")
        .iter()
        .filter(|e| {
            let mut texts = vec![e.get("name").and_then(Value::as_str).unwrap_or("")];
            texts.extend(
                e.get("aliases")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
            texts.extend(
                e.get("roles")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
            matches(texts)
        })
        .take(limit)
        .cloned()
        .collect();
    let stories = section(&loaded.analysis, "stories")
        .iter()
        .filter(|s| {
            let id = s.get("id").and_then(Value::as_str).unwrap_or("");
            let title = s.get("title").and_then(Value::as_str).unwrap_or("");
            id.eq_ignore_ascii_case(text.trim()) || matches(vec![title])
        })
        .take(limit)
        .cloned()
        .collect();
    Ok(Found { query: text, documents, entities, stories })
}

async fn search_api(
    State(state): State<Shared>,
    Query(query): Query<SearchQuery>,
) -> Result<Response, ServeError> {
    let found = run_search(&state, query).await?;
    let documents: Vec<Value> = found
        .documents
        .iter()
        .map(|hit| {
            json!({
                "id": hit.id,
                "title": hit.title,
                "snippet": hit.snippet.iter().map(|(text, _)| text.as_str()).collect::<String>(),
                "matched": hit.snippet.iter().filter(|(_, m)| *m).map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json_response(&json!({
        "query": found.query,
        "documents": documents,
        "entities": found.entities,
        "stories": found.stories,
    })))
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut res = String::with_capacity(text.len() + text.len() / 8);
    for ch in text.chars() {
        match ch {
            '&' => res.push_str("&amp;"),
            '<' => res.push_str("&lt;"),
            '>' => res.push_str("&gt;"),
            '"' => res.push_str("&quot;"),
            '\'' => res.push_str("&#39;"),
            _ => res.push(ch),
        }
    }
    res
}

/// A link into the report page's views (its hash routes).
fn report_link(view: &str, id: &str) -> String {
    let mut encoded = String::new();
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("/#{view}/{encoded}")
}

async fn search_page(
    State(state): State<Shared>,
    Query(query): Query<SearchQuery>,
) -> Result<Response, ServeError> {
    let asked = query.q.clone().unwrap_or_default();
    let mut body = String::new();
    if !asked.trim().is_empty() {
        match run_search(&state, query).await {
            Ok(found) => body = results_html(&found),
            Err(ServeError::BadRequest(why)) => {
                body = format!("<p class=\"error\">{}</p>", escape(&why))
            }
            Err(ServeError::TooManyRequests) | Err(ServeError::Busy) => {
                body = "<p class=\"error\">Too many searches right now: try again in a second.</p>"
                    .to_string()
            }
            Err(err) => return Err(err),
        }
    }
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>parallax · search</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/assets/search.css\">\n\
         </head>\n<body>\n<header><a class=\"home\" href=\"/\">parallax</a>\n\
         <form method=\"get\" action=\"/search\" role=\"search\">\
         <input type=\"search\" name=\"q\" value=\"{}\" maxlength=\"{MAX_QUERY_BYTES}\" \
         placeholder=\"words of the articles, a name, a story\" autofocus>\
         <button type=\"submit\">Search</button></form>\n</header>\n<main id=\"results\">\n{body}</main>\n\
         </body>\n</html>\n",
        escape(&asked)
    );
    Ok(html_response(page, PAGE_POLICY))
}

fn results_html(found: &Found) -> String {
    let mut res = String::new();
    res.push_str(&format!(
        "<h2>Documents <span class=\"count\">{}</span></h2>\n<ol class=\"documents\">\n",
        found.documents.len()
    ));
    for hit in &found.documents {
        let title = hit.title.as_deref().unwrap_or(&hit.id);
        res.push_str(&format!(
            "<li><a href=\"{}\">{}</a> <span class=\"id\">{}</span><p class=\"snippet\">",
            escape(&report_link("documents", &hit.id)),
            escape(title),
            escape(&hit.id)
        ));
        for (text, matched) in &hit.snippet {
            if *matched {
                res.push_str(&format!("<mark>{}</mark>", escape(text)));
            } else {
                res.push_str(&escape(text));
            }
        }
        res.push_str("</p></li>\n");
    }
    res.push_str("</ol>\n");
    res.push_str(&format!(
        "<h2>Entities <span class=\"count\">{}</span></h2>\n<ul class=\"entities\">\n",
        found.entities.len()
    ));
    for entity in &found.entities {
        let name = entity.get("name").and_then(Value::as_str).unwrap_or("");
        let kind = entity.get("type").and_then(Value::as_str).unwrap_or("");
        let id = entity.get("id").and_then(Value::as_str).unwrap_or("");
        let n_mentions = entity.get("mentions").and_then(Value::as_array).map_or(0, Vec::len);
        res.push_str(&format!(
            "<li><a href=\"{}\">{}</a> <span class=\"type\">{}</span> <span class=\"count\">{} mentions</span></li>\n",
            escape(&report_link("graph", id)),
            escape(name),
            escape(kind),
            n_mentions
        ));
    }
    res.push_str("</ul>\n");
    res.push_str(&format!(
        "<h2>Stories <span class=\"count\">{}</span></h2>\n<ul class=\"stories\">\n",
        found.stories.len()
    ));
    for story in &found.stories {
        let id = story.get("id").and_then(Value::as_str).unwrap_or("");
        let title = story.get("title").and_then(Value::as_str).unwrap_or(id);
        let n_docs = story.get("documents").and_then(Value::as_array).map_or(0, Vec::len);
        res.push_str(&format!(
            "<li><a href=\"{}\">{}</a> <span class=\"id\">{}</span> <span class=\"count\">{} documents</span></li>\n",
            escape(&report_link("stories", id)),
            escape(title),
            escape(id),
            n_docs
        ));
    }
    res.push_str("</ul>\n");
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup() {
        let escaped = escape(r#"<script>alert(1)</script>"><img src=x onerror='x'>&"#);
        for bad in ['<', '>', '"', '\''] {
            assert!(!escaped.contains(bad), "{bad} in {escaped}");
        }
        assert_eq!(escape("Café – ok"), "Café – ok");
    }

    #[test]
    fn report_links_encode_ids() {
        assert_eq!(report_link("documents", "a b/\"c"), "/#documents/a%20b%2F%22c");
    }

    #[test]
    fn search_link_goes_into_the_tabs_once() {
        let page = parallax::report::render(
            &json!({"documents": [{"id": "<nav class=\"tabs\" id=\"tabs\">"}]}),
        );
        let linked = with_search_link(&page);
        assert_eq!(linked.matches("href=\"/search\"").count(), 1);
        assert!(linked.find("/search").unwrap() < linked.find("id=\"data\"").unwrap());
    }

    #[test]
    fn bodies_over_the_limit_or_unbounded_are_refused() {
        let mut headers = HeaderMap::new();
        assert!(!body_too_large(&headers));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("10"));
        assert!(!body_too_large(&headers));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("99999999"));
        assert!(body_too_large(&headers));
        let mut chunked = HeaderMap::new();
        chunked.insert(header::TRANSFER_ENCODING, HeaderValue::from_static("chunked"));
        assert!(body_too_large(&chunked));
    }
}
