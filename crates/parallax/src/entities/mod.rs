//! Entities: name mentions merged into real-world referents across documents
//! and spellings, with their roles and the references that point to them.
//!
//! The recogniser gives [`NameMention`]s (a span and a type); [`link`] folds
//! them into [`Entity`]s by rules that each leave a reason
//! ([`Merge::reason`]): the same words, a spelling variant in the same story
//! or with the same role, a surname of one full name in the same story, a
//! title before a name (and a name opened by a title is also known without
//! it), another word order or spelling of an organisation, an acronym, an
//! abbreviation introduced in parentheses after its full name, a state's
//! formal name. [`roles`] reads titles and appositions around person
//! mentions, and [`references`] resolves pronouns and role nominals.

mod names;
mod roles;

use crate::doc::Span;
use std::collections::{BTreeMap, BTreeSet};

pub use names::{acronym, display, name_form_key, org_key};
pub use roles::{references, references_to, roles_of};

pub use crate::ner::EntityType;

/// The label of a type in the analysis file.
pub fn type_label(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Person => "PERSON",
        EntityType::Org => "ORG",
        EntityType::Loc => "LOC",
        EntityType::Equipment => "EQUIPMENT",
        EntityType::Misc => "MISC",
    }
}

/// Cleans up the recogniser's names of one stretch of text: organisations
/// take their adjective or possessive ([`widen_organisations`]), an
/// organisation named inside another ("the Press Office of the Harbour
/// Board") is also a mention of its own, and a "person" right after an
/// article ("in the Alder Garden") is not a person.
pub fn refine_mentions(text: &str, mentions: Vec<(Span, EntityType)>) -> Vec<(Span, EntityType)> {
    let mut res = Vec::new();
    for (span, kind) in widen_organisations(text, mentions) {
        let name = &text[span.range()];
        let before = text[..span.start as usize].trim_end_matches(' ');
        let after_article = before.ends_with(" the")
            || before.ends_with(" The")
            || before == "the"
            || before == "The";
        let one_word_person = kind == EntityType::Person && !name.contains(' ');
        if (kind == EntityType::Misc || one_word_person)
            && names_an_organisation(name, &text[span.end as usize..])
        {
            res.push((span, EntityType::Org));
            continue;
        }
        if kind == EntityType::Person && after_article {
            let place = [" in the", " at the", " near the", " to the", " from the", " of the"]
                .iter()
                .any(|p| before.ends_with(p));
            res.push((span, if place { EntityType::Loc } else { EntityType::Misc }));
            continue;
        }
        res.push((span, kind));
        if kind == EntityType::Org {
            if let Some(idx) = name.find(" of the ") {
                let tail_start = idx + " of the ".len();
                let tail = &name[tail_start..];
                let capitalised = tail
                    .split(' ')
                    .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                    .count();
                if capitalised >= 2 {
                    res.push((
                        Span::new(span.start as usize + tail_start, span.end as usize),
                        EntityType::Org,
                    ));
                }
            }
        }
    }
    res
}

/// Head nouns after a name that make it an organisation's ("the Kestrel
/// intelligence agency", "Orlen news agency"), singular only.
const ORGANISATION_HEADS: [&str; 10] = [
    "agency",
    "service",
    "ministry",
    "party",
    "company",
    "militia",
    "movement",
    "newspaper",
    "broadcaster",
    "bank",
];

/// Whether a name the recogniser called MISC (or a one-word person) is an organisation's by the
/// words after it: one of [`ORGANISATION_HEADS`], maybe after one lowercase
/// word ("Orlen intelligence agency"), and no nationality adjective in
/// the name ("Kestrelian news agency" is a description, not a name).
fn names_an_organisation(name: &str, after: &str) -> bool {
    let mut words = after.split_whitespace();
    let (Some(first), second) = (words.next(), words.next()) else { return false };
    let is_head = |w: &str| {
        let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        ORGANISATION_HEADS.contains(&w)
    };
    let lowercase = |w: &str| w.chars().all(|c| c.is_lowercase() || c == '-');
    let head_follows = after.starts_with(' ')
        && (is_head(first) || (lowercase(first) && second.is_some_and(is_head)));
    head_follows && !name.split_whitespace().any(crate::ner::is_demonym)
}

