//! HTML pages: visible text in reading order, the article body found by
//! `rs-trafilatura` aligned back onto that text, and page metadata.
//!
//! [`read_page`] is the only entry point. It walks the parsed page once (with
//! an explicit stack, so nesting depth costs heap, never call stack; nesting
//! past 1,024 levels is flattened before parsing) and builds
//! [`HtmlPage::text`]: the visible words, one line per block element. It then
//! runs `rs-trafilatura` on the same HTML and finds every paragraph of the
//! extractor's plain text in that visible text, so the article body is a list
//! of [`Span`]s of `text` ([`HtmlPage::body`]) rather than a second string.
//! Metadata (headline, site name, language, publication date) is read from the
//! same walk.
//!
//! ```
//! use parallax::html::read_page;
//!
//! let page = read_page(
//!     "<html lang=en><body><nav>Home</nav>\
//!      <article><h1>Rain</h1><p>It rained all day in the valley, and the river rose by a metre.</p>\
//!      <p>Farmers said the harvest was safe, for now, but more rain was expected.</p></article>\
//!      <footer>Contact us</footer></body></html>",
//! );
//! assert_eq!(page.text, "Home\nRain\nIt rained all day in the valley, and the river rose by a metre.\n\
//!                        Farmers said the harvest was safe, for now, but more rain was expected.\nContact us");
//! assert_eq!(page.language.as_deref(), Some("en"));
//! ```

use crate::doc::Span;
use chrono::{DateTime, NaiveDate};
use dom_query::{Document, NodeData, NodeId, Tree, TreeNode};

/// Where a metadata date came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlDate {
    /// The publication day, as written by the page (the local day, not UTC).
    pub value: NaiveDate,
    /// `meta`, `json-ld` or `time`, naming the element it was read from.
    pub source: &'static str,
    /// The words in the visible text that show it, when there are such words.
    ///
    /// Only a `<time>` element has visible words; for `json-ld` and `meta`
    /// dates this is `None`.
    pub evidence: Option<Span>,
}

/// What parallax reads from one HTML page.
#[derive(Debug, Clone, Default)]
pub struct HtmlPage {
    /// Visible text in reading order, block elements separated by newlines.
    ///
    /// Runs of white space inside a block are one space, lines are trimmed and
    /// no line is empty. Where only an inline tag separates a Han, kana or
    /// Hangul char from a Latin letter or digit, a space is added. The contents of `head`, `script`, `style`, `noscript`,
    /// `template`, `svg` and a few other never-rendered elements are left out;
    /// elements hidden by CSS are kept.
    pub text: String,
    /// Stretches of `text` that the extractor keeps as the article, in order.
    ///
    /// **Invariant:** spans are non-empty, on `char` boundaries, ordered, do not
    /// overlap, and none crosses a newline of `text`: each lies inside one line.
    pub body: Vec<Span>,
    /// True when `body` does not come from the extractor (it failed, found
    /// nothing, or the page was too deeply nested to hand it) but from the
    /// fallback: every line of `text` of at least [`FALLBACK_MIN_LINE_CHARS`] chars.
    pub body_is_fallback: bool,
    /// Headline from the page.
    pub title: Option<String>,
    /// Site name from the page's metadata.
    pub sitename: Option<String>,
    /// Publication date from the page's metadata.
    pub date: Option<HtmlDate>,
    /// Declared language, when any.
    pub language: Option<String>,
    /// True when elements were nested too deep for the extractor (past 512
    /// levels; past 1,024 the deeper tags are dropped before parsing and their
    /// text kept), so the body is the fallback.
    pub too_deep: bool,
}

/// Lines at least this many chars long make up the fallback body.
pub const FALLBACK_MIN_LINE_CHARS: usize = 60;

/// Pages nested deeper than this are not given to `rs-trafilatura`, whose tree
/// walks recurse (a 2 MiB thread stack overflows near 20,000 levels); they get
/// the fallback body instead.
const MAX_EXTRACTOR_DEPTH: usize = 512;

/// Elements nested deeper than this are flattened before parsing: the HTML
/// parser's scope checks make every start tag cost time in proportion to the
/// depth, so 100,000 nested `<div>`s would take minutes.
const MAX_PARSE_DEPTH: usize = 1024;

/// Reads one page.
///
/// Never panics and never fails: a page that is not HTML at all still has a
/// visible text (its characters) and a fallback body.
///
/// The body comes from `rs_trafilatura::extract`: each line of its plain-text
/// output is looked up in `text` after the previous one, first verbatim, then
/// ignoring white space, the ` | ` between table cells and the differences
/// between typographic and straight quotes and dashes, and at last in pieces:
/// the longest stretches of the line found in order, which recovers sentences
/// the extractor glued together and paragraphs it cut an ad out of. A line
/// found only before the previous one is kept where it does not overlap what
/// was already found. Matches are split at newlines, so each body span lies in
/// one line of `text`. When the extractor fails or nothing of its output can
/// be found, the body is every line of `text` of at least
/// [`FALLBACK_MIN_LINE_CHARS`] chars (see [`HtmlPage::body_is_fallback`]).
///
/// The date is read, in this order, from JSON-LD `datePublished` (preferring
/// article-like objects), then `<meta>` `article:published_time`,
/// `og:published_time`, `date`, `pubdate`, `DC.date` (and `DC.date.issued`),
/// then an element with `itemprop="datePublished"`, then a few less common
/// publication-date metas, and last a `<time datetime>` element inside the
/// article (`article`, `main`, `[role=main]`, `[itemprop=articleBody]`, else
/// one at most 400 bytes before the body or inside it), never in `nav`,
/// `aside` or `footer`. A modification date (`dateModified`,
/// `article:modified_time`, a `<time>` whose class says "updated") is never used.
pub fn read_page(html: &str) -> HtmlPage {
    let html = &*flatten_deep_nesting(html);
    let document = Document::from(html);
    let mut walk = Walk::run(&document.tree);
    let text = walk.text.finish();

    let mut page = HtmlPage { language: walk.lang.clone(), ..Default::default() };

    page.too_deep = walk.max_depth > MAX_EXTRACTOR_DEPTH;
    let extracted = if page.too_deep { None } else { run_extractor(html) };
    let mut body = match &extracted {
        Some(result) if !result.content_text.trim().is_empty() => {
            align(&text, &result.content_text)
        }
        _ => Vec::new(),
    };
    if body.is_empty() {
        body = fallback_body(&text);
        page.body_is_fallback = true;
    }
    let metadata = extracted.map(|result| result.metadata);

    page.title = meta_content(&walk.metas, &["og:title"])
        .or_else(|| walk.title_tag.as_deref().map(collapse_space).filter(|t| !t.is_empty()))
        .or_else(|| {
            walk.h1
                .filter(|span| span.end as usize <= text.len())
                .map(|span| text[span.range()].to_string())
        })
        .or_else(|| metadata.as_ref().and_then(|m| m.title.clone()).map(|t| collapse_space(&t)))
        .filter(|t| !t.is_empty());
    page.sitename = meta_content(&walk.metas, &["og:site_name", "application-name"])
        .or_else(|| metadata.as_ref().and_then(|m| m.sitename.clone()).map(|t| collapse_space(&t)))
        .filter(|t| !t.is_empty());
    page.date = find_date(&walk, &text, &body);
    page.text = text;
    page.body = body;
    page
}

