//! The whole run: documents in, analysis out.
//!
//! Per-document stages (clean, own date, language) run in parallel with
//! rayon; the cross-document stages (stories, story-based dates, times
//! anchored on them) follow. The output is assembled in a canonical order,
//! so the same input gives the same bytes.

use crate::align;
use crate::analysis::{
    Analysis, DiagnosticOut, DocumentOut, EntityOut, MentionOut, MergeOut, PublishedOut,
    QuoteGroupOut, QuoteOut, RemovedOut, SpanOut, StoryOut, ThreadOut, TimeOut, SCHEMA,
};
use crate::budget;
use crate::claims;
use crate::clean::{self, Body, Cleaned};
use crate::compare;
use crate::doc::{Diagnostic, Document, Severity, Span};
use crate::embed::Embedder;
use crate::entities::{self, EntityType, NameMention};
use crate::events;
use crate::group::{self, Meaning, Similarity};
use crate::ner;
use crate::published::{self, Published};
use crate::quotes;
use crate::stories::{self, StoryConfig, StoryInput};
use crate::timex::{self, Anchoring, TimexKind};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;

/// Settings of one analysis run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Story and thread settings.
    pub stories: StoryConfig,
    /// The annotating stages (times, names) read at most this many bytes of a
    /// body, so that one pathological article cannot hold up the run; a
    /// longer body is cut there with a warning.
    pub max_analysed_bytes: usize,
    /// The sentence model that compares quotations and claims by meaning;
    /// without one they are compared by shared words (a weaker fallback).
    pub embedder: Option<&'static Embedder>,
    /// The time budget of each per-document stage on one document (cleaning,
    /// dating and names together; time expressions; quotations): a stage
    /// that takes longer is cut off with a warning and the document goes on
    /// without its output (see [`budget`]). `None`: no budget, every stage
    /// runs to its end on the calling threads.
    pub doc_timeout: Option<Duration>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            stories: StoryConfig::default(),
            max_analysed_bytes: 4 * 1024 * 1024,
            embedder: None,
            doc_timeout: None,
        }
    }
}

impl Config {
    /// How texts are compared in this run.
    pub fn meaning(&self) -> Meaning<'static> {
        self.embedder.map_or(Meaning::Words, Meaning::Model)
    }
}

/// A document after the per-document stages.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Processed {
    /// The document.
    pub doc: Document,
    /// Its body and boilerplate.
    pub cleaned: Cleaned,
    /// Its own publication date, or why it has none.
    pub own_date: Result<Published, String>,
    /// Detected language code.
    pub language: Option<String>,
    /// The stretches of the body the annotating stages read: (offset in the
    /// body text, span of the document's text), cut at the size limit.
    pub analysed: Vec<(usize, Span)>,
    /// Names the recogniser found in the analysed body, as spans of the document's text.
    pub names: Vec<(Span, EntityType)>,
    /// What went wrong with this document.
    pub diagnostics: Vec<Diagnostic>,
}

impl Processed {
    /// The analysed stretches with their text.
    pub fn analysed_pieces(&self) -> impl Iterator<Item = (Span, &str)> {
        self.analysed.iter().map(|&(body_start, piece)| {
            (piece, &self.cleaned.body.text[body_start..body_start + piece.len()])
        })
    }
}

/// The body pieces up to `limit` bytes, the last one cut on a char boundary.
pub(crate) fn analysed_pieces(cleaned: &Cleaned, limit: usize) -> (Vec<(usize, Span)>, bool) {
    let mut res = Vec::new();
    let mut budget = limit;
    for (body_start, piece) in cleaned.body.pieces_with_starts() {
        if budget == 0 {
            return (res, true);
        }
        if piece.len() <= budget {
            budget -= piece.len();
            res.push((body_start, piece));
            continue;
        }
        let text = &cleaned.body.text[body_start..body_start + piece.len()];
        let mut cut = budget;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        res.push((body_start, Span::new(piece.start as usize, piece.start as usize + cut)));
        return (res, true);
    }
    (res, false)
}

/// Runs the per-document stages on one document.
pub fn process(doc: Document, config: &Config) -> Processed {
    let cleaned = clean::clean(&doc);
    let (analysed, cut) = analysed_pieces(&cleaned, config.max_analysed_bytes);
    let mut diagnostics = Vec::new();
    if cut {
        diagnostics.push(Diagnostic::warning(
            &doc.origin,
            format!(
                "body of {} bytes is longer than the analysis limit: times and names were read in the first {} bytes only",
                cleaned.body.text.len(),
                config.max_analysed_bytes
            ),
        ));
    }
    let own_date = published::own_date(&doc, &cleaned);
    let language = doc
        .meta
        .language
        .clone()
        .map(|l| l.to_lowercase())
        .or_else(|| detect_language(&cleaned.body.text));
    let mut processed =
        Processed { doc, cleaned, own_date, language, analysed, names: Vec::new(), diagnostics };
    processed.names = recognize_names(&processed);
    processed
}