/// Widens organisation names over the nationality adjective or possessive
/// place that the recogniser tagged apart: "Kestrelian" (MISC) + "Defence
/// Ministry" (ORG) and "Kestrel's" (LOC) + "Defence Ministry" become one
/// organisation name. `mentions` are sorted spans of `text`.
pub fn widen_organisations(
    text: &str,
    mentions: Vec<(Span, EntityType)>,
) -> Vec<(Span, EntityType)> {
    let mut res: Vec<(Span, EntityType)> = Vec::with_capacity(mentions.len());
    for (span, kind) in mentions {
        if kind == EntityType::Org {
            if let Some(&(prev, prev_kind)) = res.last() {
                let gap = &text[prev.end as usize..span.start as usize];
                let prev_text = &text[prev.range()];
                let possessive = prev_kind == EntityType::Loc
                    && (prev_text.ends_with("'s")
                        || prev_text.ends_with("’s")
                        || matches!(gap, "'s " | "’s "));
                let adjective =
                    prev_kind == EntityType::Misc && !prev_text.contains(' ') && gap == " ";
                if (gap == " " && possessive)
                    || adjective
                    || (possessive && matches!(gap, "'s " | "’s "))
                {
                    res.pop();
                    res.push((Span::new(prev.start as usize, span.end as usize), EntityType::Org));
                    continue;
                }
            }
        }
        res.push((span, kind));
    }
    res
}

/// A name found in a document body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMention {
    /// Index of the document.
    pub doc: usize,
    /// The words, in the document's text.
    pub span: Span,
    /// What the recogniser says it is.
    pub kind: EntityType,
}

/// One mention of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntityMention {
    /// Index of the document.
    pub doc: usize,
    /// The words, in the document's text.
    pub span: Span,
    /// True for a pronoun or role nominal resolved to the entity ("he", "the minister").
    pub reference: bool,
}

/// Why an alias joined an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The alias that joined.
    pub alias: String,
    /// The alias it was joined to.
    pub with: String,
    /// The rule: "same surname in story", "spelling variant (ey/ei)", ….
    pub reason: String,
}

/// A real-world referent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// What it is.
    pub kind: EntityType,
    /// The fullest name the texts give.
    pub name: String,
    /// Every name form seen, sorted.
    pub aliases: Vec<String>,
    /// Titles and descriptions the texts give it.
    pub roles: Vec<String>,
    /// Every mention, by document and position.
    pub mentions: Vec<EntityMention>,
    /// Why its aliases were joined.
    pub merged_because: Vec<Merge>,
}

/// One distinct name form and where it was seen.
#[derive(Debug, Clone)]
struct Alias {
    display: String,
    kinds: BTreeMap<EntityType, usize>,
    stories: BTreeSet<usize>,
    mentions: Vec<usize>,
    /// Roles the texts give the person at its mentions, lowercased.
    roles: BTreeSet<String>,
}

impl Alias {
    fn kind(&self) -> EntityType {
        // The most frequent type; ties go to the first in declaration order.
        let best = self.kinds.values().copied().max().unwrap_or(0);
        self.kinds.iter().find(|&(_, &n)| n == best).map(|(&k, _)| k).unwrap_or(EntityType::Misc)
    }

    fn words(&self) -> Vec<String> {
        names::words(&self.display)
    }
}

/// Words for forms of state that, with a country's name or adjective, make
/// its formal name ("the Kestrel Federation", "Republic of Valdoria").
const STATE_FORMS: [&str; 8] = [
    "federation",
    "republic",
    "kingdom",
    "emirate",
    "emirates",
    "principality",
    "sultanate",
    "confederation",
];

