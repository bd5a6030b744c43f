//! Rules for dates that name themselves: "September 20, 2023", "2023-08-22",
//! years, decades, centuries, months, seasons and holidays.

use super::*;

// Absolute dates.

pub(super) fn full_date_mdy(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
    // A lower-case "sun" or "wed" before the month is a word, not a weekday.
    let start = match caps.name("wd") {
        Some(wd) if !capitalized(wd.as_str()) => caps.name("month")?.start(),
        _ => start,
    };
    day_candidate(ctx, start, end, month, day, group(caps, "year"))
}

pub(super) fn full_date_dmy(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
pub(super) fn day_candidate(
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

pub(super) fn month_year(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let month_word = group(caps, "month")?;
    if !capitalized(month_word) {
        return None;
    }
    let month = lexicon::month_number(month_word)?;
    let year: i32 = group(caps, "year")?.parse().ok()?;
    absolute(start, end, TimexKind::Date, calendar::month_value(year, month))
}

pub(super) fn iso_date(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
pub(super) fn numeric_date(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn numeric_ymd(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn decade(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn decade_word(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn century(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn fiscal_year(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn bare_year(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn season_year(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let season = lexicon::season_code(group(caps, "season")?)?;
    let year: i32 = group(caps, "year")?.parse().ok()?;
    absolute(start, end, TimexKind::Date, format!("{year:04}-{season}"))
}

pub(super) fn bare_season(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let season_match = caps.name("season")?;
    let word = season_match.as_str();
    // Seasons are common nouns: "Arab Spring" or "Fall" in a title are names.
    if capitalized(word) && !caps.get(0)?.as_str().eq_ignore_ascii_case(word) {
        return None;
    }
    if capitalized(word) && season_match.start() > 0 {
        let prev = ctx.head(season_match.start()).trim_end();
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
pub(super) fn season_start_month(season: &str) -> u32 {
    match season {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

/// Month names that are also common words or given names and need a cue.
const AMBIGUOUS_MONTHS: &[u32] = &[3, 4, 5, 6, 8];

pub(super) fn bare_month(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let word = group(caps, "month")?;
    if !capitalized(word) {
        return None;
    }
    let month = lexicon::month_number(word)?;
    let prev = ctx.word_before(start);
    let next = ctx.word_after(end);
    let cue = is_date_cue(&prev) || prev == "mid" || ctx.head(start).ends_with("mid-");
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
// Holidays and quarters.

/// The date of a holiday in a given year.
pub(super) fn holiday_date(name: &str, year: i32) -> Option<NaiveDate> {
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

pub(super) fn holiday(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