/// [`process`] within the document's time budget; a document whose stages
/// are cut off keeps its text and nothing else, with a warning.
fn process_within(doc: Document, config: &Config) -> Processed {
    if config.doc_timeout.is_none() {
        return process(doc, config);
    }
    let (owned_doc, owned_config) = (doc.clone(), config.clone());
    match budget::run_within(config.doc_timeout, move || process(owned_doc, &owned_config)) {
        Ok(processed) => processed,
        Err(cut) => {
            let why = format!("cleaning, dating and name recognition {cut}");
            let diagnostics = vec![Diagnostic::warning(
                &doc.origin,
                format!("{why}: the document is kept with its text only (no body, date, names, times or quotes)"),
            )];
            Processed {
                cleaned: Cleaned {
                    title: None,
                    body: Body::from_pieces(&doc.text, Vec::new()),
                    removed: Vec::new(),
                    dates: Vec::new(),
                },
                own_date: Err(why),
                language: None,
                analysed: Vec::new(),
                names: Vec::new(),
                diagnostics,
                doc,
            }
        }
    }
}

/// [`times_of`] within the document's time budget.
fn times_within(
    p: &Processed,
    anchor: Option<NaiveDate>,
    anchor_kind: &'static str,
    limit: Option<Duration>,
) -> (Vec<TimeOut>, Option<Diagnostic>) {
    if limit.is_none() || p.analysed.is_empty() {
        return (times_of(p, anchor, anchor_kind), None);
    }
    let owned = p.clone();
    match budget::run_within(limit, move || times_of(&owned, anchor, anchor_kind)) {
        Ok(times) => (times, None),
        Err(cut) => (
            Vec::new(),
            Some(Diagnostic::warning(
                &p.doc.origin,
                format!("time expressions skipped: the tagger {cut}"),
            )),
        ),
    }
}

/// [`quotes::find`] within the document's time budget.
fn find_quotes_within(
    p: &Processed,
    body: &str,
    limit: Option<Duration>,
) -> Result<Vec<quotes::QuoteMention>, Diagnostic> {
    if limit.is_none() {
        return Ok(quotes::find(body));
    }
    let owned = body.to_string();
    budget::run_within(limit, move || quotes::find(&owned)).map_err(|cut| {
        Diagnostic::warning(&p.doc.origin, format!("quotations skipped: the quote finder {cut}"))
    })
}

/// The names of the analysed body, with organisation names widened over the
/// adjective or possessive that belongs to them ("Kestrelian" + "Defence Ministry").
pub(crate) fn recognize_names(p: &Processed) -> Vec<(Span, EntityType)> {
    let tagger = ner::Tagger::load();
    let mut res = Vec::new();
    for (piece, piece_text) in p.analysed_pieces() {
        let mentions: Vec<(Span, EntityType)> = tagger
            .tag(piece_text)
            .into_iter()
            .map(|m| (m.span.shift(piece.start as usize), m.label))
            .collect();
        res.extend(entities::refine_mentions(&p.doc.text, mentions));
    }
    res
}

/// Analyses documents; `progress` is called once per document processed.
pub fn analyze(
    documents: Vec<Document>,
    diagnostics: &[Diagnostic],
    config: &Config,
    progress: &(dyn Fn() + Sync),
) -> Analysis {
    let mut processed: Vec<Processed> = documents
        .into_par_iter()
        .map(|doc| {
            let res = process_within(doc, config);
            progress();
            res
        })
        .collect();
    processed.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
    assemble(&processed, diagnostics, config)
}

/// The cross-document stages over documents already processed (for example
/// read back from a store): the analysis [`analyze`] gives for the same
/// documents and diagnostics. `processed` must be sorted by document id, as
/// [`analyze`] sorts it.
pub fn assemble_processed(
    processed: &[Processed],
    diagnostics: &[Diagnostic],
    config: &Config,
) -> Analysis {
    debug_assert!(processed.windows(2).all(|w| w[0].doc.id <= w[1].doc.id), "not sorted by id");
    assemble(processed, diagnostics, config)
}

