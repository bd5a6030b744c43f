//! Word tables of the tagger: month, weekday, number and unit words, and the
//! regex fragments built from them.
//!
//! The fragments are plain strings spliced into the rules of `rules.rs`; the
//! parsers here turn the words a rule captured back into numbers.

/// Full month names, in calendar order.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Full weekday names, Monday first (ISO order).
const WEEKDAYS: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// A month name or abbreviation ("September", "Sept.", "Sep", "Nov"). Abbreviations
/// may carry a period. Full names are listed before their prefixes because the
/// regex engine prefers the first alternative that matches.
pub const MONTH: &str = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan\.?|feb\.?|mar\.|apr\.?|jun\.|jul\.|aug\.?|sept\.?|sep\.?|oct\.?|nov\.?|dec\.?)";

/// A full month name only (the short forms are too ambiguous on their own).
pub const MONTH_FULL: &str =
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)";

/// A full weekday name.
pub const WEEKDAY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";

/// A weekday name or its abbreviation ("Sun.", "Thurs", "Wed"), only used in
/// front of a month and day, where the abbreviation cannot be a word.
pub const WEEKDAY_ABBR: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?)";

/// A day of the month with an optional ordinal suffix ("20", "24th").
pub const DAY: &str = r"(?:[0-3]?\d)(?:st|nd|rd|th)?";

/// A four-digit year between 1600 and 2099.
pub const YEAR: &str = r"(?:1[6-9]\d\d|20\d\d)";

/// A part of the day.
pub const PART_OF_DAY: &str = r"(?:morning|afternoon|evening|night|overnight)";

/// A cardinal number: digits, a number word, or a vague quantity word.
/// Longer alternatives come first (see `MONTH`).
pub const NUMBER: &str = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+1/2|\s+a\s+half)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|one\s+hundred|hundreds\s+of|thousands\s+of|a\s+dozen|dozens\s+of|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|a\s+number\s+of|several|few|many|some|a|an)";

/// A calendar unit word in singular form ("year"); rules add an optional plural.
pub const UNIT: &str = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|century|centuries|millennium|millennia)";

/// A season name.
pub const SEASON: &str = r"(?:spring|summer|autumn|fall|winter)";

/// The month (1-12) a month word names: "Sept." → 9.
pub fn month_number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let idx =
        MONTHS.iter().position(|m| lower.get(..3).is_some_and(|prefix| m.starts_with(prefix)))?;
    // "sept" is the only four-letter abbreviation; a longer word must be the full name.
    let full = MONTHS[idx];
    (lower.len() == 3 || lower == "sept" || lower == full).then_some(idx as u32 + 1)
}

/// The weekday (0 = Monday) a weekday word names: "Thurs." → 3.
pub fn weekday_number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    WEEKDAYS.iter().position(|d| d.starts_with(&lower)).map(|idx| idx as u32)
}

/// A season's TIMEX3 code: "fall" → `FA`.
pub fn season_code(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().as_str() {
        "spring" => Some("SP"),
        "summer" => Some("SU"),
        "autumn" | "fall" => Some("FA"),
        "winter" => Some("WI"),
        _ => None,
    }
}

/// A quantity read from number words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// A known amount ("three", "2 1/2").
    Exact(f64),
    /// An unknown amount ("several", "a few", "hundreds of").
    Vague,
}

/// Reads the amount of a `NUMBER` match ("twenty-four", "1,000", "a few").
pub fn parse_quantity(words: &str) -> Option<Quantity> {
    let lower = words.to_ascii_lowercase();
    let normal: String = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let exact = |v: f64| Some(Quantity::Exact(v));
    match normal.as_str() {
        "a" | "an" => return exact(1.0),
        "a couple of" | "a couple" | "couple of" => return exact(2.0),
        "a dozen" => return exact(12.0),
        "a hundred" | "one hundred" => return exact(100.0),
        "a few" | "few" | "several" | "many" | "some" | "a number of" | "hundreds of"
        | "thousands of" | "dozens of" => return Some(Quantity::Vague),
        _ => {}
    }
    if let Some(v) = parse_digits(&normal) {
        return exact(v);
    }
    parse_number_words(&normal).map(|v| Quantity::Exact(v as f64))
}

