//! Quotations: who said what, found in one article body.
//!
//! [`find`] returns every direct and indirect quotation of a text as a
//! [`QuoteMention`]: the quoted words or the reported content, the speech cue
//! ("said", "told reporters", "according to"), the words that name the
//! speaker ("Defence Minister Anna Pell", "the ministry", "he") and, for a
//! quotation that goes on from an earlier one, the index of that one.
//! Linking speakers to entities is left to the caller: this stage only reads
//! the words.
//!
//! The rules, in order:
//!
//! 1. `tokens.rs` splits the text into words, punctuation and marks;
//!    a newline starts a paragraph.
//! 2. `marks.rs` pairs quotation marks of every style (straight, curly,
//!    `«»`, `»«`, `„“`, doubled `''`, single marks, nested marks) into
//!    quoted regions, per paragraph; a quotation still open at the end of
//!    its paragraph ends there, and a paragraph that opens again continues
//!    it.
//! 3. Sentences are cut at final punctuation outside quotations, so that a
//!    quotation and its attribution ("“…,” she said.") stay together; a
//!    quotation that ends with its own full stop ends the sentence unless a
//!    short attribution follows ("“We won!” Pell said.").
//! 4. `frames.rs` finds every speech cue outside quotations with its
//!    speaker phrase and the side of the sentence that holds the content:
//!    a general list of English reporting verbs (`lexicon.rs`: "say",
//!    "tell", "claim", "insist", "warn", "deny", "add", "believe", "note",
//!    manner-of-speaking verbs such as "shout"; promises and requests with
//!    an infinitive, "vowed to …"; naming verbs before a quotation of three
//!    words or more, "described him as “…”"), "according to", "was quoted
//!    as saying", and a name with a colon before a quotation ("Pell: “…”").
//! 5. Each frame's content is cut where the sentence goes on with an
//!    attribution of its own (", adding that …", "…, but X said …", a
//!    semicolon). A content that is mostly quotation ("X said: “…”", "“…,”
//!    X said", "X said ties “were stronger than ever”") yields direct
//!    quotations; otherwise it is an indirect quotation (without "that" and
//!    final punctuation), and quoted fragments of three or more words inside
//!    it are direct quotations too. Reports inside reports are kept ("X said
//!    that Y told him …" gives both).
//! 6. A quotation with no cue in its sentence is a direct quotation when it
//!    has at least three words and does not look like a title (all words
//!    capitalised); shorter quoted words without a cue (a name, a scare
//!    term) are not quotations. Woven into a sentence whose subject names a
//!    person or a group ("Critics dubbed the plan “…”"), it belongs to that
//!    subject; standing alone, it takes the speaker of the nearest preceding
//!    quotation in the same or the previous paragraph and points to it in
//!    `continues`, as does the next paragraph of a quotation.
//! 7. A pronoun speaker ("he added") points in `continues` to the nearest
//!    preceding quotation, in the same or previous paragraph, whose speaker
//!    it can stand for ("she" not for "officials").
//!
//! Everything is rules over word shapes and closed word lists: no tagger,
//! no model, no list of names.
//!
//! ```
//! use parallax::quotes::{find, QuoteKind, SpeakerKind};
//!
//! let text = "“We will not sign,” said Defence Minister Anna Pell.\n\
//!             The talks failed, she added.";
//! let quotes = find(text);
//! assert_eq!(quotes.len(), 2);
//! assert_eq!(&text[quotes[0].span.range()], "We will not sign");
//! assert_eq!(quotes[0].kind, QuoteKind::Direct);
//! assert_eq!(&text[quotes[0].speaker.unwrap().range()], "Defence Minister Anna Pell");
//! assert_eq!(quotes[0].speaker_kind, SpeakerKind::Name);
//! assert_eq!(&text[quotes[1].span.range()], "The talks failed");
//! assert_eq!(quotes[1].kind, QuoteKind::Indirect);
//! assert_eq!(quotes[1].cue_lemma.as_deref(), Some("add"));
//! assert_eq!(quotes[1].speaker_kind, SpeakerKind::Pronoun);
//! assert_eq!(quotes[1].continues, Some(0));
//! ```

