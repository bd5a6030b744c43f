//! Boilerplate removal: from a document's text to its article body.
//!
//! `clean` works on the stretches of text an HTML extractor kept, or on the
//! whole text of a plain-text article, and removes what its rules recognise as
//! page clutter. The result is a [`Cleaned`]: the [`Body`] (article text plus a
//! map back to the document's bytes) and the [`Removed`] stretches with a kind.

mod rules;

use crate::doc::{Document, Span};
use crate::timex::{self, Anchoring, TimexKind};
use chrono::NaiveDate;

/// A stretch of the document's text that is not article body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Removed {
    /// Where it is in the document's text.
    pub span: Span,
    /// Why it was removed: `related-posts`, `read-more`, `social-embed`,
    /// `caption`, `slogan`, `page-date`, `share`, `copyright`, `credit`,
    /// `title`, `dateline`, `page-chrome`, ….
    pub kind: &'static str,
}

/// The article body: kept stretches of the document's text, joined by blank lines.
///
/// **Invariant:** every piece of `text` is a byte-for-byte copy of the
/// document's text at the piece's source offset, so body offsets map back exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Body {
    /// The body as one string.
    pub text: String,
    /// The kept stretches of the document's text, in order.
    pub pieces: Vec<Span>,
    /// Where each piece starts in `text`.
    starts: Vec<usize>,
}

/// What the body pieces are joined with.
pub const PIECE_SEPARATOR: &str = "\n\n";

impl Body {
    /// Builds the body from kept stretches of `source` (in order, not overlapping).
    pub fn from_pieces(source: &str, pieces: Vec<Span>) -> Body {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(pieces.len());
        for (piece_idx, piece) in pieces.iter().enumerate() {
            if piece_idx > 0 {
                text.push_str(PIECE_SEPARATOR);
            }
            starts.push(text.len());
            text.push_str(&source[piece.range()]);
        }
        Body { text, pieces, starts }
    }

    /// Maps a span of the body text to the document's text, when it lies inside one piece.
    pub fn to_source(&self, body_span: Span) -> Option<Span> {
        let piece_idx =
            self.starts.partition_point(|&s| s <= body_span.start as usize).checked_sub(1)?;
        let piece = self.pieces[piece_idx];
        let offset = body_span.start as usize - self.starts[piece_idx];
        if offset + body_span.len() > piece.len() {
            return None;
        }
        Some(Span::new(
            piece.start as usize + offset,
            piece.start as usize + offset + body_span.len(),
        ))
    }

    /// The pieces with their start offsets in the body text.
    pub fn pieces_with_starts(&self) -> impl Iterator<Item = (usize, Span)> + '_ {
        self.starts.iter().copied().zip(self.pieces.iter().copied())
    }
}

/// The outcome of cleaning one document.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Cleaned {
    /// The headline, as a span of the document's text, when it stands there.
    pub title: Option<Span>,
    /// The article body.
    pub body: Body,
    /// What was taken out, in text order.
    pub removed: Vec<Removed>,
    /// Dates the page shows about the article, found while cleaning.
    pub dates: Vec<DateLine>,
}

/// A date standing in the page around the article (above the body, in a byline).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DateLine {
    /// The date words in the document's text.
    pub span: Span,
    /// The day they name.
    pub value: NaiveDate,
    /// Where the date stands: `dateline` (under the headline), `byline`
    /// (after a "Published:" label), `updated` (after an "Updated:" label),
    /// or `page-date` (page chrome above the headline: the day the page was
    /// shown or saved, not the article's date).
    pub role: &'static str,
}

/// One non-blank line of the text being cleaned.
#[derive(Debug, Clone, Copy)]
struct Line {
    span: Span,
    kind: Option<&'static str>,
}

