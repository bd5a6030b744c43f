//! The recognition rules: one regex per family of expressions, each with a
//! function that checks the context of a match and computes its value.
//!
//! Every rule proposes [`Candidate`]s; the `timex` module keeps the longest ones that do
//! not overlap. A rule returns `None` to veto a match (a year glued to a name by
//! a hyphen, "May" as a modal verb, a quantity that is not a time).

mod amounts;
mod dates;
mod relative;

pub use relative::anaphor_value;

use amounts::*;
use dates::*;
use relative::*;

use super::calendar::{self, Direction};
use super::lexicon::{self, Quantity, Unit};
use super::tense;
use super::{Anchoring, TimexKind};
use chrono::{Datelike, Duration, NaiveDate};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// One proposed time expression, before overlaps are resolved.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// TIMEX3 type.
    pub kind: TimexKind,
    /// Normalised value.
    pub value: Option<String>,
    /// How the value was obtained.
    pub anchoring: Anchoring,
    /// The clause direction used to resolve the value, when one was needed.
    pub direction: Option<Direction>,
    /// Index of the rule, for ties between equally long candidates.
    pub rule_idx: usize,
    /// For "a year ago"-like expressions: how many years back from the
    /// reference they point, so that a quarter just mentioned can refine them.
    pub years_back: Option<i32>,
    /// For "that day", "the following year": the shift from the last date the
    /// text mentioned (the value falls back to the anchor when there is none).
    pub anaphor: Option<Anaphor>,
}

/// A date named relative to a date mentioned before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anaphor {
    /// The unit of the shift and the granularity of the value.
    pub unit: Unit,
    /// How many units after (positive) or before the reference.
    pub offset: i32,
    /// A part of the day ("that morning" → `MO`).
    pub part_of_day: Option<&'static str>,
}

/// What a rule sees besides its match.
pub struct Ctx<'t> {
    /// The whole text.
    pub text: &'t str,
    /// The date relative expressions are resolved against.
    pub anchor: Option<NaiveDate>,
}

impl Ctx<'_> {
    /// The direction of the clause around `start..end`.
    fn direction(&self, start: usize, end: usize) -> Direction {
        tense::direction_at(self.text, start, end)
    }

    /// The word right before byte `pos` (punctuation trimmed, lower case).
    pub fn word_before(&self, pos: usize) -> String {
        let head = self.text[window_start(self.text, pos)..pos].trim_end();
        let start = after_last(head, char::is_whitespace);
        head[start..].trim_matches(|c: char| !c.is_alphanumeric() && c != '\'').to_lowercase()
    }

    /// The word right after byte `pos`, as written (punctuation trimmed).
    pub fn word_after(&self, pos: usize) -> &str {
        let tail = self.text[pos..window_end(self.text, pos)].trim_start();
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        tail[..end].trim_matches(|c: char| !c.is_alphanumeric())
    }

    /// The text just before byte `pos` (a bounded window, for linear time).
    pub fn head(&self, pos: usize) -> &str {
        &self.text[window_start(self.text, pos)..pos]
    }

    /// The text just after byte `pos` (a bounded window).
    pub fn tail(&self, pos: usize) -> &str {
        &self.text[pos..window_end(self.text, pos)]
    }

    fn char_before(&self, pos: usize) -> Option<char> {
        self.text[..pos].chars().next_back()
    }

    fn char_after(&self, pos: usize) -> Option<char> {
        self.text[pos..].chars().next()
    }
}

/// How far word look-ups reach, so that a text without spaces stays linear.
const WORD_WINDOW: usize = 64;

fn window_start(text: &str, pos: usize) -> usize {
    tense::floor_char_boundary(text, pos.saturating_sub(WORD_WINDOW))
}