mod frames;
mod lexicon;
mod marks;
#[cfg(test)]
mod tests;
mod tokens;

pub(crate) use lexicon::is_person_role;

use crate::doc::Span;
use frames::{Ctx, Frame, Side};
use std::collections::BTreeMap;
use tokens::TokKind;

/// Whether the words are the speaker's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuoteKind {
    /// Words inside quotation marks.
    Direct,
    /// Reported speech: "X said (that) …", "according to X, …".
    Indirect,
}

/// How the text names the speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpeakerKind {
    /// A proper name, with or without title: "Anna Pell", "the State Department".
    Name,
    /// A description: "the minister", "Western allies", "state media".
    Nominal,
    /// A pronoun: "he", "they".
    Pronoun,
    /// No speaker found.
    Unknown,
}

/// One quotation found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteMention {
    /// The quoted words (direct: inside the marks, without them) or the
    /// reported content (indirect: without "that" and final punctuation).
    pub span: Span,
    /// Direct or indirect.
    pub kind: QuoteKind,
    /// The speech cue: "said", "told reporters", "according to", "was quoted
    /// as saying". `None` for a quotation without a cue in its sentence.
    pub cue: Option<Span>,
    /// The normalised cue: "say", "add", "claim", "according to", …
    pub cue_lemma: Option<String>,
    /// The words naming the speaker. For a quotation that continues an
    /// earlier one without its own cue, the earlier quotation's speaker.
    pub speaker: Option<Span>,
    /// How the speaker is named.
    pub speaker_kind: SpeakerKind,
    /// Index (in the returned list) of an earlier quotation this one
    /// continues: the next paragraph of a quotation, a quotation without a
    /// cue after another, or "he added" after a quotation by the same person.
    pub continues: Option<usize>,
}

/// How a draft finds the quotation it continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Follow {
    /// It does not continue anything.
    No,
    /// It continues the quotation made of this region.
    Region(usize),
    /// A quotation without cue: it continues the nearest preceding one.
    Nearest,
    /// A pronoun speaker: the nearest preceding quotation it can refer to.
    Pronoun,
}

#[derive(Debug, Clone)]
struct Draft {
    span: Span,
    kind: QuoteKind,
    cue: Option<Span>,
    lemma: Option<&'static str>,
    speaker: Option<Span>,
    speaker_kind: SpeakerKind,
    para: usize,
    follow: Follow,
    region: Option<usize>,
}

/// Finds the quotations of one article body (paragraphs separated by
/// newlines). The result is sorted by span; spans lie on `char` boundaries
/// of `text`.
pub fn find(text: &str) -> Vec<QuoteMention> {
    let tokens = tokens::tokenize(text);
    let regions = marks::regions(text, &tokens);
    let mut region_of = vec![None; tokens.len()];
    for (region_idx, region) in regions.iter().enumerate() {
        for slot in &mut region_of[region.first..region.last] {
            *slot = Some(region_idx);
        }
    }
    let in_region: Vec<bool> = region_of.iter().map(Option::is_some).collect();
    let sentences = tokens::sentences(text, &tokens, &in_region);
    let ctx = Ctx { text, tokens, regions, region_of };
    let mut drafts = Vec::new();
    let mut claimed = vec![false; ctx.regions.len()];
    for &sentence in &sentences {
        read_sentence(&ctx, sentence, &mut drafts, &mut claimed);
    }
    for (region_idx, region) in ctx.regions.iter().enumerate() {
        if claimed[region_idx] || !is_bare_quotation(&ctx, region) {
            continue;
        }
        let mut follow = match region.continues {
            Some(prev) => Follow::Region(prev),
            None => Follow::Nearest,
        };
        let mut speaker = None;
        let mut speaker_kind = SpeakerKind::Unknown;
        // A quotation woven into a sentence without a speech cue ("Critics
        // dubbed the plan “…”") belongs to the sentence's subject when that
        // names a person or a group; otherwise it goes on from the quotation
        // before it.
        // Sentences are sorted and cover every token.
        let sentence_idx = sentences.partition_point(|&(_, s1)| s1 <= region.first);
        let sentence = sentences.get(sentence_idx).copied();
        if let (Some(sentence), None) = (sentence, region.continues) {
            let woven = (sentence.0..region.first).any(|t| ctx.is_free_word(t));
            if let Some(subject) =
                woven.then(|| ctx.clause_subject(sentence, region.first)).flatten()
            {
                let kind = speaker_kind_of(&ctx, subject);
                let head = ctx.lower(subject.1 - 1);
                let personal = match kind {
                    SpeakerKind::Name | SpeakerKind::Pronoun => true,
                    SpeakerKind::Nominal => lexicon::is_person_role(&head),
                    SpeakerKind::Unknown => false,
                };
                if personal && subject.1 <= region.first {
                    speaker = Some(token_span(&ctx, subject));
                    speaker_kind = kind;
                    follow =
                        if kind == SpeakerKind::Pronoun { Follow::Pronoun } else { Follow::No };
                }
            }
        }
        drafts.push(Draft {
            span: region.span,
            kind: QuoteKind::Direct,
            cue: None,
            lemma: None,
            speaker,
            speaker_kind,
            para: region.para,
            follow,
            region: Some(region_idx),
        });
    }
    finish(text, drafts)
}