/// Runs the extractor, turning a panic inside it into `None`.
fn run_extractor(html: &str) -> Option<rs_trafilatura::ExtractResult> {
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rs_trafilatura::extract(html)));
    result.ok()?.ok()
}

/// Every line of `text` of at least [`FALLBACK_MIN_LINE_CHARS`] chars.
fn fallback_body(text: &str) -> Vec<Span> {
    line_spans(text, Span::new(0, text.len()))
        .filter(|span| text[span.range()].chars().count() >= FALLBACK_MIN_LINE_CHARS)
        .collect()
}

/// The non-empty trimmed lines of `text` inside `span`.
fn line_spans(text: &str, span: Span) -> impl Iterator<Item = Span> + '_ {
    let start = span.start as usize;
    let slice = &text[span.range()];
    let mut offset = start;
    slice.split('\n').filter_map(move |line| {
        let line_span = Span::new(offset, offset + line.len()).trim(text);
        offset += line.len() + 1;
        (!line_span.is_empty()).then_some(line_span)
    })
}

// ---------------------------------------------------------------------------
// A guard against pathological nesting, before parsing.

/// `html` with start and end tags nested deeper than [`MAX_PARSE_DEPTH`]
/// removed (their text stays), or `html` itself when it is not that deep.
///
/// Depth is estimated by a light scan that knows comments, quoted attribute
/// values, void and raw-text elements, and the usual implied end tags, but
/// not the whole HTML tree-building algorithm: it only has to tell real pages
/// (a few dozen levels) from pathological ones.
fn flatten_deep_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    if html.bytes().filter(|&b| b == b'<').count() <= MAX_PARSE_DEPTH
        || scan_tags(html, None) <= MAX_PARSE_DEPTH
    {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut res = String::with_capacity(html.len());
    scan_tags(html, Some(&mut res));
    std::borrow::Cow::Owned(res)
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
    )
}

fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
    )
}

/// Elements a later sibling of the same name closes implicitly.
fn closes_itself(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "rb"
            | "rt"
            | "rp"
    )
}

/// How many open elements an end tag looks through for its start tag.
const END_TAG_REACH: usize = 64;

/// Scans the tags of `html` and returns the deepest nesting seen. With `out`,
/// also writes `html` without the tags deeper than [`MAX_PARSE_DEPTH`].
fn scan_tags(html: &str, mut out: Option<&mut String>) -> usize {
    let bytes = html.as_bytes();
    let find = |needle: &[u8], from: usize| -> Option<usize> {
        bytes
            .get(from..)?
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|i| from + i)
    };
    // Open elements: lowercased name (empty when longer than the buffer) and
    // whether its start tag was removed.
    let mut stack: Vec<([u8; 16], usize, bool)> = Vec::new();
    let mut max_depth = 0;
    let mut copied = 0;
    let mut pos = 0;
    while let Some(lt) =
        bytes.get(pos..).and_then(|rest| rest.iter().position(|&b| b == b'<')).map(|i| pos + i)
    {
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            pos = find(b"-->", lt + 4).map_or(bytes.len(), |i| i + 3);
            continue;
        }
        if rest.len() > 1 && (rest[1] == b'!' || rest[1] == b'?') {
            pos = find(b">", lt + 1).map_or(bytes.len(), |i| i + 1);
            continue;
        }
        let is_end = rest.get(1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(is_end);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            pos = lt + 1;
            continue;
        }
        let mut name_buf = [0u8; 16];
        let name_key = if name_len <= name_buf.len() {
            name_buf[..name_len].copy_from_slice(&bytes[name_start..name_start + name_len]);
            name_buf.make_ascii_lowercase();
            name_len
        } else {
            0
        };
        let name = std::str::from_utf8(&name_buf[..name_key]).unwrap_or("");
        let tag_end = end_of_tag(bytes, name_start + name_len);
        let mut remove = false;
        if is_end {
            let reach = stack.len().saturating_sub(END_TAG_REACH);
            if let Some(idx) = stack[reach..]
                .iter()
                .rposition(|(buf, len, _)| name_key > 0 && buf[..*len] == name_buf[..name_key])
            {
                remove = stack[reach + idx].2;
                stack.truncate(reach + idx);
            }
        } else if bytes[..tag_end].ends_with(b"/>") || is_void(name) {
            // No element stays open.
        } else if is_raw_text(name) {
            // Skip to the end tag, which then matches nothing and stays.
            let mut closing = b"</".to_vec();
            closing.extend_from_slice(&name_buf[..name_key]);
            pos = find(&closing, tag_end).unwrap_or(bytes.len());
            continue;
        } else if name == "plaintext" {
            break;
        } else {
            if closes_itself(name) {
                let reach = stack.len().saturating_sub(8);
                if let Some(idx) = stack[reach..]
                    .iter()
                    .rposition(|(buf, len, _)| buf[..*len] == name_buf[..name_key])
                {
                    stack.truncate(reach + idx);
                }
            } else if is_block(name)
                && stack.last().is_some_and(|(buf, len, _)| &buf[..*len] == b"p")
            {
                stack.pop();
            }
            remove = stack.len() >= MAX_PARSE_DEPTH;
            stack.push((name_buf, name_key, remove));
            max_depth = max_depth.max(stack.len());
        }
        if let (true, Some(out)) = (remove, out.as_deref_mut()) {
            out.push_str(&html[copied..lt]);
            copied = tag_end;
        }
        pos = tag_end;
    }
    if let Some(out) = out {
        out.push_str(&html[copied..]);
    }
    max_depth
}

/// The offset just after the `>` closing the tag whose name ends at `from`,
/// skipping quoted attribute values; the end of input when there is none.
fn end_of_tag(bytes: &[u8], from: usize) -> usize {
    let mut after_equals = false;
    let mut pos = from;
    while pos < bytes.len() {
        match bytes[pos] {
            b'>' => return pos + 1,
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => {
                pos = bytes[pos + 1..]
                    .iter()
                    .position(|&b| b == quote)
                    .map_or(bytes.len(), |i| pos + 1 + i);
                after_equals = false;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        pos += 1;
    }
    bytes.len()
}

// ---------------------------------------------------------------------------
// The walk: visible text and metadata in one pass.

/// Elements whose contents are never rendered as text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "title"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "select"
            | "datalist"
            | "textarea"
    )
}

/// Elements that start and end a line of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "tr"
            | "ul"
            | "frameset"
            | "frame"
            | "listing"
            | "plaintext"
            | "xmp"
    )
}

/// Characters dropped from the visible text: they show nothing and split words.
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// Builds the visible text: one line per block, white space collapsed.
#[derive(Default)]
struct TextBuilder {
    out: String,
    pending_space: bool,
    /// An inline element started or ended since the last char.
    at_inline_edge: bool,
}

