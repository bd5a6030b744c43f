//! Attribution frames: a speech cue with its speaker phrase and the side of
//! the sentence that holds what was said.
//!
//! A frame is found for every cue outside quotation marks:
//!
//! - a reporting verb ([`lexicon::cue_form`]): "said", "told reporters",
//!   "has warned", "pointed out";
//! - "according to X";
//! - "X was quoted as saying";
//! - a name opening the sentence, then a colon and a quotation ("Pell:
//!   “…”"), or a name in capitals and a colon (transcripts).
//!
//! Around the cue the rules read, right to left, auxiliaries and adverbs
//! ("has also said"), then the speaker phrase ([`Ctx::np_back`]): the maximal
//! run of capitalised words, determiners, possessives, modifiers and nouns,
//! joined by "of"/"for"/"in"/"at"/"from"; or a pronoun; or, through a comma
//! (or dash) pair, the phrase before an apposition ("X, the army chief,
//! said"), a relative clause ("X, who …, said") or a parenthetical ("X, for
//! his part, said"); or the subject of a coordinated clause ("X met Y and
//! said"). With nothing before the cue the speaker is read after it ("said
//! X"). Left to right after the cue come the addressee of verbs like "tell",
//! then adjuncts ("on Wednesday", "in a statement"), then the content: after
//! "that" or a colon, a quotation, or (for verbs that allow it) a bare
//! clause. A cue followed by the end of the sentence or by a comma is
//! post-posed: the content is before it ("…, X said.").

use super::lexicon::{self, Form, BARE, INFINITIVE, NOUNISH, OBJECT, QUOTED, WH};
use super::marks::Region;
use super::tokens::{first_char, is_possessive, TokKind, Token};

/// The text and its tokens, with quotation regions.
pub(super) struct Ctx<'t> {
    pub text: &'t str,
    pub tokens: Vec<Token>,
    pub regions: Vec<Region>,
    /// For every token, the region it lies in (marks included).
    pub region_of: Vec<Option<usize>>,
}

/// Where the content of a frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// After the attribution phrase, from this token on.
    Right(usize),
    /// Before the attribution phrase ("…, X said.").
    Left,
    /// Around it: the attribution phrase interrupts the content ("The talks,
    /// X said, were useful.").
    Around,
}

/// One speech cue with its speaker and content side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Frame {
    /// Tokens of the cue, `start..end`.
    pub cue: (usize, usize),
    /// Normalised cue.
    pub lemma: &'static str,
    /// Tokens naming the speaker, `start..end`.
    pub speaker: Option<(usize, usize)>,
    /// Tokens of the whole attribution phrase (speaker, cue, addressee,
    /// adjuncts, "that").
    pub phrase: (usize, usize),
    /// Where the content is.
    pub side: Side,
    /// A participle that continues the sentence's attribution (", adding
    /// that …") or a verb coordinated with an earlier one ("and said"): its
    /// speaker is the one before it.
    pub inherits_speaker: bool,
    /// The verb is passive ("it was reported"): no speaker unless "by X".
    pub passive: bool,
}