/// A frame with its speaker resolved and its content range.
struct Reading {
    frame: Frame,
    speaker: Option<(usize, usize)>,
    content: (usize, usize),
}

fn read_sentence(
    ctx: &Ctx<'_>,
    sentence: (usize, usize),
    drafts: &mut Vec<Draft>,
    claimed: &mut [bool],
) {
    let (s0, s1) = sentence;
    let found = frames::frames(ctx, sentence);
    if found.is_empty() {
        return;
    }
    // The quotation regions of the sentence (regions are sorted).
    let first_region = ctx.regions.partition_point(|r| r.first < s0);
    let sentence_regions: Vec<usize> =
        (first_region..ctx.regions.len()).take_while(|&r| ctx.regions[r].first < s1).collect();
    // The end of the sentence without its final punctuation.
    let mut end = s1;
    while end > s0 {
        match ctx.punct(end - 1) {
            Some('.' | '!' | '?' | ';' | ':' | ',' | '…' | '—' | '–') => end -= 1,
            _ => break,
        }
    }
    let mut readings: Vec<Reading> = Vec::new();
    for (frame_idx, frame) in found.iter().enumerate() {
        let mut speaker = frame.speaker;
        if speaker.is_none() && frame.inherits_speaker {
            speaker = readings
                .iter()
                .rev()
                .find_map(|r| r.speaker)
                .or_else(|| ctx.clause_subject(sentence, frame.cue.0));
        }
        let content = match frame.side {
            Side::Right(start) => {
                let mut stop = end;
                for later in &found[frame_idx + 1..] {
                    if let Some(boundary) = new_attribution_boundary(ctx, start, stop, later) {
                        stop = boundary;
                    }
                }
                if let Some(cut) = clause_end(ctx, start, stop) {
                    stop = cut;
                }
                (start, trim_back(ctx, start, stop))
            }
            Side::Left | Side::Around => {
                let mut start = s0;
                for earlier in &readings {
                    if earlier.frame.phrase.1 <= frame.phrase.0 {
                        start = start.max(earlier.frame.phrase.1);
                        if matches!(earlier.frame.side, Side::Right(_)) {
                            start = start.max(earlier.content.1);
                        }
                    }
                }
                let start = skip_front(ctx, start, frame.phrase.0);
                if frame.side == Side::Left {
                    (start, trim_back(ctx, start, frame.phrase.0))
                } else {
                    (start, end.max(start))
                }
            }
        };
        readings.push(Reading { frame: frame.clone(), speaker, content });
    }

    // Which frame each quotation region of the sentence belongs to:
    // (priority, content length, reading index); lower is better.
    let mut best: BTreeMap<usize, (u8, usize, usize)> = BTreeMap::new();
    let mut offer = |region: usize, claim: (u8, usize, usize)| {
        let slot = best.entry(region).or_insert(claim);
        if (claim.0, claim.1) < (slot.0, slot.1) {
            *slot = claim;
        }
    };
    let mut indirect = vec![false; readings.len()];
    for (reading_idx, reading) in readings.iter().enumerate() {
        let (start, stop) = reading.content;
        // "“…,” she said, “…”": the quotation just before the phrase, when
        // nothing but it stands between the previous attribution (or the
        // sentence start) and the phrase.
        if let Some(region) = adjacent_region_before(ctx, reading.frame.phrase.0) {
            let mut left = s0;
            for earlier in &readings[..reading_idx] {
                if earlier.frame.phrase.1 <= ctx.regions[region].first {
                    left = left.max(earlier.frame.phrase.1);
                }
            }
            if skip_front(ctx, left, ctx.regions[region].first) == ctx.regions[region].first {
                offer(region, (0, 0, reading_idx));
                // "“…,” Pell said, …": the quotation is the whole content.
                if !matches!(reading.frame.side, Side::Right(_)) {
                    continue;
                }
            }
        }
        if start >= stop {
            continue;
        }
        let inside: Vec<usize> = sentence_regions
            .iter()
            .copied()
            .filter(|&r| ctx.regions[r].first >= start && ctx.regions[r].last <= stop)
            .collect();
        let n_words = (start..stop).filter(|&t| ctx.tokens[t].kind == TokKind::Word).count();
        let n_quoted: usize = inside.iter().map(|&r| ctx.regions[r].n_words).sum();
        let len = stop - start;
        let exact = inside.len() == 1 && {
            let region = &ctx.regions[inside[0]];
            region.first == start && region.last == stop
        };
        if exact || (!inside.is_empty() && n_quoted * 10 >= n_words * 6) {
            let priority = if exact { 0 } else { 1 };
            for &region in &inside {
                offer(region, (priority, len, reading_idx));
            }
        } else {
            if n_words - n_quoted >= 2 || (n_words >= 2 && inside.is_empty()) {
                indirect[reading_idx] = true;
            }
            for &region in &inside {
                if ctx.regions[region].n_words >= 3 {
                    offer(region, (2, len, reading_idx));
                }
            }
        }
    }

    for (reading_idx, reading) in readings.iter().enumerate() {
        if !indirect[reading_idx] {
            continue;
        }
        let (start, stop) = reading.content;
        let span = content_span(ctx, start, stop);
        if span.is_empty() {
            continue;
        }
        drafts.push(frame_draft(ctx, reading, span, QuoteKind::Indirect, None, Follow::No));
    }
    let mut first_region_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (&region_idx, &(_, _, reading_idx)) in &best {
        let region = &ctx.regions[region_idx];
        if region.span.is_empty() || region.n_words == 0 {
            continue;
        }
        claimed[region_idx] = true;
        let follow = match region.continues {
            Some(prev) => Follow::Region(prev),
            None => match first_region_of.get(&reading_idx) {
                Some(&first) => Follow::Region(first),
                None => Follow::No,
            },
        };
        first_region_of.entry(reading_idx).or_insert(region_idx);
        let reading = &readings[reading_idx];
        drafts.push(frame_draft(
            ctx,
            reading,
            region.span,
            QuoteKind::Direct,
            Some(region_idx),
            follow,
        ));
    }
}