/// A char of a script written without spaces between words (Han, kana, Hangul).
fn is_unspaced_script(ch: char) -> bool {
    matches!(ch as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0xac00..=0xd7af | 0xff66..=0xff9f)
}

impl TextBuilder {
    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn push_text(&mut self, text: &str, preformatted: bool) {
        for ch in text.chars() {
            if preformatted && ch == '\n' {
                self.line_break();
            } else if ch.is_whitespace() {
                self.space();
            } else if !is_invisible(ch) {
                if self.at_inline_edge && !self.pending_space {
                    // Where markup alone separates, say, Japanese from a Latin
                    // name, a space keeps the two words apart, as extractors
                    // (and the AEB gold bodies) do.
                    let previous = self.out.chars().next_back();
                    self.pending_space = previous.is_some_and(|prev| {
                        (is_unspaced_script(prev) && is_spaced_word_char(ch))
                            || (is_spaced_word_char(prev) && is_unspaced_script(ch))
                    });
                }
                self.at_inline_edge = false;
                if self.pending_space {
                    self.out.push(' ');
                    self.pending_space = false;
                }
                self.out.push(ch);
            }
        }
    }

    fn inline_edge(&mut self) {
        self.at_inline_edge = true;
    }

    fn space(&mut self) {
        if !self.at_line_start() {
            self.pending_space = true;
        }
    }

    fn line_break(&mut self) {
        self.pending_space = false;
        if !self.at_line_start() {
            self.out.push('\n');
        }
    }

    fn finish(&mut self) -> String {
        if self.out.ends_with('\n') {
            self.out.pop();
        }
        std::mem::take(&mut self.out)
    }
}

/// A `<meta>` element's naming attributes (lowercased) and content.
#[derive(Debug, Default)]
struct MetaTag {
    property: String,
    name: String,
    itemprop: String,
    content: String,
}

/// A `<time>` element (or another element carrying `itemprop=datePublished`).
#[derive(Debug)]
struct TimeTag {
    /// The machine-readable date: `datetime`, else `content`.
    datetime: String,
    /// True for a real `<time>` element.
    is_time_element: bool,
    /// `pubdate` attribute or `itemprop=datePublished`.
    marked_published: bool,
    /// `itemprop=datePublished` specifically.
    itemprop_published: bool,
    /// Class or itemprop hints at a modification date.
    marked_modified: bool,
    /// Inside `article`, `main`, `[role=main]` or `[itemprop=articleBody]`.
    in_article: bool,
    /// Inside `nav`, `aside` or `footer`.
    in_aside: bool,
    /// Its visible words, when it has any.
    span: Option<Span>,
}

/// What to do when leaving an element.
#[derive(Debug, Default, Clone, Copy)]
struct Exit {
    block: bool,
    cell: bool,
    inline: bool,
    pre: bool,
    head: bool,
    article: bool,
    aside: bool,
    /// Text offset on entry, for elements whose visible words we keep.
    record: Option<(Record, usize)>,
}

#[derive(Debug, Clone, Copy)]
enum Record {
    H1,
    Time(usize),
}

/// One open element of the walk.
struct Frame {
    exit: Exit,
    next_child: Option<NodeId>,
}

/// The outcome of the walk over one parsed page.
#[derive(Default)]
struct Walk {
    text: TextBuilder,
    metas: Vec<MetaTag>,
    ld_json: Vec<String>,
    title_tag: Option<String>,
    h1: Option<Span>,
    times: Vec<TimeTag>,
    lang: Option<String>,
    max_depth: usize,
    // Counters of open elements of each kind.
    in_head: usize,
    in_pre: usize,
    in_article: usize,
    in_aside: usize,
}

/// What the walk learnt about one node while the tree was borrowed.
enum Visit {
    /// Nothing to descend into.
    Leaf,
    /// Descend into the children, then run the exit.
    Open(Option<NodeId>, Exit),
}

impl Walk {
    fn run(tree: &Tree) -> Walk {
        let mut walk = Walk::default();
        let root = tree.root().id;
        let mut stack =
            vec![Frame { exit: Exit::default(), next_child: root_first_child(tree, root) }];
        while let Some(frame) = stack.last_mut() {
            let Some(node_id) = frame.next_child else {
                let exit = stack.pop().map(|frame| frame.exit).unwrap_or_default();
                walk.leave(exit);
                continue;
            };
            let visited = tree.query_node(&node_id, |node| {
                frame.next_child = node.next_sibling;
                walk.visit(tree, node)
            });
            if let Some(Visit::Open(first_child, exit)) = visited {
                stack.push(Frame { exit, next_child: first_child });
                walk.max_depth = walk.max_depth.max(stack.len());
            }
        }
        walk
    }

    fn visible(&self) -> bool {
        self.in_head == 0
    }

    fn visit(&mut self, tree: &Tree, node: &TreeNode) -> Visit {
        let element = match &node.data {
            NodeData::Text { contents } => {
                if self.visible() {
                    self.text.push_text(contents, self.in_pre > 0);
                }
                return Visit::Leaf;
            }
            NodeData::Document | NodeData::Fragment => {
                return Visit::Open(node.first_child, Exit::default())
            }
            NodeData::Element(element) => element,
            _ => return Visit::Leaf,
        };
        let name: &str = &element.name.local;
        let attr =
            |key: &str| element.attrs.iter().find(|a| &*a.name.local == key).map(|a| &*a.value);

        match name {
            "meta" => {
                let lower = |key: &str| {
                    attr(key).map(|v| v.trim().to_ascii_lowercase()).unwrap_or_default()
                };
                let meta = MetaTag {
                    property: lower("property"),
                    name: lower("name"),
                    itemprop: lower("itemprop"),
                    content: attr("content").map(collapse_space).unwrap_or_default(),
                };
                if !meta.content.is_empty() {
                    self.metas.push(meta);
                }
                return Visit::Leaf;
            }
            "title" if self.title_tag.is_none() => {
                self.title_tag = Some(direct_text(tree, node));
            }
            "script"
                if attr("type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) =>
            {
                self.ld_json.push(direct_text(tree, node));
            }
            "html" if self.lang.is_none() => {
                self.lang = attr("lang")
                    .or_else(|| attr("xml:lang"))
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from);
            }
            _ => {}
        }
        if is_skipped(name) {
            return Visit::Leaf;
        }

        let mut exit = Exit::default();
        if name == "head" {
            exit.head = true;
            self.in_head += 1;
        }
        if self.visible() {
            if name == "br" || name == "hr" {
                self.text.line_break();
                return Visit::Leaf;
            }
            if is_block(name) {
                self.text.line_break();
                exit.block = true;
            } else if matches!(name, "td" | "th") {
                self.text.space();
                exit.cell = true;
            } else {
                self.text.inline_edge();
                exit.inline = true;
            }
        }
        if name == "pre" || name == "listing" || name == "plaintext" || name == "xmp" {
            exit.pre = true;
            self.in_pre += 1;
        }

        let itemprop = attr("itemprop").unwrap_or_default().to_ascii_lowercase();
        let class = attr("class").unwrap_or_default().to_ascii_lowercase();
        let role = attr("role").unwrap_or_default();
        let is_article = matches!(name, "article" | "main")
            || role.eq_ignore_ascii_case("main")
            || has_token(&itemprop, "articlebody");
        if is_article {
            exit.article = true;
            self.in_article += 1;
        }

        let itemprop_published = has_token(&itemprop, "datepublished");
        if name == "time" || itemprop_published {
            let datetime =
                attr("datetime").or_else(|| attr("content")).map(str::trim).unwrap_or_default();
            if !datetime.is_empty() {
                let marked_modified = ["modif", "updat"]
                    .iter()
                    .any(|hint| class.contains(hint) || itemprop.contains(hint));
                self.times.push(TimeTag {
                    datetime: datetime.to_string(),
                    is_time_element: name == "time",
                    marked_published: itemprop_published
                        || element.attrs.iter().any(|a| &*a.name.local == "pubdate"),
                    itemprop_published,
                    marked_modified,
                    in_article: self.in_article > 0,
                    in_aside: self.in_aside > 0,
                    span: None,
                });
                exit.record = Some((Record::Time(self.times.len() - 1), self.text.out.len()));
            }
        }
        if name == "h1" && self.h1.is_none() && self.visible() {
            exit.record = Some((Record::H1, self.text.out.len()));
        }
        if matches!(name, "nav" | "aside" | "footer") {
            exit.aside = true;
            self.in_aside += 1;
        }
        Visit::Open(node.first_child, exit)
    }