/// Merges name mentions into entities. `texts[doc]` is the text the spans
/// index; `story_of[doc]` the story of each document.
pub fn link(texts: &[&str], story_of: &[usize], mentions: &[NameMention]) -> Vec<Entity> {
    let mut aliases: Vec<Alias> = Vec::new();
    let mut by_display: BTreeMap<String, usize> = BTreeMap::new();
    let mut alias_of_mention = Vec::with_capacity(mentions.len());
    for (mention_idx, mention) in mentions.iter().enumerate() {
        let shown = display(&texts[mention.doc][mention.span.range()]);
        // A single word ("Varga", "Kestrel") may name different things in
        // different stories, so it is one alias per story (the spelling and
        // organisation rules join them across stories where they may); full
        // names are one alias everywhere.
        let key = if !shown.contains(' ') {
            format!("{shown}\u{0}{}", story_of[mention.doc])
        } else {
            shown.clone()
        };
        let next = aliases.len();
        let alias_idx = *by_display.entry(key).or_insert_with(|| {
            aliases.push(Alias {
                display: shown,
                kinds: BTreeMap::new(),
                stories: BTreeSet::new(),
                mentions: Vec::new(),
                roles: BTreeSet::new(),
            });
            next
        });
        let alias = &mut aliases[alias_idx];
        if mention.kind == EntityType::Person {
            alias.roles.extend(
                roles_of(texts[mention.doc], mention.span)
                    .iter()
                    .map(|r| r.trim_start_matches("the ").to_lowercase()),
            );
        }
        *alias.kinds.entry(mention.kind).or_insert(0) += 1;
        alias.stories.insert(story_of[mention.doc]);
        alias.mentions.push(mention_idx);
        alias_of_mention.push(alias_idx);
    }
    // A name opened by a title ("Ayatollah Farid Rahimi") is also known
    // without it: that form joins as an alias of its own (with no mention
    // when the text never writes it alone).
    let mut untitled = Vec::new();
    for idx in 0..aliases.len() {
        if aliases[idx].kind() != EntityType::Person {
            continue;
        }
        let Some(bare) = names::without_titles(&aliases[idx].display) else { continue };
        let next = aliases.len();
        let bare_idx = *by_display.entry(bare.clone()).or_insert_with(|| {
            aliases.push(Alias {
                display: bare,
                kinds: BTreeMap::from([(EntityType::Person, 0)]),
                stories: BTreeSet::new(),
                mentions: Vec::new(),
                roles: BTreeSet::new(),
            });
            next
        });
        let stories = aliases[idx].stories.clone();
        aliases[bare_idx].stories.extend(stories);
        untitled.push((idx, bare_idx));
    }
    let mut joins = Joins::new(aliases.len());
    for (titled, bare) in untitled {
        joins.join(titled, bare, "the same name without its title");
    }
    merge_spellings(&aliases, &mut joins);
    merge_titles_and_surnames(&aliases, &mut joins);
    merge_organisations(&aliases, &mut joins);
    merge_acronyms(&aliases, &mut joins);
    merge_introduced_abbreviations(texts, mentions, &alias_of_mention, &mut joins);
    merge_state_names(&aliases, &mut joins);
    build_entities(&aliases, &joins, mentions)
}

/// Disjoint sets of aliases with the reason of each union.
struct Joins {
    parent: Vec<usize>,
    merges: Vec<(usize, usize, String)>,
}

impl Joins {
    fn new(n: usize) -> Joins {
        Joins { parent: (0..n).collect(), merges: Vec::new() }
    }