/// Cleans one document: splits its kept text into lines, takes out what the
/// rules recognise, and finds the headline and the dates shown around it.
pub fn clean(doc: &Document) -> Cleaned {
    let text = doc.text.as_str();
    let pieces = doc.extracted.clone().unwrap_or_else(|| vec![Span::new(0, text.len())]);
    let mut lines = split_lines(text, &pieces);
    mark_line_rules(text, &mut lines);
    mark_blocks(text, &mut lines);
    let (title, dates) =
        mark_header(text, &mut lines, doc.extracted.is_some().then_some(doc.meta.title.as_deref()));
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    for line in &lines {
        match line.kind {
            Some(kind) => removed.push(Removed { span: line.span, kind }),
            None => kept.push(line.span),
        }
    }
    if let Some(title_span) = title {
        // A title that shares its line with a date label is removed with that line.
        if !removed.iter().any(|r| r.span.contains(title_span)) {
            removed.push(Removed { span: title_span, kind: "title" });
        }
    }
    removed.sort_by_key(|r| (r.span.start, r.span.end));
    Cleaned { title, body: Body::from_pieces(text, kept), removed, dates }
}

/// The trimmed non-blank lines of every piece, in order.
fn split_lines(text: &str, pieces: &[Span]) -> Vec<Line> {
    let mut lines = Vec::new();
    for piece in pieces {
        let mut start = piece.start as usize;
        let end = piece.end as usize;
        for part in text[start..end].split_inclusive('\n') {
            let span = Span::new(start, start + part.len()).trim(text);
            let span = trim_invisible(text, span);
            if !span.is_empty() {
                lines.push(Line { span, kind: None });
            }
            start += part.len();
        }
    }
    lines
}

/// Trims byte-order marks and zero-width characters that `str::trim` keeps.
fn trim_invisible(text: &str, span: Span) -> Span {
    let invisible = |c: char| {
        c.is_whitespace()
            || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}')
    };
    let slice = &text[span.range()];
    let trimmed = slice.trim_matches(invisible);
    if trimmed.is_empty() {
        return Span::new(span.start as usize, span.start as usize);
    }
    let lead = slice.len() - slice.trim_start_matches(invisible).len();
    Span::new(span.start as usize + lead, span.start as usize + lead + trimmed.len())
}