fn window_end(text: &str, pos: usize) -> usize {
    let mut end = (pos + WORD_WINDOW).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// The byte just after the last char of `s` matching `pred` (0 when none does).
pub fn after_last(s: &str, pred: impl Fn(char) -> bool) -> usize {
    s.char_indices().rev().find(|&(_, c)| pred(c)).map_or(0, |(i, c)| i + c.len_utf8())
}

type Handler = fn(&Captures<'_>, &Ctx<'_>) -> Option<Candidate>;

/// A regex and the function that turns its matches into candidates.
struct Rule {
    regex: Regex,
    handler: Handler,
}

fn rule(pattern: &str, handler: Handler) -> Rule {
    // Word boundaries are ASCII ones: with Unicode `\b` the regex crate's lazy
    // DFA gives up on any text holding a non-ASCII character (a curly quote is
    // enough) and every search falls back to the backtracker over the rest of
    // the text, which made this the hottest loop of the pipeline. The rules
    // match English words, so a boundary differs only beside a non-ASCII letter.
    let pattern = pattern.replace(r"\b", r"(?-u:\b)");
    let regex = Regex::new(&format!("(?i){pattern}"))
        .unwrap_or_else(|e| panic!("bad timex rule {pattern}: {e}"));
    Rule { regex, handler }
}

/// All rules, compiled once.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    use lexicon::{
        DAY, MONTH, MONTH_FULL, NUMBER, PART_OF_DAY, SEASON, UNIT, WEEKDAY, WEEKDAY_ABBR, YEAR,
    };
    let approx = r"about|around|approximately|roughly|nearly|almost|some|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|well\s+over|just\s+over|just\s+under|over|under|just|only|barely|exactly|precisely|the\s+better\s+part\s+of";
    vec![
        // "Sun. Nov 24th, 2024", "September 20, 2023", "Nov. 21".
        rule(
            &format!(
                r"\b(?:(?P<wd>{WEEKDAY_ABBR}),?\s+)?(?P<month>{MONTH})\s*(?P<day>{DAY})\b(?:,?\s*(?P<year>{YEAR})\b)?"
            ),
            full_date_mdy,
        ),
        // "20 September 2023", "Friday, 20th of September".
        rule(
            &format!(
                r"\b(?:(?P<wd>{WEEKDAY_ABBR}),?\s+)?(?:the\s+)?(?P<day>{DAY})(?:\s+of)?\s+(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR})\b)?"
            ),
            full_date_dmy,
        ),
        // "September 2023", "Nov. 2022".
        rule(&format!(r"\b(?P<month>{MONTH})(?:\s+of)?,?\s+(?P<year>{YEAR})\b"), month_year),
        // "2023-08-22", "2023-08-22T10:15".
        rule(
            r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2}))?\b",
            iso_date,
        ),
        // "20/09/2023", "20.09.2023", "9/20/2023".
        rule(r"\b(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})[/.](?P<y>\d{4})\b", numeric_date),
        // "2023/09/20".
        rule(r"\b(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b", numeric_ymd),
        // "the 1990s", "the late '80s", "the mid-2000s".
        rule(
            r"(?:\bthe\s+)?(?:\b(?:early|mid|late)[- ]?)?(?:\b(?P<dec>1[6-9]\d0|20\d0)|['’](?P<short>\d)0)['’]?s\b",
            decade,
        ),
        rule(
            r"\b(?:the\s+)?(?:(?:early|mid|late)[- ]?)?(?:nineteen[- ])?(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
            decade_word,
        ),
        // "the 20th century", "the twenty-first century".
        rule(
            r"\b(?:the\s+)?(?:(?:early|mid|late)[- ]?)?(?P<n>\d{1,2}(?:st|nd|rd|th)|eighteenth|nineteenth|twentieth|twenty[- ]first)[- ]century\b",
            century,
        ),
        // "fiscal 2023", "the year 2000".
        rule(&format!(r"\b(?:fiscal(?:\s+year)?|the\s+year|FY)\s*(?P<year>{YEAR})\b"), fiscal_year),
        // A bare year, kept only with a date cue.
        rule(&format!(r"\b(?P<year>{YEAR})\b"), bare_year),
        // "Monday", "last Friday", "Wednesday morning", "Mondays".
        rule(
            &format!(
                r"\b(?:(?P<rel>last|next|this\s+past|this\s+coming|this|coming|past|previous|following)\s+)?(?P<wd>{WEEKDAY})(?P<plural>s)?\b(?:\s+(?P<pod>{PART_OF_DAY})\b)?"
            ),
            weekday,
        ),
        // "today", "late yesterday", "tomorrow morning", "tonight".
        rule(
            r"\b(?:(?P<mod>early|late|earlier|later)\s+)?(?P<word>today|tonight|yesterday|tomorrow)\b(?:\s+(?P<pod>morning|afternoon|evening|night)\b)?",
            day_word,
        ),
        rule(r"\bthe\s+day\s+(?P<which>before\s+yesterday|after\s+tomorrow)\b", day_word_far),
        // "this morning", "last night".
        rule(r"\b(?P<rel>this|last)\s+(?P<pod>morning|afternoon|evening|night)\b", part_of_day),
        // "last week", "this year", "earlier this month", "the coming year", "last summer".
        rule(
            &format!(
                r"\b(?:(?P<mod>early|late|earlier|later)\s+)?(?:(?P<the>the)\s+)?(?P<rel>this\s+past|this\s+coming|this|last|next|past|coming|previous|current|upcoming)\s+(?:(?:fiscal|calendar)\s+)?(?P<unit>week|weekend|month|year|quarter|decade|century|{SEASON})\b"
            ),
            relative_unit,
        ),
        // "last April", "next March", "this September".
        rule(
            &format!(
                r"\b(?P<rel>last|next|this|this\s+past|this\s+coming)\s+(?P<month>{MONTH_FULL})\b"
            ),
            relative_month,
        ),
        // "April last year", "June this year".
        rule(
            &format!(r"\b(?P<month>{MONTH_FULL})\s+(?P<rel>last|this|next)\s+year\b"),
            month_relative_year,
        ),
        // "summer 2022", "the spring of 2012".
        rule(
            &format!(r"\b(?:the\s+)?(?P<season>{SEASON})\s+(?:of\s+)?(?P<year>{YEAR})\b"),
            season_year,
        ),
        // "in the summer", "this winter" is relative_unit; bare "summer" needs a cue.
        rule(&format!(r"\b(?:the\s+)?(?P<season>{SEASON})\b"), bare_season),
        // "April", "in May".
        rule(&format!(r"\b(?P<month>{MONTH_FULL})\b"), bare_month),
        // "two days ago", "a year earlier", "three weeks from now".
        rule(
            &format!(
                r"\b(?:(?P<mod>{approx})\s+)?(?P<num>{NUMBER})(?:\s+|-)(?P<unit>{UNIT})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence|back)\b"
            ),
            ago,
        ),
        rule(
            r"\b(?:(?:many|several|some|a\s+few|few)\s+)?(?P<unit>years|months|weeks|days|decades)\s+(?P<dir>ago|earlier|later|from\s+now)\b",
            vague_ago,
        ),
        // "three years", "the past two years", "the first nine months", "two-year".
        rule(
            &format!(
                r"\b(?:(?P<mod>{approx})\s+)?(?:(?P<the>the|these|those|its|their|his|her)\s+)?(?:(?P<rel>past|last|next|first|coming|previous|final|following|latest|ensuing|preceding|remaining|initial|recent|subsequent|additional|further|entire|whole|full)\s+)?(?P<num>{NUMBER})(?:\s+|-)(?:(?:more|full|straight|consecutive|trading|business|working|calendar|additional|long|successive|fiscal)(?:\s+|-))?(?P<unit>{UNIT})(?P<long>-long)?\b"
            ),
            duration,
        ),
        // "for months", "recent weeks", "the coming years".
        rule(
            r"\b(?P<pre>for|over|within|in|after|during|took|take|takes|lasted|spent|the\s+past|the\s+last|the\s+next|the\s+coming|the\s+following|coming|recent|in\s+recent|in\s+the\s+coming|for\s+the\s+past|over\s+the\s+past|over\s+the\s+last|over\s+the\s+next|over\s+the\s+coming)\s+(?P<unit>seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b",
            vague_duration,
        ),
        // "24 hours a day", "seven days a week".
        rule(
            &format!(
                r"\b(?P<num>{NUMBER})\s+(?:hours|days)\s+(?:a|per|each)\s+(?P<unit>day|week|year)\b"
            ),
            round_the_clock,
        ),
        // "every year", "each Monday", "every two weeks", "per month".
        rule(
            &format!(
                r"\b(?P<q>every|each|per)\s+(?:(?P<other>other)\s+)?(?:(?P<num>{NUMBER})\s+)?(?P<unit>{UNIT}|night|weekend|morning|afternoon|evening|{WEEKDAY}|{MONTH_FULL}|{SEASON})\b"
            ),
            every,
        ),
        // "twice a year", "three times a week", "once a month".
        rule(
            &format!(
                r"\b(?P<freq>once|twice|thrice|(?:{NUMBER})\s+times)\s+(?:a|an|per|each|every)\s+(?P<unit>day|week|month|year|quarter|decade)\b"
            ),
            frequency,
        ),
        // "daily", "weekly", "annually".
        rule(
            r"\b(?P<word>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|fortnightly)\b",
            adverb_set,
        ),
        // "now", "currently", "recently", "the future".
        rule(
            r"\b(?:(?P<present>right\s+now|now|nowadays|currently|at\s+present|these\s+days|presently)|(?P<past>recently|lately|the\s+past|in\s+the\s+past)|(?P<future>the\s+(?:near|distant|foreseeable|immediate)\s+future|the\s+future|the\s+(?:near|short)\s+term))\b",
            reference,
        ),
        // "3:17 pm", "10 a.m. EDT", "about 7:15 p.m.".
        rule(
            r"\b(?:(?P<mod>about|around|approximately|roughly)\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>[0-5]\d))?\s*(?P<ampm>a\.\s?m\b\.?|p\.\s?m\b\.?|am\b|pm\b)(?:\s+(?P<tz>GMT|UTC|EST|EDT|CST|CDT|PST|PDT|MST|MDT|BST|CET|CEST|ET|PT|local\s+time)\b)?",
            clock_ampm,
        ),
        // "15:17 GMT", "at 10:30".
        rule(
            r"\b(?P<h>[01]?\d|2[0-3])[:h](?P<m>[0-5]\d)\b(?:\s*(?P<tz>GMT|UTC|EST|EDT|CST|CDT|PST|PDT|MST|MDT|BST|CET|CEST|ET|PT|local\s+time|hours|hrs)\b)?",
            clock_24h,
        ),
        rule(
            r"\b(?:(?P<mod>about|around|approximately)\s+)?(?P<word>noon|midday|midnight)\b",
            clock_word,
        ),
        // "Christmas", "last Thanksgiving", "New Year's Day".
        rule(
            r"\b(?:(?P<rel>last|next|this)\s+)?(?P<h>christmas\s+eve|christmas\s+day|christmas|new\s+year's\s+eve|new\s+year's\s+day|new\s+year's|thanksgiving(?:\s+day)?|easter(?:\s+sunday|\s+monday)?|good\s+friday|halloween|independence\s+day|valentine's\s+day|boxing\s+day|labou?r\s+day|memorial\s+day|veterans\s+day|election\s+day)\b",
            holiday,
        ),
        // "the third quarter", "third-quarter", "the first half of 2023".
        rule(
            &format!(
                r"\b(?:(?P<det>the|its|their|this\s+year's|last\s+year's|next\s+year's)\s+)?(?:(?P<adj>fiscal|calendar|year-earlier|year-ago|comparable)[- ])?(?:(?P<y1>{YEAR})\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last|latter)[- ](?P<unit>quarter|half)(?:\s+(?:of\s+)?(?:(?:fiscal|calendar)\s+)?(?P<y2>{YEAR})\b|\s+of\s+(?P<rel>this|last|next)\s+year\b)?\b"
            ),
            ordinal_quarter,
        ),
        // "Q3 2023".
        rule(&format!(r"\bQ(?P<q>[1-4])(?:\s+(?P<y>{YEAR}))?\b"), q_quarter),
        // "the quarter", "the latest quarter", "the year-ago quarter".
        rule(
            r"\bthe\s+(?:(?P<adj>latest|most\s+recent|recent|just-ended|year-ago|year-earlier|comparable|same)\s+)?(?P<unit>quarter|period)\b",
            the_quarter,
        ),
        // "year-earlier", "year-ago" (adjectives of financial reports).
        rule(r"\b(?P<the>the\s+)?year-(?:earlier|ago)\b", year_ago_adjective),
        // "that day", "the following year", "earlier that morning", "the day before".
        rule(
            r"\b(?:(?P<mod>earlier|later|late|early)\s+)?(?P<rel>that\s+same|the\s+same|that|the\s+next|the\s+following|the\s+previous|the\s+preceding)\s+(?P<unit>day|week|month|year|morning|afternoon|evening|night)\b",
            anaphoric,
        ),
        rule(r"\bthe\s+day\s+(?P<which>before|after)(?P<end>\s*[.,;:!?)]|\s*$)", day_before_after),
        // "the weekend", "over the weekend".
        rule(r"\bthe\s+weekend\b", the_weekend),
        // "the end of the year", "the beginning of the month".
        rule(
            r"\b(?:the\s+)?(?:end|beginning|start|middle|turn)\s+of\s+the\s+(?P<unit>year|month|week|decade|century)\b",
            end_of_unit,
        ),
    ]
});