    fn root(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn join(&mut self, alias: usize, with: usize, reason: &str) {
        let (a, b) = (self.root(alias), self.root(with));
        if a != b {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            self.parent[hi] = lo;
            self.merges.push((alias, with, reason.to_string()));
        }
    }
}

fn compatible(a: EntityType, b: EntityType) -> bool {
    use EntityType::*;
    a == b || matches!((a, b), (Org, Loc) | (Loc, Org) | (Misc, _) | (_, Misc))
}

/// Spelling and transliteration variants: people only when the context
/// agrees, that is when they share a story or a role ("Farid Raheimi, the
/// army's chief of staff" and "Farid Raheymi, the army's chief of staff" in
/// two stories).
fn merge_spellings(aliases: &[Alias], joins: &mut Joins) {
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (idx, alias) in aliases.iter().enumerate() {
        by_key.entry(name_form_key(&alias.display)).or_default().push(idx);
    }
    for group in by_key.values() {
        for (pos, &a) in group.iter().enumerate() {
            for &b in &group[..pos] {
                let (ka, kb) = (aliases[a].kind(), aliases[b].kind());
                if !compatible(ka, kb) {
                    continue;
                }
                let shares_story = !aliases[a].stories.is_disjoint(&aliases[b].stories);
                let shares_role = !aliases[a].roles.is_disjoint(&aliases[b].roles);
                if ka == EntityType::Person && !shares_story && !shares_role {
                    continue;
                }
                let reason = names::variant_reason(&aliases[a].display, &aliases[b].display);
                if ka == EntityType::Person && !shares_story {
                    joins.join(a, b, &format!("{reason} with the same role"));
                } else {
                    joins.join(a, b, reason);
                }
            }
        }
    }
}

/// A title before a full name ("General Ana Ruiz" ~ "Ana Ruiz"), and a
/// surname alone joining the one full name with that surname in its story.
fn merge_titles_and_surnames(aliases: &[Alias], joins: &mut Joins) {
    let people: Vec<usize> =
        (0..aliases.len()).filter(|&i| aliases[i].kind() == EntityType::Person).collect();
    let keys: Vec<Vec<String>> =
        aliases.iter().map(|a| a.words().iter().map(|w| names::word_key(w)).collect()).collect();
    // Names of two words or more, looked up by their words, by their last
    // word, and by (story, last word): never all pairs of people.
    let mut by_words: BTreeMap<&[String], Vec<usize>> = BTreeMap::new();
    let mut by_last: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_story_last: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
    for &full in people.iter().filter(|&&i| keys[i].len() >= 2) {
        let last = keys[full].last().expect("two words").as_str();
        by_words.entry(&keys[full][..]).or_default().push(full);
        by_last.entry(last).or_default().push(full);
        for &story in &aliases[full].stories {
            by_story_last.entry((story, last)).or_default().push(full);
        }
    }
    for &a in &people {
        // Every shorter name of two words or more that ends this one, in index order.
        let wa = &keys[a];
        let mut shorter: Vec<usize> = (2..wa.len())
            .filter_map(|n| by_words.get(&wa[wa.len() - n..]))
            .flatten()
            .copied()
            .collect();
        shorter.sort_unstable();
        for b in shorter {
            joins.join(a, b, "the same name with a title or first name");
        }
    }
    for &single in people.iter().filter(|&&i| keys[i].len() == 1) {
        let last = keys[single][0].as_str();
        for &story in &aliases[single].stories {
            let candidates: BTreeSet<usize> = by_story_last
                .get(&(story, last))
                .into_iter()
                .flatten()
                .map(|&full| joins.root(full))
                .collect();
            if candidates.len() == 1 {
                let root = *candidates.iter().next().expect("one candidate");
                let full = by_last
                    .get(last)
                    .into_iter()
                    .flatten()
                    .copied()
                    .find(|&i| joins.root(i) == root)
                    .expect("a full name of the candidate");
                joins.join(single, full, "surname of the full name in the same story");
            }
        }
    }
}

/// Organisation and place names in another word order or spelling.
fn merge_organisations(aliases: &[Alias], joins: &mut Joins) {
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (idx, alias) in aliases.iter().enumerate() {
        if matches!(alias.kind(), EntityType::Org | EntityType::Loc) && alias.words().len() >= 2 {
            by_key.entry(org_key(&alias.display)).or_default().push(idx);
        }
    }
    for group in by_key.values() {
        for &other in &group[1..] {
            joins.join(other, group[0], "the same organisation in another word order or spelling");
        }
    }
}

/// An acronym joins the one organisation whose initials it spells.
fn merge_acronyms(aliases: &[Alias], joins: &mut Joins) {
    // Names of two words or more by the acronym they spell (looked up, not scanned).
    let mut by_acronym: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (idx, alias) in aliases.iter().enumerate() {
        if alias.words().len() >= 2 {
            if let Some(spelled) = acronym(&alias.display) {
                by_acronym.entry(spelled).or_default().push(idx);
            }
        }
    }
    for (short, alias) in aliases.iter().enumerate() {
        let word = alias.display.as_str();
        if word.contains(' ') || !names::is_acronym(word) {
            continue;
        }
        let expansions: Vec<usize> =
            by_acronym.get(word).into_iter().flatten().copied().filter(|&i| i != short).collect();
        let roots: BTreeSet<usize> = expansions.iter().map(|&i| joins.root(i)).collect();
        if roots.len() == 1 {
            joins.join(short, expansions[0], "abbreviation of the full name");
        }
    }
}

/// An abbreviation in parentheses right after a name ("the Ministry of
/// Defence (MoD)", "Harbour Safety Board (HSB)") joins that name when its
/// letters are, in order, initials or capitals of the name's words; the
/// abbreviation's other uses in that story go with it.
fn merge_introduced_abbreviations(
    texts: &[&str],
    mentions: &[NameMention],
    alias_of_mention: &[usize],
    joins: &mut Joins,
) {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (mentions[i].doc, mentions[i].span.start));
    for pair in order.windows(2) {
        let (long, short) = (&mentions[pair[0]], &mentions[pair[1]]);
        if long.doc != short.doc || long.kind == EntityType::Person {
            continue;
        }
        let text = texts[long.doc];
        let (gap_start, gap_end) = (long.span.end as usize, short.span.start as usize);
        if gap_start > gap_end
            || text[gap_start..gap_end].trim() != "("
            || !text[short.span.end as usize..].trim_start().starts_with(')')
        {
            continue;
        }
        let abbreviation = &text[short.span.range()];
        if names::abbreviates(abbreviation, &text[long.span.range()]) {
            let (a, b) = (alias_of_mention[pair[1]], alias_of_mention[pair[0]]);
            joins.join(a, b, "abbreviation introduced next to its full name");
        }
    }
}

