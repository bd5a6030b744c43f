//! Data-driven tests of `find`. Every sentence, person, place and
//! organisation here is invented.

use super::*;
use proptest::prelude::*;

/// One line per quotation: kind, words, cue/lemma, speaker kind and words,
/// and `^n` when it continues quotation `n`.
fn render(text: &str) -> String {
    find(text)
        .iter()
        .map(|q| {
            let kind = match q.kind {
                QuoteKind::Direct => "D",
                QuoteKind::Indirect => "I",
            };
            let cue = match (q.cue, &q.cue_lemma) {
                (Some(cue), Some(lemma)) => format!("{}/{lemma}", &text[cue.range()]),
                _ => "-".to_string(),
            };
            let speaker = match q.speaker {
                Some(s) => format!("{:?} [{}]", q.speaker_kind, &text[s.range()]),
                None => format!("{:?}", q.speaker_kind),
            };
            let continues = q.continues.map(|c| format!(" | ^{c}")).unwrap_or_default();
            format!("{kind} [{}] | {cue} | {speaker}{continues}", &text[q.span.range()])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `find` on `text` and compares the rendering with `expected` (one
/// quotation per line, surrounding white space ignored).
fn check(text: &str, expected: &str) {
    let expected: Vec<&str> =
        expected.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    let expected = expected.join("\n");
    let got = render(text);
    assert!(got == expected, "\ntext: {text}\n--- got:\n{got}\n--- expected:\n{expected}\n");
}

// Direct quotations: marks.

#[test]
fn direct_in_every_mark_style() {
    check(
        "“We will not sign this deal,” Pell said.",
        "D [We will not sign this deal] | said/say | Name [Pell]",
    );
    check(
        r#""We will not sign this deal," Pell said."#,
        "D [We will not sign this deal] | said/say | Name [Pell]",
    );
    check(
        "«We will not sign this deal», Pell said.",
        "D [We will not sign this deal] | said/say | Name [Pell]",
    );
    check(
        "„We will not sign this deal“, Pell said.",
        "D [We will not sign this deal] | said/say | Name [Pell]",
    );
    check(
        "‘We will not sign this deal,’ Pell said.",
        "D [We will not sign this deal] | said/say | Name [Pell]",
    );
}

#[test]
fn nested_marks_belong_to_the_outer_quotation() {
    check(
        "“They told us ‘never again’ and left,” Oro said.",
        "D [They told us ‘never again’ and left] | said/say | Name [Oro]",
    );
    check(
        r#""He called it 'a farce' twice," said Oro."#,
        "D [He called it 'a farce' twice] | said/say | Name [Oro]",
    );
}

#[test]
fn quotation_spanning_paragraphs() {
    check(
        "Pell said: “We will stay in the city.\n\n“We will not leave our homes,” she added.",
        "D [We will stay in the city.] | said/say | Name [Pell]
         D [We will not leave our homes] | added/add | Pronoun [she] | ^0",
    );
    check(
        "Pell said: “We will stay in the city.\n\n“Nobody will move us from here.”",
        "D [We will stay in the city.] | said/say | Name [Pell]
         D [Nobody will move us from here.] | - | Name [Pell] | ^0",
    );
}

#[test]
fn unclosed_quotation_ends_with_its_paragraph() {
    check(
        "Oro told reporters: “The bridge will be rebuilt by spring.\n\nThe work starts soon.",
        "D [The bridge will be rebuilt by spring.] | told reporters/tell | Name [Oro]",
    );
}

#[test]
fn split_quotation_around_its_cue() {
    check(
        "“The talks were hard,” Pell said, “but we found a way.”",
        "D [The talks were hard] | said/say | Name [Pell]
         D [but we found a way.] | said/say | Name [Pell] | ^0",
    );
}

// Direct quotations: attribution.

#[test]
fn cue_after_the_quotation() {
    check(
        "“We are ready to talk,” said Velmoran Defence Minister Anna Pell.",
        "D [We are ready to talk] | said/say | Name [Velmoran Defence Minister Anna Pell]",
    );
    check(
        "“We are ready to talk,” the Velmoran Defence Minister told reporters.",
        "D [We are ready to talk] | told reporters/tell | Nominal [the Velmoran Defence Minister]",
    );
    check(
        "“Who will pay for this?” asked Oro.",
        "D [Who will pay for this?] | asked/ask | Name [Oro]",
    );
    check("“No,” he said.", "D [No] | said/say | Pronoun [he]");
}

#[test]
fn cue_before_the_quotation() {
    check(
        "Pell said: “We are ready to talk.”",
        "D [We are ready to talk.] | said/say | Name [Pell]",
    );
    check(
        "The ministry said in a statement, “All units returned to base.”",
        "D [All units returned to base.] | said/say | Nominal [The ministry]",
    );
    check(
        "Oro told the paper that “nothing has been decided yet.”",
        "D [nothing has been decided yet.] | told the paper/tell | Name [Oro]",
    );
}

#[test]
fn fragments_woven_into_a_sentence() {
    check(
        "Pell said ties were “stronger than ever”.",
        "D [stronger than ever] | said/say | Name [Pell]",
    );
    check(
        "Oro said the army had made a “decisive and lasting contribution” to the effort over many years.",
        "I [the army had made a “decisive and lasting contribution” to the effort over many years] | said/say | Name [Oro]
         D [decisive and lasting contribution] | said/say | Name [Oro]",
    );
}

#[test]
fn short_quoted_words_without_cue_are_not_quotations() {
    check("The so-called “peace plan” was never published.", "");
    check("Critics call him “the Fox”.", "");
    check("Her novel “The Long Winter Road” sold well.", "");
    check(
        "The deal was “historic”, Pell said.",
        "I [The deal was “historic”] | said/say | Name [Pell]",
    );
}

#[test]
fn bare_quotation_takes_the_previous_speaker() {
    check(
        "“We will rebuild,” Pell said. “It will take years.”",
        "D [We will rebuild] | said/say | Name [Pell]
         D [It will take years.] | - | Name [Pell] | ^0",
    );
    check(
        "Oro spoke first.\n\n“This is a sad day for the valley.”",
        "D [This is a sad day for the valley.] | - | Unknown",
    );
}

// Indirect quotations.

#[test]
fn said_that_and_bare_said() {
    check(
        "Pell said that the talks had failed.",
        "I [the talks had failed] | said/say | Name [Pell]",
    );
    check("Pell said the talks had failed.", "I [the talks had failed] | said/say | Name [Pell]");
    check("Pell says the talks have failed.", "I [the talks have failed] | says/say | Name [Pell]");
    check(
        "Pell said on Wednesday that the talks had failed.",
        "I [the talks had failed] | said/say | Name [Pell]",
    );
    check(
        "The ministry said in a statement that two soldiers were hurt.",
        "I [two soldiers were hurt] | said/say | Nominal [The ministry]",
    );
}

#[test]
fn told_someone_that() {
    check(
        "Oro told Pell that the border would stay open.",
        "I [the border would stay open] | told/tell | Name [Oro]",
    );
    check(
        "Oro told reporters the border would stay open.",
        "I [the border would stay open] | told reporters/tell | Name [Oro]",
    );
}

#[test]
fn according_to() {
    check(
        "According to the ministry, two soldiers were hurt.",
        "I [two soldiers were hurt] | According to/according to | Nominal [the ministry]",
    );
    check(
        "Two soldiers were hurt, according to Velmoran state media.",
        "I [Two soldiers were hurt] | according to/according to | Nominal [Velmoran state media]",
    );
}

#[test]
fn verbs_of_stance() {
    check(
        "Pell believes the plan will work.",
        "I [the plan will work] | believes/believe | Name [Pell]",
    );
    check("Oro thinks it is too late.", "I [it is too late] | thinks/think | Name [Oro]");
    check(
        "Pell stressed that no decision had been made.",
        "I [no decision had been made] | stressed/stress | Name [Pell]",
    );
    check(
        "Western allies warned that the ceasefire was fragile.",
        "I [the ceasefire was fragile] | warned/warn | Nominal [Western allies]",
    );
    check(
        "Oro claimed the photos were fake.",
        "I [the photos were fake] | claimed/claim | Name [Oro]",
    );
    check(
        "The general insisted that his troops had left.",
        "I [his troops had left] | insisted/insist | Nominal [The general]",
    );
    check(
        "The ministry denied that any civilians were hurt.",
        "I [any civilians were hurt] | denied/deny | Nominal [The ministry]",
    );
    check(
        "Pell noted that the harvest was late.",
        "I [the harvest was late] | noted/note | Name [Pell]",
    );
}

#[test]
fn post_posed_cue() {
    check(
        "The talks will resume next week, Pell said.",
        "I [The talks will resume next week] | said/say | Name [Pell]",
    );
    check(
        "The talks will resume next week, said Oro.",
        "I [The talks will resume next week] | said/say | Name [Oro]",
    );
    check(
        "The talks will resume next week, the minister told reporters on Monday.",
        "I [The talks will resume next week] | told reporters/tell | Nominal [the minister]",
    );
    check(
        "The talks, Pell said, will resume next week.",
        "I [The talks, Pell said, will resume next week] | said/say | Name [Pell]",
    );
}

#[test]
fn parenthetical_and_apposition_before_the_cue() {
    check(
        "Oro, for his part, said the army was ready.",
        "I [the army was ready] | said/say | Name [Oro]",
    );
    check(
        "Oro, the army chief, said the army was ready.",
        "I [the army was ready] | said/say | Name [Oro, the army chief]",
    );
    check(
        "Oro, who arrived on Monday, said the army was ready.",
        "I [the army was ready] | said/say | Name [Oro]",
    );
}

#[test]
fn quoted_as_saying() {
    check(
        "Pell was quoted as saying that the army would withdraw.",
        "I [the army would withdraw] | was quoted as saying/say | Name [Pell]",
    );
}

#[test]
fn continuing_attributions() {
    check(
        "Pell said the talks had failed, adding that new ones were planned.",
        "I [the talks had failed] | said/say | Name [Pell]
         I [new ones were planned] | adding/add | Name [Pell]",
    );
    check(
        "Pell said the talks had failed, but Oro said they would go on.",
        "I [the talks had failed] | said/say | Name [Pell]
         I [they would go on] | said/say | Name [Oro]",
    );
    check(
        "Pell said the talks had failed. He added that new ones were planned.",
        "I [the talks had failed] | said/say | Name [Pell]
         I [new ones were planned] | added/add | Pronoun [He] | ^0",
    );
}

#[test]
fn speaker_phrases() {
    check(
        "A spokesman for the ministry said the road was closed.",
        "I [the road was closed] | said/say | Nominal [A spokesman for the ministry]",
    );
    check(
        "Officials in Tarsk said the road was closed.",
        "I [the road was closed] | said/say | Nominal [Officials in Tarsk]",
    );
    check(
        "Analysts who spoke to the paper said the road was closed.",
        "I [the road was closed] | said/say | Nominal [Analysts]",
    );
    check(
        "Pell met Oro in Tarsk and said the road was closed.",
        "I [the road was closed] | said/say | Name [Pell]",
    );
    check(
        "On Monday Pell said the road was closed.",
        "I [the road was closed] | said/say | Name [Pell]",
    );
    check(
        "Mr. Oro also said the road was closed.",
        "I [the road was closed] | said/say | Name [Mr. Oro]",
    );
    check(
        "The Velmoran Foreign Ministry said the road was closed.",
        "I [the road was closed] | said/say | Name [The Velmoran Foreign Ministry]",
    );
}

#[test]
fn passive_cues_have_no_speaker() {
    check(
        "It was reported that the road was closed.",
        "I [the road was closed] | reported/report | Unknown",
    );
}

#[test]
fn words_that_are_not_cues() {
    check("He added salt to the soup.", "");
    check("The report was released on Monday.", "");
    check("Her claim that the vote was rigged was rejected.", "");
    check("The alleged attack happened at night.", "");
    check("Pell said nothing.", "");
}

#[test]
fn indices_are_in_text_order() {
    let text = "Pell said: “A plan exists.” Oro denied that a plan existed.\n\
                “It never did,” he said.";
    check(
        text,
        "D [A plan exists.] | said/say | Name [Pell]
         I [a plan existed] | denied/deny | Name [Oro]
         D [It never did] | said/say | Pronoun [he] | ^1",
    );
}

// More direct-quotation cases.

#[test]
fn apostrophes_inside_quotations() {
    check(
        "“We don’t know what they’ll do,” Pell said.",
        "D [We don’t know what they’ll do] | said/say | Name [Pell]",
    );
    check(
        r#""The allies' plan won't work," Oro said."#,
        "D [The allies' plan won't work] | said/say | Name [Oro]",
    );
}

#[test]
fn doubled_single_marks_and_reversed_guillemets() {
    check(
        "''The river is rising fast,'' the mayor told reporters.",
        "D [The river is rising fast] | told reporters/tell | Nominal [the mayor]",
    );
    check("»The river is rising fast«, sagte Pell.", "D [The river is rising fast] | - | Unknown");
}

#[test]
fn never_closed_quotation_with_cue_before() {
    check(
        "Oro said: “The river is rising and the road is closed",
        "D [The river is rising and the road is closed] | said/say | Name [Oro]",
    );
}

#[test]
fn short_quotation_attached_to_a_cue() {
    check("“Absolutely not,” Oro said.", "D [Absolutely not] | said/say | Name [Oro]");
    check("Pell replied: “Never.”", "D [Never.] | replied/reply | Name [Pell]");
}

#[test]
fn woven_quotation_without_cue_takes_the_subject() {
    check(
        "Critics dubbed the plan “a road to nowhere”.",
        "D [a road to nowhere] | dubbed/dub | Nominal [Critics]",
    );
    check(
        "Pell described her rival as “a man without a plan”.",
        "D [a man without a plan] | described/describe | Name [Pell]",
    );
    check(
        "Pell spoke for an hour. She wanted “a new start for the valley” for everyone.",
        "D [a new start for the valley] | - | Pronoun [She]",
    );
    check("Critics called it “a sham”.", "");
}

#[test]
fn quotation_ending_a_sentence_before_a_new_one() {
    check(
        "Pell said: “We won.” Oro then left the hall in silence.",
        "D [We won.] | said/say | Name [Pell]",
    );
    check(
        "“We have won this round!” Oro said.",
        "D [We have won this round!] | said/say | Name [Oro]",
    );
}

#[test]
fn colon_attributions() {
    check("Pell: “We will stay here.”", "D [We will stay here.] | :/say | Name [Pell]");
    check("PELL: We will stay here.", "I [We will stay here] | :/say | Name [PELL]");
    check("Update: the road is closed.", "");
}

// More indirect cases.

#[test]
fn time_and_place_between_cue_and_content() {
    check(
        "Pell said late Tuesday that the road was closed.",
        "I [the road was closed] | said/say | Name [Pell]",
    );
    check(
        "Pell said Monday the road was closed.",
        "I [the road was closed] | said/say | Name [Pell]",
    );
    check(
        "Pell said in an interview with the paper that the road was closed.",
        "I [the road was closed] | said/say | Name [Pell]",
    );
    check(
        "The ministry said in its statement that the road was closed.",
        "I [the road was closed] | said/say | Nominal [The ministry]",
    );
}

#[test]
fn auxiliaries_and_adverbs_before_the_cue() {
    check(
        "Pell has repeatedly said that the road was closed.",
        "I [the road was closed] | said/say | Name [Pell]",
    );
    check(
        "Oro had earlier warned that the dam could fail.",
        "I [the dam could fail] | warned/warn | Name [Oro]",
    );
    check(
        "Pell also noted that the harvest was late.",
        "I [the harvest was late] | noted/note | Name [Pell]",
    );
}

#[test]
fn told_with_addressees() {
    check(
        "Oro told him that the border would stay open.",
        "I [the border would stay open] | told/tell | Name [Oro]",
    );
    check(
        "Oro told the Tarsk Herald on Friday that the border would stay open.",
        "I [the border would stay open] | told/tell | Name [Oro]",
    );
    check(
        "The border will stay open, Oro told reporters.",
        "I [The border will stay open] | told reporters/tell | Name [Oro]",
    );
}

#[test]
fn according_to_in_the_middle() {
    check(
        "The talks, according to Pell, failed on the second day.",
        "I [The talks, according to Pell, failed on the second day] | according to/according to | Name [Pell]",
    );
    check(
        "The talks failed according to a spokesman for the ministry.",
        "I [The talks failed] | according to/according to | Nominal [a spokesman for the ministry]",
    );
}

#[test]
fn promises_and_requests_report_infinitives() {
    check("Pell vowed to fight on.", "I [to fight on] | vowed/vow | Name [Pell]");
    check("Oro urged voters to stay home.", "I [to stay home] | urged/urge | Name [Oro]");
}

#[test]
fn participles_and_coordinated_cues() {
    check(
        "Pell praised the crew, saying the bridge was safe.",
        "I [the bridge was safe] | saying/say | Name [Pell]",
    );
    check(
        "Pell said the bridge was safe and added that it would reopen soon.",
        "I [the bridge was safe] | said/say | Name [Pell]
         I [it would reopen soon] | added/add | Name [Pell]",
    );
    check(
        "Pell issued a statement saying that the bridge was safe.",
        "I [the bridge was safe] | saying/say | Name [Pell]",
    );
}

#[test]
fn nested_reports_are_kept() {
    check(
        "Pell said that Oro told him the bridge was safe.",
        "I [Oro told him the bridge was safe] | said/say | Name [Pell]
         I [the bridge was safe] | told/tell | Name [Oro]",
    );
}

#[test]
fn passive_with_agent() {
    check(
        "It is believed that the bridge was safe.",
        "I [the bridge was safe] | believed/believe | Unknown",
    );
    check(
        "The crew was told by Pell that the bridge was safe.",
        "I [the bridge was safe] | told/tell | Name [Pell]",
    );
}

// More speaker phrases and kinds.

#[test]
fn long_speaker_phrases() {
    check(
        "Velmoran Defence Minister Anna Pell said the road was closed.",
        "I [the road was closed] | said/say | Name [Velmoran Defence Minister Anna Pell]",
    );
    check(
        "The Velmoran Defence Minister said the road was closed.",
        "I [the road was closed] | said/say | Nominal [The Velmoran Defence Minister]",
    );
    check(
        "Velmoran state media reported that the road was closed.",
        "I [the road was closed] | reported/report | Nominal [Velmoran state media]",
    );
    check(
        "One of her aides told reporters the road was closed.",
        "I [the road was closed] | told reporters/tell | Nominal [One of her aides]",
    );
    check(
        "Gen. Tomas Oro said the road was closed.",
        "I [the road was closed] | said/say | Name [Gen. Tomas Oro]",
    );
    check(
        "Anna J. Pell said the road was closed.",
        "I [the road was closed] | said/say | Name [Anna J. Pell]",
    );
}

#[test]
fn appositions_brackets_and_coordination() {
    check(
        "Pell, 64, said the road was closed.",
        "I [the road was closed] | said/say | Name [Pell, 64]",
    );
    check(
        "Pell, executive director of the river board, said the road was closed.",
        "I [the road was closed] | said/say | Name [Pell, executive director of the river board]",
    );
    check(
        "Pell (Ind-Tarsk) said the road was closed.",
        "I [the road was closed] | said/say | Name [Pell (Ind-Tarsk)]",
    );
    check(
        "Pell and Oro said the road was closed.",
        "I [the road was closed] | said/say | Name [Pell and Oro]",
    );
    check(
        "The road was closed, said Oro, the mayor of Tarsk.",
        "I [The road was closed] | said/say | Name [Oro, the mayor of Tarsk]",
    );
}

#[test]
fn speaker_kinds() {
    check(
        "The Kremlor said the road was closed.",
        "I [the road was closed] | said/say | Name [The Kremlor]",
    );
    check(
        "The Tarsk Water Ministry said the road was closed.",
        "I [the road was closed] | said/say | Name [The Tarsk Water Ministry]",
    );
    check(
        "The ministry said the road was closed.",
        "I [the road was closed] | said/say | Nominal [The ministry]",
    );
    check(
        "Officials said the road was closed.",
        "I [the road was closed] | said/say | Nominal [Officials]",
    );
    check("They said the road was closed.", "I [the road was closed] | said/say | Pronoun [They]");
}

#[test]
fn pronouns_continue_only_compatible_speakers() {
    check(
        "Officials said the road was closed. She added that it would reopen.",
        "I [the road was closed] | said/say | Nominal [Officials]
         I [it would reopen] | added/add | Pronoun [She]",
    );
    check(
        "Officials said the road was closed. They added that it would reopen.",
        "I [the road was closed] | said/say | Nominal [Officials]
         I [it would reopen] | added/add | Pronoun [They] | ^0",
    );
}

#[test]
fn continuation_reaches_one_paragraph_back_only() {
    check(
        "“We will rebuild,” Pell said.\n\nThe rain stopped.\n\n“It will take years.”",
        "D [We will rebuild] | said/say | Name [Pell]
         D [It will take years.] | - | Unknown",
    );
}

#[test]
fn more_words_that_are_not_cues() {
    check("He told a long story.", "");
    check("They said so.", "");
    check("The stated aim of the plan is unclear.", "");
    check("Reports that the dam failed were wrong.", "");
    check("She wanted to say goodbye.", "");
    check("In the capital, he said.", "");
    check("At the same time, Pell acknowledged the risk.", "");
    check("The vote promises to be close.", "");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_spans_are_sound(text in "[a-zA-Z ,.;:!?'\"“”‘’«»„\n—-]{0,200}") {
        check_invariants(&text);
    }

    #[test]
    fn sound_on_word_salad(words in proptest::collection::vec(prop_oneof![
        Just("said"), Just("Pell"), Just("the"), Just("minister"), Just("that"), Just(","),
        Just("."), Just("“"), Just("”"), Just("\""), Just("according"), Just("to"), Just("he"),
        Just("told"), Just("\n"), Just("was"), Just("quoted"), Just("as"), Just("saying"),
        Just("adding"), Just("who"), Just("«"), Just("»"), Just("é"), Just("’"), Just(":"),
    ], 0..60)) {
        check_invariants(&words.join(" "));
    }
}

fn check_invariants(text: &str) {
    let quotes = find(text);
    let mut previous = None;
    for (idx, quote) in quotes.iter().enumerate() {
        let mut spans = vec![quote.span];
        spans.extend(quote.cue);
        spans.extend(quote.speaker);
        for span in spans {
            assert!(span.start <= span.end && span.end as usize <= text.len());
            assert!(text.is_char_boundary(span.start as usize));
            assert!(text.is_char_boundary(span.end as usize));
        }
        let key = (quote.span.start, quote.span.end);
        if let Some(prev) = previous {
            assert!(prev <= key, "not sorted");
        }
        previous = Some(key);
        if let Some(earlier) = quote.continues {
            assert!(earlier < idx);
        }
        assert_eq!(quote.cue.is_some(), quote.cue_lemma.is_some());
    }
}