    fn leave(&mut self, exit: Exit) {
        if let Some((record, start)) = exit.record {
            let span = Span::new(start, self.text.out.len()).trim(&self.text.out);
            let span = (!span.is_empty()).then_some(span);
            match record {
                Record::H1 => self.h1 = self.h1.or(span),
                Record::Time(time_idx) => self.times[time_idx].span = span,
            }
        }
        if exit.block {
            self.text.line_break();
        }
        if exit.cell {
            self.text.space();
        }
        if exit.inline {
            self.text.inline_edge();
        }
        self.in_head -= usize::from(exit.head);
        self.in_pre -= usize::from(exit.pre);
        self.in_article -= usize::from(exit.article);
        self.in_aside -= usize::from(exit.aside);
    }
}

fn root_first_child(tree: &Tree, root: NodeId) -> Option<NodeId> {
    tree.query_node(&root, |node| node.first_child).flatten()
}

/// The text of the direct text children of `node` (for `title` and `script`).
fn direct_text(tree: &Tree, node: &TreeNode) -> String {
    let mut res = String::new();
    let mut child = node.first_child;
    // The tree is borrowed by the caller already; `query_node` borrows it again
    // immutably, which `RefCell` allows.
    while let Some(child_id) = child {
        child = tree
            .query_node(&child_id, |child_node| {
                if let NodeData::Text { contents } = &child_node.data {
                    res.push_str(contents);
                }
                child_node.next_sibling
            })
            .flatten();
    }
    res
}

/// `text` with runs of white space turned into one space, trimmed.
fn collapse_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when the white-space separated list `list` holds `token`.
fn has_token(list: &str, token: &str) -> bool {
    list.split_ascii_whitespace().any(|item| item == token)
}

/// The first non-empty content of a meta whose `property` or `name` is one of `keys`.
fn meta_content(metas: &[MetaTag], keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        metas
            .iter()
            .find(|m| (m.property == *key || m.name == *key) && !m.content.is_empty())
            .map(|m| m.content.clone())
    })
}

// ---------------------------------------------------------------------------
// Dates.

/// Meta names (or properties) giving the publication date, strongest first.
const META_DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "article:published",
    "date",
    "pubdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.issued",
];

/// Less common publication-date metas, tried after `itemprop=datePublished`.
const META_DATE_KEYS_WEAK: &[&str] = &[
    "article.published",
    "publish-date",
    "publish_date",
    "publishdate",
    "publication_date",
    "parsely-pub-date",
    "dcterms.created",
    "dc.date.created",
    "pdate",
];

fn find_date(walk: &Walk, text: &str, body: &[Span]) -> Option<HtmlDate> {
    if let Some(value) = walk.ld_json.iter().find_map(|json| json_ld_date(json)) {
        return Some(HtmlDate { value, source: "json-ld", evidence: None });
    }
    let meta_date = |keys: &[&str]| {
        keys.iter().find_map(|key| {
            walk.metas
                .iter()
                .filter(|m| m.property == *key || m.name == *key)
                .find_map(|m| parse_date(&m.content))
        })
    };
    if let Some(value) = meta_date(META_DATE_KEYS) {
        return Some(HtmlDate { value, source: "meta", evidence: None });
    }
    if let Some(value) = walk
        .metas
        .iter()
        .filter(|m| has_token(&m.itemprop, "datepublished"))
        .find_map(|m| parse_date(&m.content))
    {
        return Some(HtmlDate { value, source: "meta", evidence: None });
    }
    let time_date = |time: &TimeTag| {
        let value = parse_date(&time.datetime)?;
        let evidence = time.span.filter(|span| span.end as usize <= text.len());
        let source = if time.is_time_element { "time" } else { "meta" };
        Some(HtmlDate {
            value,
            source,
            evidence: if time.is_time_element { evidence } else { None },
        })
    };
    if let Some(date) = walk.times.iter().filter(|t| t.itemprop_published).find_map(time_date) {
        return Some(date);
    }
    if let Some(value) = meta_date(META_DATE_KEYS_WEAK) {
        return Some(HtmlDate { value, source: "meta", evidence: None });
    }
    let candidates =
        walk.times.iter().filter(|t| t.is_time_element && !t.marked_modified && !t.in_aside);
    if let Some(date) = candidates.clone().filter(|t| t.marked_published).find_map(time_date) {
        return Some(date);
    }
    if let Some(date) = candidates.clone().filter(|t| t.in_article).find_map(time_date) {
        return Some(date);
    }
    // A <time> outside any article container, shortly before or inside the body.
    let (first, last) = (body.first()?, body.last()?);
    let window_start = (first.start as usize).saturating_sub(400);
    candidates
        .filter(|t| t.span.is_some_and(|s| s.start as usize >= window_start && s.end <= last.end))
        .find_map(time_date)
}