fn frame_draft(
    ctx: &Ctx<'_>,
    reading: &Reading,
    span: Span,
    kind: QuoteKind,
    region: Option<usize>,
    follow: Follow,
) -> Draft {
    let speaker_kind = match reading.speaker {
        Some(range) => speaker_kind_of(ctx, range),
        None => SpeakerKind::Unknown,
    };
    let follow = if follow == Follow::No && speaker_kind == SpeakerKind::Pronoun {
        Follow::Pronoun
    } else {
        follow
    };
    Draft {
        span,
        kind,
        cue: Some(token_span(ctx, reading.frame.cue)),
        lemma: Some(reading.frame.lemma),
        speaker: reading.speaker.map(|range| token_span(ctx, range)),
        speaker_kind,
        para: ctx.tokens[reading.frame.cue.0].para,
        follow,
        region,
    }
}

/// Where a content that runs `start..stop` must stop because a later frame
/// starts an attribution of its own: a participle (", adding that"), a
/// coordinated verb ("and added"), or a cue after a comma inside the
/// content ("…, but X said", "…, this week X said"). A cue without a comma
/// before it is a report inside the report ("X said that Y told him …") and
/// does not cut.
fn new_attribution_boundary(
    ctx: &Ctx<'_>,
    start: usize,
    stop: usize,
    later: &Frame,
) -> Option<usize> {
    if later.lemma == "according to" {
        return None;
    }
    let phrase_start = later.phrase.0.max(start);
    if phrase_start <= start || later.cue.0 >= stop {
        return None;
    }
    if later.inherits_speaker {
        return Some(phrase_start);
    }
    (start..phrase_start)
        .rev()
        .find(|&pos| matches!(ctx.punct(pos), Some(',' | ';' | '—' | '–')))
        .filter(|&pos| pos > start)
}

