//! Calendar arithmetic and TIMEX3 value strings.
//!
//! Everything here is a pure function of dates: shifting by calendar units,
//! choosing the year of a month or the day of a weekday given a direction,
//! writing values (`2023-W38`, `2023-Q3`, `P2Y6M`) and reading them back as
//! day ranges ([`range_of`]).

use super::lexicon::Unit;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Which way a relative expression points from the anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Towards the past ("said on Monday", "last April").
    Past,
    /// Towards the future ("will meet on Monday", "next April").
    Future,
    /// Unknown: the nearest candidate wins.
    Nearest,
}

/// `2023-09-20`.
pub fn day_value(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `2023-09`.
pub fn month_value(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// `2023-W38` (ISO week, with the ISO week-numbering year).
pub fn week_value(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

/// `2023-Q3`.
pub fn quarter_value(date: NaiveDate) -> String {
    format!("{:04}-Q{}", date.year(), quarter_of(date))
}

/// The quarter (1-4) a date falls in.
pub fn quarter_of(date: NaiveDate) -> u32 {
    (date.month() - 1) / 3 + 1
}

/// The date `n` months from `date`, clamped to the end of shorter months.
pub fn add_months(date: NaiveDate, n: i32) -> Option<NaiveDate> {
    let total = date.year() * 12 + date.month0() as i32 + n;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
    let last = days_in_month(year, month0 + 1)?;
    NaiveDate::from_ymd_opt(year, month0 + 1, date.day().min(last))
}

/// Number of days of a month.
pub fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = add_months_first(first)?;
    Some((next - first).num_days() as u32)
}

fn add_months_first(first: NaiveDate) -> Option<NaiveDate> {
    if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
}

/// `date` moved by `n` units (clock units move by whole days only).
pub fn shift(date: NaiveDate, unit: Unit, n: i32) -> Option<NaiveDate> {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour => Some(date),
        Unit::Day => date.checked_add_signed(Duration::days(n as i64)),
        Unit::Week => date.checked_add_signed(Duration::days(7 * n as i64)),
        Unit::Month => add_months(date, n),
        Unit::Quarter => add_months(date, 3 * n),
        Unit::Year => add_months(date, 12 * n),
        Unit::Decade => add_months(date, 120 * n),
        Unit::Century => add_months(date, 1200 * n),
        Unit::Millennium => add_months(date, 12000 * n),
    }
}

/// The value of the period of `unit` that contains `date`: the day, the ISO
/// week, the month, the quarter, the year, `199X` for a decade, `19` for a century.
pub fn period_value(date: NaiveDate, unit: Unit) -> String {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => day_value(date),
        Unit::Week => week_value(date),
        Unit::Month => month_value(date.year(), date.month()),
        Unit::Quarter => quarter_value(date),
        Unit::Year => format!("{:04}", date.year()),
        Unit::Decade => format!("{:03}X", date.year().div_euclid(10)),
        Unit::Century => format!("{:02}", date.year().div_euclid(100)),
        Unit::Millennium => format!("{}", date.year().div_euclid(1000)),
    }
}

/// The weekend of the ISO week of `date`: `2023-W38-WE`.
pub fn weekend_value(date: NaiveDate) -> String {
    format!("{}-WE", week_value(date))
}

/// The date of `weekday` (0 = Monday) seen from `anchor` in `direction`.
///
/// `Past` gives the most recent such day on or before the anchor, `Future` the
/// next one on or after it, and `Nearest` the closer of the two (ties go to
/// the past, as news mostly reports what happened).
pub fn weekday_date(anchor: NaiveDate, weekday: u32, direction: Direction) -> NaiveDate {
    let today = anchor.weekday().num_days_from_monday() as i64;
    let back = (today - weekday as i64).rem_euclid(7);
    let forward = (weekday as i64 - today).rem_euclid(7);
    let past = anchor - Duration::days(back);
    let future = anchor + Duration::days(forward);
    match direction {
        Direction::Past => past,
        Direction::Future => future,
        Direction::Nearest => {
            if back <= forward {
                past
            } else {
                future
            }
        }
    }
}