impl<'t> Ctx<'t> {
    /// The words of token `idx`.
    pub fn word(&self, idx: usize) -> &'t str {
        let tok = &self.tokens[idx];
        &self.text[tok.start..tok.end]
    }

    /// Lowercase words of token `idx`.
    pub fn lower(&self, idx: usize) -> String {
        self.word(idx).to_lowercase()
    }

    /// True for a word token outside quotation marks.
    pub fn is_free_word(&self, idx: usize) -> bool {
        idx < self.tokens.len()
            && self.tokens[idx].kind == TokKind::Word
            && self.region_of[idx].is_none()
    }

    /// The punctuation character of token `idx`, when it is punctuation
    /// outside quotation marks.
    pub fn punct(&self, idx: usize) -> Option<char> {
        let tok = self.tokens.get(idx)?;
        if tok.kind == TokKind::Punct && self.region_of[idx].is_none() {
            Some(first_char(self.text, tok))
        } else {
            None
        }
    }

    /// The region that starts at token `idx`.
    pub fn region_starting(&self, idx: usize) -> Option<usize> {
        let region = (*self.region_of.get(idx)?)?;
        (self.regions[region].first == idx).then_some(region)
    }

    /// The region that ends just before token `idx`.
    pub fn region_ending(&self, idx: usize) -> Option<usize> {
        let region = (*self.region_of.get(idx.checked_sub(1)?)?)?;
        (self.regions[region].last == idx).then_some(region)
    }

    fn is_capitalised(&self, idx: usize) -> bool {
        self.word(idx).chars().next().is_some_and(|c| c.is_uppercase())
    }

    fn is_acronym(&self, idx: usize) -> bool {
        let word = self.word(idx);
        word.chars().count() >= 2
            && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.')
    }

    /// True when a capitalised word cannot be capitalised only because it
    /// starts a sentence: the token before it is a word or a comma.
    fn is_mid_sentence(&self, idx: usize) -> bool {
        let Some(prev) = idx.checked_sub(1) else { return false };
        if self.tokens[prev].para != self.tokens[idx].para {
            return false;
        }
        self.is_free_word(prev) || self.punct(prev) == Some(',')
    }

    /// True for a word that can be part of a noun phrase. `head` asks for the
    /// last word of the phrase, which may not be a participle.
    pub fn is_np_word(&self, idx: usize, head: bool) -> bool {
        if !self.is_free_word(idx) {
            return false;
        }
        if self.is_acronym(idx) {
            return true;
        }
        let lower = self.lower(idx);
        let capitalised = self.is_capitalised(idx);
        if lexicon::is_time_word(&lower) && !is_possessive(&lower) {
            return false;
        }
        if capitalised && self.is_mid_sentence(idx) && lower != "i" {
            return !lexicon::is_determiner(&lower) || lower == "one";
        }
        if lexicon::is_determiner(&lower)
            || lexicon::is_preposition(&lower)
            || lexicon::is_conjunction(&lower)
            || lexicon::is_auxiliary(&lower)
            || lexicon::is_subject_pronoun(&lower)
            || lexicon::is_object_pronoun(&lower)
            || lexicon::is_relative(&lower)
            || lexicon::is_adverb(&lower)
            || lexicon::is_common_verb(&lower)
            || lexicon::is_np_breaker(&lower)
            || lexicon::is_wh_word(&lower)
        {
            return false;
        }
        if let Some(cue) = lexicon::cue_form(&lower) {
            // "a claim", "reports"; and base forms inside a phrase ("think
            // tank").
            let noun_like = (cue.flags & NOUNISH != 0
                && matches!(cue.form, Form::Base | Form::Third))
                || (!head && cue.form == Form::Base);
            if !noun_like {
                return false;
            }
        }
        if capitalised || lower.starts_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
        if head && (lower.ends_with("ed") || lower.ends_with("ing")) {
            return false;
        }
        lower.chars().next().is_some_and(|c| c.is_alphabetic())
    }

    /// The noun phrase that ends with token `end` (inclusive), not reaching
    /// before `floor`: `start..end + 1`.
    pub fn np_back(&self, end: usize, floor: usize) -> Option<(usize, usize)> {
        self.np_back_depth(end, floor, 0)
    }

    fn np_back_depth(&self, end: usize, floor: usize, depth: usize) -> Option<(usize, usize)> {
        if end < floor || !self.is_free_word(end) {
            return None;
        }
        let lower = self.lower(end);
        if lexicon::is_subject_pronoun(&lower)
            && !(self.is_capitalised(end) && self.is_mid_sentence(end) && lower != "i")
        {
            return Some((end, end + 1));
        }
        if !self.is_np_word(end, true) {
            return None;
        }
        let mut start = end;
        loop {
            if start <= floor || end - start >= 12 {
                break;
            }
            let prev = start - 1;
            if self.is_free_word(prev) {
                let prev_lower = self.lower(prev);
                if lexicon::is_determiner(&prev_lower)
                    && !(self.is_capitalised(prev) && self.is_mid_sentence(prev))
                {
                    start = prev;
                    // "the two countries", "all the allies".
                    if start > floor
                        && self.is_free_word(start - 1)
                        && lexicon::is_determiner(&self.lower(start - 1))
                    {
                        start -= 1;
                    }
                    break;
                }
                if self.is_np_word(prev, false) {
                    start = prev;
                    continue;
                }
                break;
            }
            // "Mr. Pell", "Anna J. Pell": a title or an initial and its period.
            if self.punct(prev) == Some('.')
                && prev > floor
                && self.is_free_word(prev - 1)
                && self.tokens[prev - 1].end == self.tokens[prev].start
                && is_name_abbreviation(self.word(prev - 1))
            {
                start = prev - 1;
                continue;
            }
            break;
        }
        // "a spokesman for the ministry": join the phrase before a connector.
        if depth < 2 && start > floor + 1 && self.is_free_word(start - 1) {
            let connector = self.lower(start - 1);
            if lexicon::is_np_connector(&connector) {
                let left_lower = self.lower(start - 2);
                if connector == "of" && lexicon::is_determiner(&left_lower) {
                    // "one of his advisers", "many of the voters".
                    start -= 2;
                } else if let Some((left_start, _)) =
                    self.np_back_depth(start - 2, floor, depth + 1)
                {
                    if !lexicon::is_subject_pronoun(&left_lower) {
                        start = left_start;
                    }
                }
            }
        }
        Some((start, end + 1))
    }

    /// The noun phrase that starts at token `start`, not reaching `ceil`.
    /// With `object` set, object pronouns are accepted and subject pronouns
    /// are not.
    pub fn np_forward(&self, start: usize, ceil: usize, object: bool) -> Option<(usize, usize)> {
        self.np_forward_depth(start, ceil, object, 0)
    }

    fn np_forward_depth(
        &self,
        start: usize,
        ceil: usize,
        object: bool,
        depth: usize,
    ) -> Option<(usize, usize)> {
        if start >= ceil || !self.is_free_word(start) {
            return None;
        }
        let lower = self.lower(start);
        // "her" before a noun is a determiner ("told her aides").
        let possessive = lower == "her" && self.is_np_word(start + 1, false);
        if object && lexicon::is_object_pronoun(&lower) && !possessive {
            return Some((start, start + 1));
        }
        if lexicon::is_subject_pronoun(&lower) {
            // "told he would" has no object; "said he" has a subject.
            return (!object).then_some((start, start + 1));
        }
        let mut idx = start;
        let determiner = lexicon::is_determiner(&lower);
        if determiner {
            idx += 1;
            // "the two countries", "all the allies".
            while idx < ceil && idx - start < 3 && self.is_free_word(idx) && {
                let next = self.lower(idx);
                lexicon::is_determiner(&next)
                    && !(self.is_capitalised(idx) && self.is_mid_sentence(idx))
            } {
                idx += 1;
            }
        }
        let mut last_head = None;
        while idx < ceil && idx - start < 12 {
            if self.is_free_word(idx)
                && is_name_abbreviation(self.word(idx))
                && self.punct(idx + 1) == Some('.')
                && idx + 2 < ceil
            {
                idx += 2;
                continue;
            }
            if !self.is_np_word(idx, false) {
                break;
            }
            let word = self.lower(idx);
            let participle =
                !self.is_capitalised(idx) && (word.ends_with("ed") || word.ends_with("ing"));
            // "the man arrested" ends before the participle; "a meeting" is a noun.
            let after_determiner = determiner
                && idx > start
                && self.is_free_word(idx - 1)
                && lexicon::is_determiner(&self.lower(idx - 1));
            if participle && !after_determiner && !self.is_np_word(idx + 1, false) {
                break;
            }
            last_head = Some(idx);
            idx += 1;
        }
        let mut end = last_head? + 1;
        if depth < 2 && end < ceil && self.is_free_word(end) {
            let connector = self.lower(end);
            if matches!(connector.as_str(), "of" | "for" | "at") {
                if let Some((_, right_end)) = self.np_forward_depth(end + 1, ceil, false, depth + 1)
                {
                    if !lexicon::is_subject_pronoun(&self.lower(end + 1)) {
                        end = right_end;
                    }
                }
            }
        }
        Some((start, end))
    }

    /// An apposition after a speaker read left to right ("said Pell, the
    /// agency's chief."): the end of the apposition when there is one.
    fn apposition_after(&self, end: usize, ceil: usize) -> Option<usize> {
        if self.punct(end) != Some(',') {
            return None;
        }
        let first = end + 1;
        if !self.is_free_word(first) {
            return None;
        }
        let lower = self.lower(first);
        let numeric = lower.starts_with(|c: char| c.is_ascii_digit());
        if !(numeric || matches!(lower.as_str(), "the" | "a" | "an") || is_possessive(&lower)) {
            return None;
        }
        let app_end = if numeric { first + 1 } else { self.np_forward(first, ceil, false)?.1 };
        let closes = app_end >= ceil
            || matches!(self.punct(app_end), Some(',' | '.' | ';' | '!' | '?'))
            || self.region_starting(app_end).is_some();
        closes.then_some(app_end)
    }

    /// The subject of the clause that contains token `idx`: the first noun
    /// phrase after the clause start (sentence start, ';' or a quotation),
    /// skipping introductory adverbs and prepositional phrases.
    pub fn clause_subject(&self, sentence: (usize, usize), idx: usize) -> Option<(usize, usize)> {
        let (s0, _) = sentence;
        let mut start = s0;
        for pos in (s0..idx).rev() {
            if matches!(self.punct(pos), Some(';')) || self.region_ending(pos + 1).is_some() {
                start = pos + 1;
                break;
            }
        }
        let mut pos = start;
        let mut steps = 0;
        while pos < idx && steps < 6 {
            steps += 1;
            if self.punct(pos) == Some(',') {
                pos += 1;
                continue;
            }
            if !self.is_free_word(pos) {
                return None;
            }
            let lower = self.lower(pos);
            if lexicon::is_preposition(&lower) {
                pos = self.np_forward(pos + 1, idx, true).map_or(pos + 1, |np| np.1);
                continue;
            }
            if lexicon::is_adverb(&lower) || lexicon::is_conjunction(&lower) {
                pos += 1;
                continue;
            }
            return self.np_forward(pos, idx, false);
        }
        None
    }
}

