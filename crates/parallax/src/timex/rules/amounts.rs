//! Rules for amounts and points of time: "two days ago", durations, sets,
//! references ("now", "recently") and clock times.

use super::*;

// Ago, durations, sets.

pub(super) fn ago(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
    // "Two days later" counts from the date the story is at, not from the anchor;
    // "a year earlier" mostly from the anchor (or the quarter just named).
    let anaphor = match (dir.as_str(), unit) {
        (_, Unit::Second | Unit::Minute | Unit::Hour) => None,
        ("later", _) if amount.fract() == 0.0 => {
            let (unit, per) = match unit {
                Unit::Decade => (Unit::Year, 10),
                Unit::Century => (Unit::Year, 100),
                Unit::Millennium => (Unit::Year, 1000),
                other => (other, 1),
            };
            Some(Anaphor { unit, offset: sign * per * amount as i32, part_of_day: None })
        }
        _ => None,
    };
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
    res.anaphor = anaphor;
    Some(res)
}

pub(super) fn vague_ago(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let dir = group(caps, "dir")?.to_ascii_lowercase();
    let value = if matches!(dir.as_str(), "ago" | "earlier") { "PAST_REF" } else { "FUTURE_REF" };
    absolute(start, end, TimexKind::Date, value.to_string())
}

/// True when the word before an "a year"-like expression makes it a rate
/// ("$5 million a year", "four flights a week").
pub(super) fn is_rate(ctx: &Ctx<'_>, start: usize) -> bool {
    let prev = ctx.word_before(start);
    let prev_raw = ctx.head(start).trim_end();
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

pub(super) fn duration(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
        && !ctx.head(start).trim_end().is_empty()
        && !ctx.head(start).trim_end().ends_with(['.', '!', '?', '"', '\n'])
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

pub(super) fn vague_duration(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn round_the_clock(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let value = match group(caps, "unit")?.to_ascii_lowercase().as_str() {
        "day" => "P1D",
        "week" => "P1W",
        _ => "P1Y",
    };
    absolute(start, end, TimexKind::Set, value.to_string())
}

pub(super) fn every(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn frequency(caps: &Captures<'_>, _ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let (unit, factor) = Unit::parse(group(caps, "unit")?)?;
    absolute(start, end, TimexKind::Set, calendar::duration_value(Some(factor), unit))
}

pub(super) fn adverb_set(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let word = group(caps, "word")?;
    // "China Daily", "the Daily Mail", "the party daily Granma" are names.
    if capitalized(ctx.word_after(end)) && !ctx.tail(end).trim_start().starts_with(['.', ',']) {
        return None;
    }
    if capitalized(word)
        && (!ctx.word_before(start).is_empty() && {
            let prev_raw = ctx.head(start).trim_end();
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

pub(super) fn reference(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
pub(super) fn clock_candidate(
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

pub(super) fn clock_ampm(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn clock_24h(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn clock_word(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