/// All candidates of `text`, from every rule.
pub fn candidates(ctx: &Ctx<'_>) -> Vec<Candidate> {
    let mut res = Vec::new();
    for (rule_idx, rule) in RULES.iter().enumerate() {
        for caps in rule.regex.captures_iter(ctx.text) {
            if let Some(mut cand) = (rule.handler)(&caps, ctx) {
                cand.rule_idx = rule_idx;
                if cand.start < cand.end {
                    res.push(cand);
                }
            }
        }
    }
    res
}

// ---------------------------------------------------------------------------
// Helpers.

fn whole(caps: &Captures<'_>) -> (usize, usize) {
    let m = caps.get(0).expect("group 0 always matches");
    (m.start(), m.end())
}

fn group<'c>(caps: &'c Captures<'_>, name: &str) -> Option<&'c str> {
    caps.name(name).map(|m| m.as_str())
}

fn cand(
    start: usize,
    end: usize,
    kind: TimexKind,
    value: Option<String>,
    anchoring: Anchoring,
) -> Candidate {
    Candidate {
        start,
        end,
        kind,
        value,
        anchoring,
        direction: None,
        rule_idx: 0,
        years_back: None,
        anaphor: None,
    }
}

fn absolute(start: usize, end: usize, kind: TimexKind, value: String) -> Option<Candidate> {
    Some(cand(start, end, kind, Some(value), Anchoring::Absolute))
}