/// A title before a name ("Mr.", "Gen.") or an initial ("J.").
fn is_name_abbreviation(word: &str) -> bool {
    lexicon::is_title_abbreviation(word) || {
        let mut chars = word.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
    }
}

/// True for a sentence-final or clause-final punctuation character.
fn is_final(ch: char) -> bool {
    matches!(ch, '.' | '!' | '?' | ';' | '…')
}

/// Finds the frames of one sentence (tokens `sentence.0..sentence.1`), in
/// text order.
pub(super) fn frames(ctx: &Ctx<'_>, sentence: (usize, usize)) -> Vec<Frame> {
    let (s0, s1) = sentence;
    let mut res = Vec::new();
    let mut idx = s0;
    while idx < s1 {
        if ctx.punct(idx) == Some(':') {
            if let Some(frame) = colon_frame(ctx, sentence, idx) {
                res.push(frame);
            }
            idx += 1;
            continue;
        }
        if !ctx.is_free_word(idx) {
            idx += 1;
            continue;
        }
        let lower = ctx.lower(idx);
        let frame =
            if lower == "according" && ctx.is_free_word(idx + 1) && ctx.lower(idx + 1) == "to" {
                according_frame(ctx, sentence, idx)
            } else if lower == "quoted" {
                quoted_as_frame(ctx, sentence, idx)
            } else {
                verb_frame(ctx, sentence, idx)
            };
        match frame {
            Some(frame) => {
                idx = frame.cue.1.max(idx + 1);
                res.push(frame);
            }
            None => idx += 1,
        }
    }
    res
}

/// "Pell: “We will stay.”" and transcripts ("PELL: We will stay."): a name
/// that opens the sentence, a colon, then a quotation (or, for a name in
/// capitals, the rest of the sentence).
fn colon_frame(ctx: &Ctx<'_>, sentence: (usize, usize), colon: usize) -> Option<Frame> {
    let (s0, s1) = sentence;
    let speaker = ctx.np_back(colon.checked_sub(1)?, s0)?;
    if speaker.0 != s0 || speaker.1 - speaker.0 > 6 || colon + 1 >= s1 {
        return None;
    }
    let all_caps = (speaker.0..speaker.1).all(|t| ctx.is_acronym(t) || !ctx.is_free_word(t));
    let named = (speaker.0..speaker.1).any(|t| ctx.is_free_word(t) && ctx.is_capitalised(t));
    let quotation = ctx.region_starting(colon + 1).is_some();
    if !(named && (quotation || all_caps)) {
        return None;
    }
    Some(Frame {
        cue: (colon, colon + 1),
        lemma: "say",
        speaker: Some(speaker),
        phrase: (speaker.0, colon + 1),
        side: Side::Right(colon + 1),
        inherits_speaker: false,
        passive: false,
    })
}

