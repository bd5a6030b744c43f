//! Named-entity recognition for English news: people, organisations, places,
//! other names (MISC) and equipment.
//!
//! [`Tagger::tag`] reads raw text: [`tokenize()`] cuts it into tokens,
//! [`sentences`] groups them, a linear sequence model (an averaged structured
//! perceptron over BILOU labels, trained in Rust on CoNLL-2003 by
//! [`train::train_model`]) labels each sentence with Viterbi decoding, and the
//! rules of [`equipment`] add weapon systems and vehicles, a class CoNLL does
//! not have. The weights ship inside the binary (`models/ner-conll.bin`, read
//! once on first use); nothing is read from disk at run time.
//!
//! ```
//! use parallax::ner::{EntityType, Tagger};
//!
//! let text = "Defence Minister Anika Varga met General Farid Rahimi in Lorvenna.";
//! let mentions = Tagger::load().tag(text);
//! let found: Vec<(&str, EntityType)> =
//!     mentions.iter().map(|m| (&text[m.span.range()], m.label)).collect();
//! assert!(found.contains(&("Anika Varga", EntityType::Person)));
//! ```
//!
//! **Invariant:** mentions are sorted, disjoint, and their spans lie on char
//! boundaries of the text they were found in.

pub mod clusters;
pub mod equipment;
mod features;
mod model;
mod tokenize;
pub mod train;

pub use tokenize::{sentences, tokenize, Sentence, Token, TokenKind};

/// Whether a word is a nationality or regional adjective by its form
/// ("Iranian", "Kestrelian", "Israeli", "French", "Western"), as the equipment
/// and entity rules read it.
pub fn is_demonym(word: &str) -> bool {
    equipment::is_demonym(word)
        || matches!(
            word.to_lowercase().as_str(),
            "greek" | "swiss" | "thai" | "czech" | "slovak" | "welsh" | "basque" | "kurd"
        )
        || ["western", "eastern", "northern", "southern"].contains(&word.to_lowercase().as_str())
}

use crate::doc::Span;
use features::{document_features, normalize, word_hash};
use model::{decode_entities, Model, TYPES};
use std::sync::{Arc, LazyLock};

/// The weights trained on CoNLL-2003 (see `models/README.md`).
static MODEL_BYTES: &[u8] = include_bytes!("../../models/ner-conll.bin");

static MODEL: LazyLock<Arc<Model>> = LazyLock::new(|| {
    Arc::new(Model::from_bytes(MODEL_BYTES).expect("the shipped NER model is readable"))
});

/// The kind of thing a mention names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum EntityType {
    /// A person.
    Person,
    /// An organisation (government body, company, team, party, armed group).
    Org,
    /// A place (country, city, region, geographic feature, facility).
    Loc,
    /// Another name: nationalities, events, works, products.
    Misc,
    /// A weapon system, vehicle, drone, missile or air-defence system.
    Equipment,
}

impl EntityType {
    /// The CoNLL name of the type (`PER`, `ORG`, `LOC`, `MISC`), or `EQUIPMENT`.
    pub fn conll_name(self) -> &'static str {
        match self {
            EntityType::Person => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
            EntityType::Equipment => "EQUIPMENT",
        }
    }
}

/// What found a mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The trained sequence model.
    Model,
    /// The equipment rules.
    Rule,
}

/// One name found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMention {
    /// The bytes of the name; `&text[span.range()]` is the name as written.
    pub span: Span,
    /// Its type.
    pub label: EntityType,
    /// What found it.
    pub origin: Origin,
}

/// Why a model could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModelError {
    /// What is wrong with the bytes.
    pub message: String,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read the NER model: {}", self.message)
    }
}

impl std::error::Error for ModelError {}

/// The named-entity tagger. Cheap to clone: the weights are shared.
#[derive(Debug, Clone)]
pub struct Tagger {
    model: Arc<Model>,
}

impl Tagger {
    /// The tagger with the weights built into the binary (decoded on first use).
    pub fn load() -> Tagger {
        Tagger { model: Arc::clone(&MODEL) }
    }