/// Where a reported clause ends before the end of its sentence: at a
/// semicolon, or at a comma before a clause with its own speech verb that
/// no frame read ("…, but he also warned China against …").
fn clause_end(ctx: &Ctx<'_>, start: usize, stop: usize) -> Option<usize> {
    for pos in start + 1..stop {
        match ctx.punct(pos) {
            Some(';') => return Some(pos),
            Some(',') if pos + 1 < stop => {
                let next = pos + 1;
                if !ctx.is_free_word(next) {
                    continue;
                }
                let lower = ctx.lower(next);

                let conjunction =
                    matches!(lower.as_str(), "but" | "while" | "whereas" | "although");
                let clause_start = if conjunction { next + 1 } else { next };
                if conjunction && has_own_cue(ctx, clause_start, stop) {
                    return Some(pos);
                }
            }
            _ => {}
        }
    }
    None
}

/// True when a subject and a speech verb open the words at `pos`
/// ("he also warned", "the minister said").
fn has_own_cue(ctx: &Ctx<'_>, pos: usize, stop: usize) -> bool {
    let mut idx = pos;
    let mut n_words = 0;
    while idx < stop && n_words < 7 && ctx.is_free_word(idx) {
        let lower = ctx.lower(idx);
        if n_words > 0
            && lexicon::cue_form(&lower)
                .is_some_and(|c| matches!(c.form, lexicon::Form::Past | lexicon::Form::Third))
        {
            return true;
        }
        idx += 1;
        n_words += 1;
    }
    false
}

/// The quotation region that ends just before the attribution phrase at
/// `phrase_start`, separated at most by a comma or a dash, when the
/// quotation ends with a comma, question or exclamation mark or dash (the
/// signs that an attribution follows).
fn adjacent_region_before(ctx: &Ctx<'_>, phrase_start: usize) -> Option<usize> {
    let (region, separated) = match ctx.region_ending(phrase_start) {
        Some(region) => (region, false),
        None => {
            let sep = phrase_start.checked_sub(1)?;
            if !matches!(ctx.punct(sep), Some(',' | '—' | '–')) {
                return None;
            }
            (ctx.region_ending(sep)?, true)
        }
    };
    let r = &ctx.regions[region];
    if !r.closed || r.last < 2 {
        return None;
    }
    let last_inner = r.last - 2;
    let inner_ch = tokens::first_char(ctx.text, &ctx.tokens[last_inner]);
    let inner_ok = ctx.tokens[last_inner].kind == TokKind::Punct
        && matches!(inner_ch, ',' | '?' | '!' | '—' | '–' | '…');
    (separated || inner_ok).then_some(region)
}