/// The cross-document stages and the output.
pub(crate) fn assemble(
    processed: &[Processed],
    diagnostics: &[Diagnostic],
    config: &Config,
) -> Analysis {
    let titles: Vec<Option<String>> = processed.iter().map(title_of).collect();
    let (clustering, story_of) = stories_of(processed, &titles, config);
    let dates = dates_of(processed, &clustering, &story_of);

    let (times, mut stage_diagnostics): (Vec<Vec<TimeOut>>, Vec<Option<Diagnostic>>) = processed
        .par_iter()
        .zip(&dates)
        .map(|(p, (published, anchor))| {
            let anchor_kind = if published.basis == "story" || published.value.is_none() {
                "story"
            } else {
                "document"
            };
            times_within(p, *anchor, anchor_kind, config.doc_timeout)
        })
        .unzip();

    let entities_out = entities_of(processed, &story_of);
    let (quotes_out, quote_diagnostics) = quotes_of(processed, &entities_out, config.doc_timeout);
    stage_diagnostics.extend(quote_diagnostics);
    let doc_story: BTreeMap<&str, usize> =
        processed.iter().zip(&story_of).map(|(p, &s)| (p.doc.id.as_str(), s)).collect();
    let text_of: BTreeMap<&str, &str> =
        processed.iter().map(|p| (p.doc.id.as_str(), p.doc.text.as_str())).collect();
    let quote_groups_out = group_quotes(&text_of, &quotes_out, &doc_story, config.meaning());
    let sentences: Vec<Vec<Span>> = processed.par_iter().map(body_sentences).collect();
    let mut block_of_story: Vec<usize> = (0..clustering.stories.len()).collect();
    for (thread_idx, thread) in clustering.threads.iter().enumerate() {
        for &s in &thread.stories {
            block_of_story[s] = clustering.stories.len() + thread_idx;
        }
    }
    let claim_docs: Vec<claims::ClaimDoc<'_>> = processed
        .iter()
        .zip(sentences.iter())
        .zip(&story_of)
        .map(|((p, sentences), &story)| claims::ClaimDoc {
            id: &p.doc.id,
            text: &p.doc.text,
            sentences: sentences.clone(),
            block: block_of_story[story],
        })
        .collect();
    let claims_out = claims::find(&claim_docs, &entities_out, &quotes_out, config.meaning());
    let event_docs: Vec<events::EventDoc<'_>> = claim_docs
        .iter()
        .zip(&story_of)
        .map(|(doc, &story)| events::EventDoc {
            id: doc.id,
            text: doc.text,
            sentences: doc.sentences.clone(),
            story,
        })
        .collect();
    let all_times: Vec<TimeOut> = times.into_iter().flatten().collect();
    let events_out = events::find(&event_docs, &entities_out, &all_times);
    let story_ids: Vec<String> = (1..=clustering.stories.len()).map(|n| format!("S{n}")).collect();
    let documents: Vec<DocumentOut> = processed
        .iter()
        .enumerate()
        .map(|(doc_idx, p)| {
            document_out(
                p,
                titles[doc_idx].clone(),
                &dates[doc_idx].0,
                story_ids[story_of[doc_idx]].clone(),
            )
        })
        .collect();
    let stories_out: Vec<StoryOut> = clustering
        .stories
        .iter()
        .zip(&story_ids)
        .map(|(story, id)| {
            let members: Vec<usize> = story.documents.clone();
            let dated_first = members
                .iter()
                .copied()
                .filter(|&d| dates[d].0.value.is_some())
                .min_by_key(|&d| (dates[d].0.value, d))
                .unwrap_or(members[0]);
            StoryOut {
                id: id.clone(),
                title: titles[dated_first].clone(),
                when: most_common(members.iter().filter_map(|&d| dates[d].0.value))
                    .map(|d| d.to_string()),
                documents: members.iter().map(|&d| processed[d].doc.id.clone()).collect(),
            }
        })
        .collect();
    let threads: Vec<ThreadOut> = clustering
        .threads
        .iter()
        .enumerate()
        .map(|(thread_idx, thread)| ThreadOut {
            id: format!("T{}", thread_idx + 1),
            stories: thread.stories.iter().map(|&s| story_ids[s].clone()).collect(),
            why: thread_why(thread, &stories_out),
        })
        .collect();
    let story_block: BTreeMap<&str, usize> = story_ids
        .iter()
        .enumerate()
        .map(|(story, id)| (id.as_str(), block_of_story[story]))
        .collect();
    let comparisons = compare::compare(
        compare::CompareInput {
            documents: &documents,
            stories: &stories_out,
            entities: &entities_out,
            quotes: &quotes_out,
            quote_groups: &quote_groups_out,
            claims: &claims_out,
            events: &events_out,
            story_block: &story_block,
        },
        config.meaning(),
    );
    Analysis {
        schema: SCHEMA.to_string(),
        documents,
        entities: entities_out,
        times: all_times,
        quotes: quotes_out,
        quote_groups: quote_groups_out,
        claims: claims_out,
        events: events_out,
        stories: stories_out,
        threads,
        comparisons,
        diagnostics: diagnostics
            .iter()
            .chain(processed.iter().flat_map(|p| &p.diagnostics))
            .chain(stage_diagnostics.iter().flatten())
            .map(diagnostic_out)
            .collect(),
    }
}

/// Stories and threads of the documents, and the story of each document.
pub(crate) fn stories_of(
    processed: &[Processed],
    titles: &[Option<String>],
    config: &Config,
) -> (stories::Clustering, Vec<usize>) {
    let story_inputs: Vec<StoryInput<'_>> = processed
        .iter()
        .zip(titles)
        .map(|(p, title)| StoryInput {
            body: &p.cleaned.body.text,
            title: title.as_deref(),
            date: p.own_date.as_ref().ok().and_then(|d| d.value),
        })
        .collect();
    let clustering = stories::cluster(&story_inputs, &config.stories);
    let mut story_of = vec![0usize; processed.len()];
    for (story_idx, story) in clustering.stories.iter().enumerate() {
        for &doc_idx in &story.documents {
            story_of[doc_idx] = story_idx;
        }
    }
    (clustering, story_of)
}