/// The `datePublished` of a JSON-LD script, preferring article-like objects.
///
/// Scripts that are not valid JSON even after [`parse_json_ld`]'s repairs are
/// searched for the first `"datePublished": "…"` pair instead.
fn json_ld_date(json: &str) -> Option<NaiveDate> {
    let Some(value) = parse_json_ld(json) else {
        static DATE_PUBLISHED: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let pattern = DATE_PUBLISHED.get_or_init(|| {
            regex::Regex::new(r#""datePublished"\s*:\s*"([^"]{1,64})""#)
                .expect("valid date pattern")
        });
        return pattern.captures_iter(json).find_map(|captures| parse_date(&captures[1]));
    };
    let mut found = Vec::new();
    collect_date_published(&value, 0, &mut found);
    found
        .iter()
        .filter(|(article, _)| *article)
        .chain(found.iter())
        .find_map(|(_, date)| parse_date(date))
}

/// Parses a JSON-LD script leniently: comments, CDATA markers and raw control
/// characters inside strings are common on real pages.
fn parse_json_ld(json: &str) -> Option<serde_json::Value> {
    let cleaned: String = json.chars().map(|ch| if ch.is_control() { ' ' } else { ch }).collect();
    if let Ok(value) = serde_json::from_str(cleaned.trim()) {
        return Some(value);
    }
    let start = cleaned.find(['{', '['])?;
    let end = cleaned.rfind(['}', ']'])?;
    (start < end).then(|| serde_json::from_str(&cleaned[start..=end]).ok()).flatten()
}

/// Collects `(is_article_like, datePublished)` pairs in document order.
fn collect_date_published(
    value: &serde_json::Value,
    depth: usize,
    found: &mut Vec<(bool, String)>,
) {
    // serde_json refuses input nested deeper than 128, so this recursion is bounded;
    // the explicit limit keeps it so if that ever changes.
    if depth > 64 {
        return;
    }
    match value {
        serde_json::Value::Array(items) => {
            for item in items {
                collect_date_published(item, depth + 1, found);
            }
        }
        serde_json::Value::Object(map) => {
            let article_like = match map.get("@type") {
                Some(serde_json::Value::String(kind)) => is_article_type(kind),
                Some(serde_json::Value::Array(kinds)) => {
                    kinds.iter().any(|k| k.as_str().is_some_and(is_article_type))
                }
                _ => false,
            };
            match map.get("datePublished") {
                Some(serde_json::Value::String(date)) => found.push((article_like, date.clone())),
                Some(serde_json::Value::Array(dates)) => found.extend(
                    dates.iter().filter_map(|d| d.as_str()).map(|d| (article_like, d.to_string())),
                ),
                _ => {}
            }
            for (key, item) in map {
                if key != "datePublished" {
                    collect_date_published(item, depth + 1, found);
                }
            }
        }
        _ => {}
    }
}

fn is_article_type(kind: &str) -> bool {
    kind.contains("Article") || kind.contains("Posting") || kind == "Report"
}

/// Parses a machine-readable date: ISO 8601 dates and date-times (with or
/// without offset; the day is the one written, not converted to UTC),
/// `YYYY/MM/DD`, RFC 2822, and English `Month D, YYYY` / `D Month YYYY`.
fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    let date = parse_date_forms(raw)?;
    (1900..=2100).contains(&chrono::Datelike::year(&date)).then_some(date)
}