/// "according to X, …" / "…, according to X."
fn according_frame(ctx: &Ctx<'_>, sentence: (usize, usize), idx: usize) -> Option<Frame> {
    let (s0, s1) = sentence;
    let speaker = ctx.np_forward(idx + 2, s1, false)?;
    let after = speaker.1;
    let at_start = idx == s0
        || ctx.region_ending(idx).is_some()
        || (idx > s0 && ctx.is_free_word(idx - 1) && lexicon::is_conjunction(&ctx.lower(idx - 1)));
    let mut side = if at_start {
        // The content starts after the comma that closes the introduction.
        let comma = (after..s1.min(after + 15)).find(|&pos| ctx.punct(pos) == Some(','));
        match comma {
            Some(pos) => Side::Right(pos + 1),
            None if after < s1 && ctx.is_free_word(after) => Side::Right(after),
            None => return None,
        }
    } else if after >= s1 || ctx.punct(after).is_some_and(is_final) {
        Side::Left
    } else if ctx.punct(after) == Some(',') && idx > s0 && ctx.punct(idx - 1) == Some(',') {
        if continues_with_new_clause(ctx, after + 1, s1) {
            Side::Left
        } else {
            Side::Around
        }
    } else {
        Side::Left
    };
    if let Side::Right(pos) = side {
        if pos >= s1 {
            side = Side::Left;
        }
    }
    Some(Frame {
        cue: (idx, idx + 2),
        lemma: "according to",
        speaker: Some(speaker),
        phrase: (idx, after),
        side,
        inherits_speaker: false,
        passive: false,
    })
}

/// "X was quoted as saying (that) …".
fn quoted_as_frame(ctx: &Ctx<'_>, sentence: (usize, usize), idx: usize) -> Option<Frame> {
    let (s0, _) = sentence;
    if idx <= s0 || !ctx.is_free_word(idx - 1) || !lexicon::is_be(&ctx.lower(idx - 1)) {
        return None;
    }
    if !(ctx.is_free_word(idx + 1) && ctx.lower(idx + 1) == "as") {
        return None;
    }
    let verb = idx + 2;
    if !ctx.is_free_word(verb)
        || lexicon::cue_form(ctx.word(verb)).is_none_or(|c| c.form != Form::Ing)
    {
        return None;
    }
    let mut aux_start = idx - 1;
    while aux_start > s0
        && ctx.is_free_word(aux_start - 1)
        && (lexicon::is_auxiliary(&ctx.lower(aux_start - 1))
            || lexicon::is_adverb(&ctx.lower(aux_start - 1)))
    {
        aux_start -= 1;
    }
    let speaker = aux_start.checked_sub(1).and_then(|end| ctx.np_back(end, s0));
    let cue = (idx - 1, verb + 1);
    let side = content_side(ctx, sentence, verb + 1, BARE)?;
    let phrase_end = match side {
        Side::Right(pos) => pos,
        _ => verb + 1,
    };
    Some(Frame {
        cue,
        lemma: "say",
        speaker,
        phrase: (speaker.map_or(aux_start, |s| s.0), phrase_end),
        side,
        inherits_speaker: false,
        passive: false,
    })
}

/// True when the words at `pos` start a new clause that is not part of the
/// content before a post-posed cue (", but …", ", adding that …").
fn continues_with_new_clause(ctx: &Ctx<'_>, pos: usize, s1: usize) -> bool {
    if pos >= s1 {
        return true;
    }
    if ctx.region_starting(pos).is_some() {
        return false;
    }
    if !ctx.is_free_word(pos) {
        return false;
    }
    let lower = ctx.lower(pos);
    if lexicon::is_conjunction(&lower) || lower == "according" || lower == "who" || lower == "which"
    {
        return true;
    }
    if let Some(cue) = lexicon::cue_form(&lower) {
        return cue.form == Form::Ing;
    }
    // A preposition or a participle ("…, Pell said, repeating her call").
    lexicon::is_preposition(&lower) || (lower.ends_with("ing") && !ctx.is_capitalised(pos))
}

