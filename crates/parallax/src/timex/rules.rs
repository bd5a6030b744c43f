//! The recognition rules: one regex per family of expressions, each with a
//! function that checks the context of a match and computes its value.
//!
//! Every rule proposes [`Candidate`]s; `mod.rs` keeps the longest ones that do
//! not overlap. A rule returns `None` to veto a match (a year glued to a name by
//! a hyphen, "May" as a modal verb, a quantity that is not a time).

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
    Candidate { start, end, kind, value, anchoring, direction: None, rule_idx: 0, years_back: None }
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

// ---------------------------------------------------------------------------
// Absolute dates.

fn full_date_mdy(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let month_word = group(caps, "month")?;
    if !capitalized(month_word) {
        return None;
    }
    // "May 5" is a date, but digits glued to more digits ("May 2023" read as "May 20") are not.
    if ctx.char_after(end).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let month = lexicon::month_number(month_word)?;
    let day: u32 = group(caps, "day")?.trim_end_matches(char::is_alphabetic).parse().ok()?;
    day_candidate(ctx, start, end, month, day, group(caps, "year"))
}

fn full_date_dmy(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let month_word = group(caps, "month")?;
    if !capitalized(month_word) {
        return None;
    }
    let day_match = caps.name("day")?;
    // "$5 May" or "1,5 May" are not days.
    if ctx
        .char_before(day_match.start())
        .is_some_and(|c| matches!(c, '$' | '£' | '€' | ',' | '.' | '-' | '/'))
        || ctx.char_before(day_match.start()).is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let month = lexicon::month_number(month_word)?;
    let day: u32 = day_match.as_str().trim_end_matches(char::is_alphabetic).parse().ok()?;
    // "the" is only part of the expression in "the 20th of September".
    let start = if group(caps, "wd").is_none() { day_match.start() } else { start };
    day_candidate(ctx, start, end, month, day, group(caps, "year"))
}

/// A day of a month, with or without its year.
fn day_candidate(
    ctx: &Ctx<'_>,
    start: usize,
    end: usize,
    month: u32,
    day: u32,
    year: Option<&str>,
) -> Option<Candidate> {
    if let Some(year) = year {
        let year: i32 = year.parse().ok()?;
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        return absolute(start, end, TimexKind::Date, calendar::day_value(date));
    }
    // Validate against a leap year so that "Feb. 29" survives until the year is known.
    NaiveDate::from_ymd_opt(2000, month, day)?;
    match ctx.anchor {
        Some(anchor) => {
            let (direction, distance) = tense::direction_and_distance(ctx.text, start, end);
            let year = calendar::day_year(anchor, month, day, direction, distance <= 3.0)?;
            let date = NaiveDate::from_ymd_opt(year, month, day)?;
            let mut res = cand(
                start,
                end,
                TimexKind::Date,
                Some(calendar::day_value(date)),
                Anchoring::Anchor,
            );
            res.direction = Some(direction);
            Some(res)
        }
        None => Some(cand(
            start,
            end,
            TimexKind::Date,
            Some(format!("XXXX-{month:02}-{day:02}")),
            Anchoring::None,
        )),
    }
}

fn month_year(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let month_word = group(caps, "month")?;
    if !capitalized(month_word) {
        return None;
    }
    let month = lexicon::month_number(month_word)?;
    let year: i32 = group(caps, "year")?.parse().ok()?;
    absolute(start, end, TimexKind::Date, calendar::month_value(year, month))
}

fn iso_date(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    if ctx.char_before(start).is_some_and(|c| c == '-' || c == '/' || c.is_alphanumeric())
        || ctx.char_after(end).is_some_and(|c| c == '-' || c == '/')
    {
        return None;
    }
    let year: i32 = group(caps, "y")?.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(
        year,
        group(caps, "m")?.parse().ok()?,
        group(caps, "d")?.parse().ok()?,
    )?;
    match (group(caps, "hh"), group(caps, "mm")) {
        (Some(hh), Some(mm)) => {
            let (hh, mm): (u32, u32) = (hh.parse().ok()?, mm.parse().ok()?);
            if hh > 24 || mm > 59 {
                return None;
            }
            absolute(
                start,
                end,
                TimexKind::Time,
                format!("{}T{hh:02}:{mm:02}", calendar::day_value(date)),
            )
        }
        _ => absolute(start, end, TimexKind::Date, calendar::day_value(date)),
    }
}

/// "20/09/2023" is day-first; "9/20/2023" month-first; when both readings are
/// valid, slashes read month-first (US usage) and dots day-first (European usage).
fn numeric_date(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    if ctx.char_before(start).is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '/')
        || ctx.text[end..].starts_with(['/', '.'])
            && ctx.text[end..].chars().nth(1).is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let a: u32 = group(caps, "a")?.parse().ok()?;
    let b: u32 = group(caps, "b")?.parse().ok()?;
    let year: i32 = group(caps, "y")?.parse().ok()?;
    let day_first = if a > 12 {
        true
    } else if b > 12 {
        false
    } else {
        group(caps, "sep") == Some(".")
    };
    let (month, day) = if day_first { (b, a) } else { (a, b) };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    absolute(start, end, TimexKind::Date, calendar::day_value(date))
}

fn numeric_ymd(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    if ctx.char_after(end).is_some_and(|c| c == '/')
        || ctx.char_before(start).is_some_and(|c| c == '/')
    {
        return None;
    }
    let year: i32 = group(caps, "y")?.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(
        year,
        group(caps, "m")?.parse().ok()?,
        group(caps, "d")?.parse().ok()?,
    )?;
    absolute(start, end, TimexKind::Date, calendar::day_value(date))
}

