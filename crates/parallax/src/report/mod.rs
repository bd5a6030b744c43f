//! The HTML report: one self-contained page that shows an analysis file.
//!
//! [`render`] takes the analysis as JSON (the contract of
//! `../shared/spec/analysis-json.md`, not the Rust types, so that the page keeps
//! working as later layers fill `entities`, `quotes`, `claims`, `events` and
//! `comparisons`) and returns the page: inline CSS, inline JavaScript written for
//! this report, and the analysis embedded as JSON. Opening it needs no network.
//!
//! The page draws five views from the embedded data: an overview, a timeline on a
//! date axis, an entity graph, a page per story (articles, quote groups with word
//! differences, claims matrix, outlet comparison) and a document view (the text
//! with boilerplate struck through and the spans highlighted).
//!
//! **Architecture Invariant:** article text never becomes markup. Rust only
//! embeds it inside the JSON data block, escaped so that it cannot close the
//! element, and the script builds the page with `textContent` and
//! `createElement`, never `innerHTML`. A Content-Security-Policy allows only
//! this report's own script and style, by their SHA-256 hashes, so an injected
//! script or event handler would not run even if it reached the DOM.
//!
//! ```
//! let analysis = serde_json::json!({"schema": "parallax.analysis/1", "documents": []});
//! let page = parallax::report::render(&analysis);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! ```

mod sha256;

/// The page around the data; `{{name}}` marks where [`render`] puts things.
const PAGE: &str = include_str!("page.html");
/// The report's style sheet.
const STYLE: &str = include_str!("report.css");
/// The report's script.
const SCRIPT: &str = include_str!("report.js");

/// Renders an analysis (the JSON of the analysis file) as one self-contained
/// HTML page. The output depends only on `analysis`: the same input gives the
/// same bytes.
pub fn render(analysis: &serde_json::Value) -> String {
    let data = script_json(analysis);
    let csp = content_security_policy();
    let mut res = String::with_capacity(PAGE.len() + STYLE.len() + SCRIPT.len() + data.len());
    // One pass over the template: inserted text is never scanned for markers,
    // so article text containing `{{script}}` stays data.
    let mut rest = PAGE;
    while let Some(open) = rest.find("{{") {
        let close = rest[open..].find("}}").map(|i| open + i).expect("template marker is closed");
        res.push_str(&rest[..open]);
        match &rest[open + 2..close] {
            "csp" => res.push_str(&csp),
            "style" => res.push_str(STYLE),
            "data" => res.push_str(&data),
            "script" => res.push_str(SCRIPT),
            other => panic!("unknown template marker {other:?}"),
        }
        rest = &rest[close + 2..];
    }
    res.push_str(rest);
    res
}

/// The policy of the page: nothing may load, and only this report's own inline
/// script and style (named by hash) may run. (A server sends it as a header too.)
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src '{}'; style-src '{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        sha256::csp_source(SCRIPT.as_bytes()),
        sha256::csp_source(STYLE.as_bytes()),
    )
}