/// A state's formal name joins its short name: "Kestrel Federation",
/// "Republic of Valdoria" and "the Valdorian Republic" join "Kestrel" and
/// "Valdoria"; "the Islamic Republic" joins a "… Republic of X" it shortens.
fn merge_state_names(aliases: &[Alias], joins: &mut Joins) {
    let is_state_form = |w: &str| STATE_FORMS.contains(&w.to_lowercase().as_str());
    let places: BTreeMap<String, usize> = aliases
        .iter()
        .enumerate()
        .filter(|(_, a)| a.kind() == EntityType::Loc && a.words().len() == 1)
        .map(|(i, a)| (org_key(&a.display), i))
        .collect();
    let mut by_words: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (idx, alias) in aliases.iter().enumerate() {
        by_words.entry(alias.words().join(" ")).or_default().push(idx);
    }
    for (idx, alias) in aliases.iter().enumerate() {
        let words = alias.words();
        if words.len() < 2
            || !words.iter().any(|w| is_state_form(w))
            || !compatible(alias.kind(), EntityType::Loc)
        {
            continue;
        }
        // The country word: the last significant word that is not a form of state.
        let country = words.iter().rev().find(|w| !is_state_form(w) && !names::is_function_word(w));
        if let Some(&place) = country.and_then(|w| places.get(&org_key(w))) {
            joins.join(idx, place, "formal name of the state");
        }
        // "Islamic Republic of X" also stands for its part before "of".
        if let Some(of_idx) = words.iter().position(|w| w.eq_ignore_ascii_case("of")) {
            let short = words[..of_idx].join(" ");
            for &other in by_words.get(&short).into_iter().flatten() {
                if other != idx {
                    joins.join(other, idx, "short form of the state's formal name");
                }
            }
        }
    }
}