fn decade(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let first_year: i32 = match (group(caps, "dec"), group(caps, "short")) {
        (Some(dec), _) => dec.parse().ok()?,
        (None, Some(short)) => {
            let digit: i32 = short.parse().ok()?;
            // "the '20s" is ambiguous; news text means the 1920s only for 20-90.
            if digit >= 2 {
                1900 + digit * 10
            } else {
                2000 + digit * 10
            }
        }
        _ => return None,
    };
    absolute(start, end, TimexKind::Date, format!("{:03}X", first_year / 10))
}

fn decade_word(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let word = group(caps, "word")?.to_ascii_lowercase();
    let tens = [
        "twenties",
        "thirties",
        "forties",
        "fifties",
        "sixties",
        "seventies",
        "eighties",
        "nineties",
    ]
    .iter()
    .position(|&w| w == word)? as i32
        + 2;
    // "the sixties" without "the" is more often an age ("in his sixties").
    let text = caps.get(0)?.as_str().to_ascii_lowercase();
    if !text.starts_with("the") && !text.contains("nineteen") {
        return None;
    }
    absolute(start, end, TimexKind::Date, format!("19{tens}X"))
}

fn century(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let n = group(caps, "n")?.to_ascii_lowercase();
    let number: i32 = match n.as_str() {
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "twenty-first" | "twenty first" => 21,
        digits => digits.trim_end_matches(char::is_alphabetic).parse().ok()?,
    };
    if !(1..=30).contains(&number) {
        return None;
    }
    absolute(start, end, TimexKind::Date, format!("{:02}", number - 1))
}

fn fiscal_year(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let year: i32 = group(caps, "year")?.parse().ok()?;
    absolute(start, end, TimexKind::Date, year_value(year))
}

/// Nouns after which a four-digit number is a count, not a year.
#[rustfmt::skip]
const COUNTED_NOUNS: &[&str] = &[
    "troops", "people", "soldiers", "km", "kilometres", "kilometers", "miles", "meters", "metres", "feet", "tons",
    "tonnes", "votes", "dollars", "euros", "pounds", "units", "cars", "jobs", "workers", "children", "deaths",
    "cases", "residents", "refugees", "civilians", "homes", "men", "women", "points", "rounds", "shells", "drones",
    "rockets", "missiles", "hours", "hrs", "gmt", "utc", "members", "employees", "students", "tanks", "vehicles",
    "shares", "barrels", "acres", "hectares", "calories", "yards", "pages", "words", "signatures", "arrests",
    "prisoners", "patients", "percent", "per", "mph", "kg", "kilograms", "lbs", "m", "ft", "cc", "voters",
    "visitors", "fans", "delegates", "seats", "square",
];