/// Each document's date: its own, else what its story supports; with the
/// day its times are anchored on.
pub(crate) fn dates_of(
    processed: &[Processed],
    clustering: &stories::Clustering,
    story_of: &[usize],
) -> Vec<(Published, Option<NaiveDate>)> {
    // The dated members' days of each story, gathered once per story (not
    // once per undated member).
    let story_days: Vec<Vec<NaiveDate>> = clustering
        .stories
        .iter()
        .map(|story| {
            story
                .documents
                .iter()
                .filter_map(|&d| processed[d].own_date.as_ref().ok().and_then(|o| o.value))
                .collect()
        })
        .collect();
    processed
        .par_iter()
        .enumerate()
        .map(|(doc_idx, p)| match &p.own_date {
            Ok(own) => (own.clone(), own.value),
            Err(why) => {
                let siblings = &story_days[story_of[doc_idx]];
                let anchor = siblings.iter().max().copied();
                let references = anchor
                    .map(|a| published::past_references(p.analysed_pieces(), a))
                    .unwrap_or_default();
                let published = published::from_story(siblings, &references, why);
                let story_anchor = published.value.or(anchor);
                (published, story_anchor)
            }
        })
        .collect()
}

/// Links the documents' names into entities, with roles and references.
pub(crate) fn entities_of(processed: &[Processed], story_of: &[usize]) -> Vec<EntityOut> {
    let texts: Vec<&str> = processed.iter().map(|p| p.doc.text.as_str()).collect();
    let mentions: Vec<NameMention> = processed
        .iter()
        .enumerate()
        .flat_map(|(doc, p)| {
            p.names.iter().map(move |&(span, kind)| NameMention { doc, span, kind })
        })
        .collect();
    let mut linked = entities::link(&texts, story_of, &mentions);
    for entity in linked.iter_mut().filter(|e| e.kind == EntityType::Person) {
        let mut roles: Vec<String> = Vec::new();
        for mention in &entity.mentions {
            for role in entities::roles_of(texts[mention.doc], mention.span) {
                if !roles.iter().any(|r| r.eq_ignore_ascii_case(&role)) {
                    roles.push(role);
                }
            }
        }
        roles.sort();
        entity.roles = roles;
    }
    for entity in linked.iter_mut() {
        match entity.kind {
            // A "person" known only by one word, never by a full name and
            // never with a title, is more often a misread word ("Furthermore",
            // a nationality) than a person: keep it, but not as a person.
            EntityType::Person
                if entity.roles.is_empty() && entity.aliases.iter().all(|a| !a.contains(' ')) =>
            {
                entity.kind = EntityType::Misc;
            }
            // "Ababil ballistic missile" is also "Ababil": the name before the generic words.
            EntityType::Equipment => {
                let names: Vec<String> =
                    entity.aliases.iter().filter_map(|a| equipment_name(a)).collect();
                entity.aliases.extend(names);
                entity.aliases.sort();
                entity.aliases.dedup();
            }
            _ => {}
        }
    }
    // Each document's person mentions, gathered in one pass over the entities.
    let mut people_of: Vec<Vec<(Span, usize)>> = vec![Vec::new(); processed.len()];
    for (entity_idx, entity) in linked.iter().enumerate() {
        if entity.kind == EntityType::Person {
            for m in entity.mentions.iter().filter(|m| !m.reference) {
                people_of[m.doc].push((m.span, entity_idx));
            }
        }
    }
    let references: Vec<(usize, entities::EntityMention)> = processed
        .par_iter()
        .zip(people_of)
        .enumerate()
        .flat_map_iter(|(doc, (p, people))| {
            let pieces: Vec<Span> = p.analysed.iter().map(|&(_, piece)| piece).collect();
            entities::references_to(&p.doc.text, doc, &pieces, &linked, people)
        })
        .collect();
    for (entity_idx, mention) in references {
        linked[entity_idx].mentions.push(mention);
    }
    linked
        .into_iter()
        .enumerate()
        .map(|(idx, mut entity)| {
            entity.mentions.sort();
            EntityOut {
                id: format!("E{}", idx + 1),
                name: entity.name,
                kind: entities::type_label(entity.kind).to_string(),
                aliases: entity.aliases,
                roles: entity.roles,
                mentions: entity
                    .mentions
                    .iter()
                    .map(|m| {
                        let p = &processed[m.doc];
                        MentionOut {
                            doc: p.doc.id.clone(),
                            start: m.span.start,
                            end: m.span.end,
                            text: p.doc.slice(m.span).to_string(),
                            kind: if m.reference { "reference" } else { "name" }.to_string(),
                        }
                    })
                    .collect(),
                merged_because: entity
                    .merged_because
                    .into_iter()
                    .map(|m| MergeOut { alias: m.alias, with: m.with, why: m.reason })
                    .collect(),
            }
        })
        .collect()
}