/// Digits with thousands commas, decimals and a trailing "1/2" or "a half".
fn parse_digits(s: &str) -> Option<f64> {
    let (main, half) = if let Some(main) = s.strip_suffix(" 1/2") {
        (main, 0.5)
    } else if let Some(main) = s.strip_suffix(" a half") {
        (main, 0.5)
    } else {
        (s, 0.0)
    };
    if !main.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = main.chars().filter(|&c| c != ',').collect();
    digits.parse::<f64>().ok().map(|v| v + half)
}

/// Number words from one to ninety-nine ("twenty four", "twenty-four", "seven").
pub fn parse_number_words(s: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] =
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    let mut parts = s.split(['-', ' ']).filter(|p| !p.is_empty());
    let first = parts.next()?;
    let second = parts.next();
    if parts.next().is_some() {
        return None;
    }
    if let Some(idx) = UNITS.iter().position(|&u| u == first) {
        return second.is_none().then_some(idx as u32);
    }
    let tens = TENS.iter().position(|&t| t == first)? as u32 * 10 + 20;
    match second {
        None => Some(tens),
        Some(unit) => {
            let idx = UNITS[1..10].iter().position(|&u| u == unit)? as u32 + 1;
            Some(tens + idx)
        }
    }
}

/// A calendar unit, the granularity of durations and relative expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Quarters of a year.
    Quarter,
    /// Years.
    Year,
    /// Decades.
    Decade,
    /// Centuries.
    Century,
    /// Millennia.
    Millennium,
}

impl Unit {
    /// The unit a unit word names, with how many of it the word holds
    /// ("fortnight" is two weeks).
    pub fn parse(word: &str) -> Option<(Unit, f64)> {
        let lower = word.to_ascii_lowercase();
        let unit = match lower.as_str() {
            "second" | "seconds" => Unit::Second,
            "minute" | "minutes" => Unit::Minute,
            "hour" | "hours" => Unit::Hour,
            "day" | "days" => Unit::Day,
            "week" | "weeks" => Unit::Week,
            "fortnight" | "fortnights" => return Some((Unit::Week, 2.0)),
            "month" | "months" => Unit::Month,
            "quarter" | "quarters" => Unit::Quarter,
            "year" | "years" => Unit::Year,
            "decade" | "decades" => Unit::Decade,
            "century" | "centuries" => Unit::Century,
            "millennium" | "millennia" => Unit::Millennium,
            _ => return None,
        };
        Some((unit, 1.0))
    }

    /// True for the units written after the `T` of an ISO duration.
    pub fn is_clock(self) -> bool {
        matches!(self, Unit::Second | Unit::Minute | Unit::Hour)
    }

    /// The ISO 8601 / TIMEX3 duration letter.
    pub fn letter(self) -> &'static str {
        match self {
            Unit::Second => "S",
            Unit::Minute => "M",
            Unit::Hour => "H",
            Unit::Day => "D",
            Unit::Week => "W",
            Unit::Month => "M",
            Unit::Quarter => "Q",
            Unit::Year => "Y",
            Unit::Decade => "DE",
            Unit::Century => "CE",
            Unit::Millennium => "ML",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_and_weekday_words() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("sep"), Some(9));
        assert_eq!(month_number("November"), Some(11));
        assert_eq!(month_number("Marching"), None);
        assert_eq!(weekday_number("Thurs."), Some(3));
        assert_eq!(weekday_number("sunday"), Some(6));
        assert_eq!(weekday_number("su"), None);
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("twenty-four"), Some(Quantity::Exact(24.0)));
        assert_eq!(parse_quantity("twenty four"), Some(Quantity::Exact(24.0)));
        assert_eq!(parse_quantity("1,000"), Some(Quantity::Exact(1000.0)));
        assert_eq!(parse_quantity("5 1/2"), Some(Quantity::Exact(5.5)));
        assert_eq!(parse_quantity("a few"), Some(Quantity::Vague));
        assert_eq!(parse_quantity("an"), Some(Quantity::Exact(1.0)));
        assert_eq!(parse_quantity("eleven"), Some(Quantity::Exact(11.0)));
        assert_eq!(parse_quantity("blue"), None);
    }
}