/// The year of a month named without a year ("in April"), seen from `anchor`.
///
/// The nearest such month wins (ties go to the past), unless the clause points
/// the other way and the nearest is four months or more away, or two when the
/// tense cue is `close` to the expression: "acquired in February", said in
/// October, is the February before.
pub fn month_year(anchor: NaiveDate, month: u32, direction: Direction, close: bool) -> i32 {
    let year = anchor.year();
    let back = (anchor.month() + 12 - month) % 12;
    let forward = (month + 12 - anchor.month()) % 12;
    let past_year = if month > anchor.month() { year - 1 } else { year };
    let future_year = if month < anchor.month() { year + 1 } else { year };
    let nearest_is_past = back <= forward;
    let far = if close { 2 } else { 4 };
    match direction {
        Direction::Future if nearest_is_past && back >= far => future_year,
        Direction::Past if !nearest_is_past && forward >= far => past_year,
        _ if nearest_is_past => past_year,
        _ => future_year,
    }
}

/// The year of a day named without a year ("Nov. 21"), seen from `anchor`.
///
/// The nearest occurrence wins, unless the clause points the other way and the
/// nearest is more than four months away, or one month when the tense cue is
/// `close` to the expression ("the year ended March 31", said in November, is
/// the March before).
pub fn day_year(
    anchor: NaiveDate,
    month: u32,
    day: u32,
    direction: Direction,
    close: bool,
) -> Option<i32> {
    let year = anchor.year();
    let occurrences = [year - 1, year, year + 1].map(|y| NaiveDate::from_ymd_opt(y, month, day));
    pick_occurrence(anchor, occurrences.into_iter().flatten(), direction, close).map(|d| d.year())
}

/// Of the occurrences of a yearly day (a date, a holiday), the one `day_year` describes.
pub fn pick_occurrence(
    anchor: NaiveDate,
    occurrences: impl Iterator<Item = NaiveDate>,
    direction: Direction,
    close: bool,
) -> Option<NaiveDate> {
    let occurrences: Vec<(i64, NaiveDate)> =
        occurrences.map(|date| ((date - anchor).num_days(), date)).collect();
    let nearest = occurrences.iter().min_by_key(|(delta, _)| delta.abs())?;
    let on_side = |past: bool| {
        occurrences
            .iter()
            .filter(|(delta, _)| if past { *delta <= 0 } else { *delta >= 0 })
            .min_by_key(|(delta, _)| delta.abs())
    };
    let far = if close { 31 } else { 120 };
    let chosen = match direction {
        Direction::Past if nearest.0 > far => on_side(true).unwrap_or(nearest),
        Direction::Future if nearest.0 < -far => on_side(false).unwrap_or(nearest),
        _ => nearest,
    };
    Some(chosen.1)
}

/// Formats a duration of `amount` units: `P3Y`, `PT5H30M`, `P2Y6M`, `P1.5D`.
pub fn duration_value(amount: Option<f64>, unit: Unit) -> String {
    let t = if unit.is_clock() { "T" } else { "" };
    let Some(amount) = amount else {
        return format!("P{t}X{}", unit.letter());
    };
    // Decades and centuries are written in years, as TimeBank mostly does.
    let (amount, unit) = match unit {
        Unit::Decade => (amount * 10.0, Unit::Year),
        Unit::Century => (amount * 100.0, Unit::Year),
        Unit::Millennium => (amount * 1000.0, Unit::Year),
        _ => (amount, unit),
    };
    let whole = amount.trunc();
    let frac = amount - whole;
    if frac.abs() < 1e-9 {
        return format!("P{t}{}{}", whole as i64, unit.letter());
    }
    // Halves are written in the next smaller unit where it divides evenly.
    let smaller = match unit {
        Unit::Year => Some((12.0, Unit::Month)),
        Unit::Hour => Some((60.0, Unit::Minute)),
        Unit::Minute => Some((60.0, Unit::Second)),
        Unit::Day => Some((24.0, Unit::Hour)),
        _ => None,
    };
    if let Some((per, small)) = smaller {
        let rest = frac * per;
        if (rest - rest.round()).abs() < 1e-9 {
            let whole_part = if whole > 0.0 {
                format!("{}{}", whole as i64, unit.letter())
            } else {
                String::new()
            };
            // Days and hours straddle the `T`.
            let (t_big, t_small) = match (unit.is_clock(), small.is_clock()) {
                (false, true) => ("", "T"),
                _ => (t, ""),
            };
            return format!(
                "P{t_big}{whole_part}{t_small}{}{}",
                rest.round() as i64,
                small.letter()
            );
        }
    }
    format!("P{t}{amount}{}", unit.letter())
}