/// The quotations of every document, with speakers resolved to entities: an
/// entity mention (a name, or a pronoun or role nominal resolved by the
/// entity layer) inside the speaker's words, else the speaker of the
/// quotation it continues.
pub(crate) fn quotes_of(
    processed: &[Processed],
    entities_out: &[EntityOut],
    limit: Option<Duration>,
) -> (Vec<QuoteOut>, Vec<Option<Diagnostic>>) {
    // Entity mentions by document id: (span, entity id), names first.
    let mut mentions_by_doc: BTreeMap<&str, Vec<(Span, &str, bool, &str)>> = BTreeMap::new();
    for entity in entities_out {
        for m in &entity.mentions {
            mentions_by_doc.entry(m.doc.as_str()).or_default().push((
                Span { start: m.start, end: m.end },
                entity.id.as_str(),
                m.kind == "reference",
                entity.kind.as_str(),
            ));
        }
    }
    let (per_doc, diagnostics): (Vec<Vec<QuoteOut>>, Vec<Option<Diagnostic>>) = processed
        .par_iter()
        .map(|p| {
            let Some(&(last_start, last_piece)) = p.analysed.last() else {
                return (Vec::new(), None);
            };
            let analysed_body = &p.cleaned.body.text[..last_start + last_piece.len()];
            let found = match find_quotes_within(p, analysed_body, limit) {
                Ok(found) => found,
                Err(diagnostic) => return (Vec::new(), Some(diagnostic)),
            };
            let to_doc = |span: Span| -> Option<Span> {
                p.cleaned.body.to_source(span).or_else(|| {
                    // A quotation across paragraphs keeps the part in its first paragraph.
                    let (piece_start, piece) = p
                        .cleaned
                        .body
                        .pieces_with_starts()
                        .take_while(|&(start, _)| start <= span.start as usize)
                        .last()?;
                    let offset = span.start as usize - piece_start;
                    Some(Span::new(piece.start as usize + offset, piece.end as usize))
                })
            };
            let doc_mentions =
                mentions_by_doc.get(p.doc.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let speaker_entity = |speaker: Span| -> Option<String> {
                let mut inside: Vec<&(Span, &str, bool, &str)> = doc_mentions
                    .iter()
                    .filter(|(span, _, _, kind)| {
                        speaker.contains(*span) && !matches!(*kind, "MISC" | "EQUIPMENT")
                    })
                    .collect();
                // The mention that is the whole speaker phrase first, then a
                // person's name, then a reference, then other names; the last
                // name of "Minister Ana Ruiz" is hers.
                inside.sort_by_key(|(span, _, reference, kind)| {
                    (*span != speaker, *kind != "PERSON", *reference, std::cmp::Reverse(span.end))
                });
                inside.first().map(|(_, id, _, _)| id.to_string())
            };
            let mut res: Vec<QuoteOut> = Vec::new();
            let mut speakers: Vec<Option<String>> = Vec::new();
            for quote in &found {
                let (Some(span), speaker_span) =
                    (to_doc(quote.span), quote.speaker.and_then(to_doc))
                else {
                    speakers.push(None);
                    continue;
                };
                let mut speaker = speaker_span.and_then(speaker_entity);
                let mut speaker_span = speaker_span;
                // "He added …" right after someone's quotation, with no one else
                // named in between, is that someone speaking on.
                if let Some(words) = speaker_span.filter(|s| is_pronoun(p.doc.slice(*s))) {
                    let previous = res.iter().rev().find(|q| {
                        q.speaker.is_some()
                            && q.end <= words.start
                            && words.start - q.end <= PRONOUN_REACH
                    });
                    if let Some(prev @ QuoteOut { speaker: Some(prev_speaker), .. }) = previous {
                        let named_between = doc_mentions.iter().any(|(m, _, reference, kind)| {
                            *kind == "PERSON"
                                && !reference
                                && m.start >= prev.end
                                && m.end <= words.start
                        });
                        if !named_between {
                            speaker = Some(prev_speaker.clone());
                        }
                    }
                }
                // A quotation woven into a sentence without a speech verb
                // belongs to the person the sentence names before it.
                if quote.cue.is_none() && quote.kind == quotes::QuoteKind::Direct {
                    let sentence_start = p.doc.text[..span.start as usize]
                        .rfind(['.', '!', '?', '\n'])
                        .map_or(0, |i| i + 1) as u32;
                    let subject = doc_mentions
                        .iter()
                        .filter(|(m, _, reference, kind)| {
                            *kind == "PERSON"
                                && !reference
                                && m.start >= sentence_start
                                && m.end <= span.start
                        })
                        .min_by_key(|(m, ..)| m.start);
                    if let Some(&(m, id, _, _)) = subject {
                        speaker = Some(id.to_string());
                        speaker_span = Some(m);
                    }
                }
                if speaker.is_none() {
                    speaker = quote.continues.and_then(|idx| speakers.get(idx).cloned().flatten());
                }
                speakers.push(speaker.clone());
                res.push(QuoteOut {
                    id: String::new(),
                    doc: p.doc.id.clone(),
                    start: span.start,
                    end: span.end,
                    text: p.doc.slice(span).to_string(),
                    kind: match quote.kind {
                        quotes::QuoteKind::Direct => "direct",
                        quotes::QuoteKind::Indirect => "indirect",
                    }
                    .to_string(),
                    speaker,
                    speaker_text: speaker_span.map(|s| p.doc.slice(s).to_string()),
                    cue: quote.cue.and_then(to_doc).map(|s| p.doc.slice(s).to_string()),
                });
            }
            (res, None)
        })
        .unzip();
    let quotes_out = per_doc
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(idx, mut quote)| {
            quote.id = format!("Q{}", idx + 1);
            quote
        })
        .collect();
    (quotes_out, diagnostics)
}

/// The sentences of a document's analysed body, as spans of its text.
fn body_sentences(p: &Processed) -> Vec<Span> {
    let mut res = Vec::new();
    for (piece, text) in p.analysed_pieces() {
        let tokens = ner::tokenize(text);
        for sentence in ner::sentences(text, &tokens) {
            res.push(Span::new(
                piece.start as usize + sentence.span.start as usize,
                piece.start as usize + sentence.span.end as usize,
            ));
        }
    }
    res
}

