//! Line rules: each says whether one line of page text is clutter, and which kind.
//!
//! The rules look at one trimmed line at a time; block rules that need context
//! (a "Related Posts" heading and what follows it, the header above the first
//! paragraph) live in the parent module.

use regex::Regex;
use std::sync::LazyLock;

macro_rules! regex {
    ($re:expr) => {{
        static RE: LazyLock<Regex> = LazyLock::new(|| Regex::new($re).expect("valid regex"));
        &*RE
    }};
}

/// Number of words (runs of letters or digits) in a line.
pub fn word_count(line: &str) -> usize {
    line.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .count()
}

/// A line that reads as running article prose: a sentence of several words
/// that ends like a sentence, or a long line.
pub fn is_paragraph(line: &str) -> bool {
    let words = word_count(line);
    let end = line.trim_end().chars().last().unwrap_or(' ');
    let ends_sentence =
        matches!(end, '.' | '!' | '?' | '"' | '”' | '’' | '\'' | '»' | ':' | ';' | ')');
    (words >= 8 && ends_sentence) || words >= 40
}

/// A short line that is not prose: a headline, a label, a teaser title.
pub fn is_headline_like(line: &str) -> bool {
    let words = word_count(line);
    (1..=30).contains(&words) && !is_paragraph(line)
}

/// Social-media embeds and the notices shown in their place.
pub fn is_social_embed(line: &str) -> bool {
    let lower = line.to_lowercase();
    regex!(r"^(https?://)?(www\.|mobile\.|m\.)?(twitter\.com|x\.com|t\.co|instagram\.com|facebook\.com|fb\.watch|youtube\.com|youtu\.be|tiktok\.com|t\.me|telegram\.me|vk\.com|pic\.twitter\.com)/")
        .is_match(&lower)
        || (lower.contains("cookie")
            && regex!(r"deactivated|disabled|activate them|accept|consent|preferences|settings").is_match(&lower))
        || regex!(r"^(view this post on instagram|a post shared by|embedded (content|video|post)|this (post|content|video) (can't|cannot|could not) be (displayed|shown|loaded))")
            .is_match(&lower)
}

/// "READ: …", "Read also: …", "SEE ALSO: …" teaser lines.
pub fn is_read_prefix(line: &str) -> bool {
    regex!(r"(?i)^(read|read more|read also|also read|see also|related|more|watch|listen|recommended)\s*[:|»>–-]\s*\S")
        .is_match(line)
}

/// A heading that introduces one teaser ("Read more", "Read also").
pub fn is_teaser_heading(line: &str) -> bool {
    regex!(r"(?i)^(read more|read also|also read|see also|more on this( story| topic)?|recommended|editor'?s pick|don'?t miss|must read)\s*[:.…]?$")
        .is_match(line.trim())
}

/// A heading that introduces a list of other articles ("Related Posts").
pub fn is_related_heading(line: &str) -> bool {
    regex!(r"(?i)^(related( posts| articles| news| stories| content| coverage| reading| topics)?|more (stories|news|articles|from [\w .]+)|you (may|might) (also )?like|latest (news|stories|posts)|most (read|popular|viewed)|popular (posts|stories)|trending( now)?|recommended for you|in other news|top stories)\s*[:.…]?$")
        .is_match(line.trim())
}

/// Share, follow and subscribe prompts.
pub fn is_share(line: &str) -> bool {
    let line = line.trim();
    (word_count(line) <= 14
        && regex!(r"(?i)^(share( this| on| via|:|$)|tweet\b|email\b|print\b|subscribe|follow us|follow @|sign up|click here|join (us|our)|download (our|the) app|get (our|the) newsletter|newsletter)")
            .is_match(line))
        || (word_count(line) <= 15
            && regex!(r"(?i)(please subscribe|subscribe (now|today)|sign(ing)? up (for|to) (our|the)|never miss (the latest|a story)|download the [\w ]{1,30} apps?\b|your email address will not be published|already a subscriber|log ?in (for|to) (immediate )?access)")
                .is_match(line))
        || (word_count(line) <= 30 && regex!(r"(?i)^follow [\w ]{1,30} on (twitter|facebook|instagram|x|telegram)\b").is_match(line))
}

/// Copyright and rights footers.
pub fn is_copyright(line: &str) -> bool {
    word_count(line) <= 40
        && regex!(r"(?i)©|\(c\)\s*\d{4}|^copyright\b|all rights reserved").is_match(line)
}