    /// A tagger with weights written by the training command.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        let model = Model::from_bytes(bytes).map_err(|e| ModelError { message: e.0 })?;
        Ok(Tagger { model: Arc::new(model) })
    }

    /// All mentions in `text`: the model's people, organisations, places and
    /// other names, and the equipment the rules find (which take precedence
    /// over overlapping MISC names).
    pub fn tag(&self, text: &str) -> Vec<EntityMention> {
        self.run(text, true)
    }

    /// The model's mentions only (the four CoNLL types), as the CoNLL
    /// benchmark scores them.
    pub fn recognize(&self, text: &str) -> Vec<EntityMention> {
        self.run(text, false)
    }

    fn run(&self, text: &str, with_equipment: bool) -> Vec<EntityMention> {
        let tokens = tokenize(text);
        let sentences = sentences(text, &tokens);
        let words: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| tokens[s.tokens.clone()].iter().map(|t| &text[t.span.range()]).collect())
            .collect();
        let labels = label_document(&self.model, &words);
        let mut res = Vec::new();
        for (sentence, labels) in sentences.iter().zip(&labels) {
            let sentence_tokens = &tokens[sentence.tokens.clone()];
            let found: Vec<(usize, usize, EntityType)> =
                decode_entities(labels).into_iter().map(|(s, e, t)| (s, e, TYPES[t])).collect();
            let span_of = |s: usize, e: usize| {
                Span::new(
                    sentence_tokens[s].span.start as usize,
                    sentence_tokens[e - 1].span.end as usize,
                )
            };
            let mut mentions: Vec<(usize, usize, EntityMention)> = found
                .iter()
                .map(|&(s, e, label)| {
                    (s, e, EntityMention { span: span_of(s, e), label, origin: Origin::Model })
                })
                .collect();
            if with_equipment {
                let mut tagged = vec![equipment::Tagged::Free; sentence_tokens.len()];
                for &(s, e, label) in &found {
                    let what = match label {
                        // A weapon's one-word name is often taken for a person's.
                        EntityType::Org => equipment::Tagged::Org,
                        EntityType::Person if e - s == 1 => equipment::Tagged::Org,
                        EntityType::Person | EntityType::Loc => equipment::Tagged::Blocked,
                        EntityType::Misc | EntityType::Equipment => equipment::Tagged::Free,
                    };
                    tagged[s..e].iter_mut().for_each(|b| *b = what);
                }
                let normalized: Vec<String> =
                    sentence_tokens.iter().map(|t| normalize(&text[t.span.range()])).collect();
                let lexicon = &self.model.lexicon;
                let known = |w: &str| lexicon.lower_seen.contains(&word_hash(w));
                for range in equipment::find(&normalized, sentence_tokens, &tagged, &known) {
                    let (s, e) = (range.start, range.end);
                    mentions.retain(|(ms, me, _)| *me <= s || *ms >= e);
                    let mention = EntityMention {
                        span: span_of(s, e),
                        label: EntityType::Equipment,
                        origin: Origin::Rule,
                    };
                    mentions.push((s, e, mention));
                }
                mentions.sort_by_key(|(s, _, _)| *s);
            }
            res.extend(mentions.into_iter().map(|(_, _, m)| m));
        }
        res
    }
}

/// BILOU labels of every sentence of a document (sentences of words).
pub(crate) fn label_document(model: &Model, words: &[Vec<&str>]) -> Vec<Vec<usize>> {
    let decode = |layer: &model::Layer, feats: &[features::SentenceFeatures]| -> Vec<Vec<usize>> {
        feats
            .iter()
            .map(|f| layer.decode(&(0..f.len()).map(|i| f.token(i)).collect::<Vec<_>>()))
            .collect()
    };
    let feats = document_features(words, &model.lexicon);
    let mut labels = decode(&model.layers[0], &feats);
    if let Some(second) = model.layers.get(1) {
        let feats2 = features::stage2_features(words, &feats, &labels);
        labels = decode(second, &feats2);
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(text: &str, expect: &[(&str, EntityType)]) {
        let mentions = Tagger::load().tag(text);
        let got: Vec<(&str, EntityType)> =
            mentions.iter().map(|m| (&text[m.span.range()], m.label)).collect();
        assert_eq!(got, expect, "mentions of {text:?}");
    }

    #[test]
    fn people_places_organisations() {
        use EntityType::*;
        check(
            "Defence Minister Anika Varga met General Farid Rahimi in Lorvenna.",
            &[("Anika Varga", Person), ("Farid Rahimi", Person), ("Lorvenna", Loc)],
        );
        check(
            "The Halvorsk Ministry of Defence said on Monday that Tomas Brevik had resigned.",
            &[("Halvorsk Ministry of Defence", Org), ("Tomas Brevik", Person)],
        );
        check(
            "Iran's Korvan-220 drones struck Kyiv, Ukrainian officials said.",
            &[("Iran", Loc), ("Korvan-220 drones", Equipment), ("Kyiv", Loc), ("Ukrainian", Misc)],
        );
    }

    #[test]
    fn shipped_model_loads_quickly() {
        let started = std::time::Instant::now();
        let model = Model::from_bytes(MODEL_BYTES).expect("readable");
        assert!(model.n_features() > 1000);
        // Generous bound for unoptimised test builds; release loads far faster.
        assert!(started.elapsed().as_secs_f64() < 5.0);
    }

    #[test]
    fn empty_and_blank_text() {
        assert!(Tagger::load().tag("").is_empty());
        assert!(Tagger::load().tag(" \n\t ").is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn spans_are_sorted_disjoint_slices(text in "(\\PC|[ \\n.'\"-]){0,80}") {
            let mentions = Tagger::load().tag(&text);
            let mut last_end = 0;
            for m in &mentions {
                prop_assert!(m.span.start as usize >= last_end);
                prop_assert!(m.span.start < m.span.end);
                prop_assert!(text.is_char_boundary(m.span.start as usize));
                prop_assert!(text.is_char_boundary(m.span.end as usize));
                prop_assert!(!text[m.span.range()].trim().is_empty());
                last_end = m.span.end as usize;
            }
        }

        #[test]
        fn news_like_text_never_panics(words in proptest::collection::vec("[A-Z][a-z]{0,6}|[a-z]{1,6}|[A-Z]{1,3}-[0-9]{1,3}|[0-9]{1,4}|[.,'\"]", 0..40)) {
            let text = words.join(" ");
            let mentions = Tagger::load().tag(&text);
            for pair in mentions.windows(2) {
                prop_assert!(pair[0].span.end <= pair[1].span.start);
            }
        }
    }
}