/// How far back (bytes) a pronoun speaker looks for the quotation it continues.
const PRONOUN_REACH: u32 = 600;

/// A personal pronoun that can name a speaker.
fn is_pronoun(words: &str) -> bool {
    matches!(words.to_lowercase().as_str(), "he" | "she" | "they")
}

/// Two quotations by one speaker in one story render one statement when
/// their meanings (sentence-embedding similarity) are this close…
const QUOTE_SIMILARITY: f32 = 0.6;

/// …or are at least this close and they share [`QUOTE_SHARED_WORDS`] of
/// the shorter one's content words. (A speaker's different statements in one
/// story are often about the same thing, so a middling similarity alone is
/// not enough.) Both chosen on the seeds' quotation pairs.
const QUOTE_RELATED: f32 = 0.5;

/// See [`QUOTE_RELATED`].
const QUOTE_SHARED_WORDS: f32 = 0.3;

/// Without a model: the share of the shorter quotation's content words the
/// other must have.
const QUOTE_OVERLAP: f32 = 0.4;

/// Quotations shorter than this many words are compared through the
/// sentence around them ("said ties were “stronger than ever”").
const SHORT_QUOTE_WORDS: usize = 8;

/// The texts a quotation is compared by: its sentences, or for a short
/// fragment the sentence of the document around it.
fn quote_pieces<'a>(quote: &'a QuoteOut, text: &'a str) -> Vec<&'a str> {
    if quote.text.split_whitespace().count() >= SHORT_QUOTE_WORDS {
        return group::sentences(&quote.text);
    }
    let (start, end) = (quote.start as usize, quote.end as usize);
    let from = text[..start].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let to = text[end..].find(['.', '!', '?', '\n']).map_or(text.len(), |i| end + i + 1);
    vec![quote.text.as_str(), text[from..to].trim()]
}

/// Groups quotations of different documents of one story that have the same
/// speaker and say the same thing, at most one per document, and lists the
/// wording each member uses where the first member says it differently.
pub(crate) fn group_quotes(
    text_of: &BTreeMap<&str, &str>,
    quotes_out: &[QuoteOut],
    doc_story: &BTreeMap<&str, usize>,
    meaning: Meaning<'_>,
) -> Vec<QuoteGroupOut> {
    // Candidates are blocked by (story, speaker): never all pairs of the corpus.
    let mut blocks: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
    for (idx, quote) in quotes_out.iter().enumerate() {
        if let (Some(speaker), Some(&story)) = (&quote.speaker, doc_story.get(quote.doc.as_str())) {
            blocks.entry((story, speaker.as_str())).or_default().push(idx);
        }
    }
    blocks.retain(|_, members| {
        members.iter().any(|&m| quotes_out[m].doc != quotes_out[members[0]].doc)
    });
    // Only quotations with a counterpart candidate are embedded, all in one call.
    let compared: Vec<usize> = blocks.values().flatten().copied().collect();
    let position: BTreeMap<usize, usize> =
        compared.iter().enumerate().map(|(k, &q)| (q, k)).collect();
    let pieces: Vec<Vec<&str>> = compared
        .iter()
        .map(|&q| quote_pieces(&quotes_out[q], text_of[quotes_out[q].doc.as_str()]))
        .collect();
    let texts: Vec<&str> = compared.iter().map(|&q| quotes_out[q].text.as_str()).collect();
    let similarity = Similarity::new(&texts, &pieces, meaning);
    // Quotations holding another quotation of their document, found per
    // document (once per quotation, not once per compared pair over the corpus).
    let mut quotes_of_doc: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (idx, quote) in quotes_out.iter().enumerate() {
        quotes_of_doc.entry(quote.doc.as_str()).or_default().push(idx);
    }
    let mut holds_another = vec![false; quotes_out.len()];
    for members in quotes_of_doc.values() {
        for &q in members {
            let outer = &quotes_out[q];
            holds_another[q] = members.iter().any(|&o| {
                let inner = &quotes_out[o];
                inner.start >= outer.start
                    && inner.end <= outer.end
                    && (inner.start, inner.end) != (outer.start, outer.end)
            });
        }
    }
    let nested = |q: usize| holds_another[q];
    let same_statement = |a: usize, b: usize| -> Option<f32> {
        let (a, b) = (position[&a], position[&b]);
        let shared = similarity.words_shared(a, b);
        let sim = similarity.of(a, b);
        let same = match meaning {
            Meaning::Model(_) => {
                sim >= QUOTE_SIMILARITY || (sim >= QUOTE_RELATED && shared >= QUOTE_SHARED_WORDS)
            }
            Meaning::Words => shared >= QUOTE_OVERLAP,
        };
        same.then_some(sim)
    };
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for members in blocks.values() {
        for (pos, &a) in members.iter().enumerate() {
            for &b in &members[pos + 1..] {
                // A reported statement holding a quoted fragment is compared through the fragment.
                if quotes_out[a].doc == quotes_out[b].doc || nested(a) || nested(b) {
                    continue;
                }
                if let Some(sim) = same_statement(a, b) {
                    pairs.push((sim, a, b));
                }
            }
        }
    }
    let docs: Vec<&str> = quotes_out.iter().map(|q| q.doc.as_str()).collect();
    group::one_per_document(&docs, pairs)
        .into_iter()
        .enumerate()
        .map(|(group_idx, members)| QuoteGroupOut {
            id: format!("QG{}", group_idx + 1),
            quotes: members.iter().map(|&m| quotes_out[m].id.clone()).collect(),
            differences: wording_differences(&members, quotes_out),
        })
        .collect()
}