/// Serializes `value` for a `<script type="application/json">` element.
///
/// The HTML parser ends a script element at `</script` and treats `<!--` in it
/// specially, so `<`, `>` and `&` are written as JSON escapes. U+2028 and U+2029
/// are escaped too, because older JavaScript parsers took them for line ends.
/// These characters can only occur inside JSON strings, where `\uXXXX` means the
/// same character, so `JSON.parse` gives back exactly `value`.
fn script_json(value: &serde_json::Value) -> String {
    let json = serde_json::to_string(value).expect("JSON values serialize");
    let mut res = String::with_capacity(json.len() + json.len() / 16);
    for ch in json.chars() {
        match ch {
            '<' => res.push_str("\\u003c"),
            '>' => res.push_str("\\u003e"),
            '&' => res.push_str("\\u0026"),
            '\u{2028}' => res.push_str("\\u2028"),
            '\u{2029}' => res.push_str("\\u2029"),
            _ => res.push(ch),
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A hand-made analysis with every layer filled, non-ASCII text and
    /// injection attempts in the article text, titles, ids and names.
    const FULL: &str = include_str!("testdata/full.json");

    fn full() -> Value {
        serde_json::from_str(FULL).unwrap()
    }

    fn small() -> Value {
        json!({
            "schema": "parallax.analysis/1",
            "documents": [{
                "id": "a", "title": "Café – “quoted” 🚀", "outlet": "Ledger", "language": "en",
                "source": "a.txt", "text": "Café – “quoted” 🚀 </script><!-- \u{2028}",
                "published": {"value": "2024-03-11", "earliest": "2024-03-11",
                    "latest": "2024-03-11", "basis": "metadata", "evidence": null, "note": "n"},
                "body": "Café", "removed": [], "story": "S1"
            }],
            "entities": [], "times": [], "quotes": [], "quote_groups": [], "claims": [],
            "events": [],
            "stories": [{"id": "S1", "title": "Café", "when": "2024-03-11", "documents": ["a"]}],
            "threads": [], "comparisons": [], "diagnostics": []
        })
    }

    /// The text of the `<script type="application/json" id="data">` element.
    fn data_block(page: &str) -> &str {
        let open = r#"<script type="application/json" id="data">"#;
        let start = page.find(open).expect("data block") + open.len();
        let end = start + page[start..].find("</script>").expect("data block end");
        &page[start..end]
    }

    fn check_embeds(analysis: Value) {
        let page = render(&analysis);
        let data = data_block(&page);
        for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!data.contains(bad), "{bad:?} in the data block");
        }
        let back: Value = serde_json::from_str(data).unwrap();
        assert_eq!(back, analysis);
    }

    #[test]
    fn data_round_trips_and_cannot_close_its_element() {
        check_embeds(small());
        check_embeds(full());
        check_embeds(json!({"documents": [{"text": "a</script >b<!--c-->&amp;\u{2029}"}]}));
    }

    #[test]
    fn render_is_deterministic() {
        assert_eq!(render(&full()), render(&full()));
        assert_eq!(render(&small()), render(&small()));
    }

    #[test]
    fn page_has_every_view_and_the_policy() {
        let page = render(&small());
        for view in ["overview", "timeline", "graph", "stories", "documents"] {
            assert!(page.contains(&format!(r#"<section class="view" id="view-{view}""#)), "{view}");
        }
        assert!(page.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-"#));
        assert!(!page.contains("{{"), "a template marker was left");
        // The policy sits before anything it governs.
        assert!(page.find("Content-Security-Policy").unwrap() < page.find("<style>").unwrap());
    }

    #[test]
    fn policy_hashes_match_the_inline_script_and_style() {
        let page = render(&small());
        let script_start = page.rfind("<script>").unwrap() + "<script>".len();
        let script_end = script_start + page[script_start..].find("</script>").unwrap();
        assert_eq!(&page[script_start..script_end], SCRIPT);
        let style_start = page.find("<style>").unwrap() + "<style>".len();
        let style_end = style_start + page[style_start..].find("</style>").unwrap();
        assert_eq!(&page[style_start..style_end], STYLE);
        let policy = content_security_policy();
        assert!(policy.contains(&sha256::csp_source(SCRIPT.as_bytes())));
        assert!(policy.contains(&sha256::csp_source(STYLE.as_bytes())));
    }

    #[test]
    fn assets_cannot_end_their_own_elements() {
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!SCRIPT.contains("<!--"));
        assert!(!STYLE.to_ascii_lowercase().contains("</style"));
        // The script builds the page from data; it never parses markup.
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
            assert!(!SCRIPT.contains(sink), "{sink} in report.js");
        }
    }

    #[test]
    fn injected_markup_stays_text() {
        let analysis = full();
        let payloads = ["<script>alert(1)</script>", r#""><img src=x onerror=alert(1)>"#];
        assert!(payloads.iter().all(|p| FULL.contains(&p.replace('"', "\\\""))));
        let page = render(&analysis);
        // Two script elements, both ours: the data block and the report's script.
        assert_eq!(page.matches("<script").count(), 2);
        assert_eq!(page.to_ascii_lowercase().matches("<script").count(), 2);
        assert_eq!(page.matches("</script>").count(), 2);
        // No element from the payload: its `<` is escaped wherever it occurs.
        assert!(!page.contains("<img"));
        let data = data_block(&page);
        assert!(data.contains(r"\u003cscript\u003ealert(1)\u003c/script\u003e"));
        assert!(data.contains(r#"\"\u003e\u003cimg src=x onerror=alert(1)\u003e"#));
    }

    #[test]
    fn empty_and_odd_analyses_render() {
        for analysis in [json!({}), json!(null), json!({"documents": "nope"}), json!([])] {
            let page = render(&analysis);
            assert!(page.contains(r#"id="view-documents""#));
            assert_eq!(serde_json::from_str::<Value>(data_block(&page)).unwrap(), analysis);
        }
    }
}