/// A reporting verb at `idx`.
fn verb_frame(ctx: &Ctx<'_>, sentence: (usize, usize), idx: usize) -> Option<Frame> {
    let (s0, s1) = sentence;
    let word_lower = ctx.lower(idx);
    let phrasal = matches!(word_lower.as_str(), "point" | "points" | "pointed" | "pointing")
        && ctx.is_free_word(idx + 1)
        && ctx.lower(idx + 1) == "out";
    let (cue_form, cue_end, lemma) = if phrasal {
        let form = match word_lower.as_str() {
            "point" => Form::Base,
            "points" => Form::Third,
            "pointed" => Form::Past,
            _ => Form::Ing,
        };
        (lexicon::CueForm { lemma: "point out", flags: 0, form }, idx + 2, "point out")
    } else {
        let cue = lexicon::cue_form(&word_lower)?;
        (cue, idx + 1, cue.lemma)
    };
    let flags = cue_form.flags;
    let prev_lower =
        if idx > s0 && ctx.is_free_word(idx - 1) { Some(ctx.lower(idx - 1)) } else { None };
    let next_is_that = ctx.is_free_word(cue_end) && ctx.lower(cue_end) == "that";
    // After a determiner or a possessive the word is a noun or an adjective
    // ("the alleged attack", "his stated aim"), except after quantifiers
    // that can be subjects ("many say").
    let prev_is_det = prev_lower.as_deref().is_some_and(|p| {
        ((lexicon::is_determiner(p) && p != "that") || is_possessive(p))
            && !matches!(p, "all" | "both" | "many" | "most" | "some" | "several" | "few")
            && !p.starts_with(|c: char| c.is_ascii_digit())
            && !matches!(p, "two" | "three" | "four" | "five" | "six" | "seven" | "eight")
    });
    if prev_is_det {
        return None;
    }
    if ctx.is_capitalised(idx) && ctx.is_mid_sentence(idx) {
        // "Tell" or "Hope" mid-sentence is a name or a title word.
        return None;
    }
    match cue_form.form {
        Form::Base | Form::Third if flags & NOUNISH != 0 => {
            let infinitive = flags & INFINITIVE != 0 && is_infinitive(ctx, cue_end);
            // "Reports that …" opening a sentence is a noun.
            let has_subject = idx > s0 && ctx.is_free_word(idx - 1);
            if (!next_is_that && !infinitive) || !has_subject {
                return None;
            }
        }
        // "to say": an infinitive only reports with "that" or a colon.
        Form::Base
            if prev_lower.as_deref() == Some("to")
                && !next_is_that
                && ctx.punct(cue_end) != Some(':') =>
        {
            return None;
        }
        Form::Ing => {
            let strong_next = next_is_that
                || ctx.punct(cue_end) == Some(':')
                || ctx.region_starting(cue_end).is_some();
            let ok_prev = strong_next
                || idx == s0
                || matches!(ctx.punct(idx - 1), Some(',' | '—' | '–' | ';'))
                || ctx.region_ending(idx).is_some()
                || prev_lower.as_deref().is_some_and(|p| {
                    lexicon::is_be(p)
                        || matches!(
                            p,
                            "and"
                                | "while"
                                | "by"
                                | "after"
                                | "before"
                                | "without"
                                | "keeps"
                                | "kept"
                                | "keep"
                                | "also"
                                | "repeatedly"
                        )
                });
            if !ok_prev {
                return None;
            }
        }
        _ => {}
    }

    // Auxiliaries and adverbs before the verb.
    let mut verb_start = idx;
    let mut passive = false;
    let mut progressive = false;
    while verb_start > s0 && ctx.is_free_word(verb_start - 1) {
        let lower = ctx.lower(verb_start - 1);
        let adverb = lexicon::is_adverb(&lower) && !ctx.is_capitalised(verb_start - 1);
        if lexicon::is_auxiliary(&lower) || adverb {
            if lexicon::is_be(&lower) {
                match cue_form.form {
                    Form::Past => passive = true,
                    Form::Ing => progressive = true,
                    _ => {}
                }
            }
            verb_start -= 1;
            continue;
        }
        break;
    }
    let participle = cue_form.form == Form::Ing && !progressive;
    if participle && !lexicon::is_continuing_participle(lemma) {
        return None;
    }

    // The speaker before the verb.
    let mut speaker = None;
    let mut inherits_speaker = participle;
    let mut phrase_start = verb_start;
    if !participle && verb_start > s0 {
        let before = verb_start - 1;
        if ctx.punct(before) == Some(')') {
            // "Pell (D-Tarsk) said": a bracket after the name.
            let open = (before.saturating_sub(8).max(s0)..before)
                .rev()
                .find(|&p| ctx.punct(p) == Some('('));
            if let Some(np) = open.and_then(|open| ctx.np_back(open.checked_sub(1)?, s0)) {
                let subject = coordinated(ctx, s0, np);
                speaker = Some((subject.0, before + 1));
                phrase_start = subject.0;
            } else {
                return None;
            }
        } else if matches!(ctx.punct(before), Some(',' | '—' | '–' | '-')) {
            let found = speaker_through_commas(ctx, s0, before)
                .or_else(|| relative_subject(ctx, s0, before));
            if let Some(found) = found {
                speaker = Some(found);
                phrase_start = found.0;
            }
        } else if ctx.is_free_word(before) {
            let lower = ctx.lower(before);
            if matches!(lower.as_str(), "who" | "which") {
                let np_end = if before > s0 && ctx.punct(before - 1) == Some(',') {
                    before.checked_sub(2)
                } else {
                    before.checked_sub(1)
                };
                speaker = np_end.and_then(|end| ctx.np_back(end, s0));
                phrase_start = speaker.map_or(before, |s| s.0);
            } else if matches!(lower.as_str(), "and" | "but") {
                inherits_speaker = true;
                phrase_start = before;
            } else if let Some(np) = ctx.np_back(before, s0) {
                let subject = coordinated(ctx, s0, inner_subject(ctx, s0, np));
                speaker = Some(subject);
                phrase_start = subject.0.min(np.0);
            } else if let Some(found) = relative_subject(ctx, s0, before) {
                speaker = Some(found);
                phrase_start = found.0;
            } else {
                return None;
            }
        }
    }

    // The speaker after the verb ("said Pell"), an addressee, adjuncts.
    let mut pos = cue_end;
    let mut cue_last = cue_end;
    let nothing_before = verb_start == s0
        || matches!(ctx.punct(verb_start - 1), Some(',' | '—' | '–' | ':' | '('))
        || ctx.region_ending(verb_start).is_some();
    // "tell" and its kind never invert: in "…, told reporters" the phrase
    // after the verb is the addressee ("asked Oro" does invert).
    if speaker.is_none()
        && !inherits_speaker
        && nothing_before
        && cue_form.form != Form::Ing
        && !matches!(lemma, "tell" | "inform" | "remind" | "assure")
    {
        if let Some(np) = ctx.np_forward(pos, s1, false) {
            let np_lower = ctx.lower(np.0);
            // "said he" only ends a clause: "…, said he hopes" is not inverted.
            let pronoun = np.1 - np.0 == 1 && lexicon::is_subject_pronoun(&np_lower);
            let pronoun_ok = !pronoun
                || (!matches!(np_lower.as_str(), "it" | "you")
                    && (np.1 >= s1 || ctx.punct(np.1).is_some()));
            // "said Mrs. Pell had left": the phrase is the content's subject.
            let ends_phrase = np.1 >= s1
                || !ctx.is_free_word(np.1)
                || lexicon::is_adjunct_start(&ctx.lower(np.1))
                || ctx.lower(np.1) == "that";
            if pronoun_ok && ends_phrase {
                let end = ctx.apposition_after(np.1, s1).unwrap_or(np.1);
                speaker = Some((np.0, end));
                pos = end;
            }
        }
    }
    if passive && ctx.is_free_word(pos) && ctx.lower(pos) == "by" {
        if let Some(np) = ctx.np_forward(pos + 1, s1, false) {
            speaker = Some(np);
            pos = np.1;
        }
    } else if passive {
        speaker = None;
    }
    if flags & OBJECT != 0 && !passive && !next_is_that {
        if let Some(object) = ctx.np_forward(pos, s1, true) {
            // "told reporters" is the cue; "told Pell" and "told him" are not.
            let generic = (object.0..object.1).all(|t| !ctx.is_capitalised(t))
                && !lexicon::is_object_pronoun(&ctx.lower(object.0));
            pos = object.1;
            if generic && lemma == "tell" && speaker.is_none_or(|s| s.1 <= idx) {
                cue_last = object.1;
            }
        }
    }
    if flags & QUOTED != 0 {
        // "called the plan “…”", "described him as “…”".
        if ctx.is_free_word(pos) && ctx.lower(pos) == "as" {
            pos += 1;
        }
        let quotation = ctx.region_starting(pos).filter(|&r| ctx.regions[r].n_words >= 3);
        if quotation.is_none() || speaker.is_none() || passive {
            return None;
        }
        return Some(Frame {
            cue: (idx, cue_end),
            lemma,
            speaker,
            phrase: (phrase_start.min(speaker.map_or(phrase_start, |s| s.0)), pos),
            side: Side::Right(pos),
            inherits_speaker: false,
            passive: false,
        });
    }
    let side = match content_side(ctx, sentence, pos, flags) {
        Some(side) => side,
        // After a quotation, or after a comma when nothing else is reported,
        // a cue followed by more words than the rules read ("…,” Pell said in
        // an interview before the vote ended.") still closes the content
        // before it.
        None if (nothing_before_phrase(ctx, s0, phrase_start, speaker)
            && rest_is_adjunct(ctx, pos, s1))
            || after_quotation(ctx, phrase_start, speaker) =>
        {
            pos = s1;
            Side::Left
        }
        None => return None,
    };
    if !matches!(side, Side::Right(_)) && (participle || (inherits_speaker && speaker.is_none())) {
        return None;
    }
    if matches!(side, Side::Left | Side::Around) && speaker.is_none() && !passive {
        return None;
    }
    if matches!(side, Side::Left | Side::Around) {
        // A post-posed phrase follows its content after a comma, a dash or a
        // quotation: "…, Pell said." ("Pell said." alone has no content).
        let phrase_first = phrase_start.min(speaker.map_or(phrase_start, |s| s.0));
        let separated = phrase_first > s0
            && (matches!(ctx.punct(phrase_first - 1), Some(',' | '—' | '–' | '('))
                || ctx.region_ending(phrase_first).is_some());
        // "In Nevada, he said." reports nothing: the words before the phrase
        // must hold a verb or a quotation.
        let reports = side == Side::Around
            || (s0..phrase_first).any(|t| ctx.region_of[t].is_some())
            || has_finite_verb(ctx, s0, phrase_first);
        if !separated || !reports {
            return None;
        }
    }
    let phrase_end = match side {
        Side::Right(content_start) => content_start,
        _ => pos,
    };
    Some(Frame {
        cue: (idx, cue_last.max(cue_end)),
        lemma,
        speaker,
        phrase: (phrase_start.min(speaker.map_or(phrase_start, |s| s.0)), phrase_end),
        side,
        inherits_speaker,
        passive,
    })
}