/// Where a member words the statement differently from the group's first
/// member: "“the Northern Reach” (doc a) / “Upper Tarsk” (doc b)" for each
/// replaced stretch, and "only doc a: “…”" for content words one side alone has.
fn wording_differences(members: &[usize], quotes_out: &[QuoteOut]) -> Vec<String> {
    let first = &quotes_out[members[0]];
    let mut res = Vec::new();
    for &m in &members[1..] {
        let other = &quotes_out[m];
        for change in align::changes(&first.text, &other.text) {
            let (a, b) = (&first.text[change.a.clone()], &other.text[change.b.clone()]);
            if change.is_replacement() {
                res.push(format!("“{a}” ({}) / “{b}” ({})", first.doc, other.doc));
            } else if !group::content_words(a).is_empty() || !group::content_words(b).is_empty() {
                let (only, doc) = if a.is_empty() { (b, &other.doc) } else { (a, &first.doc) };
                res.push(format!("only {doc}: “{only}”"));
            }
        }
    }
    res
}

/// The proper name at the front of an equipment description: the leading
/// capitalised words, when lower-case words follow ("Ababil ballistic missile").
fn equipment_name(alias: &str) -> Option<String> {
    let words: Vec<&str> = alias.split(' ').collect();
    let n_named =
        words.iter().take_while(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    (n_named > 0 && n_named < words.len()).then(|| words[..n_named].join(" "))
}

pub(crate) fn title_of(p: &Processed) -> Option<String> {
    p.doc
        .meta
        .title
        .clone()
        .or_else(|| p.cleaned.title.map(|span| p.doc.slice(span).to_string()))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
}

fn most_common(days: impl Iterator<Item = NaiveDate>) -> Option<NaiveDate> {
    let mut counts: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for day in days {
        *counts.entry(day).or_insert(0) += 1;
    }
    // Ties go to the earliest day (BTreeMap order, max_by_key keeps the last max: reverse).
    counts.into_iter().rev().max_by_key(|&(_, n)| n).map(|(day, _)| day)
}

fn thread_why(thread: &stories::Thread, stories_out: &[StoryOut]) -> String {
    let whens: Vec<&str> =
        thread.stories.iter().filter_map(|&s| stories_out[s].when.as_deref()).collect();
    let names = if thread.shared_terms.is_empty() {
        "similar wording".to_string()
    } else {
        format!("the same names ({})", thread.shared_terms.join(", "))
    };
    match (whens.iter().min(), whens.iter().max()) {
        (Some(first), Some(last)) if first != last => format!("{names}, from {first} to {last}"),
        _ => names,
    }
}

/// The time expressions of a document's body, resolved against `anchor`.
pub(crate) fn times_of(
    p: &Processed,
    anchor: Option<NaiveDate>,
    anchor_kind: &str,
) -> Vec<TimeOut> {
    let mut res = Vec::new();
    // The analysed body in one piece, so that "that day" in one paragraph
    // refers to the date the paragraph before it named.
    let Some(&(last_start, last_piece)) = p.analysed.last() else { return res };
    let body = &p.cleaned.body.text[..last_start + last_piece.len()];
    for mention in timex::tag(body, anchor) {
        {
            // The contract reports the preposition with the expression ("on Monday").
            let Some(span) = p.cleaned.body.to_source(mention.span_with_prep) else { continue };
            res.push(TimeOut {
                doc: p.doc.id.clone(),
                start: span.start,
                end: span.end,
                text: p.doc.slice(span).to_string(),
                kind: match mention.kind {
                    TimexKind::Date => "DATE",
                    TimexKind::Time => "TIME",
                    TimexKind::Duration => "DURATION",
                    TimexKind::Set => "SET",
                }
                .to_string(),
                value: mention.value.clone(),
                anchor: match mention.anchoring {
                    Anchoring::Absolute => "absolute",
                    Anchoring::Anchor => anchor_kind,
                    Anchoring::None => "none",
                }
                .to_string(),
            });
        }
    }
    res
}

fn span_out(p: &Processed, span: Span) -> SpanOut {
    SpanOut {
        doc: p.doc.id.clone(),
        start: span.start,
        end: span.end,
        text: p.doc.slice(span).to_string(),
    }
}

fn document_out(
    p: &Processed,
    title: Option<String>,
    published: &Published,
    story: String,
) -> DocumentOut {
    let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    DocumentOut {
        id: p.doc.id.clone(),
        title,
        outlet: p.doc.meta.outlet.clone(),
        language: p.language.clone(),
        source: p.doc.origin.clone(),
        text: p.doc.text.clone(),
        published: PublishedOut {
            value: iso(published.value),
            earliest: iso(published.earliest),
            latest: iso(published.latest),
            basis: published.basis.to_string(),
            evidence: published.evidence.map(|span| span_out(p, span)),
            note: published.note.clone(),
        },
        body: p.cleaned.body.text.clone(),
        removed: p
            .cleaned
            .removed
            .iter()
            .map(|r| RemovedOut {
                start: r.span.start,
                end: r.span.end,
                text: p.doc.slice(r.span).to_string(),
                kind: r.kind.to_string(),
            })
            .collect(),
        story,
    }
}

fn diagnostic_out(d: &Diagnostic) -> DiagnosticOut {
    DiagnosticOut {
        level: match d.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
        }
        .to_string(),
        origin: d.origin.clone(),
        message: d.message.clone(),
    }
}