fn build_entities(aliases: &[Alias], joins: &Joins, mentions: &[NameMention]) -> Vec<Entity> {
    let mut joins_root = Joins { parent: joins.parent.clone(), merges: Vec::new() };
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for idx in 0..aliases.len() {
        let root = joins_root.root(idx);
        groups.entry(root).or_default().push(idx);
    }
    // The merges of each group, in the order they were made.
    let mut merges_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (merge_idx, (alias, _, _)) in joins.merges.iter().enumerate() {
        merges_of.entry(joins_root.root(*alias)).or_default().push(merge_idx);
    }
    let mut res: Vec<Entity> = groups
        .iter()
        .map(|(root, members)| {
            let mut kinds: BTreeMap<EntityType, usize> = BTreeMap::new();
            let mut entity_mentions = Vec::new();
            for &alias_idx in members {
                for (&kind, &n) in &aliases[alias_idx].kinds {
                    *kinds.entry(kind).or_insert(0) += n;
                }
                for &mention_idx in &aliases[alias_idx].mentions {
                    let m = mentions[mention_idx];
                    entity_mentions.push(EntityMention {
                        doc: m.doc,
                        span: m.span,
                        reference: false,
                    });
                }
            }
            // Equipment and people are what the specific recognisers say; otherwise the majority.
            let best = kinds.values().copied().max().unwrap_or(0);
            let kind = kinds
                .iter()
                .find(|&(_, &n)| n == best)
                .map(|(&k, _)| k)
                .unwrap_or(EntityType::Misc);
            let name = members
                .iter()
                .map(|&i| &aliases[i])
                .max_by_key(|a| {
                    // A full name without a title in front is the canonical form.
                    let untitled =
                        kind != EntityType::Person || names::without_titles(&a.display).is_none();
                    (
                        untitled,
                        a.words().len(),
                        a.mentions.len(),
                        std::cmp::Reverse(a.display.clone()),
                    )
                })
                .map(|a| a.display.clone())
                .unwrap_or_default();
            let mut alias_names: Vec<String> =
                members.iter().map(|&i| aliases[i].display.clone()).collect();
            if kind == EntityType::Person {
                // The surname inside a full name is a form the person goes by.
                let surnames: Vec<String> = alias_names
                    .iter()
                    .filter(|a| a.contains(' '))
                    .filter_map(|a| names::words(a).last().cloned())
                    .collect();
                alias_names.extend(surnames);
            }
            alias_names.sort();
            alias_names.dedup();
            entity_mentions.sort();
            let merged_because = merges_of
                .get(root)
                .into_iter()
                .flatten()
                .map(|&merge_idx| &joins.merges[merge_idx])
                .map(|(a, b, reason)| Merge {
                    alias: aliases[*a].display.clone(),
                    with: aliases[*b].display.clone(),
                    reason: reason.clone(),
                })
                .collect();
            Entity {
                kind,
                name,
                aliases: alias_names,
                roles: Vec::new(),
                mentions: entity_mentions,
                merged_because,
            }
        })
        .collect();
    // Most mentioned first, then by name, so ids are stable and useful.
    res.sort_by(|a, b| b.mentions.len().cmp(&a.mentions.len()).then_with(|| a.name.cmp(&b.name)));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links the capitalised names marked with brackets in `docs`
    /// ("[Anika Varga]" a person; "{Kestrel}" a place; "<Harbour Board>" an
    /// organisation), documents in the given stories, and returns each
    /// entity's sorted aliases.
    fn check(docs: &[(&str, usize)], expected: &[&[&str]]) -> Vec<Entity> {
        let mut texts = Vec::new();
        let mut mentions = Vec::new();
        for (doc_idx, (marked, _)) in docs.iter().enumerate() {
            let mut text = String::new();
            let mut open = None;
            for c in marked.chars() {
                match c {
                    '[' | '{' | '<' => open = Some((text.len(), c)),
                    ']' | '}' | '>' => {
                        let (start, opener) = open.take().expect("balanced marks");
                        let kind = match opener {
                            '[' => EntityType::Person,
                            '{' => EntityType::Loc,
                            _ => EntityType::Org,
                        };
                        mentions.push(NameMention {
                            doc: doc_idx,
                            span: Span::new(start, text.len()),
                            kind,
                        });
                    }
                    _ => text.push(c),
                }
            }
            texts.push(text);
        }
        let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let stories: Vec<usize> = docs.iter().map(|&(_, s)| s).collect();
        let entities = link(&text_refs, &stories, &mentions);
        let mut got: Vec<Vec<String>> = entities.iter().map(|e| e.aliases.clone()).collect();
        got.sort();
        let mut want: Vec<Vec<String>> =
            expected.iter().map(|a| a.iter().map(|s| s.to_string()).collect()).collect();
        want.sort();
        assert_eq!(got, want);
        entities
    }

    #[test]
    fn surname_joins_the_full_name_of_its_story_only() {
        check(
            &[
                ("[Anika Varga] met [Ilse Brandt]. [Varga] left.", 0),
                ("[Ilse Varga] opened the festival. [Varga] spoke.", 1),
            ],
            &[&["Anika Varga", "Varga"], &["Brandt", "Ilse Brandt"], &["Ilse Varga", "Varga"]],
        );
    }

    #[test]
    fn ambiguous_surname_stays_alone() {
        let entities = check(
            &[("[Anika Varga] and [Ilse Varga] met. [Varga] spoke.", 0)],
            &[&["Anika Varga", "Varga"], &["Ilse Varga", "Varga"], &["Varga"]],
        );
        assert!(entities.iter().all(|e| e.merged_because.is_empty()));
    }

    #[test]
    fn spelling_variants_join_within_a_story() {
        let entities = check(
            &[
                ("[Farid Raheimi] spoke.", 0),
                ("[Raheymi] agreed. [Farid Raheymi] left.", 0),
                ("[Raheymi] elsewhere.", 1),
            ],
            // The surname alone in another story may be someone else: it stays apart.
            &[&["Farid Raheimi", "Farid Raheymi", "Raheimi", "Raheymi"], &["Raheymi"]],
        );
        let reasons: Vec<&str> = entities
            .iter()
            .find(|e| e.aliases.len() == 4)
            .unwrap()
            .merged_because
            .iter()
            .map(|m| m.reason.as_str())
            .collect();
        assert!(reasons.contains(&"spelling variant (ey/ei)"), "{reasons:?}");
    }

    #[test]
    fn titles_join_full_names() {
        check(
            &[("[General Farid Rahimi] and [Farid Rahimi].", 0)],
            &[&["Farid Rahimi", "General Farid Rahimi", "Rahimi"]],
        );
    }

    #[test]
    fn a_name_opened_by_a_title_is_also_known_without_it() {
        let entities = check(
            &[("[Ayatollah Farid Rahimi] spoke. [Rahimi] left.", 0), ("[Sheikh Tamim] came.", 0)],
            &[&["Ayatollah Farid Rahimi", "Farid Rahimi", "Rahimi"], &["Sheikh Tamim", "Tamim"]],
        );
        let rahimi = entities.iter().find(|e| e.aliases.len() == 3).unwrap();
        assert_eq!(rahimi.name, "Farid Rahimi");
        assert_eq!(rahimi.mentions.len(), 2);
        let reasons: Vec<(&str, &str, &str)> = rahimi
            .merged_because
            .iter()
            .map(|m| (m.alias.as_str(), m.with.as_str(), m.reason.as_str()))
            .collect();
        assert!(
            reasons.contains(&(
                "Ayatollah Farid Rahimi",
                "Farid Rahimi",
                "the same name without its title"
            )),
            "{reasons:?}"
        );
    }

    #[test]
    fn spelling_variants_in_other_stories_join_only_with_the_same_role() {
        let entities = check(
            &[
                ("[Farid Raheimi], the army's chief of staff, spoke.", 0),
                ("[Farid Raheymi], the army's chief of staff, agreed.", 1),
                ("[Farid Rahheimi], a baker, opened a shop.", 2),
            ],
            &[
                &["Farid Raheimi", "Farid Raheymi", "Raheimi", "Raheymi"],
                &["Farid Rahheimi", "Rahheimi"],
            ],
        );
        let reasons: Vec<&str> =
            entities[0].merged_because.iter().map(|m| m.reason.as_str()).collect();
        assert_eq!(reasons, ["spelling variant (ey/ei) with the same role"]);
    }

    #[test]
    fn distinct_people_sharing_a_surname_stay_apart() {
        check(
            &[("[Anika Varga] met [Ilse Varga] and [General Tomas Varga].", 0)],
            &[
                &["Anika Varga", "Varga"],
                &["Ilse Varga", "Varga"],
                &["General Tomas Varga", "Tomas Varga", "Varga"],
            ],
        );
    }

    #[test]
    fn abbreviations_introduced_next_to_their_full_name() {
        let entities = check(
            &[
                ("The <Ministry of Defence> (<MoD>) said the <MoD> would reply.", 0),
                ("The <Kestrel Harbour Guard> (<KHG>) and the <Port Office> (<HSB>) met.", 0),
            ],
            &[
                &["Ministry of Defence", "MoD"],
                &["KHG", "Kestrel Harbour Guard"],
                &["HSB"],
                &["Port Office"],
            ],
        );
        let reasons: Vec<&str> =
            entities.iter().flat_map(|e| &e.merged_because).map(|m| m.reason.as_str()).collect();
        assert!(reasons.contains(&"abbreviation introduced next to its full name"), "{reasons:?}");
    }

    #[test]
    fn organisation_variants_and_acronyms() {
        check(
            &[
                ("<Kestrelian Defence Ministry> and <Kestrel's Defense Ministry> and the <Harbour Safety Board> (<HSB>).", 0),
                ("<Kestrelian Ministry of Defence> said the <HSB> agreed.", 1),
            ],
            &[&["HSB", "Harbour Safety Board"], &["Kestrel's Defense Ministry", "Kestrelian Defence Ministry", "Kestrelian Ministry of Defence"]],
        );
    }

    #[test]
    fn formal_state_names_join_the_short_name() {
        check(
            &[("{Valdoria} is the {Republic of Valdoria}; the {Republic} said so. {Kestrel Federation} and {Kestrel}.", 0)],
            &[&["Kestrel", "Kestrel Federation"], &["Republic", "Republic of Valdoria", "Valdoria"]],
        );
    }

    #[test]
    fn organisations_take_their_adjective_or_possessive() {
        let text =
            "The Kestrelian Defence Ministry and Kestrel's Defence Ministry met Valdorian envoys.";
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        let mentions = vec![
            (at("Kestrelian"), EntityType::Misc),
            (at("Defence Ministry and"), EntityType::Org),
            (at("Kestrel's"), EntityType::Loc),
            (at("Defence Ministry met"), EntityType::Org),
            (at("Valdorian"), EntityType::Misc),
        ];
        let mentions: Vec<(Span, EntityType)> = mentions
            .into_iter()
            .map(|(span, kind)| {
                (
                    if kind == EntityType::Org {
                        Span::new(span.start as usize, span.start as usize + 16)
                    } else {
                        span
                    },
                    kind,
                )
            })
            .collect();
        let widened: Vec<(&str, EntityType)> = widen_organisations(text, mentions)
            .into_iter()
            .map(|(span, kind)| (&text[span.range()], kind))
            .collect();
        assert_eq!(
            widened,
            [
                ("Kestrelian Defence Ministry", EntityType::Org),
                ("Kestrel's Defence Ministry", EntityType::Org),
                ("Valdorian", EntityType::Misc)
            ]
        );
    }

    #[test]
    fn refined_mentions() {
        let text = "They laid flowers in the Alder Garden near the Press Office of the Harbour Safety Board.";
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        let refined: Vec<(&str, EntityType)> = refine_mentions(
            text,
            vec![
                (at("Alder Garden"), EntityType::Person),
                (at("Press Office of the Harbour Safety Board"), EntityType::Org),
            ],
        )
        .into_iter()
        .map(|(span, kind)| (&text[span.range()], kind))
        .collect();
        assert_eq!(
            refined,
            [
                ("Alder Garden", EntityType::Loc),
                ("Press Office of the Harbour Safety Board", EntityType::Org),
                ("Harbour Safety Board", EntityType::Org)
            ]
        );
    }

    #[test]
    fn a_name_before_an_organisation_noun_is_an_organisation() {
        let text = "Kestrel's Orlen intelligence agency and the Kestrelian news agency, the Tarsk party and the Western service met the Orlen team.";
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        let refined: Vec<(&str, EntityType)> = refine_mentions(
            text,
            vec![
                (at("Orlen intelligence"), EntityType::Misc),
                (at("Kestrelian"), EntityType::Misc),
                (at("Tarsk party"), EntityType::Person),
                (at("Western"), EntityType::Misc),
                (at("Orlen team"), EntityType::Misc),
            ]
            .into_iter()
            .map(|(span, kind)| {
                let name = &text[span.range()];
                let len = name.split(' ').next().unwrap().len();
                (Span::new(span.start as usize, span.start as usize + len), kind)
            })
            .collect(),
        )
        .into_iter()
        .map(|(span, kind)| (&text[span.range()], kind))
        .collect();
        assert_eq!(
            refined,
            [
                ("Orlen", EntityType::Org),
                ("Kestrelian", EntityType::Misc),
                ("Tarsk", EntityType::Org),
                ("Western", EntityType::Misc),
                ("Orlen", EntityType::Misc)
            ]
        );
    }

    #[test]
    fn canonical_name_is_the_fullest_form() {
        let entities = check(
            &[("[Varga] met. [Anika Varga] left. [Varga] again.", 0)],
            &[&["Anika Varga", "Varga"]],
        );
        assert_eq!(entities[0].name, "Anika Varga");
        assert_eq!(entities[0].mentions.len(), 3);
    }
}
