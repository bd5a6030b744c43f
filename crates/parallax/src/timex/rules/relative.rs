//! Rules for dates relative to the anchor or to an earlier date: weekdays,
//! "yesterday", "last week", "last April", quarters, "that day".

use super::*;

// Weekdays and days relative to the anchor.

/// Names that contain a weekday but are not one.
pub(super) fn weekday_is_name(ctx: &Ctx<'_>, start: usize, end: usize) -> bool {
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

pub(super) fn weekday(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn day_word(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn day_word_far(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let offset =
        if group(caps, "which")?.to_ascii_lowercase().starts_with("before") { -2 } else { 2 };
    anchored(ctx, start, end, TimexKind::Date, |anchor| {
        Some(calendar::day_value(anchor + Duration::days(offset)))
    })
}

pub(super) fn part_of_day(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn relative_unit(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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
    // "This Week" or "Next Year" is a title (unless the whole text shouts).
    let unit_word_raw = caps.name("unit")?.as_str();
    if capitalized(unit_word_raw) && unit_word_raw.chars().any(char::is_lowercase) {
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

pub(super) fn relative_month(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn month_relative_year(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn ordinal_quarter(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn q_quarter(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn the_quarter(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn end_of_unit(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let (unit, _) = Unit::parse(group(caps, "unit")?)?;
    anchored(ctx, start, end, TimexKind::Date, |anchor| Some(calendar::period_value(anchor, unit)))
}

pub(super) fn the_weekend(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
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

pub(super) fn year_ago_adjective(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    // "the year-ago quarter" is a quarter (see `the_quarter`); alone it is a year.
    let start = caps.name("the").map_or(start, |m| m.end());
    let mut res =
        anchored(ctx, start, end, TimexKind::Date, |anchor| Some(year_value(anchor.year() - 1)))?;
    res.years_back = Some(1);
    Some(res)
}

/// The value of a date `anaphor` shifts from `reference`.
pub fn anaphor_value(reference: NaiveDate, anaphor: Anaphor) -> Option<String> {
    let (unit, kind_unit) = match anaphor.unit {
        Unit::Day => (Unit::Day, Unit::Day),
        other => (other, other),
    };
    let date = calendar::shift(reference, unit, anaphor.offset)?;
    let value = calendar::period_value(date, kind_unit);
    Some(match anaphor.part_of_day {
        Some(part) => format!("{value}T{part}"),
        None => value,
    })
}

pub(super) fn anaphoric(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, end) = whole(caps);
    let rel = group(caps, "rel")?.to_ascii_lowercase();
    let unit_word = group(caps, "unit")?.to_ascii_lowercase();
    let offset = if rel.ends_with("next") || rel.ends_with("following") {
        1
    } else if rel.ends_with("previous") || rel.ends_with("preceding") {
        -1
    } else {
        0
    };
    // "that year's budget" is fine; "the next day or two" and "the same month of" too.
    let (unit, part_of_day) = match unit_word.as_str() {
        "morning" | "afternoon" | "evening" | "night" => {
            (Unit::Day, Some(part_of_day_code(&unit_word)))
        }
        other => (Unit::parse(other)?.0, None),
    };
    // "the next week" / "the next year" are as often stretches ahead of the
    // anchor ("in the next year"): only "the following" ones are anaphoric.
    if rel.ends_with("next") && matches!(unit, Unit::Week | Unit::Month | Unit::Year) {
        return None;
    }
    let anaphor = Anaphor { unit, offset, part_of_day };
    let kind = if part_of_day.is_some() { TimexKind::Time } else { TimexKind::Date };
    let mut res = anchored(ctx, start, end, kind, |anchor| anaphor_value(anchor, anaphor))?;
    res.anaphor = Some(anaphor);
    Some(res)
}

pub(super) fn day_before_after(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Candidate> {
    let (start, _) = whole(caps);
    let end = caps.name("which")?.end();
    let offset = if group(caps, "which")?.eq_ignore_ascii_case("before") { -1 } else { 1 };
    let anaphor = Anaphor { unit: Unit::Day, offset, part_of_day: None };
    let mut res =
        anchored(ctx, start, end, TimexKind::Date, |anchor| anaphor_value(anchor, anaphor))?;
    res.anaphor = Some(anaphor);
    Some(res)
}