/// The language of a body as an ISO 639-1 code where one exists, else ISO 639-3.
pub(crate) fn detect_language(body: &str) -> Option<String> {
    let sample: String = body.chars().take(4000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && sample.len() > 200 {
        return None;
    }
    let code = info.lang().code();
    Some(iso639_1(code).unwrap_or(code).to_string())
}

/// ISO 639-3 to ISO 639-1 for the languages whatlang knows that have a two-letter code.
fn iso639_1(code: &str) -> Option<&'static str> {
    Some(match code {
        "eng" => "en",
        "rus" => "ru",
        "fra" => "fr",
        "deu" => "de",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "ukr" => "uk",
        "pes" => "fa",
        "arb" => "ar",
        "tur" => "tr",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "nld" => "nl",
        "pol" => "pl",
        "heb" => "he",
        "hin" => "hi",
        "swe" => "sv",
        "ces" => "cs",
        "ell" => "el",
        "hun" => "hu",
        "ron" => "ro",
        "bul" => "bg",
        "srp" => "sr",
        "hrv" => "hr",
        "fin" => "fi",
        "dan" => "da",
        "nob" => "no",
        "vie" => "vi",
        "ind" => "id",
        "tha" => "th",
        "urd" => "ur",
        "ben" => "bn",
        _ => return None,
    })
}

/// The body parallax extracts from one HTML page (for the extraction benchmark).
pub fn body_of_html(markup: &str) -> String {
    let doc = crate::ingest::html_document("page".to_string(), "page".to_string(), markup);
    clean::clean(&doc).body.text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(id: &str, doc: &str, speaker: Option<&str>, text: &str) -> QuoteOut {
        QuoteOut {
            id: id.into(),
            doc: doc.into(),
            start: 0,
            end: text.len() as u32,
            text: text.into(),
            kind: "direct".into(),
            speaker: speaker.map(str::to_string),
            speaker_text: None,
            cue: None,
        }
    }

    #[test]
    fn quotes_group_by_speaker_story_and_shared_words() {
        let quotes = [
            quote(
                "Q1",
                "a",
                Some("E1"),
                "The northern harbour will reopen for ferries within a week",
            ),
            quote("Q2", "b", Some("E1"), "the harbour in the north reopens to ferries in a week"),
            quote(
                "Q3",
                "c",
                Some("E2"),
                "The northern harbour will reopen for ferries within a week",
            ),
            quote("Q4", "b", Some("E1"), "Taxes on fishing boats must fall"),
        ];
        let mut quotes = quotes;
        // Q4 follows Q2 in document b.
        let text_b = format!("{}. {}", quotes[1].text, quotes[3].text);
        quotes[3].start = quotes[1].end + 2;
        quotes[3].end = text_b.len() as u32;
        let stories: BTreeMap<&str, usize> = [("a", 0), ("b", 0), ("c", 0)].into_iter().collect();
        let texts: BTreeMap<&str, &str> = [
            ("a", quotes[0].text.as_str()),
            ("b", text_b.as_str()),
            ("c", quotes[2].text.as_str()),
        ]
        .into_iter()
        .collect();
        let groups = group_quotes(&texts, &quotes, &stories, Meaning::Words);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].quotes, ["Q1", "Q2"]);
        assert!(
            groups[0].differences.iter().any(|d| d.contains("northern")),
            "{:?}",
            groups[0].differences
        );
        // Another story keeps them apart.
        let apart: BTreeMap<&str, usize> = [("a", 0), ("b", 1), ("c", 0)].into_iter().collect();
        assert!(group_quotes(&texts, &quotes, &apart, Meaning::Words).is_empty());
    }

    #[test]
    fn equipment_names_are_their_capitalised_front() {
        assert_eq!(equipment_name("Ababil ballistic missile").as_deref(), Some("Ababil"));
        assert_eq!(
            equipment_name("Tactical Morvan air defence system").as_deref(),
            Some("Tactical Morvan")
        );
        assert_eq!(equipment_name("ballistic missiles"), None);
        assert_eq!(equipment_name("Korvex-214"), None);
    }

    #[test]
    fn analysed_pieces_stop_at_the_limit_on_a_char_boundary() {
        let doc = crate::ingest::text_document(
            "d".into(),
            "d.txt".into(),
            "Café ferry news.\n\nMore here.".into(),
            Default::default(),
        );
        let cleaned = clean::clean(&doc);
        let (pieces, cut) = analysed_pieces(&cleaned, 4);
        assert!(cut);
        assert_eq!(pieces.len(), 1);
        assert_eq!(doc.slice(pieces[0].1), "Caf");
        let (all, cut) = analysed_pieces(&cleaned, 1000);
        assert!(!cut);
        assert_eq!(all.len(), 2);
    }
}
