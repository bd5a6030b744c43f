//! Data-driven tests of `tag` and `range_of`. Every sentence here is made up.

use super::*;
use proptest::prelude::*;

/// Tags `text` and compares (words, value) pairs, in order.
fn check(text: &str, anchor: Option<NaiveDate>, expected: &[(&str, &str)]) {
    let got: Vec<(String, String)> = tag(text, anchor)
        .into_iter()
        .map(|m| (text[m.span.range()].to_string(), m.value.unwrap_or_default()))
        .collect();
    let expected: Vec<(String, String)> =
        expected.iter().map(|(s, v)| (s.to_string(), v.to_string())).collect();
    assert_eq!(got, expected, "in {text:?}");
}

/// Tags `text` and compares (words, type) pairs, in order.
fn check_kinds(text: &str, anchor: Option<NaiveDate>, expected: &[(&str, TimexKind)]) {
    let got: Vec<(String, TimexKind)> =
        tag(text, anchor).into_iter().map(|m| (text[m.span.range()].to_string(), m.kind)).collect();
    let expected: Vec<(String, TimexKind)> =
        expected.iter().map(|(s, k)| (s.to_string(), *k)).collect();
    assert_eq!(got, expected, "in {text:?}");
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// Wednesday, 20 September 2023.
fn wed() -> Option<NaiveDate> {
    Some(date(2023, 9, 20))
}

#[test]
fn absolute_dates() {
    check(
        "The deal was signed on September 20, 2023 in Paris.",
        wed(),
        &[("September 20, 2023", "2023-09-20")],
    );
    check("It was signed on Sept. 20, 2023.", None, &[("Sept. 20, 2023", "2023-09-20")]);
    check("Talks opened on 20 September 2023.", None, &[("20 September 2023", "2023-09-20")]);
    check("Posted Nov 24th, 2024 by staff", None, &[("Nov 24th, 2024", "2024-11-24")]);
    check("Sun. Nov 24th, 2024", None, &[("Sun. Nov 24th, 2024", "2024-11-24")]);
    check(
        "Updated Friday, 20th of October 2023",
        None,
        &[("Friday, 20th of October 2023", "2023-10-20")],
    );
    check(
        "Prices rose in September 2023 and again in February 2024.",
        wed(),
        &[("September 2023", "2023-09"), ("February 2024", "2024-02")],
    );
    check("Elections were held in November 2022.", wed(), &[("November 2022", "2022-11")]);
}

#[test]
fn days_without_a_year_take_the_nearest_year() {
    check("The vote is set for Nov. 21.", wed(), &[("Nov. 21", "2023-11-21")]);
    check("He was arrested on Jan. 3 in Berlin.", wed(), &[("Jan. 3", "2023-01-03")]);
    // The nearest occurrence wins without a tense cue, or when a cue is far.
    check("The report is due Nov. 20.", wed(), &[("Nov. 20", "2023-11-20")]);
    // A tense cue right before the date overrules it beyond a month away.
    check("The strike ended Nov. 20.", wed(), &[("Nov. 20", "2022-11-20")]);
    // A far occurrence gives way to the tense of the clause.
    check("The fiscal year ended March 31.", wed(), &[("March 31", "2023-03-31")]);
    check("The inquiry will report by March 31.", wed(), &[("March 31", "2024-03-31")]);
    check("On Nov. 21 talks resume.", None, &[("Nov. 21", "XXXX-11-21")]);
}

#[test]
fn numeric_dates() {
    check("Filed on 2023-08-22 in court.", None, &[("2023-08-22", "2023-08-22")]);
    check("Published 20/09/2023.", None, &[("20/09/2023", "2023-09-20")]);
    check("Published 9/20/2023.", None, &[("9/20/2023", "2023-09-20")]);
    check("Published 20.09.2023.", None, &[("20.09.2023", "2023-09-20")]);
    check("Published 2023/09/20.", None, &[("2023/09/20", "2023-09-20")]);
    check("Stamped 2023-08-22T10:15 UTC", None, &[("2023-08-22T10:15", "2023-08-22T10:15")]);
}

#[test]
fn years_need_a_date_cue() {
    check("The war began in 2015 and ended by 2025.", wed(), &[("2015", "2015"), ("2025", "2025")]);
    check("He has lived there since 1998.", wed(), &[("1998", "1998")]);
    check("Iran and the 2015 nuclear deal.", wed(), &[("2015", "2015")]);
    check("Output fell in 2014 and 2015.", wed(), &[("2014", "2014"), ("2015", "2015")]);
    check("The company made 2015 cars.", wed(), &[]);
    check("The exercise Army-2023 opened.", wed(), &[]);
    check("A fund of $2015 was raised.", wed(), &[]);
    check("The result was 2015.", wed(), &[]);
    check("Fiscal 2023 profit rose.", wed(), &[("Fiscal 2023", "2023")]);
    check("Growth slowed in mid-2015.", wed(), &[("mid-2015", "2015")]);
}

#[test]
fn decades_and_centuries() {
    check("Prices soared in the 1990s.", wed(), &[("the 1990s", "199X")]);
    check("It was built in the late 1970s.", wed(), &[("the late 1970s", "197X")]);
    check("Music of the '80s returned.", wed(), &[("the '80s", "198X")]);
    check("Wars of the 20th century", wed(), &[("the 20th century", "19")]);
}

#[test]
fn weekdays_follow_clause_tense() {
    // The anchor is a Wednesday.
    check(
        "The minister said on Wednesday that talks failed.",
        wed(),
        &[("Wednesday", "2023-09-20")],
    );
    check("The two leaders met on Tuesday.", wed(), &[("Tuesday", "2023-09-19")]);
    check("The leaders will meet on Monday.", wed(), &[("Monday", "2023-09-25")]);
    check("Rebels arrived on Monday.", wed(), &[("Monday", "2023-09-18")]);
    check("The news was revealed on Thursday.", wed(), &[("Thursday", "2023-09-14")]);
    check("The council is due to vote on Friday.", wed(), &[("Friday", "2023-09-22")]);
    check("She plans to travel to Rome on Monday.", wed(), &[("Monday", "2023-09-25")]);
    check("The board will hold a meeting on Wednesday.", wed(), &[("Wednesday", "2023-09-20")]);
    // The verb after the weekday counts too.
    check("On Sunday, thousands marched through the capital.", wed(), &[("Sunday", "2023-09-17")]);
    // No tense cue: the nearest such day, ties to the past.
    check("Monday: talks in Geneva", wed(), &[("Monday", "2023-09-18")]);
    check("Saturday: talks in Geneva", wed(), &[("Saturday", "2023-09-23")]);
    // A possessive weekday names a day already past.
    check("Markets recovered from Friday's losses.", wed(), &[("Friday", "2023-09-15")]);
    // "last" and "next" never give the anchor's own day.
    check("He resigned last Wednesday.", wed(), &[("last Wednesday", "2023-09-13")]);
    check("He leaves next Wednesday.", wed(), &[("next Wednesday", "2023-09-27")]);
}

#[test]
fn weekday_direction_is_reported() {
    let text = "The leaders will meet on Monday.";
    let mentions = tag(text, wed());
    assert_eq!(mentions[0].direction, Some(Direction::Future));
    let mentions = tag("The leaders met on Monday.", wed());
    assert_eq!(mentions[0].direction, Some(Direction::Past));
}

#[test]
fn weekdays_without_anchor() {
    check("Talks resume on Monday.", None, &[("Monday", "XXXX-WXX-1")]);
    check("Sunday night raids", None, &[("Sunday night", "XXXX-WXX-7TNI")]);
    let mentions = tag("Talks resume on Monday.", None);
    assert_eq!(mentions[0].anchoring, Anchoring::None);
    assert_eq!(mentions[0].range, None);
}

#[test]
fn relative_days_and_parts_of_day() {
    check(
        "Today the court ruled; yesterday it heard witnesses.",
        wed(),
        &[("Today", "2023-09-20"), ("yesterday", "2023-09-19")],
    );
    check("The verdict is expected tomorrow.", wed(), &[("tomorrow", "2023-09-21")]);
    check("He will speak tonight.", wed(), &[("tonight", "2023-09-20TNI")]);
    check("Shelling resumed this morning.", wed(), &[("this morning", "2023-09-20TMO")]);
    check("Shelling resumed last night.", wed(), &[("last night", "2023-09-19TNI")]);
    check("Explosions were heard on Monday night.", wed(), &[("Monday night", "2023-09-18TNI")]);
    check("The strike began Tuesday afternoon.", wed(), &[("Tuesday afternoon", "2023-09-19TAF")]);
    check("He spoke late yesterday.", wed(), &[("late yesterday", "2023-09-19")]);
    check_kinds("Shelling resumed this morning.", wed(), &[("this morning", TimexKind::Time)]);
}

#[test]
fn relative_periods() {
    check("Sales rose this week.", wed(), &[("this week", "2023-W38")]);
    check(
        "Sales rose last week and will rise next week.",
        wed(),
        &[("last week", "2023-W37"), ("next week", "2023-W39")],
    );
    check(
        "Prices fell this month, earlier this month and last month.",
        wed(),
        &[("this month", "2023-09"), ("earlier this month", "2023-09"), ("last month", "2023-08")],
    );
    check("Talks resume next month.", wed(), &[("next month", "2023-10")]);
    check(
        "Growth slowed this year after last year's boom; next year looks better.",
        wed(),
        &[("this year", "2023"), ("last year", "2022"), ("next year", "2024")],
    );
    check("Protests spread over the weekend.", wed(), &[("the weekend", "2023-W37-WE")]);
    check("Prices fell at the end of last year.", wed(), &[("the end of last year", "2022")]);
    check("Prices rose in late November.", wed(), &[("late November", "2022-11")]);
    check("Rates fell last April.", wed(), &[("last April", "2023-04")]);
}

#[test]
fn ago_and_references() {
    check("He left two days ago.", wed(), &[("two days ago", "2023-09-18")]);
    check("He left three weeks ago.", wed(), &[("three weeks ago", "2023-W35")]);
    check("He left a year ago.", wed(), &[("a year ago", "2022")]);
    check("He left about six months ago.", wed(), &[("about six months ago", "2023-03")]);
    check("They met years ago.", wed(), &[("years ago", "PAST_REF")]);
    check(
        "He now lives abroad and currently works there.",
        wed(),
        &[("now", "PRESENT_REF"), ("currently", "PRESENT_REF")],
    );
    check("The law was recently changed.", wed(), &[("recently", "PAST_REF")]);
    check("In the future, rates may rise.", wed(), &[("the future", "FUTURE_REF")]);
}

#[test]
fn seasons_and_quarters() {
    check("Fighting intensified last summer.", wed(), &[("last summer", "2022-SU")]);
    check("Fighting may resume this winter.", wed(), &[("this winter", "2023-WI")]);
    check("Ratings fell in the spring of 2012.", wed(), &[("the spring of 2012", "2012-SP")]);
    check("Profit rose in the first quarter.", wed(), &[("the first quarter", "2023-Q1")]);
    check(
        "Profit rose in the third quarter of 2022.",
        wed(),
        &[("the third quarter of 2022", "2022-Q3")],
    );
    check("Third-quarter profit rose.", wed(), &[("Third-quarter", "2023-Q3")]);
    check("Revenue in Q1 2023 was flat.", wed(), &[("Q1 2023", "2023-Q1")]);
    check(
        "Profit rose to $5 million in the second quarter from $4 million a year earlier.",
        wed(),
        &[("the second quarter", "2023-Q2"), ("a year earlier", "2022-Q2")],
    );
}

#[test]
fn clock_times() {
    check(
        "The blast happened at 3:17 pm local time.",
        wed(),
        &[("3:17 pm local time", "2023-09-20T15:17")],
    );
    check("The vote closes at 10 a.m. EDT.", wed(), &[("10 a.m. EDT", "2023-09-20T10:00")]);
    check("Shops close at noon.", wed(), &[("noon", "2023-09-20T12:00")]);
    check("Curfew starts at 22:30.", wed(), &[("22:30", "2023-09-20T22:30")]);
    check("The match ended 3:17 after extra time.", wed(), &[]);
    // A clock time next to a date takes that date.
    check(
        "Sun. Nov 24th, 2024 3:17 pm",
        None,
        &[("Sun. Nov 24th, 2024 3:17 pm", "2024-11-24T15:17")],
    );
    check(
        "The raid began at 4 a.m. on Monday.",
        wed(),
        &[("4 a.m.", "2023-09-18T04:00"), ("Monday", "2023-09-18")],
    );
    check("at 3:17 pm", None, &[("3:17 pm", "XXXX-XX-XXT15:17")]);
}

#[test]
fn durations() {
    check("The siege lasted for months.", wed(), &[("months", "PXM")]);
    check("He served three years in prison.", wed(), &[("three years", "P3Y")]);
    check("Prices doubled in the past two years.", wed(), &[("the past two years", "P2Y")]);
    check("The first nine months were hard.", wed(), &[("The first nine months", "P9M")]);
    check("A two-year program began.", wed(), &[("two-year", "P2Y")]);
    check("Talks lasted 5 1/2 hours.", wed(), &[("5 1/2 hours", "PT5H30M")]);
    check("It took nearly two decades.", wed(), &[("nearly two decades", "P20Y")]);
    check("He will return in two weeks.", wed(), &[("two weeks", "P2W")]);
    check("Unemployment rose in recent years.", wed(), &[("recent years", "PXY")]);
    check_kinds("He served three years in prison.", wed(), &[("three years", TimexKind::Duration)]);
}

#[test]
fn sets() {
    check("Guards watch the site 24 hours a day.", wed(), &[("24 hours a day", "P1D")]);
    check("The festival is held every year.", wed(), &[("every year", "P1Y")]);
    check(
        "Prices are checked daily and published weekly.",
        wed(),
        &[("daily", "P1D"), ("weekly", "P1W")],
    );
    check("The council meets every two weeks.", wed(), &[("every two weeks", "P2W")]);
    check("The market opens on Mondays.", wed(), &[("Mondays", "XXXX-WXX-1")]);
    check("Inspectors visit twice a year.", wed(), &[("twice a year", "P1Y")]);
    check_kinds("The festival is held every year.", wed(), &[("every year", TimexKind::Set)]);
}

#[test]
fn not_times() {
    for text in [
        "Russia sent 5,000 troops and 6,000 drones.",
        "Kyiv asked for F-16 jets and T-90 tanks were seen.",
        "Korvex-214 drones struck at night.",
        "The exercise Army-2023 was held.",
        "The plan costs $2 billion.",
        "Turnout rose 20% to 2015 voters.",
        "Call 555-2015 for tickets.",
        "The 3+3 format was agreed.",
        "The final score was 3-2.",
        "May I ask a question?",
        "Protesters march on the capital.",
        "He bought the Sunday Times.",
        "The Daily Mail reported it.",
        "Black Friday sales rose.",
        "The Arab Spring changed the region.",
        "A quarter of the vote went to him.",
        "A 44-year-old man was arrested.",
        "He was paid $5 million a year.",
    ] {
        check(text, wed(), &[]);
    }
}

#[test]
fn spans_exclude_prepositions() {
    let text = "The talks opened on Monday in Geneva and ran until November 2022.";
    let mentions = tag(text, wed());
    let words: Vec<(&str, &str)> =
        mentions.iter().map(|m| (&text[m.span.range()], &text[m.span_with_prep.range()])).collect();
    assert_eq!(words, [("Monday", "on Monday"), ("November 2022", "until November 2022")]);
    let text = "Fighting stopped yesterday.";
    let mentions = tag(text, wed());
    assert_eq!(mentions[0].span, mentions[0].span_with_prep);
}

#[test]
fn ranges_of_mentions() {
    let text = "Prices rose this week, in September and in 2023, for three years.";
    let ranges: Vec<Option<(NaiveDate, NaiveDate)>> =
        tag(text, wed()).into_iter().map(|m| m.range).collect();
    assert_eq!(
        ranges,
        [
            Some((date(2023, 9, 18), date(2023, 9, 24))),
            Some((date(2023, 9, 1), date(2023, 9, 30))),
            Some((date(2023, 1, 1), date(2023, 12, 31))),
            None,
        ]
    );
}

#[test]
fn anchoring_kinds() {
    let text = "On September 20, 2023, he said he left yesterday for three years.";
    let anchorings: Vec<Anchoring> = tag(text, wed()).into_iter().map(|m| m.anchoring).collect();
    assert_eq!(anchorings, [Anchoring::Absolute, Anchoring::Anchor, Anchoring::Absolute]);
    let anchorings: Vec<Anchoring> = tag(text, None).into_iter().map(|m| m.anchoring).collect();
    assert_eq!(anchorings, [Anchoring::Absolute, Anchoring::None, Anchoring::Absolute]);
}

#[test]
fn non_ascii_text_is_safe() {
    check(
        "Le 20 septembre — Заседание 20 сентября 2023 г. и «Monday»",
        wed(),
        &[("Monday", "2023-09-18")],
    );
    check("ſept. 20 ſunday K 2023", wed(), &[]);
}

proptest! {
    #[test]
    fn spans_are_sorted_disjoint_and_on_char_boundaries(text in "\\PC{0,200}", day in 0u32..3000) {
        let anchor = date(2010, 1, 1) + chrono::Duration::days(day as i64);
        for anchor in [Some(anchor), None] {
            let mentions = tag(&text, anchor);
            let mut previous_end = 0;
            for m in &mentions {
                prop_assert!(m.span.start as usize >= previous_end);
                prop_assert!(m.span.start < m.span.end);
                prop_assert!(m.span.end as usize <= text.len());
                prop_assert!(text.is_char_boundary(m.span.start as usize));
                prop_assert!(text.is_char_boundary(m.span.end as usize));
                prop_assert!(m.span_with_prep.contains(m.span));
                prop_assert!(text.is_char_boundary(m.span_with_prep.start as usize));
                previous_end = m.span.end as usize;
            }
        }
    }

    #[test]
    fn date_words_in_random_order_never_panic(
        words in proptest::collection::vec(
            proptest::sample::select(vec![
                "on", "Monday", "last", "next", "week", "2023", "Sept.", "20", ",", "ago", "two", "years",
                "the", "past", "3:17", "pm", "every", "day", "in", "May", "said", "will", "-", "'s", "mid",
                "early", "a", "quarter", "Q3", "of", "1990s", "today", "night", "at", "noon", "é", "—",
            ]),
            0..25,
        ),
        day in 0u32..3000,
    ) {
        let text = words.join(" ");
        let anchor = date(2010, 1, 1) + chrono::Duration::days(day as i64);
        let mentions = tag(&text, Some(anchor));
        for pair in mentions.windows(2) {
            prop_assert!(pair[0].span.end <= pair[1].span.start);
        }
    }
}