/// "X, the army chief, said" / "X, who …, said" / "X, for his part, said"
/// (or the same between dashes): the speaker when the cue follows a
/// separator pair. `comma` is the separator just before the cue.
fn speaker_through_commas(ctx: &Ctx<'_>, s0: usize, comma: usize) -> Option<(usize, usize)> {
    let floor = comma.saturating_sub(20).max(s0);
    let separator = ctx.punct(comma)?;
    let open = (floor..comma).rev().find(|&pos| ctx.punct(pos) == Some(separator))?;
    let blocked = (open + 1..comma)
        .any(|pos| ctx.region_of[pos].is_some() || matches!(ctx.punct(pos), Some(';' | ':')));
    if blocked {
        return None;
    }
    let head = ctx.np_back(open.checked_sub(1)?, s0)?;
    // The phrase before the first separator must start its clause.
    let clause_start = head.0 == s0
        || matches!(ctx.punct(head.0 - 1), Some(',' | ';' | ':' | '—' | '–' | '('))
        || ctx.region_ending(head.0).is_some()
        || (ctx.is_free_word(head.0 - 1) && lexicon::is_conjunction(&ctx.lower(head.0 - 1)));
    if !clause_start || open + 1 >= comma {
        return None;
    }
    let first = ctx.lower(open + 1);
    if matches!(first.as_str(), "who" | "which" | "whose") {
        return Some(head);
    }
    let numeric = first.starts_with(|c: char| c.is_ascii_digit());
    if numeric && comma == open + 2 {
        return Some((head.0, comma));
    }
    if let Some(app) = ctx.np_forward(open + 1, comma, false) {
        if app.1 == comma {
            return Some((head.0, comma));
        }
    }
    if lexicon::is_preposition(&first)
        || lexicon::is_adverb(&first)
        || lexicon::is_conjunction(&first)
        || lexicon::is_time_word(&first)
    {
        return Some(head);
    }
    // A longer apposition ("X, executive director of the fund, said"): no
    // verb inside.
    let verbless = (open + 1..comma).all(|pos| {
        !ctx.is_free_word(pos) || {
            let lower = ctx.lower(pos);
            let past_participle = lower.ends_with("ed") && !ctx.is_capitalised(pos);
            let verb = lexicon::is_auxiliary(&lower)
                || lexicon::is_common_verb(&lower)
                || lexicon::cue_form(&lower).is_some_and(|c| c.form != Form::Base);
            !(verb || past_participle)
        }
    });
    (verbless && comma - open <= 14).then_some((head.0, comma))
}