fn parse_date_forms(raw: &str) -> Option<NaiveDate> {
    if let Ok(datetime) = DateTime::parse_from_rfc3339(raw) {
        return Some(datetime.date_naive());
    }
    let ends_cleanly = |rest: &str| rest.is_empty() || rest.starts_with(['T', 't', ' ', ',']);
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"] {
        if let Ok((date, rest)) = NaiveDate::parse_and_remainder(raw, format) {
            if ends_cleanly(rest) {
                return Some(date);
            }
        }
    }
    if raw.len() >= 8
        && raw.as_bytes()[..8].iter().all(u8::is_ascii_digit)
        && ends_cleanly(&raw[8..])
    {
        if let Ok(date) = NaiveDate::parse_from_str(&raw[..8], "%Y%m%d") {
            return Some(date);
        }
    }
    if let Ok(datetime) = DateTime::parse_from_rfc2822(raw) {
        return Some(datetime.date_naive());
    }
    for format in ["%B %d, %Y", "%d %B %Y", "%A, %B %d, %Y", "%a, %d %b %Y"] {
        if let Ok((date, rest)) = NaiveDate::parse_and_remainder(raw, format) {
            if ends_cleanly(rest) {
                return Some(date);
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Alignment of the extractor's text onto the visible text.

/// `text` without white space, with typographic quotes and dashes folded, and
/// for each of its bytes the byte range of the source char it came from.
struct Folded {
    folded: String,
    /// Source start of the char that produced each byte of `folded`.
    starts: Vec<u32>,
    /// Source end of the char that produced each byte of `folded`.
    ends: Vec<u32>,
}

/// What a char becomes in folded text: nothing, itself, or a replacement.
fn fold_char(ch: char) -> Option<char> {
    if ch.is_whitespace() || is_invisible(ch) || matches!(ch, '\u{200c}' | '\u{200d}') {
        return None;
    }
    Some(match ch {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{b4}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        other => other,
    })
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut res = Folded {
            folded: String::with_capacity(text.len()),
            starts: Vec::new(),
            ends: Vec::new(),
        };
        for (offset, ch) in text.char_indices() {
            if let Some(folded_ch) = fold_char(ch) {
                res.folded.push(folded_ch);
                for _ in 0..folded_ch.len_utf8() {
                    res.starts.push(offset as u32);
                    res.ends.push((offset + ch.len_utf8()) as u32);
                }
            }
        }
        res
    }

    /// The first byte of `folded` whose source starts at or after `source_offset`.
    fn folded_offset(&self, source_offset: usize) -> usize {
        self.starts.partition_point(|&start| (start as usize) < source_offset)
    }
}

fn fold_str(text: &str) -> String {
    text.chars().filter_map(fold_char).collect()
}

/// True when `text[start..end]` neither starts nor ends inside a word.
fn on_word_edges(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let after = text[end..].chars().next();
    let word = |ch: Option<char>| ch.is_some_and(char::is_alphanumeric);
    let cuts_word_before = word(before) && word(first);
    let cuts_word_after = word(last) && word(after);
    !cuts_word_before && !cuts_word_after
}

/// Folded needles shorter than this must start and end on word edges.
const SHORT_NEEDLE_BYTES: usize = 24;

/// Where `line` stands in `text` at or after `from`, verbatim or folded.
fn find_line(text: &str, folded: &Folded, line: &str, from: usize) -> Option<Span> {
    let mut search_from = from;
    while let Some(found) = text.get(search_from..).and_then(|rest| rest.find(line)) {
        let start = search_from + found;
        if on_word_edges(text, start, start + line.len()) {
            return Some(Span::new(start, start + line.len()));
        }
        search_from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    find_folded(text, folded, &fold_line(line), from)
}

/// A line of the extractor's output folded like the text; the ` | ` it puts
/// between table cells is dropped (the text separates cells by a space).
fn fold_line(line: &str) -> String {
    if line.contains(" | ") {
        fold_str(&line.replace(" | ", " "))
    } else {
        fold_str(line)
    }
}

/// Where the folded `needle` stands in `text` at or after `from`.
fn find_folded(text: &str, folded: &Folded, needle: &str, from: usize) -> Option<Span> {
    if needle.is_empty() {
        return None;
    }
    let mut search_from = folded.folded_offset(from);
    while let Some(found) = folded.folded.get(search_from..).and_then(|rest| rest.find(needle)) {
        let folded_start = search_from + found;
        let folded_end = folded_start + needle.len();
        let start = folded.starts[folded_start] as usize;
        let end = folded.ends[folded_end - 1] as usize;
        if needle.len() >= SHORT_NEEDLE_BYTES || on_word_edges(text, start, end) {
            return Some(Span::new(start, end));
        }
        search_from =
            folded_start + folded.folded[folded_start..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// How far after the cursor a short last piece of a line may stand.
const TAIL_REACH: usize = 200;

/// Finds `line` in pieces: repeatedly the longest prefix of what is left that
/// stands in `text` after the cursor (at least [`SHORT_NEEDLE_BYTES`] long),
/// skipping ahead when none does. This recovers a paragraph whose middle
/// differs: an inline ad the extractor dropped, a caption it added, sentences
/// it glued together. Pushes the pieces and returns the new cursor.
fn find_pieces(
    text: &str,
    folded: &Folded,
    line: &str,
    mut cursor: usize,
    found: &mut Vec<Span>,
) -> usize {
    let needle = fold_line(line);
    // Char boundaries of the needle, so that prefixes are counted in chars.
    let bounds: Vec<usize> =
        needle.char_indices().map(|(offset, _)| offset).chain([needle.len()]).collect();
    let n_chars = bounds.len() - 1;
    // The shortest piece searched for, in chars: SHORT_NEEDLE_BYTES of UTF-8.
    let piece_chars = |start: usize| {
        let mut n = 1;
        while start + n < n_chars && bounds[start + n] - bounds[start] < SHORT_NEEDLE_BYTES {
            n += 1;
        }
        n
    };
    let mut start = 0;
    // The first needle char skipped since the last piece was found.
    let mut skipped_from: Option<usize> = None;
    while start < n_chars {
        let piece = |n: usize| &needle[bounds[start]..bounds[start + n]];
        if bounds[n_chars] - bounds[start] < SHORT_NEEDLE_BYTES {
            // A short tail: only close after the cursor (and on word edges).
            if let Some(span) = find_folded(text, folded, piece(n_chars - start), cursor) {
                if span.start as usize - cursor <= TAIL_REACH {
                    found.push(span);
                    cursor = span.end as usize;
                }
            }
            break;
        }
        let shortest = piece_chars(start);
        let Some(mut best) = find_folded(text, folded, piece(shortest), cursor) else {
            skipped_from.get_or_insert(start);
            start += shortest.div_ceil(2);
            continue;
        };
        // Binary search for the longest prefix found after the cursor: `low`
        // chars are found, more than `high` are not.
        let (mut low, mut high) = (shortest, n_chars - start);
        while low < high {
            let mid = low + (high - low).div_ceil(2);
            match find_folded(text, folded, piece(mid), cursor) {
                Some(span) => {
                    best = span;
                    low = mid;
                }
                None => high = mid - 1,
            }
        }
        // A piece that ends inside a word of the text ran on by chance
        // ("….com." then the "A" of "ADVERTISEMENT" before "ATTEND"): end it
        // at the last word edge, unless that leaves too little.
        let trimmed = back_off_to_word_edge(text, best);
        let taken = folded_chars(&bounds, start, folded, trimmed);
        if taken >= shortest {
            (best, low) = (trimmed, taken);
        }
        // Chars skipped just before the piece may stand just before it in the
        // text too: "The" of "Advertisement" + "The quick brown fox".
        if let Some(skip_start) = skipped_from.take() {
            best =
                extend_back(text, folded, &needle[bounds[skip_start]..bounds[start]], best, cursor);
        }
        found.push(best);
        cursor = best.end as usize;
        start += low;
    }
    cursor
}

/// A letter or digit of a script that separates words by spaces.
fn is_spaced_word_char(ch: char) -> bool {
    ch.is_alphanumeric() && (ch as u32) < 0x2e80
}

/// `span` ended at the last word edge inside it when it ends inside a word
/// (empty when there is no such edge).
fn back_off_to_word_edge(text: &str, span: Span) -> Span {
    let (start, end) = (span.start as usize, span.end as usize);
    let inside_word = text[..end].chars().next_back().is_some_and(is_spaced_word_char)
        && text[end..].chars().next().is_some_and(is_spaced_word_char);
    if !inside_word {
        return span;
    }
    match text[start..end].char_indices().rev().find(|(_, ch)| !is_spaced_word_char(*ch)) {
        Some((offset, ch)) => Span::new(start, start + offset + ch.len_utf8()),
        None => Span::new(start, start),
    }
}

/// How many needle chars from `start` the text `span` covers (both folded alike).
fn folded_chars(bounds: &[usize], start: usize, folded: &Folded, span: Span) -> usize {
    let folded_len =
        folded.folded_offset(span.end as usize) - folded.folded_offset(span.start as usize);
    bounds[start..]
        .partition_point(|&b| b - bounds[start] < folded_len)
        .min(bounds.len() - 1 - start)
}

/// `span` grown backwards over the end of `skipped` (folded) where the text
/// before it, but after `cursor`, shows the same chars; never starting inside a word.
fn extend_back(text: &str, folded: &Folded, skipped: &str, span: Span, cursor: usize) -> Span {
    let folded_start = folded.folded_offset(span.start as usize);
    let floor = folded.folded_offset(cursor).min(folded_start);
    let before = &folded.folded[floor..folded_start];
    let common_bytes: usize = before
        .chars()
        .rev()
        .zip(skipped.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    if common_bytes == 0 {
        return span;
    }
    let mut start = folded.starts[folded_start - common_bytes] as usize;
    // Move forward out of a word the extension cut into.
    while text[..start].chars().next_back().is_some_and(is_spaced_word_char)
        && text[start..].chars().next().is_some_and(is_spaced_word_char)
        && start < span.start as usize
    {
        start += text[start..].chars().next().map_or(1, char::len_utf8);
    }
    Span::new(start, span.end as usize)
}

/// Finds each line of `extracted` in `text`; see [`read_page`].
fn align(text: &str, extracted: &str) -> Vec<Span> {
    let folded = Folded::new(text);
    let mut found: Vec<Span> = Vec::new();
    let mut cursor = 0;
    for line in extracted.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let after_cursor = locate(text, &folded, line, cursor);
        if let Some(last) = after_cursor.last() {
            cursor = last.end as usize;
            found.extend(after_cursor);
            continue;
        }
        // Out of order: anywhere, where it does not overlap what was found.
        let anywhere = locate(text, &folded, line, 0);
        let fresh: Vec<Span> =
            anywhere.into_iter().filter(|span| !found.iter().any(|f| f.overlaps(*span))).collect();
        found.extend(fresh);
    }
    normalize_spans(text, found)
}

/// Finds one line of the extractor's output at or after `from`: whole, else in pieces.
fn locate(text: &str, folded: &Folded, line: &str, from: usize) -> Vec<Span> {
    if let Some(span) = find_line(text, folded, line, from) {
        return vec![span];
    }
    let mut res = Vec::new();
    find_pieces(text, folded, line, from, &mut res);
    res
}

/// Splits spans at newlines, sorts them, merges overlapping ones and ones on
/// the same line separated only by white space.
fn normalize_spans(text: &str, found: Vec<Span>) -> Vec<Span> {
    let mut pieces: Vec<Span> =
        found.into_iter().flat_map(|span| line_spans(text, span).collect::<Vec<_>>()).collect();
    pieces.sort();
    let mut res: Vec<Span> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if let Some(last) = res.last_mut() {
            let gap = text.get(last.end as usize..piece.start as usize);
            let joins =
                piece.start <= last.end || gap.is_some_and(|g| g.chars().all(|ch| ch == ' '));
            if joins {
                last.end = last.end.max(piece.end);
                continue;
            }
        }
        res.push(piece);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The body of `html` as strings.
    fn body_of(page: &HtmlPage) -> Vec<&str> {
        page.body.iter().map(|span| &page.text[span.range()]).collect()
    }

    fn check_text(html: &str, expect: &str) {
        assert_eq!(read_page(html).text, expect);
    }

    /// Three paragraphs long enough for the extractor to call them an article.
    const ARTICLE: &str = "<p>The council voted on Tuesday to close the old bridge over the river \
        for repairs that are expected to last until the end of next spring.</p>\
        <p>Engineers found cracks in two of the four supports during an inspection in March, \
        and said the bridge was no longer safe for lorries or buses.</p>\
        <p>Residents will have to use the ferry or drive twelve kilometres to the next crossing, \
        which the mayor admitted was a heavy burden for the village.</p>";

    const PARAGRAPHS: [&str; 3] = [
        "The council voted on Tuesday to close the old bridge over the river for repairs that are \
         expected to last until the end of next spring.",
        "Engineers found cracks in two of the four supports during an inspection in March, and said \
         the bridge was no longer safe for lorries or buses.",
        "Residents will have to use the ferry or drive twelve kilometres to the next crossing, which \
         the mayor admitted was a heavy burden for the village.",
    ];

    fn article_page(head: &str, before: &str, after: &str) -> String {
        format!(
            "<!doctype html><html lang=\"en-GB\"><head>{head}</head><body>\
             <nav><ul><li><a href=/>Home</a></li><li><a href=/news>News</a></li><li><a href=/sport>Sport</a></li></ul></nav>\
             <article>{before}<h1>Bridge to close for repairs</h1>{ARTICLE}{after}</article>\
             <footer><p>Copyright 2019 The Valley Gazette. All rights reserved.</p><a href=/about>About us</a></footer>\
             </body></html>"
        )
    }

    #[test]
    fn text_has_one_line_per_block() {
        check_text(
            "<div>a <b>b</b>\n\n  c</div><div><p>d</p><p>  e  </p></div>x<br>y",
            "a b c\nd\ne\nx\ny",
        );
        check_text(
            "<ul><li>one</li><li>two</li></ul><span>in</span><span>line</span>",
            "one\ntwo\ninline",
        );
        check_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc");
        check_text("<pre>line 1\nline 2</pre>", "line 1\nline 2");
    }

    #[test]
    fn inline_tags_split_words_only_between_scripts() {
        check_text("<p>un<b>believ</b>able <i>x</i>.</p>", "unbelievable x.");
        check_text(
            "<p>\u{30bd}\u{30d5}\u{30c8}<a>KeePass</a>\u{306e}</p>",
            "\u{30bd}\u{30d5}\u{30c8} KeePass \u{306e}",
        );
        check_text("<p>\u{30bd}\u{30d5}\u{30c8}KeePass</p>", "\u{30bd}\u{30d5}\u{30c8}KeePass");
    }

    #[test]
    fn script_style_and_head_are_invisible() {
        check_text(
            "<html><head><title>T</title><style>p{}</style></head><body><script>var x = 1;</script>\
             <p>seen</p><noscript>no</noscript><template>tpl</template></body></html>",
            "seen",
        );
    }

    #[test]
    fn entities_are_decoded() {
        check_text(
            "<p>Fish &amp; chips &lt;3 caf&eacute;&nbsp;bar &#8212; ok</p>",
            "Fish & chips <3 café bar \u{2014} ok",
        );
    }

    #[test]
    fn page_without_body_or_markup() {
        check_text("just some words", "just some words");
        check_text("", "");
        let page = read_page("<p>short</p>");
        assert!(page.body.iter().all(|span| span.end as usize <= page.text.len()));
    }

    #[test]
    fn nesting_depth_is_estimated_and_capped() {
        assert_eq!(
            scan_tags("<p>a<p>b<ul><li>c<li>d</ul><br><img src='x>y'><!-- <div> --></p>", None),
            2
        );
        assert_eq!(scan_tags("<script>if (a<b) { x = '<div>' }</script><div></div>", None), 1);
        let html = format!(
            "{}x{}",
            "<div>".repeat(MAX_PARSE_DEPTH + 10),
            "</div>".repeat(MAX_PARSE_DEPTH + 10)
        );
        let flat = flatten_deep_nesting(&html);
        assert_eq!(scan_tags(&flat, None), MAX_PARSE_DEPTH);
        assert!(matches!(flatten_deep_nesting("<div>x</div>"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_does_not_crash() {
        let depth = 100_000;
        let html = format!("{}deep text{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let page = read_page(&html);
        assert_eq!(page.text, "deep text");
        let html = format!("{}deep{}", "<span><b>".repeat(depth), "</b></span>".repeat(depth));
        assert_eq!(read_page(&html).text, "deep");
    }

    #[test]
    fn body_is_aligned_on_article_paragraphs() {
        let html = article_page("<title>Bridge to close | Gazette</title>", "", "");
        let page = read_page(&html);
        assert!(!page.body_is_fallback);
        let body = body_of(&page);
        for paragraph in PARAGRAPHS {
            assert!(body.contains(&paragraph), "missing {paragraph:?} in {body:#?}");
        }
        for chrome in
            ["Home", "News", "About us", "Copyright 2019 The Valley Gazette. All rights reserved."]
        {
            assert!(!body.iter().any(|line| line.contains(chrome)), "{chrome:?} in body {body:#?}");
        }
        assert_eq!(page.title.as_deref(), Some("Bridge to close | Gazette"));
        assert_eq!(page.language.as_deref(), Some("en-GB"));
    }

    #[test]
    fn align_tolerates_space_and_quote_differences() {
        let text = "Menu\nShe said \u{201c}no\u{201d} \u{2014} twice.\nLast line here";
        let spans = align(text, "She said \"no\" - twice.\n\nLast  line here");
        let got: Vec<&str> = spans.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(got, ["She said \u{201c}no\u{201d} \u{2014} twice.", "Last line here"]);
    }

    fn check_align(text: &str, extracted: &str, expect: &[&str]) {
        let spans = align(text, extracted);
        let got: Vec<&str> = spans.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn align_splits_at_newlines_and_finds_pieces() {
        check_align(
            "Intro\nFirst half of it\nsecond half of it.\nA long sentence that is here. Not this one.",
            "First half of it second half of it.\nA long sentence that is here. But not that one.",
            &["First half of it", "second half of it.", "A long sentence that is here."],
        );
    }

    #[test]
    fn align_skips_what_the_extractor_dropped_or_added() {
        // The text has an ad inside the paragraph; the extractor has a caption
        // and glued two paragraphs together.
        check_align(
            "Menu\nThe storm reached the coast at dawn. ADVERTISEMENT Power was cut in three towns.\n\
             ATTEND the meeting at the town hall on Friday evening.",
            "The storm reached the coast at dawn. Photo: a fallen tree. Power was cut in three towns.\
             ATTEND the meeting at the town hall on Friday evening.",
            &[
                "The storm reached the coast at dawn.",
                "Power was cut in three towns.",
                "ATTEND the meeting at the town hall on Friday evening.",
            ],
        );
    }

    #[test]
    fn align_reads_table_rows() {
        check_align(
            "Results\nPos. Driver Points\n1 Ana Lima 5040\nFooter",
            "Pos. | Driver | Points\n1 | Ana Lima | 5040",
            &["Pos. Driver Points", "1 Ana Lima 5040"],
        );
    }

    #[test]
    fn align_takes_out_of_order_lines_once() {
        check_align(
            "A summary line that comes first on the page.\nBody paragraph number one is here.",
            "Body paragraph number one is here.\nA summary line that comes first on the page.\nBody paragraph number one is here.",
            &["A summary line that comes first on the page.", "Body paragraph number one is here."],
        );
    }

    #[test]
    fn align_does_not_match_inside_words() {
        let text = "Byzantine\nBy";
        let spans = align(text, "By");
        assert_eq!(spans, [Span::new(10, 12)]);
    }

    #[test]
    fn title_and_sitename_from_meta() {
        let html = article_page(
            "<meta property=og:title content='Bridge closes'><meta property=og:site_name content='Gazette'>\
             <title>Other</title>",
            "",
            "",
        );
        let page = read_page(&html);
        assert_eq!(page.title.as_deref(), Some("Bridge closes"));
        assert_eq!(page.sitename.as_deref(), Some("Gazette"));
    }

    fn date_of(head: &str, before: &str) -> Option<HtmlDate> {
        read_page(&article_page(head, before, "")).date
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn date_precedence() {
        let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
            "dateModified":"2019-05-09T10:00:00Z","datePublished":"2019-05-07T22:30:00-04:00"}</script>"#;
        let meta = "<meta property='article:published_time' content='2019-05-06T08:00:00+01:00'>\
                    <meta property='article:modified_time' content='2019-05-10'><meta name=date content=2019-05-05>";
        let time = "<p>Published <time datetime=2019-05-04>4 May 2019</time></p>";

        let date = date_of(&format!("{ld}{meta}"), time).unwrap();
        assert_eq!((date.value, date.source, date.evidence), (day(2019, 5, 7), "json-ld", None));

        let date = date_of(meta, time).unwrap();
        assert_eq!((date.value, date.source), (day(2019, 5, 6), "meta"));

        let date = date_of("<meta name=DC.date content='2019-05-03'>", time).unwrap();
        assert_eq!((date.value, date.source), (day(2019, 5, 3), "meta"));

        let page = read_page(&article_page("", time, ""));
        let date = page.date.unwrap();
        assert_eq!((date.value, date.source), (day(2019, 5, 4), "time"));
        assert_eq!(&page.text[date.evidence.unwrap().range()], "4 May 2019");
    }

    #[test]
    fn date_from_microdata_and_broken_json_ld() {
        let meta = "<meta itemprop='datePublished dateCreated' content='2019-05-02T10:00:00Z'>";
        let date = date_of(meta, "").unwrap();
        assert_eq!((date.value, date.source), (day(2019, 5, 2), "meta"));
        // Not JSON (a trailing comma), still read.
        let broken = r#"<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-05-01",}</script>"#;
        let date = date_of(broken, "").unwrap();
        assert_eq!((date.value, date.source), (day(2019, 5, 1), "json-ld"));
        // A placeholder date is no date.
        let placeholder = r#"<script type="application/ld+json">{"datePublished": "0001-01-01T00:00:00Z"}</script>"#;
        assert_eq!(date_of(placeholder, ""), None);
    }

    #[test]
    fn modified_and_unrelated_dates_are_ignored() {
        let head = "<meta property='article:modified_time' content='2019-05-10'>\
                    <script type=application/ld+json>{\"@type\":\"NewsArticle\",\"dateModified\":\"2019-05-09\"}</script>";
        let aside = "<aside><time datetime=2018-01-01>1 Jan 2018</time></aside>\
                     <time class=updated datetime=2019-05-11>Updated</time>";
        assert_eq!(date_of(head, aside), None);
        assert_eq!(date_of("<meta name=date content='Copyright 2019'>", ""), None);
    }

    #[test]
    fn date_forms() {
        for (raw, expect) in [
            ("2019-05-07", Some(day(2019, 5, 7))),
            ("2019-05-07T23:59:00+0300", Some(day(2019, 5, 7))),
            ("2019-05-07T23:59:00.000Z", Some(day(2019, 5, 7))),
            ("2019-05-07 08:00", Some(day(2019, 5, 7))),
            ("Tue, 07 May 2019 08:00:00 GMT", Some(day(2019, 5, 7))),
            ("May 7, 2019", Some(day(2019, 5, 7))),
            ("20190507", Some(day(2019, 5, 7))),
            ("2019", None),
            ("0001-01-01", None),
            ("2019-13-01", None),
        ] {
            assert_eq!(parse_date(raw), expect, "{raw}");
        }
    }

    #[test]
    fn fallback_body_when_nothing_is_extracted() {
        let long = "This line is long enough to pass the fallback threshold of sixty chars.";
        let text = format!("tiny\n{long}\nshort");
        let spans = fallback_body(&text);
        assert_eq!(spans.iter().map(|s| &text[s.range()]).collect::<Vec<_>>(), [long]);
        // The extractor keeps nothing of a page without prose.
        let page = read_page(&format!("<ul><li>Home</li><li>{long}</li></ul>"));
        if page.body_is_fallback {
            assert_eq!(body_of(&page), [long]);
        }
        let page = read_page("");
        assert!(page.body_is_fallback && page.body.is_empty());
    }

    fn check_spans(page: &HtmlPage) {
        let mut previous_end = 0;
        for span in &page.body {
            assert!(span.start < span.end, "empty span {span}");
            assert!(span.start >= previous_end, "unordered or overlapping span {span}");
            assert!(page.text.get(span.range()).is_some(), "span {span} not on char boundaries");
            assert!(!page.text[span.range()].contains('\n'), "span {span} crosses a line");
            previous_end = span.end;
        }
        if let Some(evidence) = page.date.as_ref().and_then(|d| d.evidence) {
            assert!(page.text.get(evidence.range()).is_some());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn read_page_never_panics_and_spans_are_valid(html in ".{0,400}") {
            check_spans(&read_page(&html));
        }

        #[test]
        fn read_page_on_tag_soup(parts in proptest::collection::vec(prop_oneof![
            Just("<p>".to_string()), Just("</p>".to_string()), Just("<div>".to_string()),
            Just("<br>".to_string()), Just("<time datetime=2020-01-02>".to_string()),
            Just("</article>".to_string()), Just("<article>".to_string()), Just("&amp;".to_string()),
            "[a-zé \u{201c}\u{201d}.\n]{0,40}",
        ], 0..60)) {
            let html = parts.concat();
            let page = read_page(&html);
            check_spans(&page);
            prop_assert!(!page.text.contains("\n\n"));
        }
    }
}