/// A candidate whose value needs the anchor: `None` value without one.
fn anchored(
    ctx: &Ctx<'_>,
    start: usize,
    end: usize,
    kind: TimexKind,
    value: impl FnOnce(NaiveDate) -> Option<String>,
) -> Option<Candidate> {
    match ctx.anchor {
        Some(anchor) => Some(cand(start, end, kind, Some(value(anchor)?), Anchoring::Anchor)),
        None => Some(cand(start, end, kind, None, Anchoring::None)),
    }
}

/// True when a month or weekday word is written as a name ("May", "MAY"), not a common word.
fn capitalized(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase())
}

/// Words after which a bare number or month name is a date.
#[rustfmt::skip]
const DATE_CUES: &[&str] = &[
    "in", "by", "since", "until", "till", "til", "from", "of", "during", "before", "after", "through", "throughout",
    "to", "between", "and", "or", "early", "late", "mid", "fiscal", "the", "its", "his", "her", "their", "our", "a",
    "an", "this", "that", "for", "around", "circa", "than", "year", "end", "spring", "summer", "autumn", "fall",
    "winter", "as", "last", "next", "since", "into", "within", "starting", "beginning", "ending", "mid-", "on",
    "both", "due", "ended", "following", "preceding", "previous",
];

fn is_date_cue(word: &str) -> bool {
    DATE_CUES.contains(&word) || word.ends_with("'s") || word.ends_with("’s")
}

/// The part-of-day code: "morning" → `MO`.
fn part_of_day_code(word: &str) -> &'static str {
    match word.to_ascii_lowercase().as_str() {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        _ => "NI",
    }
}

fn year_value(year: i32) -> String {
    format!("{year:04}")
}