/// Rules that judge one line alone.
fn mark_line_rules(text: &str, lines: &mut [Line]) {
    type Rule = (fn(&str) -> bool, &'static str);
    const RULES: [Rule; 11] = [
        (rules::is_social_embed, "social-embed"),
        (rules::is_menu, "menu"),
        (rules::is_byline, "byline"),
        (rules::is_read_prefix, "read-more"),
        (rules::is_share, "share"),
        (rules::is_copyright, "copyright"),
        (rules::is_advert, "advert"),
        (rules::is_furniture, "page-chrome"),
        (rules::is_caption, "caption"),
        (rules::is_credit, "credit"),
        (rules::is_related_heading, "related-posts"),
    ];
    for line in lines.iter_mut() {
        let s = &text[line.span.range()];
        line.kind = RULES.iter().find(|(rule, _)| rule(s)).map(|&(_, kind)| kind);
    }
}

/// How many lines after a teaser heading may belong to its teaser.
const TEASER_LINES: usize = 3;
/// A line this long is article prose even inside a teaser block.
const PROSE_WORDS: usize = 25;

/// Rules that need what follows a line: teaser headings and related-post lists.
fn mark_blocks(text: &str, lines: &mut [Line]) {
    let total = text.len().max(1);
    let mut idx = 0;
    while idx < lines.len() {
        let s = &text[lines[idx].span.range()];
        let is_related = lines[idx].kind == Some("related-posts");
        let is_teaser = rules::is_teaser_heading(s);
        if !(is_related || is_teaser) {
            idx += 1;
            continue;
        }
        let kind = if is_related { "related-posts" } else { "read-more" };
        lines[idx].kind = Some(kind);
        // A list of other articles in the second half of the page runs to its end.
        let to_end = is_related && lines[idx].span.start as usize * 2 >= total;
        let mut next = idx + 1;
        while next < lines.len() {
            let line = &text[lines[next].span.range()];
            if !to_end && (next - idx > TEASER_LINES || rules::word_count(line) >= PROSE_WORDS) {
                break;
            }
            lines[next].kind.get_or_insert(kind);
            next += 1;
            // A teaser ends with its headline.
            if !to_end && rules::is_headline_like(line) {
                break;
            }
        }
        idx = next;
    }
}

/// Finds the headline and the dates above the first paragraph; marks chrome there.
///
/// `extracted_title` is `Some` for text an HTML extractor already separated
/// from its page: there the header holds no chrome of the site any more, and
/// only a line repeating the page's title (when it has one) is the headline.
fn mark_header(
    text: &str,
    lines: &mut [Line],
    extracted_title: Option<Option<&str>>,
) -> (Option<Span>, Vec<DateLine>) {
    let first_paragraph = lines
        .iter()
        .position(|l| l.kind.is_none() && rules::is_paragraph(&text[l.span.range()]))
        .unwrap_or(lines.len());
    let mut dates = Vec::new();
    let mut headline_idxs = Vec::new();
    let mut title = None;
    for (idx, line) in lines.iter_mut().enumerate().take(first_paragraph) {
        if line.kind.is_some() {
            continue;
        }
        let span = line.span;
        let s = &text[span.range()];
        if let Some((label_len, updated)) = rules::date_label(s) {
            if let Some((date_span, value, date_end)) = leading_date(&s[label_len..]) {
                let date_span = date_span.shift(span.start as usize + label_len);
                dates.push(DateLine {
                    span: date_span,
                    value,
                    role: if updated { "updated" } else { "byline" },
                });
                let rest = Span::new(span.start as usize + label_len + date_end, span.end as usize)
                    .trim(text);
                if rules::word_count(&text[rest.range()]) >= 3 && title.is_none() {
                    // "date 2021-05-03 Harbour reopens": the headline follows the label.
                    title = Some(rest);
                }
                line.kind = Some("dateline");
                continue;
            }
        }
        if let Some(value) = date_only(s) {
            dates.push(DateLine { span, value, role: "dateline" });
            line.kind = Some("dateline");
            continue;
        }
        if rules::is_headline_like(s) {
            headline_idxs.push(idx);
        }
    }
    let title_idx = if title.is_some() {
        None
    } else if let Some(page_title) = extracted_title {
        let same = |line: &str| page_title.is_some_and(|t| fold_space(t) == fold_space(line));
        headline_idxs.iter().copied().find(|&i| same(&text[lines[i].span.range()]))
    } else {
        // The headline is the fullest headline-like line of the header that
        // does not end like a sentence; mastheads in capitals lose to it.
        headline_idxs
            .iter()
            .copied()
            .filter(|&i| !text[lines[i].span.range()].ends_with('.'))
            .max_by_key(|&i| {
                let line = &text[lines[i].span.range()];
                (!rules::is_all_caps(line), rules::word_count(line), std::cmp::Reverse(i))
            })
    };
    if let Some(title_idx) = title_idx {
        title = Some(lines[title_idx].span);
        lines[title_idx].kind = Some("title");
        if extracted_title.is_none() {
            for &idx in &headline_idxs {
                let line = &text[lines[idx].span.range()];
                if idx < title_idx {
                    // Above the headline: the site's name, slogan or section label.
                    lines[idx].kind = Some("slogan");
                } else if idx > title_idx && rules::word_count(line) <= 6 && !line.ends_with('.') {
                    // Right under it: a desk or author line.
                    lines[idx].kind = Some("byline");
                }
            }
        }
    }
    // A date above the headline is page chrome: the day the page was shown or saved.
    let title_start = title.map(|t| t.start);
    for date in dates.iter_mut().filter(|d| d.role == "dateline") {
        if title_start.is_some_and(|start| date.span.start < start) {
            date.role = "page-date";
            if let Some(line) = lines.iter_mut().find(|l| l.span == date.span) {
                line.kind = Some("page-date");
            }
        }
    }
    (title, dates)
}

/// The words of `s` separated by single spaces.
fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The absolute day that a line of date words names, when the line holds
/// nothing but a date (and maybe a time of day and a weekday).
fn date_only(line: &str) -> Option<NaiveDate> {
    if rules::word_count(line) > 12 {
        return None;
    }
    let mentions = timex::tag(line, None);
    let day = mentions.iter().find_map(absolute_day)?;
    let letters = line.chars().filter(|c| c.is_alphanumeric()).count();
    let covered_letters: usize = mentions
        .iter()
        .map(|m| line[m.span.range()].chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    // Allow glue words ("at", "on", "Updated") around the date words.
    (covered_letters * 10 >= letters * 6).then_some(day)
}

/// A date at the start of `s` (after a label): its span in `s`, its day, and where it ends.
fn leading_date(s: &str) -> Option<(Span, NaiveDate, usize)> {
    let mentions = timex::tag(s, None);
    let first = mentions.iter().find(|m| absolute_day(m).is_some())?;
    if first.span.start as usize > 4 {
        return None;
    }
    let day = absolute_day(first)?;
    // A time of day right after the date belongs to it.
    let end = mentions
        .iter()
        .filter(|m| {
            m.kind == TimexKind::Time
                && m.span.start >= first.span.end
                && m.span.start <= first.span.end + 4
        })
        .map(|m| m.span.end)
        .max()
        .unwrap_or(first.span.end);
    Some((first.span, day, end as usize))
}

/// The day an absolute, day-precision mention names.
fn absolute_day(mention: &timex::TimeMention) -> Option<NaiveDate> {
    if mention.anchoring != Anchoring::Absolute {
        return None;
    }
    let value = mention.value.as_deref()?;
    NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{DocId, InputMeta, SourceFormat};

    fn doc(text: &str) -> Document {
        Document {
            doc_id: DocId(0),
            id: "t".into(),
            origin: "t.txt".into(),
            format: SourceFormat::Text,
            text: text.into(),
            extracted: None,
            meta: InputMeta::default(),
        }
    }

    /// Cleans `text` and returns (kind, removed text) pairs and the body.
    fn check(text: &str, removed: &[(&str, &str)], body_has: &[&str]) -> Cleaned {
        let cleaned = clean(&doc(text));
        let got: Vec<(&str, &str)> =
            cleaned.removed.iter().map(|r| (r.kind, &text[r.span.range()])).collect();
        assert_eq!(got, removed, "removed stretches");
        for needle in body_has {
            assert!(
                cleaned.body.text.contains(needle),
                "body lacks {needle:?}:\n{}",
                cleaned.body.text
            );
        }
        for (kind, stretch) in removed {
            if *kind != "title" {
                assert!(!cleaned.body.text.contains(stretch), "body keeps {stretch:?}");
            }
        }
        cleaned
    }

    const P1: &str = "The harbour authority of Portvale said on Monday that the north quay would reopen within a week.";
    const P2: &str = "Crews worked through the night to clear the debris left by the storm, a spokesman for the authority said.";

    #[test]
    fn header_slogan_title_dateline_caption() {
        let text = format!(
            "Independent harbour news since 1998\n\nPortvale quay to reopen after storm\n\nMay 4, 2021 at 9:30 am\n\nDockworkers clear the quay on May 3, 2021 [PORT AUTHORITY/Harbour Agency]\n\n{P1}\n\n{P2}\n"
        );
        let cleaned = check(
            &text,
            &[
                ("slogan", "Independent harbour news since 1998"),
                ("title", "Portvale quay to reopen after storm"),
                ("dateline", "May 4, 2021 at 9:30 am"),
                (
                    "caption",
                    "Dockworkers clear the quay on May 3, 2021 [PORT AUTHORITY/Harbour Agency]",
                ),
            ],
            &[P1, P2],
        );
        assert_eq!(cleaned.dates.len(), 1);
        assert_eq!(
            (cleaned.dates[0].role, cleaned.dates[0].value.to_string().as_str()),
            ("dateline", "2021-05-04")
        );
    }

    #[test]
    fn date_above_the_headline_is_page_chrome() {
        let text = format!("Thu. Nov 14th, 2024\n\nPortvale quay to reopen after storm\n\n{P1}\n");
        let cleaned = check(
            &text,
            &[
                ("page-date", "Thu. Nov 14th, 2024"),
                ("title", "Portvale quay to reopen after storm"),
            ],
            &[P1],
        );
        assert_eq!(cleaned.dates[0].role, "page-date");
    }

    #[test]
    fn labelled_date_shares_the_line_with_the_headline() {
        let text = format!("Published 2021-05-04 Portvale quay to reopen after storm\n\n{P1}\n");
        let cleaned = clean(&doc(&text));
        assert_eq!(&text[cleaned.title.unwrap().range()], "Portvale quay to reopen after storm");
        assert_eq!(cleaned.dates[0].role, "byline");
        assert_eq!(&text[cleaned.dates[0].span.range()], "2021-05-04");
        assert!(cleaned.body.text.starts_with(P1));
    }

    #[test]
    fn read_more_teaser_in_the_middle() {
        let text = format!(
            "{P1}\n\nRead more\n\nA man walks past the harbour office in Portvale, Northland.\nFerry operator adds winter route \n\n{P2}\n\nREAD: Lighthouse keepers vote to strike\n"
        );
        check(
            &text,
            &[
                ("read-more", "Read more"),
                ("read-more", "A man walks past the harbour office in Portvale, Northland."),
                ("read-more", "Ferry operator adds winter route"),
                ("read-more", "READ: Lighthouse keepers vote to strike"),
            ],
            &[P1, P2],
        );
    }

    #[test]
    fn related_posts_at_the_end_run_to_the_end() {
        let text = format!(
            "{P1}\n{P2}\nHTA/Portvale News\nRelated Posts\nFerry operator adds winter route\nPORTVALE, Nov. 12 (HTA) – The ferry operator said it would add a route.\n"
        );
        check(
            &text,
            &[
                ("credit", "HTA/Portvale News"),
                ("related-posts", "Related Posts"),
                ("related-posts", "Ferry operator adds winter route"),
                (
                    "related-posts",
                    "PORTVALE, Nov. 12 (HTA) – The ferry operator said it would add a route.",
                ),
            ],
            &[P1, P2],
        );
    }

    #[test]
    fn social_share_and_footer_lines() {
        let text = format!(
            "{P1}\nhttps://twitter.com/i/web/status/42 Posts cannot be shown while social cookies are disabled in your preferences.\n{P2}\nShare this article\n© 2021 Harbour Times. All rights reserved.\n"
        );
        check(
            &text,
            &[
                ("social-embed", "https://twitter.com/i/web/status/42 Posts cannot be shown while social cookies are disabled in your preferences."),
                ("share", "Share this article"),
                ("copyright", "© 2021 Harbour Times. All rights reserved."),
            ],
            &[P1, P2],
        );
    }

    #[test]
    fn body_maps_back_to_the_source() {
        let text = format!("Read more\nFerry operator adds winter route\n{P1}\n\n{P2}");
        let cleaned = clean(&doc(&text));
        let at = cleaned.body.text.find("north quay").unwrap();
        let span = cleaned.body.to_source(Span::new(at, at + "north quay".len())).unwrap();
        assert_eq!(&text[span.range()], "north quay");
        // A span across two pieces has no single source.
        assert_eq!(cleaned.body.to_source(Span::new(0, cleaned.body.text.len())), None);
    }

    proptest::proptest! {
        #[test]
        fn spans_stay_in_bounds_on_char_boundaries(text in "(?s)[a-zA-Zé€ 0-9.,:\n\\[\\]/©|–-]{0,400}") {
            let cleaned = clean(&doc(&text));
            let mut last_end = 0;
            for piece in &cleaned.body.pieces {
                proptest::prop_assert!(piece.end as usize <= text.len());
                proptest::prop_assert!(text.is_char_boundary(piece.start as usize) && text.is_char_boundary(piece.end as usize));
                proptest::prop_assert!(piece.start as usize >= last_end);
                last_end = piece.end as usize;
            }
            for removed in &cleaned.removed {
                proptest::prop_assert!(text.get(removed.span.range()).is_some());
            }
            for (start, piece) in cleaned.body.pieces_with_starts() {
                proptest::prop_assert_eq!(&cleaned.body.text[start..start + piece.len()], &text[piece.range()]);
            }
            // Cleaning the body again finds nothing more to remove from its prose.
            let again = clean(&doc(&cleaned.body.text));
            proptest::prop_assert!(again.body.text.len() <= cleaned.body.text.len());
        }
    }
}