/// Moves `pos` back over trailing separators and conjunctions.
fn trim_back(ctx: &Ctx<'_>, start: usize, mut stop: usize) -> usize {
    while stop > start {
        let last = stop - 1;
        let is_sep = matches!(ctx.punct(last), Some(',' | ';' | ':' | '—' | '–' | '.' | '-' | '('))
            || (ctx.is_free_word(last)
                && matches!(ctx.lower(last).as_str(), "and" | "but" | "while" | "whereas"));
        if is_sep {
            stop = last;
        } else {
            break;
        }
    }
    stop
}

/// Moves `pos` forward over leading separators and conjunctions.
fn skip_front(ctx: &Ctx<'_>, mut pos: usize, stop: usize) -> usize {
    while pos < stop {
        let is_sep = matches!(ctx.punct(pos), Some(',' | ';' | ':' | '—' | '–'))
            || (ctx.is_free_word(pos) && matches!(ctx.lower(pos).as_str(), "and" | "but"));
        if is_sep {
            pos += 1;
        } else {
            break;
        }
    }
    pos
}

fn token_span(ctx: &Ctx<'_>, (start, stop): (usize, usize)) -> Span {
    Span::new(ctx.tokens[start].start, ctx.tokens[stop - 1].end)
}

/// The span of a content range, trimmed of white space and final
/// punctuation outside quotation marks.
fn content_span(ctx: &Ctx<'_>, start: usize, stop: usize) -> Span {
    if start >= stop {
        return Span::default();
    }
    let span = token_span(ctx, (start, stop));
    let slice = &ctx.text[span.range()];
    let trimmed = slice.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '—' | '–')
    });
    Span::new(span.start as usize, span.start as usize + trimmed.len())
}

/// A quotation without cue: three words or more, and not a title.
fn is_bare_quotation(ctx: &Ctx<'_>, region: &marks::Region) -> bool {
    if region.n_words < 3 {
        return false;
    }
    let inner_first = if region.opened { region.first + 1 } else { region.first };
    let inner_last = if region.closed { region.last - 1 } else { region.last };
    let words: Vec<usize> =
        (inner_first..inner_last).filter(|&t| ctx.tokens[t].kind == TokKind::Word).collect();
    let ends_like_speech = (inner_first..inner_last).next_back().is_some_and(|t| {
        ctx.tokens[t].kind == TokKind::Punct
            && matches!(tokens::first_char(ctx.text, &ctx.tokens[t]), '.' | ',' | '!' | '?')
    });
    let title_like = words.len() <= 8
        && !ends_like_speech
        && words.iter().all(|&t| {
            let word = &ctx.text[ctx.tokens[t].start..ctx.tokens[t].end];
            word.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || lexicon::is_title_small_word(&word.to_lowercase())
        });
    !title_like
}

/// How a speaker phrase names its speaker.
fn speaker_kind_of(ctx: &Ctx<'_>, (start, stop): (usize, usize)) -> SpeakerKind {
    let first = ctx.lower(start);
    if stop - start == 1
        && (lexicon::is_subject_pronoun(&first) || lexicon::is_object_pronoun(&first))
    {
        return SpeakerKind::Pronoun;
    }
    // The head: the last word before an apposition or a connector.
    let mut head = stop - 1;
    for pos in start + 1..stop {
        let is_break = ctx.punct(pos) == Some(',')
            || (ctx.is_free_word(pos) && lexicon::is_np_connector(&ctx.lower(pos)));
        if is_break {
            head = pos - 1;
            break;
        }
    }
    while head > start && ctx.tokens[head].kind != TokKind::Word {
        head -= 1;
    }
    // "One of her aides": the head is after "of".
    if lexicon::is_determiner(&ctx.lower(head)) && head + 1 < stop {
        head = stop - 1;
    }
    let head_word = ctx.word(head);
    let head_lower = head_word.to_lowercase();
    let capitalised = head_word.chars().next().is_some_and(|c| c.is_uppercase());
    if !capitalised {
        return SpeakerKind::Nominal;
    }
    let role = lexicon::is_person_role(&head_lower);
    let org = lexicon::is_org_noun(&head_lower);
    let sentence_initial = head == start
        && start.checked_sub(1).is_none_or(|prev| {
            !(ctx.is_free_word(prev) || ctx.punct(prev) == Some(','))
                || ctx.tokens[prev].para != ctx.tokens[start].para
        });
    if sentence_initial && (role || org) {
        return SpeakerKind::Nominal;
    }
    let has_determiner = lexicon::is_determiner(&first);
    if has_determiner && role {
        return SpeakerKind::Nominal;
    }
    if has_determiner && org {
        let modified =
            (start + 1..head).any(|t| ctx.word(t).chars().next().is_some_and(|c| c.is_uppercase()));
        if !modified {
            return SpeakerKind::Nominal;
        }
    }
    SpeakerKind::Name
}