/// The first and last calendar day a TIMEX3 value denotes.
///
/// `2023-09-20` (with or without a time), `2023-09`, `2023-W38`, `2023-W38-WE`,
/// `2023-Q3`, `2023-H2`, `2023-SU`, `2023`, `199X`/`199` (a decade), `19` (a
/// century). Durations, sets, references (`PRESENT_REF`) and values with
/// unknown digits (`XXXX-WXX-1`) give `None`.
pub fn range_of(value: &str) -> Option<(NaiveDate, NaiveDate)> {
    let date_part = value.split('T').next()?;
    let parts: Vec<&str> = date_part.split('-').collect();
    let year_str = parts[0];
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if year_str.len() == 4 && numeric(year_str) {
        let year: i32 = year_str.parse().ok()?;
        let span_of_months = |m0: u32, m1: u32| {
            let first = NaiveDate::from_ymd_opt(year, m0, 1)?;
            let last = NaiveDate::from_ymd_opt(year, m1, days_in_month(year, m1)?)?;
            Some((first, last))
        };
        match parts.as_slice() {
            [_] => return span_of_months(1, 12),
            [_, month] if numeric(month) => {
                let month: u32 = month.parse().ok()?;
                return span_of_months(month, month);
            }
            [_, month, day] if numeric(month) && numeric(day) => {
                let month: u32 = month.parse().ok()?;
                let day: u32 = day.parse().ok()?;
                let date = NaiveDate::from_ymd_opt(year, month, day)?;
                return Some((date, date));
            }
            [_, week, rest @ ..] if week.starts_with('W') && numeric(&week[1..]) => {
                let week: u32 = week[1..].parse().ok()?;
                let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
                return match rest {
                    [] => Some((monday, monday + Duration::days(6))),
                    ["WE"] => Some((monday + Duration::days(5), monday + Duration::days(6))),
                    [day] if numeric(day) => {
                        let day: i64 = day.parse().ok()?;
                        (1..=7).contains(&day).then(|| {
                            let date = monday + Duration::days(day - 1);
                            (date, date)
                        })
                    }
                    _ => None,
                };
            }
            [_, quarter] if quarter.len() == 2 && quarter.starts_with('Q') => {
                let q: u32 = quarter[1..].parse().ok()?;
                return (1..=4).contains(&q).then(|| span_of_months(3 * q - 2, 3 * q)).flatten();
            }
            [_, half] if half.len() == 2 && half.starts_with('H') => {
                let h: u32 = half[1..].parse().ok()?;
                return (1..=2).contains(&h).then(|| span_of_months(6 * h - 5, 6 * h)).flatten();
            }
            [_, season] => {
                // Meteorological seasons; winter runs into the next year.
                return match *season {
                    "SP" => span_of_months(3, 5),
                    "SU" => span_of_months(6, 8),
                    "FA" => span_of_months(9, 11),
                    "WI" => {
                        let first = NaiveDate::from_ymd_opt(year, 12, 1)?;
                        let last = NaiveDate::from_ymd_opt(year + 1, 3, 1)?.pred_opt()?;
                        Some((first, last))
                    }
                    _ => None,
                };
            }
            _ => return None,
        }
    }
    // Decades (`199X` or `199`) and centuries (`19`).
    if parts.len() == 1 {
        let digits = year_str.trim_end_matches('X');
        if !numeric(digits) {
            return None;
        }
        let (first_year, years) = match (year_str.len(), digits.len()) {
            (4, 3) | (3, 3) => (digits.parse::<i32>().ok()? * 10, 10),
            (2, 2) | (4, 2) => (digits.parse::<i32>().ok()? * 100, 100),
            _ => return None,
        };
        let first = NaiveDate::from_ymd_opt(first_year, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(first_year + years - 1, 12, 31)?;
        return Some((first, last));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekday_directions() {
        // 2023-09-20 is a Wednesday.
        let wed = d(2023, 9, 20);
        assert_eq!(weekday_date(wed, 2, Direction::Past), wed);
        assert_eq!(weekday_date(wed, 2, Direction::Future), wed);
        assert_eq!(weekday_date(wed, 1, Direction::Past), d(2023, 9, 19));
        assert_eq!(weekday_date(wed, 0, Direction::Future), d(2023, 9, 25));
        assert_eq!(weekday_date(wed, 4, Direction::Nearest), d(2023, 9, 22));
        assert_eq!(weekday_date(wed, 6, Direction::Nearest), d(2023, 9, 17));
    }

    #[test]
    fn years_of_months_and_days() {
        let anchor = d(2013, 3, 22);
        // The nearest month, unless far and the clause points the other way.
        assert_eq!(month_year(anchor, 11, Direction::Nearest, false), 2012);
        assert_eq!(month_year(anchor, 11, Direction::Future, false), 2013);
        assert_eq!(month_year(anchor, 1, Direction::Future, false), 2013);
        assert_eq!(month_year(anchor, 7, Direction::Past, false), 2012);
        assert_eq!(month_year(anchor, 6, Direction::Nearest, false), 2013);
        assert_eq!(month_year(anchor, 6, Direction::Past, false), 2013);
        assert_eq!(month_year(anchor, 6, Direction::Past, true), 2012);
        assert_eq!(month_year(anchor, 3, Direction::Past, false), 2013);
        assert_eq!(day_year(anchor, 11, 21, Direction::Nearest, false), Some(2012));
        assert_eq!(day_year(anchor, 4, 2, Direction::Past, false), Some(2013));
        assert_eq!(day_year(anchor, 5, 2, Direction::Past, true), Some(2012));
        assert_eq!(day_year(anchor, 8, 30, Direction::Past, false), Some(2012));
        assert_eq!(day_year(anchor, 2, 29, Direction::Nearest, false), Some(2012));
    }

    #[test]
    fn durations() {
        assert_eq!(duration_value(Some(3.0), Unit::Year), "P3Y");
        assert_eq!(duration_value(None, Unit::Month), "PXM");
        assert_eq!(duration_value(Some(24.0), Unit::Hour), "PT24H");
        assert_eq!(duration_value(Some(5.5), Unit::Hour), "PT5H30M");
        assert_eq!(duration_value(Some(2.5), Unit::Year), "P2Y6M");
        assert_eq!(duration_value(Some(1.5), Unit::Day), "P1DT12H");
        assert_eq!(duration_value(Some(2.0), Unit::Decade), "P20Y");
        assert_eq!(duration_value(None, Unit::Hour), "PTXH");
    }

    #[test]
    fn ranges() {
        assert_eq!(range_of("2023-09"), Some((d(2023, 9, 1), d(2023, 9, 30))));
        assert_eq!(range_of("2023-W38"), Some((d(2023, 9, 18), d(2023, 9, 24))));
        assert_eq!(range_of("2023-W38-WE"), Some((d(2023, 9, 23), d(2023, 9, 24))));
        assert_eq!(range_of("2023"), Some((d(2023, 1, 1), d(2023, 12, 31))));
        assert_eq!(range_of("2023-09-20T15:17"), Some((d(2023, 9, 20), d(2023, 9, 20))));
        assert_eq!(range_of("2023-09-20TMO"), Some((d(2023, 9, 20), d(2023, 9, 20))));
        assert_eq!(range_of("2024-02"), Some((d(2024, 2, 1), d(2024, 2, 29))));
        assert_eq!(range_of("2023-Q1"), Some((d(2023, 1, 1), d(2023, 3, 31))));
        assert_eq!(range_of("2023-H2"), Some((d(2023, 7, 1), d(2023, 12, 31))));
        assert_eq!(range_of("2022-SU"), Some((d(2022, 6, 1), d(2022, 8, 31))));
        assert_eq!(range_of("2023-WI"), Some((d(2023, 12, 1), d(2024, 2, 29))));
        assert_eq!(range_of("199X"), Some((d(1990, 1, 1), d(1999, 12, 31))));
        assert_eq!(range_of("199"), Some((d(1990, 1, 1), d(1999, 12, 31))));
        assert_eq!(range_of("19"), Some((d(1900, 1, 1), d(1999, 12, 31))));
        assert_eq!(range_of("2023-W38-3"), Some((d(2023, 9, 20), d(2023, 9, 20))));
        for none in ["P3M", "PXM", "PRESENT_REF", "XXXX-WXX-1", "XXXX-09", "2023-13", "", "garbage"]
        {
            assert_eq!(range_of(none), None, "{none}");
        }
    }
}