fn bare_year(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let year: i32 = group(caps, "year")?.parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let before = ctx.char_before(start);
    let after = ctx.char_after(end);
    // Money, quantities, decimals, model names ("Army-2023", "F-2000").
    if before.is_some_and(|c| matches!(c, '$' | '£' | '€' | '#' | '.' | ',' | '+' | '/' | '№'))
        || after.is_some_and(|c| matches!(c, '%' | '/' | '+'))
        || ctx.text[end..].starts_with(['.', ','])
            && ctx.text[end + 1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    if before == Some('-') {
        let head = &ctx.text[window_start(ctx.text, start - 1)..start - 1];
        let prev_token_start = after_last(head, |c: char| !c.is_alphanumeric());
        let prev_token = &head[prev_token_start..];
        let is_year = prev_token.len() == 4 && prev_token.bytes().all(|b| b.is_ascii_digit());
        if prev_token.eq_ignore_ascii_case("mid") {
            // "mid-2015" is a year; the modifier pass takes "mid-" in.
        } else if !is_year {
            return None;
        }
    }
    if after == Some('-') && ctx.text[end + 1..].starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let next_word = ctx.word_after(end).to_lowercase();
    if COUNTED_NOUNS.contains(&next_word.as_str()) {
        return None;
    }
    let prev_word = ctx.word_before(start);
    let prev_is_year = prev_word.len() == 4 && prev_word.bytes().all(|b| b.is_ascii_digit());
    if !(is_date_cue(&prev_word) || prev_is_year || before == Some('(') && after == Some(')')) {
        return None;
    }
    absolute(start, end, TimexKind::Date, year_value(year))
}

// ---------------------------------------------------------------------------
// Weekdays and days relative to the anchor.

/// Names that contain a weekday but are not one.
fn weekday_is_name(ctx: &Ctx<'_>, start: usize, end: usize) -> bool {
    const BEFORE: &[&str] =
        &["black", "good", "ash", "holy", "super", "cyber", "bloody", "easter", "palm", "maundy"];
    #[rustfmt::skip]
    const AFTER: &[&str] = &[
        "Times", "Telegraph", "Express", "Mirror", "Herald", "Post", "Mail", "Star", "Sport", "People", "Independent",
        "Night", "Morning", "Tribune", "Journal", "Prayers", "Club",
    ];
    let prev = ctx.word_before(start);
    let head = ctx.text[window_start(ctx.text, start)..start].trim_end();
    let prev_cap = &head[after_last(head, char::is_whitespace)..];
    let next = ctx.word_after(end);
    (BEFORE.contains(&prev.as_str()) && capitalized(prev_cap)) || AFTER.contains(&next)
}

fn weekday(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let wd_match = caps.name("wd")?;
    if !capitalized(wd_match.as_str()) {
        return None;
    }
    let weekday = lexicon::weekday_number(wd_match.as_str())?;
    let rel = group(caps, "rel")
        .map(|r| r.to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join(" "));
    let pod = group(caps, "pod");
    if weekday_is_name(ctx, wd_match.start(), wd_match.end()) && rel.is_none() {
        return None;
    }
    if group(caps, "plural").is_some() {
        if rel.is_some() {
            return None;
        }
        let end = if pod.is_some() { caps.name("plural")?.end() } else { end };
        return absolute(
            wd_match.start(),
            end,
            TimexKind::Set,
            format!("XXXX-WXX-{}", weekday + 1),
        );
    }
    let kind = if pod.is_some() { TimexKind::Time } else { TimexKind::Date };
    let suffix = pod.map(|p| format!("T{}", part_of_day_code(p))).unwrap_or_default();
    let Some(anchor) = ctx.anchor else {
        return Some(cand(
            start,
            end,
            kind,
            Some(format!("XXXX-WXX-{}{suffix}", weekday + 1)),
            Anchoring::None,
        ));
    };
    let (date, direction) = match rel.as_deref() {
        Some("last") | Some("past") | Some("previous") | Some("this past") => (
            calendar::weekday_date(anchor - Duration::days(1), weekday, Direction::Past),
            Direction::Past,
        ),
        Some("next") | Some("coming") | Some("following") | Some("this coming") => (
            calendar::weekday_date(anchor + Duration::days(1), weekday, Direction::Future),
            Direction::Future,
        ),
        _ => {
            let (mut direction, distance) = tense::direction_and_distance(ctx.text, start, end);
            // "Friday's close", "Tuesday's vote": a possessive weekday mostly names a
            // day already past, unless a future cue sits right next to it.
            let possessive = ctx.text[wd_match.end()..].starts_with("'s")
                || ctx.text[wd_match.end()..].starts_with("’s");
            if possessive && !(direction == Direction::Future && distance <= 2.0) {
                direction = Direction::Past;
            }
            (calendar::weekday_date(anchor, weekday, direction), direction)
        }
    };
    let mut res = cand(
        start,
        end,
        kind,
        Some(format!("{}{suffix}", calendar::day_value(date))),
        Anchoring::Anchor,
    );
    res.direction = Some(direction);
    Some(res)
}

fn day_word(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let word = group(caps, "word")?.to_ascii_lowercase();
    // "USA Today", "VOA Today": names.
    let word_match = caps.name("word")?;
    if word == "today" && capitalized(word_match.as_str()) && word_match.start() == start {
        let head = ctx.text[window_start(ctx.text, start)..start].trim_end();
        let prev = &head[after_last(head, char::is_whitespace)..];
        if capitalized(prev) && !prev.ends_with(['.', '!', '?', '"', ':']) {
            return None;
        }
    }
    let offset = match word.as_str() {
        "yesterday" => -1,
        "tomorrow" => 1,
        _ => 0,
    };
    let pod = match (word.as_str(), group(caps, "pod")) {
        (_, Some(p)) => Some(part_of_day_code(p)),
        ("tonight", None) => Some("NI"),
        _ => None,
    };
    let kind = if pod.is_some() { TimexKind::Time } else { TimexKind::Date };
    anchored(ctx, start, end, kind, |anchor| {
        let date = anchor + Duration::days(offset);
        Some(format!(
            "{}{}",
            calendar::day_value(date),
            pod.map(|p| format!("T{p}")).unwrap_or_default()
        ))
    })
}

fn day_word_far(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let offset =
        if group(caps, "which")?.to_ascii_lowercase().starts_with("before") { -2 } else { 2 };
    anchored(ctx, start, end, TimexKind::Date, |anchor| {
        Some(calendar::day_value(anchor + Duration::days(offset)))
    })
}

fn part_of_day(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let rel = group(caps, "rel")?.to_ascii_lowercase();
    let pod = group(caps, "pod")?;
    // "last night" is the night before; "last morning" is not an expression.
    let offset = match (rel.as_str(), pod.to_ascii_lowercase().as_str()) {
        ("last", "night") | ("last", "evening") => -1,
        ("last", _) => return None,
        _ => 0,
    };
    anchored(ctx, start, end, TimexKind::Time, |anchor| {
        Some(format!(
            "{}T{}",
            calendar::day_value(anchor + Duration::days(offset)),
            part_of_day_code(pod)
        ))
    })
}

// ---------------------------------------------------------------------------
// Periods relative to the anchor.

fn relative_unit(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let rel = group(caps, "rel")?.to_ascii_lowercase();
    let rel = rel.split_whitespace().collect::<Vec<_>>().join(" ");
    let unit_word = group(caps, "unit")?.to_ascii_lowercase();
    // "the next year" / "the following week" point from a story date, not the anchor;
    // "the past week" is kept: it is the week before the anchor.
    let offset: i32 = match rel.as_str() {
        "this" | "current" => 0,
        "last" | "past" | "previous" | "this past" => -1,
        "next" | "coming" | "upcoming" | "this coming" => 1,
        _ => return None,
    };
    if group(caps, "the").is_some() && rel == "this" {
        return None;
    }
    // "This Week" or "Next Year" in the middle of a sentence is a title.
    let unit_match = caps.name("unit")?;
    if capitalized(unit_match.as_str())
        && !ctx.text[..start].trim_end().is_empty()
        && !ctx.text[..start].trim_end().ends_with(['.', '!', '?', '"', '\n'])
    {
        return None;
    }
    if let Some(season) = lexicon::season_code(&unit_word) {
        // "last summer" is last year's; "this past summer" the latest one begun.
        return anchored(ctx, start, end, TimexKind::Date, |anchor| {
            let begun = season_start_month(season) <= anchor.month();
            let year = match rel.as_str() {
                "this past" if !begun => anchor.year() - 1,
                "this past" => anchor.year(),
                "this coming" if begun => anchor.year() + 1,
                "this coming" => anchor.year(),
                _ => anchor.year() + offset,
            };
            Some(format!("{year:04}-{season}"))
        });
    }
    if unit_word == "weekend" {
        return anchored(ctx, start, end, TimexKind::Date, |anchor| {
            // The weekend of the anchor's week is "this weekend"; on a Saturday or
            // Sunday, "last weekend" is the one a week before.
            let base = anchor + Duration::days(7 * offset as i64);
            Some(calendar::weekend_value(base))
        });
    }
    let (unit, _) = Unit::parse(&unit_word)?;
    anchored(ctx, start, end, TimexKind::Date, |anchor| {
        let date = calendar::shift(anchor, unit, offset)?;
        Some(calendar::period_value(date, unit))
    })
}

fn relative_month(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let month_word = group(caps, "month")?;
    if !capitalized(month_word) {
        return None;
    }
    let month = lexicon::month_number(month_word)?;
    let rel = group(caps, "rel")?.to_ascii_lowercase();
    anchored(ctx, start, end, TimexKind::Date, |anchor| {
        let year = anchor.year();
        let year = match rel.split_whitespace().next()? {
            "last" if month >= anchor.month() => year - 1,
            "next" if month <= anchor.month() => year + 1,
            "this" if rel.contains("past") && month > anchor.month() => year - 1,
            "this" if rel.contains("coming") && month < anchor.month() => year + 1,
            _ => year,
        };
        Some(calendar::month_value(year, month))
    })
}

fn month_relative_year(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let month_word = group(caps, "month")?;
    if !capitalized(month_word) {
        return None;
    }
    let month = lexicon::month_number(month_word)?;
    let offset = match group(caps, "rel")?.to_ascii_lowercase().as_str() {
        "last" => -1,
        "next" => 1,
        _ => 0,
    };
    anchored(ctx, start, end, TimexKind::Date, |anchor| {
        Some(calendar::month_value(anchor.year() + offset, month))
    })
}

fn season_year(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let season = lexicon::season_code(group(caps, "season")?)?;
    let year: i32 = group(caps, "year")?.parse().ok()?;
    absolute(start, end, TimexKind::Date, format!("{year:04}-{season}"))
}

fn bare_season(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let season_match = caps.name("season")?;
    let word = season_match.as_str();
    // Seasons are common nouns: "Arab Spring" or "Fall" in a title are names.
    if capitalized(word) && !caps.get(0)?.as_str().eq_ignore_ascii_case(word) {
        return None;
    }
    if capitalized(word) && season_match.start() > 0 {
        let prev = ctx.text[..season_match.start()].trim_end();
        if !prev.is_empty() && !prev.ends_with(['.', '!', '?', '"', '\n']) {
            return None;
        }
    }
    let season = lexicon::season_code(word)?;
    let has_the = caps.get(0)?.as_str().len() > word.len();
    let prev = ctx.word_before(start);
    // "fall" and "spring" are also verbs and nouns: they need "the" and a preposition.
    let needs_the = matches!(season, "FA" | "SP");
    if needs_the && !has_the {
        return None;
    }
    if !matches!(
        prev.as_str(),
        "in" | "this"
            | "during"
            | "until"
            | "by"
            | "since"
            | "over"
            | "through"
            | "for"
            | "early"
            | "late"
            | "last"
            | "next"
            | "into"
            | "throughout"
    ) {
        return None;
    }
    anchored(ctx, start, end, TimexKind::Date, |anchor| {
        let direction = ctx.direction(start, end);
        let year = match (direction, season) {
            (Direction::Past, _) if season_start_month(season) > anchor.month() => {
                anchor.year() - 1
            }
            _ => anchor.year(),
        };
        Some(format!("{year:04}-{season}"))
    })
}

/// The month a season starts in (meteorological seasons).
fn season_start_month(season: &str) -> u32 {
    match season {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

/// Month names that are also common words or given names and need a cue.
const AMBIGUOUS_MONTHS: &[u32] = &[3, 4, 5, 6, 8];

fn bare_month(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let word = group(caps, "month")?;
    if !capitalized(word) {
        return None;
    }
    let month = lexicon::month_number(word)?;
    let prev = ctx.word_before(start);
    let next = ctx.word_after(end);
    let cue = is_date_cue(&prev) || prev == "mid" || ctx.text[..start].ends_with("mid-");
    if AMBIGUOUS_MONTHS.contains(&month) {
        if !cue || (month == 5 && prev == "the") {
            return None;
        }
    } else if !cue && capitalized(next) {
        return None;
    }
    if month == 3
        && matches!(next.to_ascii_lowercase().as_str(), "for" | "of" | "against" | "on")
        && prev == "the"
    {
        return None;
    }
    match ctx.anchor {
        Some(anchor) => {
            let (direction, distance) = tense::direction_and_distance(ctx.text, start, end);
            let year = calendar::month_year(anchor, month, direction, distance <= 3.0);
            let mut res = cand(
                start,
                end,
                TimexKind::Date,
                Some(calendar::month_value(year, month)),
                Anchoring::Anchor,
            );
            res.direction = Some(direction);
            Some(res)
        }
        None => Some(cand(
            start,
            end,
            TimexKind::Date,
            Some(format!("XXXX-{month:02}")),
            Anchoring::None,
        )),
    }
}

// ---------------------------------------------------------------------------
// Ago, durations, sets.

fn ago(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let quantity = lexicon::parse_quantity(group(caps, "num")?)?;
    let (unit, factor) = Unit::parse(group(caps, "unit")?)?;
    let dir = group(caps, "dir")?.to_ascii_lowercase();
    let sign = if matches!(dir.as_str(), "ago" | "earlier" | "back") { -1 } else { 1 };
    let Quantity::Exact(amount) = quantity else {
        let value = if sign < 0 { "PAST_REF" } else { "FUTURE_REF" };
        return absolute(start, end, TimexKind::Date, value.to_string());
    };
    let amount = amount * factor;
    let whole_years =
        (unit == Unit::Year && amount.fract() == 0.0 && sign < 0).then_some(amount as i32);
    let mut res = anchored(ctx, start, end, TimexKind::Date, |anchor| {
        // Fractions of years and months move by months and days.
        let (unit, steps) = match unit {
            Unit::Year if amount.fract() != 0.0 => (Unit::Month, (amount * 12.0).round() as i32),
            Unit::Month if amount.fract() != 0.0 => (Unit::Day, (amount * 30.0).round() as i32),
            _ => (unit, amount.round() as i32),
        };
        let date = calendar::shift(anchor, unit, sign * steps)?;
        let granularity = match unit {
            Unit::Decade | Unit::Century | Unit::Millennium => Unit::Year,
            other => other,
        };
        Some(calendar::period_value(date, granularity))
    })?;
    res.years_back = whole_years;
    Some(res)
}

fn vague_ago(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let dir = group(caps, "dir")?.to_ascii_lowercase();
    let value = if matches!(dir.as_str(), "ago" | "earlier") { "PAST_REF" } else { "FUTURE_REF" };
    absolute(start, end, TimexKind::Date, value.to_string())
}

/// True when the word before an "a year"-like expression makes it a rate
/// ("$5 million a year", "four flights a week").
fn is_rate(ctx: &Ctx<'_>, start: usize) -> bool {
    let prev = ctx.word_before(start);
    let prev_raw = ctx.text[..start].trim_end();
    if prev_raw.ends_with([',', ';', ':', '.', '(', ')']) {
        return false;
    }
    let numeric = prev_raw.ends_with(|c: char| c.is_ascii_digit() || c == '%');
    #[rustfmt::skip]
    const PLAIN_S: &[&str] = &[
        "was", "is", "has", "this", "his", "its", "as", "us", "thus", "less", "plus", "across", "yes", "perhaps",
        "towards", "years", "days", "weeks", "months", "hours",
    ];
    numeric
        || matches!(
            prev.as_str(),
            "times"
                | "once"
                | "twice"
                | "thrice"
                | "million"
                | "billion"
                | "thousand"
                | "hundred"
                | "trillion"
                | "percent"
        )
        || (prev.len() > 3
            && prev.ends_with('s')
            && !PLAIN_S.contains(&prev.as_str())
            && !prev.ends_with("'s"))
}

fn duration(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (mut start, end) = whole(caps);
    let num_word = group(caps, "num")?;
    let unit_word = group(caps, "unit")?;
    let quantity = lexicon::parse_quantity(num_word)?;
    let (unit, factor) = Unit::parse(unit_word)?;
    let num_lower = num_word.to_ascii_lowercase();
    let single = matches!(num_lower.as_str(), "a" | "an" | "one");
    let rel = group(caps, "rel").map(str::to_ascii_lowercase);
    let after = &ctx.text[end..];
    // Ages ("a 44-year-old man", "six years old") are not durations in TimeML,
    // nor is "a year" in "a year-earlier loss".
    if after.starts_with('-')
        && after[1..].starts_with(|c: char| c.is_alphabetic())
        && group(caps, "long").is_none()
        || ctx.word_after(end).eq_ignore_ascii_case("old")
    {
        return None;
    }
    // "a quarter of the vote", "a second time", "some day", "two years' time".
    if unit == Unit::Quarter
        && (ctx.word_after(end).eq_ignore_ascii_case("of") || (single && rel.is_none()))
    {
        return None;
    }
    if unit == Unit::Second && single {
        return None;
    }
    // "the 1988 quarter": a year, not 1988 quarters.
    if num_word.len() == 4
        && num_word.bytes().all(|b| b.is_ascii_digit())
        && !unit_word.ends_with('s')
    {
        return None;
    }
    // "60 Minutes" (a title) and other capitalised units mid-sentence are names.
    if capitalized(unit_word)
        && !ctx.text[..start].trim_end().is_empty()
        && !ctx.text[..start].trim_end().ends_with(['.', '!', '?', '"', '\n'])
    {
        return None;
    }
    if matches!(num_lower.as_str(), "some" | "many" | "few" | "several")
        && !unit_word.ends_with('s')
    {
        return None;
    }
    if num_lower == "some" && rel.is_none() && group(caps, "the").is_none() {
        // "some years" reads as a duration only after "for" or "in".
        let prev = ctx.word_before(start);
        if !matches!(prev.as_str(), "for" | "in" | "over" | "after") {
            return None;
        }
    }
    let indefinite = matches!(num_lower.as_str(), "a" | "an");
    if indefinite
        && group(caps, "mod").is_none()
        && group(caps, "the").is_none()
        && rel.is_none()
        && is_rate(ctx, start)
    {
        return None;
    }
    // "over the past two years": "over" is a preposition there, not a modifier.
    if let (Some(m), Some(the)) = (caps.name("mod"), caps.name("the")) {
        if !matches!(m.as_str().to_ascii_lowercase().as_str(), "the better part of") {
            start = the.start();
        }
    }
    // A possessive determiner ("its first nine months") stays outside unless it
    // is "the"; so does "the" before an adjective ("the 30-day period").
    let adjectival = rel.is_none() && ctx.text[caps.name("num")?.end()..].starts_with('-');
    if let Some(the) = caps.name("the") {
        if !the.as_str().eq_ignore_ascii_case("the") || adjectival {
            start = caps
                .name("rel")
                .map_or_else(|| caps.name("num").map(|m| m.start()), |m| Some(m.start()))?;
        }
    }
    let amount = match quantity {
        Quantity::Exact(v) => Some(v * factor),
        Quantity::Vague => None,
    };
    absolute(start, end, TimexKind::Duration, calendar::duration_value(amount, unit))
}

fn vague_duration(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (_, end) = whole(caps);
    let pre_match = caps.name("pre")?;
    let unit_match = caps.name("unit")?;
    let (unit, _) = Unit::parse(unit_match.as_str())?;
    // Prepositions and verbs stay outside; "recent", "the past", "the coming" are in.
    let pre = pre_match.as_str().to_ascii_lowercase();
    let last_start = pre.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let keep_from = if let Some(the_idx) = pre.find("the ") {
        pre_match.start() + the_idx
    } else if matches!(
        &pre[last_start..],
        "recent" | "coming" | "past" | "last" | "next" | "following"
    ) {
        pre_match.start() + last_start
    } else {
        unit_match.start()
    };
    absolute(keep_from, end, TimexKind::Duration, calendar::duration_value(None, unit))
}

fn round_the_clock(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let value = match group(caps, "unit")?.to_ascii_lowercase().as_str() {
        "day" => "P1D",
        "week" => "P1W",
        _ => "P1Y",
    };
    absolute(start, end, TimexKind::Set, value.to_string())
}

fn every(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let unit_word = group(caps, "unit")?;
    let q = group(caps, "q")?.to_ascii_lowercase();
    let step = match group(caps, "num").map(lexicon::parse_quantity) {
        None => 1.0,
        Some(Some(Quantity::Exact(v))) => v,
        Some(_) => return None,
    } * if group(caps, "other").is_some() { 2.0 } else { 1.0 };
    if let Some(weekday) = lexicon::weekday_number(unit_word).filter(|_| unit_word.len() > 5) {
        return absolute(start, end, TimexKind::Set, format!("XXXX-WXX-{}", weekday + 1));
    }
    if unit_word.len() > 3 {
        if let Some(month) = lexicon::month_number(unit_word) {
            return absolute(start, end, TimexKind::Set, format!("XXXX-{month:02}"));
        }
    }
    if let Some(season) = lexicon::season_code(unit_word) {
        return absolute(start, end, TimexKind::Set, format!("XXXX-{season}"));
    }
    let lower = unit_word.to_ascii_lowercase();
    let value = match lower.as_str() {
        "night" => "XXXX-XX-XXTNI".to_string(),
        "morning" => "XXXX-XX-XXTMO".to_string(),
        "afternoon" => "XXXX-XX-XXTAF".to_string(),
        "evening" => "XXXX-XX-XXTEV".to_string(),
        "weekend" => "XXXX-WXX-WE".to_string(),
        _ => {
            let (unit, factor) = Unit::parse(&lower)?;
            // "per" is only a set before a bare unit ("per year"), not in "per 100 days".
            if q == "per" && group(caps, "num").is_some() {
                return None;
            }
            if lower.ends_with('s') && group(caps, "num").is_none() && !lower.ends_with("ss") {
                return None;
            }
            calendar::duration_value(Some(step * factor), unit)
        }
    };
    absolute(start, end, TimexKind::Set, value)
}

fn frequency(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let (unit, factor) = Unit::parse(group(caps, "unit")?)?;
    absolute(start, end, TimexKind::Set, calendar::duration_value(Some(factor), unit))
}

fn adverb_set(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let word = group(caps, "word")?;
    // "China Daily", "the Daily Mail", "the party daily Granma" are names.
    if capitalized(ctx.word_after(end)) && !ctx.text[end..].trim_start().starts_with(['.', ',']) {
        return None;
    }
    if capitalized(word)
        && (!ctx.word_before(start).is_empty() && {
            let prev_raw = ctx.text[..start].trim_end();
            !prev_raw.ends_with(['.', '!', '?', '"', '\n'])
        })
    {
        return None;
    }
    let value = match word.to_ascii_lowercase().as_str() {
        "daily" => "P1D",
        "weekly" => "P1W",
        "monthly" => "P1M",
        "annually" | "yearly" => "P1Y",
        "hourly" => "PT1H",
        "nightly" => "XXXX-XX-XXTNI",
        "quarterly" => "P3M",
        _ => "P2W",
    };
    absolute(start, end, TimexKind::Set, value.to_string())
}

fn reference(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (mut start, end) = whole(caps);
    let text = caps.get(0)?.as_str().to_ascii_lowercase();
    if text == "now" {
        // "now-defunct", "NOW" (an organisation) are not times.
        if ctx.char_after(end) == Some('-') || caps.get(0)?.as_str() == "NOW" {
            return None;
        }
    }
    if text == "the past" {
        // "the past" before a noun is an adjective ("the past decade" is a relative rule).
        let next = ctx.word_after(end).to_ascii_lowercase();
        if !next.is_empty()
            && next.chars().all(char::is_alphabetic)
            && !ctx.text[end..].starts_with([',', '.', ';'])
            && !matches!(
                next.as_str(),
                "and"
                    | "or"
                    | "but"
                    | "when"
                    | "as"
                    | "to"
                    | "is"
                    | "was"
                    | "has"
                    | "had"
                    | "will"
                    | "that"
                    | "in"
                    | "of"
                    | "for"
            )
        {
            return None;
        }
    }
    if text.starts_with("in the ") {
        start += 3;
    }
    let value = if group(caps, "present").is_some() {
        "PRESENT_REF"
    } else if group(caps, "past").is_some() {
        "PAST_REF"
    } else {
        "FUTURE_REF"
    };
    absolute(start, end, TimexKind::Date, value.to_string())
}

// ---------------------------------------------------------------------------
// Times of day.

/// The value of a clock time on the anchor's day (the date pass may move it to
/// an adjacent date).
fn clock_candidate(
    ctx: &Ctx<'_>,
    start: usize,
    end: usize,
    hour: u32,
    minute: u32,
) -> Option<Candidate> {
    if hour > 24 || minute > 59 {
        return None;
    }
    let clock = format!("T{hour:02}:{minute:02}");
    match ctx.anchor {
        Some(anchor) => Some(cand(
            start,
            end,
            TimexKind::Time,
            Some(format!("{}{clock}", calendar::day_value(anchor))),
            Anchoring::Anchor,
        )),
        None => Some(cand(
            start,
            end,
            TimexKind::Time,
            Some(format!("XXXX-XX-XX{clock}")),
            Anchoring::None,
        )),
    }
}

fn clock_ampm(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let h_match = caps.name("h")?;
    if ctx
        .char_before(h_match.start())
        .is_some_and(|c| matches!(c, '$' | '£' | '€' | '.' | ',' | '-' | '+'))
    {
        return None;
    }
    let hour: u32 = h_match.as_str().parse().ok()?;
    let minute: u32 = group(caps, "m").map_or(Some(0), |m| m.parse().ok())?;
    if !(1..=12).contains(&hour) {
        return None;
    }
    let pm = group(caps, "ampm")?.to_ascii_lowercase().starts_with('p');
    let hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    clock_candidate(ctx, start, end, hour, minute)
}

fn clock_24h(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    if ctx
        .char_before(start)
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '-' | '/'))
        || ctx.char_after(end).is_some_and(|c| c == ':' || c.is_ascii_digit())
    {
        return None;
    }
    let hour: u32 = group(caps, "h")?.parse().ok()?;
    let minute: u32 = group(caps, "m")?.parse().ok()?;
    let prev = ctx.word_before(start);
    let cue = group(caps, "tz").is_some()
        || matches!(
            prev.as_str(),
            "at" | "by"
                | "around"
                | "from"
                | "until"
                | "till"
                | "before"
                | "after"
                | "about"
                | "since"
                | "approximately"
        );
    if !cue {
        return None;
    }
    clock_candidate(ctx, start, end, hour, minute)
}

fn clock_word(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    if ctx.word_before(start) == "high" {
        return None;
    }
    let (hour, minute) = match group(caps, "word")?.to_ascii_lowercase().as_str() {
        "midnight" => (24, 0),
        _ => (12, 0),
    };
    clock_candidate(ctx, start, end, hour, minute)
}

// ---------------------------------------------------------------------------
// Holidays and quarters.

/// The date of a holiday in a given year.
fn holiday_date(name: &str, year: i32) -> Option<NaiveDate> {
    let nth_weekday = |month: u32, weekday: u32, n: u32| {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let offset = (weekday + 7 - first.weekday().num_days_from_monday()) % 7;
        first.checked_add_signed(Duration::days((offset + 7 * (n - 1)) as i64))
    };
    let last_weekday = |month: u32, weekday: u32| {
        let last = NaiveDate::from_ymd_opt(year, month, calendar::days_in_month(year, month)?)?;
        let back = (last.weekday().num_days_from_monday() + 7 - weekday) % 7;
        last.checked_sub_signed(Duration::days(back as i64))
    };
    let easter = || {
        // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
        let a = year % 19;
        let b = year / 100;
        let c = year % 100;
        let d = b / 4;
        let e = b % 4;
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let i = c / 4;
        let k = c % 4;
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        NaiveDate::from_ymd_opt(year, month as u32, day as u32)
    };
    let normal: String = name.to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    match normal.as_str() {
        "christmas" | "christmas day" => NaiveDate::from_ymd_opt(year, 12, 25),
        "christmas eve" => NaiveDate::from_ymd_opt(year, 12, 24),
        "boxing day" => NaiveDate::from_ymd_opt(year, 12, 26),
        "new year's" | "new year's day" => NaiveDate::from_ymd_opt(year, 1, 1),
        "new year's eve" => NaiveDate::from_ymd_opt(year, 12, 31),
        "halloween" => NaiveDate::from_ymd_opt(year, 10, 31),
        "independence day" => NaiveDate::from_ymd_opt(year, 7, 4),
        "valentine's day" => NaiveDate::from_ymd_opt(year, 2, 14),
        "veterans day" => NaiveDate::from_ymd_opt(year, 11, 11),
        "thanksgiving" | "thanksgiving day" => nth_weekday(11, 3, 4),
        "labor day" | "labour day" => nth_weekday(9, 0, 1),
        "memorial day" => last_weekday(5, 0),
        "election day" => nth_weekday(11, 0, 1).map(|monday| monday + Duration::days(1)),
        "easter" | "easter sunday" => easter(),
        "easter monday" => easter().map(|d| d + Duration::days(1)),
        "good friday" => easter().map(|d| d - Duration::days(2)),
        _ => None,
    }
}

fn holiday(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let name = group(caps, "h")?;
    if !capitalized(name) {
        return None;
    }
    let rel = group(caps, "rel").map(str::to_ascii_lowercase);
    holiday_date(name, 2000)?;
    let Some(anchor) = ctx.anchor else {
        return Some(cand(start, end, TimexKind::Date, None, Anchoring::None));
    };
    let years = [anchor.year() - 1, anchor.year(), anchor.year() + 1];
    let occurrences = years.into_iter().filter_map(|year| holiday_date(name, year));
    let (direction, date) = match rel.as_deref() {
        // "last Christmas" is strictly before the anchor, "next Christmas" after it.
        Some("last") => (Direction::Past, occurrences.filter(|&d| d < anchor).max()?),
        Some("next") => (Direction::Future, occurrences.filter(|&d| d > anchor).min()?),
        _ => {
            let (direction, distance) = tense::direction_and_distance(ctx.text, start, end);
            (direction, calendar::pick_occurrence(anchor, occurrences, direction, distance <= 3.0)?)
        }
    };
    let mut res =
        cand(start, end, TimexKind::Date, Some(calendar::day_value(date)), Anchoring::Anchor);
    res.direction = Some(direction);
    Some(res)
}

fn ordinal_quarter(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (mut start, end) = whole(caps);
    let ord = group(caps, "ord")?.to_ascii_lowercase();
    let is_half = group(caps, "unit")?.eq_ignore_ascii_case("half");
    let count = if is_half { 2 } else { 4 };
    let explicit_year = group(caps, "y1").or(group(caps, "y2")).and_then(|y| y.parse::<i32>().ok());
    let number = match ord.as_str() {
        "first" | "1st" => Some(1),
        "second" | "2nd" => Some(2),
        "third" | "3rd" => Some(3),
        "fourth" | "4th" => Some(4),
        "final" | "latter" => Some(count),
        "last" if explicit_year.is_some() => Some(count),
        _ => None,
    };
    if number.is_some_and(|n| n > count) {
        return None;
    }
    // "the second half of the match" is not a period of the calendar.
    if is_half && explicit_year.is_none() && group(caps, "rel").is_none() {
        // Halves of matches and centuries are too common to guess.
        return None;
    }
    let det = group(caps, "det").map(str::to_ascii_lowercase);
    // "the third-quarter results": the determiner belongs to "results".
    let adjectival = ctx.text[caps.name("ord")?.end()..].starts_with('-');
    if let Some(d) = caps.name("det") {
        if matches!(det.as_deref(), Some("its") | Some("their") | Some("the")) && adjectival {
            start = caps
                .name("adj")
                .map_or(caps.name("y1").map_or(caps.name("ord")?.start(), |m| m.start()), |m| {
                    m.start()
                });
        } else if matches!(det.as_deref(), Some("its") | Some("their")) {
            start = caps
                .name("adj")
                .map_or(caps.name("y1").map_or(caps.name("ord")?.start(), |m| m.start()), |m| {
                    m.start()
                });
        } else {
            start = d.start();
        }
    }
    let letter = if is_half { 'H' } else { 'Q' };
    let year_offset =
        match (det.as_deref(), group(caps, "rel").map(str::to_ascii_lowercase).as_deref()) {
            (Some("last year's"), _) | (_, Some("last")) => Some(-1),
            (Some("next year's"), _) | (_, Some("next")) => Some(1),
            (Some("this year's"), _) | (_, Some("this")) => Some(0),
            _ => None,
        };
    let year_ago = group(caps, "adj").is_some_and(|a| a.to_ascii_lowercase().starts_with("year"));
    if let (Some(year), Some(n)) = (explicit_year, number) {
        return absolute(start, end, TimexKind::Date, format!("{year:04}-{letter}{n}"));
    }
    let direction = ctx.direction(start, end);
    anchored(ctx, start, end, TimexKind::Date, |anchor| {
        let current =
            if is_half { (anchor.month() - 1) / 6 + 1 } else { calendar::quarter_of(anchor) };
        // "the last quarter" without a year is the one before the anchor's.
        let (n, mut year) = match number {
            Some(n) => (n, anchor.year()),
            None if current == 1 => (count, anchor.year() - 1),
            None => (current - 1, anchor.year()),
        };
        match year_offset {
            Some(offset) => year = anchor.year() + offset,
            // A quarter later in the year than the anchor's, in a past-tense
            // clause, is last year's ("the fourth quarter" reported in March).
            None if number.is_some() && direction == Direction::Past && n > current => year -= 1,
            None => {}
        }
        if year_ago {
            year -= 1;
        }
        Some(format!("{year:04}-{letter}{n}"))
    })
}

fn q_quarter(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    // Case matters: "q3" in running text is rarely a quarter.
    if !ctx.text[start..].starts_with('Q') {
        return None;
    }
    let q: u32 = group(caps, "q")?.parse().ok()?;
    match group(caps, "y") {
        Some(year) => absolute(start, end, TimexKind::Date, format!("{year}-Q{q}")),
        None => anchored(ctx, start, end, TimexKind::Date, |anchor| {
            Some(format!("{:04}-Q{q}", anchor.year()))
        }),
    }
}

fn the_quarter(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let unit = group(caps, "unit")?.to_ascii_lowercase();
    let adj = group(caps, "adj").map(str::to_ascii_lowercase);
    // "the period" needs a financial adjective; "the quarter" must not be "the quarter of".
    if unit == "period"
        && !adj
            .as_deref()
            .is_some_and(|a| a.starts_with("year") || a == "latest" || a.starts_with("most"))
    {
        return None;
    }
    if ctx.word_after(end).eq_ignore_ascii_case("of") || ctx.text[end..].starts_with('-') {
        return None;
    }
    if adj.as_deref() == Some("same") {
        return None;
    }
    let year_ago = adj.as_deref().is_some_and(|a| a.starts_with("year"));
    anchored(ctx, start, end, TimexKind::Date, |anchor| {
        let previous = calendar::shift(anchor, Unit::Quarter, -1)?;
        let date = if year_ago { calendar::shift(previous, Unit::Year, -1)? } else { previous };
        Some(calendar::quarter_value(date))
    })
}

fn end_of_unit(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let (unit, _) = Unit::parse(group(caps, "unit")?)?;
    anchored(ctx, start, end, TimexKind::Date, |anchor| Some(calendar::period_value(anchor, unit)))
}

fn the_weekend(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let direction = ctx.direction(start, end);
    let mut res = anchored(ctx, start, end, TimexKind::Date, |anchor| {
        // The weekend of the anchor's week unless the clause looks back from a weekday.
        let weekday = anchor.weekday().num_days_from_monday();
        let date = match direction {
            Direction::Past if weekday < 5 => anchor - Duration::days(7),
            // Without a cue, early in the week "the weekend" is the one just past.
            Direction::Nearest if weekday < 3 => anchor - Duration::days(7),
            Direction::Future if weekday == 6 => anchor + Duration::days(7),
            _ => anchor,
        };
        Some(calendar::weekend_value(date))
    })?;
    res.direction = Some(direction);
    Some(res)
}

fn year_ago_adjective(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    // "the year-ago quarter" is a quarter (see `the_quarter`); alone it is a year.
    let start = caps.name("the").map_or(start, |m| m.end());
    let mut res =
        anchored(ctx, start, end, TimexKind::Date, |anchor| Some(year_value(anchor.year() - 1)))?;
    res.years_back = Some(1);
    Some(res)
}