/// "Pell and Oro said": a coordinated subject of names or pronouns that
/// opens its clause.
fn coordinated(ctx: &Ctx<'_>, s0: usize, np: (usize, usize)) -> (usize, usize) {
    if np.0 < s0 + 2 || !ctx.is_free_word(np.0 - 1) || ctx.lower(np.0 - 1) != "and" {
        return np;
    }
    let Some(left) = ctx.np_back(np.0 - 2, s0) else { return np };
    let names = |range: (usize, usize)| {
        (range.0..range.1).any(|t| ctx.is_free_word(t) && ctx.is_capitalised(t))
            || (range.1 - range.0 == 1 && lexicon::is_subject_pronoun(&ctx.lower(range.0)))
    };
    let opens_clause = left.0 == s0
        || matches!(ctx.punct(left.0 - 1), Some(',' | ';' | ':' | '—' | '('))
        || ctx.region_ending(left.0).is_some();
    if names(left) && names(np) && opens_clause {
        (left.0, np.1)
    } else {
        np
    }
}

/// When the noun phrase before a cue sits inside a prepositional phrase of
/// a relative clause ("analysts who spoke to the paper said"), the subject
/// is the phrase before the relative pronoun.
fn inner_subject(ctx: &Ctx<'_>, s0: usize, np: (usize, usize)) -> (usize, usize) {
    if np.0 <= s0 || !ctx.is_free_word(np.0 - 1) {
        return np;
    }
    let before = ctx.lower(np.0 - 1);
    if !(lexicon::is_preposition(&before)
        || lexicon::is_common_verb(&before)
        || before.ends_with("ed"))
    {
        return np;
    }
    relative_subject(ctx, s0, np.0).unwrap_or(np)
}

/// The phrase before a relative pronoun between `s0` and `before`.
fn relative_subject(ctx: &Ctx<'_>, s0: usize, before: usize) -> Option<(usize, usize)> {
    let floor = before.saturating_sub(25).max(s0);
    for pos in (floor..before).rev() {
        if ctx.punct(pos).is_some_and(|c| matches!(c, ';' | ':')) || ctx.region_of[pos].is_some() {
            return None;
        }
        if ctx.is_free_word(pos) && matches!(ctx.lower(pos).as_str(), "who" | "which") {
            let end = if pos > s0 && ctx.punct(pos - 1) == Some(',') {
                pos.checked_sub(2)?
            } else {
                pos.checked_sub(1)?
            };
            return ctx.np_back(end, s0);
        }
    }
    None
}

/// What follows the cue phrase at token `start`: the content side, or
/// `None` when the cue has no content here.
fn content_side(ctx: &Ctx<'_>, sentence: (usize, usize), start: usize, flags: u8) -> Option<Side> {
    let (_, s1) = sentence;
    if flags & INFINITIVE != 0 && is_infinitive(ctx, start) {
        return Some(Side::Right(start));
    }
    let mut pos = start;
    // Adjuncts: "on Wednesday", "in a statement", "late Tuesday".
    let mut n_adjuncts = 0;
    while n_adjuncts < 3 && pos < s1 && ctx.is_free_word(pos) {
        let lower = ctx.lower(pos);
        if lower == "that" || !lexicon::is_adjunct_start(&lower) {
            break;
        }
        n_adjuncts += 1;
        if lexicon::is_time_word(&lower) && !lexicon::is_preposition(&lower) {
            pos += 1;
            continue;
        }
        match ctx.np_forward(pos + 1, s1, true) {
            Some(np) => pos = np.1,
            None => pos += 1,
        }
        // "in an interview with the paper": a second preposition.
        while pos < s1
            && ctx.is_free_word(pos)
            && matches!(ctx.lower(pos).as_str(), "with" | "to" | "of" | "on" | "in" | "at")
        {
            match ctx.np_forward(pos + 1, s1, true) {
                Some(np) => pos = np.1,
                None => break,
            }
        }
        // "with the minister, Anna Oro, in Tarsk": an apposition, then maybe
        // a further adjunct.
        if ctx.punct(pos) == Some(',') {
            if let Some(np) = ctx.np_forward(pos + 1, s1, false) {
                let closes = np.1 >= s1 || matches!(ctx.punct(np.1), Some(',' | '.' | '!' | '?'));
                if closes && (np.0..np.1).any(|t| ctx.is_capitalised(t)) {
                    pos = np.1;
                }
            }
            let next_is_adjunct = ctx.punct(pos) == Some(',')
                && ctx.is_free_word(pos + 1)
                && lexicon::is_preposition(&ctx.lower(pos + 1));
            if next_is_adjunct {
                pos += 1;
            }
        }
    }
    if pos >= s1 {
        return Some(Side::Left);
    }
    if ctx.is_free_word(pos) && ctx.lower(pos) == "that" {
        return (pos + 1 < s1).then_some(Side::Right(pos + 1));
    }
    if ctx.region_starting(pos).is_some() {
        return Some(Side::Right(pos));
    }
    if let Some(ch) = ctx.punct(pos) {
        return match ch {
            ':' => (pos + 1 < s1).then_some(Side::Right(pos + 1)),
            ',' => {
                if ctx.region_starting(pos + 1).is_some() {
                    Some(Side::Right(pos + 1))
                } else if ctx.is_free_word(pos + 1) && ctx.lower(pos + 1) == "that" {
                    (pos + 2 < s1).then_some(Side::Right(pos + 2))
                } else if continues_with_new_clause(ctx, pos + 1, s1) {
                    Some(Side::Left)
                } else {
                    Some(Side::Around)
                }
            }
            c if is_final(c) => Some(Side::Left),
            '—' | '–' | ')' => Some(Side::Left),
            _ => None,
        };
    }
    if !ctx.is_free_word(pos) {
        return None;
    }
    let lower = ctx.lower(pos);
    if flags & BARE != 0 {
        let starter = lexicon::is_clause_starter(&lower)
            || (ctx.is_capitalised(pos)
                && !lexicon::is_preposition(&lower)
                && !lexicon::is_conjunction(&lower))
            || lower.starts_with(|c: char| c.is_ascii_digit());
        // A pronoun opens a clause; "the"/"a" may open a mere object ("told a
        // long story"), so a verb must follow.
        let clause =
            starter && (!lexicon::is_determiner(&lower) || has_finite_verb(ctx, pos + 1, s1));
        if clause || is_noun_clause(ctx, pos, s1) {
            return Some(Side::Right(pos));
        }
    }
    if flags & WH != 0 && lexicon::is_wh_word(&lower) {
        return Some(Side::Right(pos));
    }
    None
}

