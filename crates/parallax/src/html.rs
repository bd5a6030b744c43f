//! HTML pages: visible text in reading order, the article body found by
//! `rs-trafilatura` aligned back onto that text, and page metadata.
//!
//! Owned by the HTML work; see `read_page`.

use crate::doc::Span;
use chrono::NaiveDate;

/// Where a metadata date came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlDate {
    /// The publication day.
    pub value: NaiveDate,
    /// `meta`, `json-ld` or `time`, naming the element it was read from.
    pub source: &'static str,
    /// The words in the visible text that show it, when there are such words.
    pub evidence: Option<Span>,
}

/// What parallax reads from one HTML page.
#[derive(Debug, Clone, Default)]
pub struct HtmlPage {
    /// Visible text in reading order, block elements separated by newlines.
    pub text: String,
    /// Stretches of `text` that the extractor keeps as the article, in order.
    pub body: Vec<Span>,
    /// Headline from the page.
    pub title: Option<String>,
    /// Site name from the page's metadata.
    pub sitename: Option<String>,
    /// Publication date from the page's metadata.
    pub date: Option<HtmlDate>,
    /// Declared language, when any.
    pub language: Option<String>,
}

/// Reads one page.
pub fn read_page(html: &str) -> HtmlPage {
    HtmlPage { text: html.to_string(), body: vec![Span::new(0, html.len())], ..Default::default() }
}