/// Page furniture around an article: pagers, filing labels, "explore further".
pub fn is_furniture(line: &str) -> bool {
    word_count(line) <= 8
        && regex!(r"(?i)^(previous|next|older|newer) (article|post|story|page)\b|^(filed under\b|(categor(y|ies)|tags?|topics?)\s*:)|^explore further$|^(last )?(modified|updated):?$|^(photograph|photo|image) by\b|^(comments?|leave a (reply|comment)|reply)$")
            .is_match(line.trim())
}

/// Advertising markers.
pub fn is_advert(line: &str) -> bool {
    regex!(r"(?i)^(advertisement|advertising|sponsored( content)?|scroll to continue( with content)?|story continues below( advertisement)?)\s*[:.]?$")
        .is_match(line.trim())
}

/// Photo captions and credits: a line ending in a bracketed credit, or one
/// introduced as a photo or image.
pub fn is_caption(line: &str) -> bool {
    let line = line.trim();
    if regex!(r"(?i)^(photo|image|picture|file photo|pictured|illustration|video)\s*[:|–-]").is_match(line)
        || regex!(r"(?i)\((photo|image|picture)s?( by|:|/| credit)[^)]*\)\s*$").is_match(line)
        || regex!(r"(?i)\b(photo|image) (by|credit|courtesy)\b|getty images|shutterstock|/ ?(afp|ap|reuters|epa)$").is_match(line)
    {
        return true;
    }
    // "… on March 3 [PRESS OFFICE/Agency]": a trailing bracket naming who took it.
    if let Some(caps) = regex!(r"\[([^\[\]]{2,80})\]\s*$").captures(line) {
        let inner = &caps[1];
        let letters: Vec<char> = inner.chars().filter(|c| c.is_alphabetic()).collect();
        let upper = letters.iter().filter(|c| c.is_uppercase()).count();
        return inner.contains('/')
            || (letters.len() >= 3 && upper * 2 >= letters.len())
            || regex!(r"(?i)photo|image|file|credit|agency|press|via").is_match(inner);
    }
    false
}

/// Source credits standing alone: "AGENCY/Outlet", "(Reporting by …; Editing by …)".
pub fn is_credit(line: &str) -> bool {
    let line = line.trim();
    regex!(r"^\p{Lu}[\p{L}\d.&-]*( \p{Lu}[\p{L}\d.&-]*)?( ?/ ?\p{Lu}[\p{L}\d.&-]*( \p{Lu}[\p{L}\d.&-]*)?)+$").is_match(line)
        || regex!(r"(?i)^\(?(reporting|writing|editing|additional reporting|compiled) by\b").is_match(line)
}

/// Navigation menus flattened into one line (several short items between
/// separators) and breadcrumb trails ("Home / World / Europe").
pub fn is_menu(line: &str) -> bool {
    let separators = line.matches(['|', '•', '·']).count();
    if separators >= 3 && word_count(line) <= separators * 4 {
        return true;
    }
    let crumbs = line.matches(['»', '›', '/', '>']).count();
    regex!(r"(?i)^(home|start|main)\s*[»›/>|]").is_match(line.trim())
        && crumbs >= 1
        && word_count(line) <= (crumbs + 1) * 4
}

/// A byline: "By Ana Ruiz", "Written by …", "Ana Ruiz, Staff Reporter".
pub fn is_byline(line: &str) -> bool {
    let line = line.trim();
    word_count(line) <= 10
        && (regex!(r"^(?i:by|written by|words by|text by|story by)\s+\p{Lu}[\p{L}.'’-]*(,?\s+(\p{Lu}[\p{L}.'’-]*|and|&|in|de|van|von|al))*$").is_match(line)
            || regex!(r"(?i),\s*(staff (writer|reporter)|correspondent|reporter|editor)$").is_match(line))
}

/// True when the line has letters and all of them are capitals (a masthead, a label).
pub fn is_all_caps(line: &str) -> bool {
    let mut letters = line.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(|c| c.is_uppercase())
}