/// Sorts the drafts, drops duplicates and resolves `continues`.
fn finish(text: &str, mut drafts: Vec<Draft>) -> Vec<QuoteMention> {
    drafts.sort_by(|a, b| {
        (a.span.start, a.span.end, a.kind).cmp(&(b.span.start, b.span.end, b.kind))
    });
    drafts.dedup_by(|later, earlier| later.span == earlier.span);
    let mut region_draft: BTreeMap<usize, usize> = BTreeMap::new();
    for (idx, draft) in drafts.iter().enumerate() {
        if let Some(region) = draft.region {
            region_draft.entry(region).or_insert(idx);
        }
    }
    let mut res: Vec<QuoteMention> = Vec::with_capacity(drafts.len());
    for (idx, draft) in drafts.iter().enumerate() {
        let mut mention = QuoteMention {
            span: draft.span,
            kind: draft.kind,
            cue: draft.cue,
            cue_lemma: draft.lemma.map(str::to_string),
            speaker: draft.speaker,
            speaker_kind: draft.speaker_kind,
            continues: None,
        };
        let near = |j: usize| drafts[j].para + 1 >= draft.para;
        let earlier = match draft.follow {
            Follow::No => None,
            Follow::Region(region) => region_draft.get(&region).copied().filter(|&j| j < idx),
            Follow::Nearest => idx.checked_sub(1).filter(|&j| near(j)),
            Follow::Pronoun => {
                let pronoun = draft.speaker.map(|s| text[s.range()].to_lowercase());
                pronoun.and_then(|pronoun| {
                    (0..idx)
                        .rev()
                        .take_while(|&j| near(j))
                        .find(|&j| can_refer_to(text, &pronoun, &res[j]))
                })
            }
        };
        if let Some(j) = earlier {
            mention.continues = Some(j);
            if mention.speaker.is_none() {
                mention.speaker = res[j].speaker;
                mention.speaker_kind = res[j].speaker_kind;
            }
        }
        res.push(mention);
    }
    res
}

/// True when a pronoun can stand for the speaker of an earlier quotation.
fn can_refer_to(text: &str, pronoun: &str, earlier: &QuoteMention) -> bool {
    let Some(speaker) = earlier.speaker else { return false };
    let words = text[speaker.range()].to_lowercase();
    let group = |p: &str| match p {
        "he" | "him" => 1,
        "she" | "her" => 2,
        "they" | "them" => 3,
        "it" => 4,
        "i" | "me" => 5,
        "we" | "us" => 6,
        _ => 7,
    };
    let head = words.split(',').next().unwrap_or("").split_whitespace().last();
    let plural = head.is_some_and(|h| h.ends_with('s') && !h.ends_with("ss") && !h.ends_with("'s"));
    match earlier.speaker_kind {
        SpeakerKind::Unknown => false,
        SpeakerKind::Pronoun => group(pronoun) == group(&words),
        SpeakerKind::Name => matches!(group(pronoun), 1 | 2 | 4) || (group(pronoun) == 3 && plural),
        SpeakerKind::Nominal => match group(pronoun) {
            1 | 2 | 4 => !plural,
            3 => plural || lexicon::is_org_noun(head.unwrap_or("")),
            _ => false,
        },
    }
}