/// True when token `pos` opens an infinitive ("to fight on").
fn is_infinitive(ctx: &Ctx<'_>, pos: usize) -> bool {
    ctx.is_free_word(pos)
        && ctx.lower(pos) == "to"
        && ctx.is_free_word(pos + 1)
        && !ctx.is_capitalised(pos + 1)
        && !ctx.word(pos + 1).starts_with(|c: char| c.is_ascii_digit())
        && ctx.lower(pos + 1) != "be"
        && {
            let next = ctx.lower(pos + 1);
            !lexicon::is_determiner(&next)
                && !lexicon::is_object_pronoun(&next)
                && !lexicon::is_possessive_pronoun(&next)
        }
}

/// True when the words `pos..s1` hold something that looks like a finite
/// verb, so that they can be a clause ("said the plan would fail", not "told
/// a long story").
fn has_finite_verb(ctx: &Ctx<'_>, pos: usize, s1: usize) -> bool {
    (pos..s1).any(|idx| {
        if !ctx.is_free_word(idx) || ctx.is_capitalised(idx) {
            return false;
        }
        let lower = ctx.lower(idx);
        (lexicon::is_auxiliary(&lower) && lower != "not")
            || lexicon::is_common_verb(&lower)
            || lexicon::cue_form(&lower).is_some_and(|c| c.form != Form::Ing)
            || (lower.ends_with("ed") && lower.len() > 3)
            || (idx > pos + 1 && lower.ends_with('s') && !lower.ends_with("ss"))
            || lower.contains(['\'', '’'])
    })
}

/// A clause that starts with a lowercase noun phrase and a finite verb:
/// "ties were", "prices will", "hackers broke".
fn is_noun_clause(ctx: &Ctx<'_>, pos: usize, s1: usize) -> bool {
    if ctx.is_capitalised(pos) || !ctx.is_np_word(pos, false) {
        return false;
    }
    let Some((_, mut end)) = ctx.np_forward(pos, s1, false) else { return false };
    // "relations between the two countries had": prepositional phrases.
    for _ in 0..2 {
        if ctx.is_free_word(end) && lexicon::is_preposition(&ctx.lower(end)) {
            match ctx.np_forward(end + 1, s1, true) {
                Some(np) => end = np.1,
                None => break,
            }
        }
    }
    if !ctx.is_free_word(end) {
        return false;
    }
    let verb = ctx.lower(end);
    (lexicon::is_auxiliary(&verb) && verb != "not")
        || (verb.ends_with("ed") && !ctx.is_capitalised(end))
        || lexicon::cue_form(&verb).is_some_and(|c| matches!(c.form, Form::Past | Form::Third))
}

/// True when the attribution phrase follows a quotation or a comma.
fn nothing_before_phrase(
    ctx: &Ctx<'_>,
    s0: usize,
    phrase_start: usize,
    speaker: Option<(usize, usize)>,
) -> bool {
    let first = phrase_start.min(speaker.map_or(phrase_start, |s| s.0));
    first > s0
        && (matches!(ctx.punct(first - 1), Some(',' | '—' | '–'))
            || ctx.region_ending(first).is_some())
}

/// True when the attribution phrase directly follows a quotation.
fn after_quotation(ctx: &Ctx<'_>, phrase_start: usize, speaker: Option<(usize, usize)>) -> bool {
    let first = phrase_start.min(speaker.map_or(phrase_start, |s| s.0));
    ctx.region_ending(first).is_some()
        || (first > 0
            && matches!(ctx.punct(first - 1), Some(',' | '—' | '–'))
            && ctx.region_ending(first - 1).is_some())
}

/// True when the tokens `pos..s1` hold no other cue, colon or "that": the
/// rest of a sentence after a post-posed cue.
fn rest_is_adjunct(ctx: &Ctx<'_>, pos: usize, s1: usize) -> bool {
    (pos..s1).all(|idx| {
        if ctx.punct(idx) == Some(':') {
            return false;
        }
        if !ctx.is_free_word(idx) {
            return true;
        }
        let lower = ctx.lower(idx);
        lower != "that"
            && lexicon::cue_form(&lower).is_none_or(|c| !matches!(c.form, Form::Past | Form::Third))
    })
}