/// A date label that starts a line: "Published: …", "date …", "Posted on …".
/// Returns the label's length in bytes and whether it announces an update.
pub fn date_label(line: &str) -> Option<(usize, bool)> {
    let caps = regex!(r"(?i)^(date|dated|published( on)?|posted( on)?|first published( on)?|publication date|(last )?updated( on)?|modified)\s*[:\-–]?\s*")
        .captures(line)?;
    let updated =
        caps[1].to_lowercase().contains("updated") || caps[1].to_lowercase() == "modified";
    Some((caps[0].len(), updated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(rule: fn(&str) -> bool, yes: &[&str], no: &[&str]) {
        for line in yes {
            assert!(rule(line), "should match: {line:?}");
        }
        for line in no {
            assert!(!rule(line), "should not match: {line:?}");
        }
    }

    #[test]
    fn paragraphs_and_headlines() {
        check(
            is_paragraph,
            &[
                "The harbour authority said on Friday that the new quay would open in May.",
                "He said: \"We will build it, whatever the cost of steel turns out to be.\"",
            ],
            &["Harbour to reopen after storm", "Independent news since 1998"],
        );
        check(
            is_headline_like,
            &["Harbour to reopen after storm"],
            &["The harbour authority said on Friday that the new quay would open."],
        );
    }

    #[test]
    fn social_embeds() {
        check(
            is_social_embed,
            &[
                "https://twitter.com/i/web/status/1234567890 Some text",
                "pic.twitter.com/abcdef",
                "Embedded content is blocked because your cookie preferences disable it.",
                "View this post on Instagram",
            ],
            &[
                "The minister posted on social media that talks went well.",
                "Cookies were served at the reception.",
            ],
        );
    }

    #[test]
    fn teasers_and_related_blocks() {
        check(
            is_read_prefix,
            &["READ: Port city hosts lantern festival", "Read also: Dockworkers strike again"],
            &["Readers were asked to vote."],
        );
        check(
            is_teaser_heading,
            &["Read more", "READ MORE", "See also:"],
            &["Read more about it in our guide to the city."],
        );
        check(
            is_related_heading,
            &["Related Posts", "You may also like", "More from Harbour Times", "Most read"],
            &["Related costs rose sharply last year."],
        );
    }

    #[test]
    fn page_furniture() {
        check(
            is_furniture,
            &[
                "Previous article",
                "Filed under",
                "Category : Harbour news",
                "Explore further",
                "Photograph by Ana Ruiz",
                "Leave a reply",
            ],
            &[
                "The next article of the law says ships must wait.",
                "Categories of ships were listed by the authority.",
            ],
        );
        check(
            is_share,
            &["To read on, please subscribe to the Harbour Times.", "Never miss the latest news by signing up here", "Follow the Harbour Times on Twitter for updates"],
            &["He urged residents to subscribe to the new ferry pass, which costs less than the old one."],
        );
    }

    #[test]
    fn share_copyright_adverts() {
        check(
            is_share,
            &["Share this article", "Subscribe to our newsletter", "Follow us on Mastodon"],
            &["Shareholders approved the merger on Tuesday after a long meeting of the board."],
        );
        check(
            is_copyright,
            &["© 2024 Harbour Times. All rights reserved.", "Copyright 2021 Example Media"],
            &["The copyright dispute went to court in a case the judge called unusual."],
        );
        check(
            is_advert,
            &["Advertisement", "SCROLL TO CONTINUE WITH CONTENT"],
            &["Advertisements for the fair were everywhere."],
        );
    }

    #[test]
    fn captions_and_credits() {
        check(
            is_caption,
            &[
                "The mayor opens the new bridge in Portvale on May 2, 2021 [CITY HALL/Harbour Agency]",
                "Dockworkers at the quay (Photo by Jan Novak)",
                "Photo: The lighthouse at dawn",
                "Fishermen mend nets [FILE]",
            ],
            &["The mayor [of Portvale] said the bridge would open.", "He cited a report [1] on bridges."],
        );
        check(
            is_credit,
            &["HTA/Portvale News", "ABC/XYZ", "(Reporting by Ana Ruiz; Editing by Tom Lee)"],
            &["Portvale", "The Harbour Agency reported the news."],
        );
    }

    #[test]
    fn menus_and_date_labels() {
        check(
            is_menu,
            &[
                "Home | World | Business | Sport | Culture",
                "Home / Region / Harbour",
                "Home » World » Northland",
            ],
            &["He chose A | B as his motto.", "Homeowners/tenants were asked to leave."],
        );
        check(
            is_byline,
            &["By Ana Ruiz", "by Tom Lee and Ana Ruiz", "Ana Ruiz, Staff Reporter"],
            &["By Monday the quay had reopened to ships."],
        );
        check(is_all_caps, &["THE HARBOUR TIMES"], &["The Harbour Times", "2021"]);
        assert_eq!(date_label("Published: 3 May 2021"), Some(("Published: ".len(), false)));
        assert_eq!(date_label("Last updated 3 May 2021").map(|(_, u)| u), Some(true));
        assert_eq!(date_label("The date was set."), None);
    }
}
