//! Word lists: the speech cues and the closed classes the phrase rules need.
//!
//! Everything here is general English vocabulary (reporting verbs,
//! determiners, prepositions, titles and role nouns). Nothing names a person,
//! place or organisation, and nothing comes from any particular article.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The verb may take a clause without "that" ("said the talks failed").
pub(super) const BARE: u8 = 1;
/// The verb takes an addressee before its clause ("told reporters that").
pub(super) const OBJECT: u8 = 2;
/// The base and -s forms are also nouns ("a claim", "reports"): they only
/// count when "that" follows and no determiner precedes.
pub(super) const NOUNISH: u8 = 4;
/// The verb takes "whether"/"if"/"why" clauses ("asked whether").
pub(super) const WH: u8 = 8;
/// The verb only reports words when a quotation of three words or more
/// follows its object ("called the plan “a road to nowhere”", "described
/// him as “a loyal friend of ours”").
pub(super) const QUOTED: u8 = 16;
/// A promise or a request: the verb reports an infinitive ("vowed to fight
/// on", "urged voters to stay home").
pub(super) const INFINITIVE: u8 = 32;

/// The reporting verbs: lemma and flags. Regular forms are derived from the
/// lemma by [`regular_forms`]; irregular verbs list their forms in
/// [`IRREGULAR`].
const VERBS: &[(&str, u8)] = &[
    ("say", BARE),
    ("tell", BARE | OBJECT),
    ("add", 0),
    ("claim", BARE | NOUNISH),
    ("insist", BARE),
    ("believe", BARE),
    ("think", BARE),
    ("warn", OBJECT),
    ("stress", NOUNISH),
    ("note", NOUNISH),
    ("deny", 0),
    ("argue", BARE),
    ("assert", 0),
    ("state", NOUNISH),
    ("declare", 0),
    ("announce", 0),
    ("explain", WH),
    ("emphasize", 0),
    ("suggest", BARE),
    ("predict", BARE),
    ("acknowledge", 0),
    ("admit", 0),
    ("concede", 0),
    ("confirm", 0),
    ("contend", BARE),
    ("maintain", 0),
    ("reply", NOUNISH),
    ("respond", 0),
    ("remark", NOUNISH),
    ("report", NOUNISH),
    ("write", 0),
    ("tweet", NOUNISH),
    ("comment", NOUNISH),
    ("observe", 0),
    ("recall", NOUNISH),
    ("reiterate", 0),
    ("vow", NOUNISH | INFINITIVE),
    ("pledge", NOUNISH | INFINITIVE),
    ("promise", NOUNISH | OBJECT | INFINITIVE),
    ("threaten", INFINITIVE),
    ("urge", OBJECT | INFINITIVE),
    ("allege", 0),
    ("complain", 0),
    ("estimate", NOUNISH),
    ("hope", NOUNISH),
    ("fear", NOUNISH),
    ("know", 0),
    ("expect", 0),
    ("ask", WH | OBJECT | INFINITIVE),
    ("wonder", WH | NOUNISH),
    ("indicate", 0),
    ("reveal", 0),
    ("disclose", 0),
    ("underline", 0),
    ("underscore", 0),
    ("highlight", 0),
    ("affirm", 0),
    ("counter", NOUNISH),
    ("retort", NOUNISH),
    ("joke", NOUNISH),
    ("quip", NOUNISH),
    ("boast", NOUNISH),
    ("mention", NOUNISH),
    ("assure", OBJECT),
    ("inform", OBJECT),
    ("remind", OBJECT),
    ("caution", NOUNISH | OBJECT),
    ("conclude", 0),
    ("agree", 0),
    ("testify", 0),
    ("speculate", 0),
    ("recount", 0),
    ("lament", 0),
    ("doubt", NOUNISH),
    ("worry", NOUNISH),
    ("charge", NOUNISH),
    ("protest", NOUNISH),
    ("proclaim", 0),
    ("hint", NOUNISH),
    ("imply", 0),
    ("clarify", 0),
    ("continue", 0),
    ("find", 0),
    ("show", NOUNISH),
    ("reckon", BARE),
    ("demand", NOUNISH),
    ("answer", NOUNISH),
    ("signal", NOUNISH),
    ("learn", 0),
    // Manner of speaking: only with "that", a quotation or after the content.
    ("shout", NOUNISH),
    ("yell", NOUNISH),
    ("scream", NOUNISH),
    ("exclaim", 0),
    ("mutter", 0),
    ("whisper", NOUNISH),
    ("murmur", NOUNISH),
    ("sigh", NOUNISH),
    ("snap", NOUNISH),
    ("bark", NOUNISH),
    ("chant", NOUNISH),
    ("sing", NOUNISH),
    ("boom", NOUNISH),
    ("thunder", NOUNISH),
    ("gush", 0),
    ("rail", NOUNISH),
    ("marvel", NOUNISH),
    ("muse", NOUNISH),
    ("scoff", 0),
    ("grumble", 0),
    ("crow", NOUNISH),
    ("plead", 0),
    ("interject", 0),
    ("concur", 0),
    ("confide", 0),
    ("inquire", 0),
    ("posit", 0),
    ("opine", 0),
    ("surmise", 0),
    ("reason", NOUNISH),
    ("summarize", 0),
    ("elaborate", 0),
    ("cry", NOUNISH),
    // Naming verbs: only before a quotation.
    ("call", OBJECT | QUOTED),
    ("describe", OBJECT | QUOTED),
    ("label", OBJECT | QUOTED),
    ("dub", OBJECT | QUOTED),
    ("brand", OBJECT | QUOTED),
    ("term", OBJECT | QUOTED),
];

/// Irregular verbs: lemma and every form (base, -s, past, participle, -ing).
const IRREGULAR: &[(&str, &[&str])] = &[
    ("say", &["say", "says", "said", "saying"]),
    ("tell", &["tell", "tells", "told", "telling"]),
    ("think", &["think", "thinks", "thought", "thinking"]),
    ("write", &["write", "writes", "wrote", "written", "writing"]),
    ("know", &["know", "knows", "knew", "known", "knowing"]),
    ("find", &["find", "finds", "found", "finding"]),
    ("show", &["show", "shows", "showed", "shown", "showing"]),
    ("admit", &["admit", "admits", "admitted", "admitting"]),
    ("learn", &["learn", "learns", "learned", "learnt", "learning"]),
    ("emphasize", &["emphasise", "emphasises", "emphasised", "emphasising"]),
    ("sing", &["sing", "sings", "sang", "sung", "singing"]),
    ("snap", &["snap", "snaps", "snapped", "snapping"]),
    ("plead", &["plead", "pleads", "pleaded", "pled", "pleading"]),
    ("concur", &["concur", "concurs", "concurred", "concurring"]),
    ("dub", &["dub", "dubs", "dubbed", "dubbing"]),
    ("label", &["label", "labels", "labeled", "labelled", "labeling", "labelling"]),
    (
        "summarize",
        &[
            "summarize",
            "summarizes",
            "summarized",
            "summarizing",
            "summarise",
            "summarises",
            "summarised",
            "summarising",
        ],
    ),
];

/// The regular forms of a lemma: base, -s, -ed, -ing.
fn regular_forms(lemma: &str) -> Vec<String> {
    let mut res = vec![lemma.to_string()];
    let bytes = lemma.as_bytes();
    let last = bytes[bytes.len() - 1];
    let before_last = bytes.get(bytes.len().wrapping_sub(2)).copied().unwrap_or(b'a');
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    if last == b'y' && !vowel(before_last) {
        let stem = &lemma[..lemma.len() - 1];
        res.push(format!("{stem}ies"));
        res.push(format!("{stem}ied"));
        res.push(format!("{lemma}ing"));
    } else if last == b'e' {
        let stem = &lemma[..lemma.len() - 1];
        res.push(format!("{lemma}s"));
        res.push(format!("{lemma}d"));
        res.push(format!("{stem}ing"));
    } else if lemma.ends_with("ss") || lemma.ends_with("sh") || lemma.ends_with("ch") {
        res.push(format!("{lemma}es"));
        res.push(format!("{lemma}ed"));
        res.push(format!("{lemma}ing"));
    } else {
        res.push(format!("{lemma}s"));
        res.push(format!("{lemma}ed"));
        res.push(format!("{lemma}ing"));
    }
    res
}

/// A form of a reporting verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CueForm {
    /// The lemma ("say").
    pub lemma: &'static str,
    /// `BARE`, `OBJECT`, `NOUNISH`, `WH`.
    pub flags: u8,
    /// Which form this is.
    pub form: Form,
}

/// Which form of the verb a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// "say", "claim".
    Base,
    /// "says", "claims".
    Third,
    /// "said", "claimed", "written".
    Past,
    /// "saying".
    Ing,
}

static CUES: LazyLock<HashMap<String, CueForm>> = LazyLock::new(|| {
    let mut res = HashMap::new();
    for &(lemma, flags) in VERBS {
        let forms: Vec<String> = match IRREGULAR.iter().find(|(l, _)| *l == lemma) {
            Some((_, forms)) => {
                let mut all: Vec<String> = forms.iter().map(|f| f.to_string()).collect();
                if lemma == "emphasize" {
                    all.extend(regular_forms(lemma));
                }
                all
            }
            None => regular_forms(lemma),
        };
        for form in forms {
            let irregular_past = [
                "said", "told", "thought", "wrote", "written", "knew", "known", "found", "shown",
                "sang", "sung", "pled", "learnt",
            ];
            let kind = if form.ends_with("ing") {
                Form::Ing
            } else if form.ends_with("ed") || irregular_past.contains(&form.as_str()) {
                Form::Past
            } else if form.ends_with('s') && !form.ends_with("ss") && form != lemma {
                Form::Third
            } else {
                Form::Base
            };
            res.entry(form).or_insert(CueForm { lemma, flags, form: kind });
        }
    }
    res
});

/// The reporting verb a word is a form of (case-insensitive).
pub(super) fn cue_form(word: &str) -> Option<CueForm> {
    let lower = word.to_lowercase();
    CUES.get(lower.as_str()).copied()
}

fn contains(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// Words that open a noun phrase and end it when read right to left.
pub(super) fn is_determiner(lower: &str) -> bool {
    contains(
        &[
            "the",
            "a",
            "an",
            "this",
            "these",
            "those",
            "his",
            "her",
            "its",
            "their",
            "our",
            "my",
            "your",
            "some",
            "any",
            "no",
            "every",
            "each",
            "all",
            "both",
            "many",
            "most",
            "several",
            "few",
            "another",
            "such",
            "other",
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
            "dozens",
            "hundreds",
            "thousands",
            "millions",
        ],
        lower,
    )
}

/// Unambiguous subject pronouns.
pub(super) fn is_subject_pronoun(lower: &str) -> bool {
    contains(&["he", "she", "they", "we", "i", "it", "you"], lower)
}

/// Object pronouns (possible addressees of "told").
pub(super) fn is_object_pronoun(lower: &str) -> bool {
    contains(&["him", "her", "them", "us", "me", "you", "it"], lower)
}

/// Possessive pronouns ("his", "their").
pub(super) fn is_possessive_pronoun(lower: &str) -> bool {
    contains(&["his", "her", "its", "their", "our", "my", "your"], lower)
}

/// Relative pronouns that can start a clause inside a noun phrase.
pub(super) fn is_relative(lower: &str) -> bool {
    contains(&["who", "which", "whose", "whom", "that"], lower)
}

/// Prepositions.
pub(super) fn is_preposition(lower: &str) -> bool {
    contains(
        &[
            "about",
            "above",
            "across",
            "after",
            "against",
            "along",
            "amid",
            "among",
            "around",
            "as",
            "at",
            "before",
            "behind",
            "below",
            "beside",
            "between",
            "beyond",
            "by",
            "despite",
            "down",
            "during",
            "except",
            "for",
            "from",
            "in",
            "inside",
            "into",
            "like",
            "near",
            "of",
            "off",
            "on",
            "onto",
            "out",
            "outside",
            "over",
            "past",
            "per",
            "since",
            "through",
            "throughout",
            "to",
            "toward",
            "towards",
            "under",
            "until",
            "up",
            "upon",
            "via",
            "with",
            "within",
            "without",
            "following",
            "ahead",
        ],
        lower,
    )
}

/// Prepositions that may join two parts of one noun phrase ("a spokesman for
/// the ministry", "officials in the capital").
pub(super) fn is_np_connector(lower: &str) -> bool {
    contains(&["of", "for", "from", "at", "in"], lower)
}

/// Conjunctions and clause openers.
pub(super) fn is_conjunction(lower: &str) -> bool {
    contains(
        &[
            "and",
            "but",
            "or",
            "nor",
            "so",
            "yet",
            "while",
            "whereas",
            "although",
            "though",
            "because",
            "if",
            "unless",
            "whether",
            "when",
            "where",
            "once",
            "than",
            "as",
            "then",
            "however",
            "meanwhile",
            "moreover",
            "also",
            "instead",
            "still",
            "thus",
            "therefore",
            "even",
            "indeed",
        ],
        lower,
    )
}

/// Auxiliary verbs and negation.
pub(super) fn is_auxiliary(lower: &str) -> bool {
    contains(
        &[
            "be",
            "am",
            "is",
            "are",
            "was",
            "were",
            "been",
            "being",
            "have",
            "has",
            "had",
            "having",
            "do",
            "does",
            "did",
            "will",
            "would",
            "shall",
            "should",
            "can",
            "could",
            "may",
            "might",
            "must",
            "not",
            "never",
            "didn't",
            "doesn't",
            "don't",
            "hasn't",
            "haven't",
            "hadn't",
            "wasn't",
            "weren't",
            "isn't",
            "aren't",
            "won't",
            "wouldn't",
            "couldn't",
            "can't",
            "cannot",
            "shouldn't",
            "didn’t",
            "doesn’t",
            "don’t",
            "hasn’t",
            "haven’t",
            "hadn’t",
            "wasn’t",
            "weren’t",
            "isn’t",
            "aren’t",
            "won’t",
            "wouldn’t",
            "couldn’t",
            "can’t",
            "shouldn’t",
            "he's",
            "she's",
            "he’s",
            "she’s",
            "it's",
            "it’s",
            "they've",
            "they’ve",
            "we've",
            "we’ve",
            "i've",
            "i’ve",
        ],
        lower,
    )
}

/// Forms of "to be" (a passive or progressive before a participle).
pub(super) fn is_be(lower: &str) -> bool {
    contains(&["be", "am", "is", "are", "was", "were", "been", "being"], lower)
}

/// Adverbs that sit between a subject and its verb ("also said", "later
/// told"), besides any lowercase word ending in -ly.
pub(super) fn is_adverb(lower: &str) -> bool {
    contains(
        &[
            "also",
            "later",
            "earlier",
            "previously",
            "once",
            "again",
            "then",
            "further",
            "recently",
            "still",
            "already",
            "often",
            "always",
            "now",
            "just",
            "even",
            "only",
            "too",
            "first",
            "since",
            "soon",
            "ever",
            "sometimes",
            "reportedly",
            "allegedly",
            "apparently",
            "separately",
            "similarly",
            "likewise",
            "however",
            "meanwhile",
            "instead",
            "nevertheless",
            "nonetheless",
            "well",
            "yes",
        ],
        lower,
    ) || (lower.len() > 4 && lower.ends_with("ly") && !is_ly_noun(lower))
}

fn is_ly_noun(lower: &str) -> bool {
    contains(
        &[
            "family", "ally", "rally", "supply", "assembly", "monopoly", "anomaly", "italy",
            "july", "bully", "belly", "jelly", "lily", "reply",
        ],
        lower,
    )
}

/// Days, months and other time words: they end a name read right to left
/// ("on Monday Pell said" names Pell, not "Monday Pell").
pub(super) fn is_time_word(lower: &str) -> bool {
    contains(
        &[
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "january",
            "february",
            "march",
            "april",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sep",
            "sept",
            "oct",
            "nov",
            "dec",
            "yesterday",
            "today",
            "tonight",
            "tomorrow",
            "morning",
            "afternoon",
            "evening",
            "night",
            "week",
            "weekend",
            "month",
            "year",
            "earlier",
            "later",
            "recently",
            "previously",
            "now",
        ],
        lower,
    )
}

/// Words that begin an adjunct after a cue ("said on Monday", "told
/// reporters in the capital", "said late Tuesday").
pub(super) fn is_adjunct_start(lower: &str) -> bool {
    is_preposition(lower)
        || is_time_word(lower)
        || contains(
            &["late", "early", "last", "this", "next", "again", "also", "repeatedly"],
            lower,
        )
}

/// Common verbs that are never part of a noun phrase, besides auxiliaries
/// and reporting verbs.
pub(super) fn is_common_verb(lower: &str) -> bool {
    contains(
        &[
            "get", "got", "make", "made", "take", "took", "taken", "go", "went", "gone", "come",
            "came", "see", "saw", "seen", "met", "left", "won", "lost", "ran", "began", "became",
            "spoke", "gave", "given", "put", "set", "let", "kept", "held", "led", "sent", "seem",
            "seems", "want", "wants", "need", "needs", "went", "felt", "brought", "bought", "paid",
            "sat", "stood", "heard", "meant", "means", "knew", "wrote", "fell", "grew", "built",
            "drew", "broke", "chose", "rose", "struck", "sought", "taught", "caught", "fought",
            "arrived", "stay", "stays", "visit", "visits",
        ],
        lower,
    )
}

/// Words that cannot be the last word of a noun phrase read from the left
/// ("officials familiar with the matter": the phrase is "officials").
pub(super) fn is_np_breaker(lower: &str) -> bool {
    contains(
        &[
            "familiar",
            "close",
            "involved",
            "present",
            "aware",
            "speaking",
            "responsible",
            "quoted",
            "cited",
            "briefed",
            "due",
            "able",
            "unable",
            "keen",
            "ready",
            "eager",
        ],
        lower,
    )
}

/// Words that may start a clause: the bare content of "said" must begin with
/// one of them ("said the talks failed", not "said nothing").
pub(super) fn is_clause_starter(lower: &str) -> bool {
    // "he's", "they’re", "there'd": the word before the apostrophe.
    let lower = lower.split(['\'', '’']).next().unwrap_or(lower);
    is_subject_pronoun(lower)
        || contains(
            &[
                "the",
                "a",
                "an",
                "this",
                "these",
                "those",
                "his",
                "her",
                "its",
                "their",
                "our",
                "my",
                "your",
                "some",
                "no",
                "every",
                "each",
                "all",
                "both",
                "many",
                "most",
                "several",
                "any",
                "there",
                "another",
                "more",
                "fewer",
                "none",
                "nobody",
                "everyone",
                "everybody",
                "someone",
                "somebody",
                "nothing",
                "everything",
                "something",
            ],
            lower,
        )
}

/// Words that open the content of "asked whether", "explained why".
pub(super) fn is_wh_word(lower: &str) -> bool {
    contains(&["whether", "if", "why", "how", "what", "when", "where", "who"], lower)
}

/// Participle cues that continue a sentence's attribution (", adding that").
pub(super) fn is_continuing_participle(lemma: &str) -> bool {
    contains(
        &[
            "say",
            "add",
            "note",
            "stress",
            "warn",
            "insist",
            "claim",
            "argue",
            "explain",
            "emphasize",
            "suggest",
            "predict",
            "acknowledge",
            "admit",
            "deny",
            "tell",
            "assert",
            "declare",
            "reiterate",
            "complain",
            "recall",
            "observe",
            "underline",
            "underscore",
            "promise",
            "vow",
            "pledge",
            "hint",
            "indicate",
            "state",
            "caution",
            "concede",
            "confirm",
            "contend",
            "maintain",
            "reply",
            "respond",
            "remark",
            "write",
            "counter",
            "allege",
            "announce",
            "reveal",
            "highlight",
            "affirm",
        ],
        lemma,
    )
}

/// Nouns for persons by their office or role. With a determiner and no name
/// ("the Defence Minister", "a spokesman") they make a nominal speaker.
pub(crate) fn is_person_role(lower: &str) -> bool {
    let singular = lower.strip_suffix('s').unwrap_or(lower);
    contains(
        &[
            "minister",
            "president",
            "premier",
            "chancellor",
            "secretary",
            "general",
            "commander",
            "chief",
            "director",
            "head",
            "leader",
            "ambassador",
            "envoy",
            "governor",
            "mayor",
            "senator",
            "lawmaker",
            "representative",
            "congressman",
            "congresswoman",
            "chairman",
            "chairwoman",
            "chair",
            "judge",
            "prosecutor",
            "lawyer",
            "attorney",
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "official",
            "officer",
            "adviser",
            "advisor",
            "aide",
            "analyst",
            "expert",
            "source",
            "candidate",
            "nominee",
            "king",
            "queen",
            "prince",
            "pope",
            "admiral",
            "colonel",
            "captain",
            "sheriff",
            "deputy",
            "speaker",
            "founder",
            "ceo",
            "executive",
            "manager",
            "professor",
            "researcher",
            "scientist",
            "doctor",
            "witness",
            "resident",
            "member",
            "diplomat",
            "negotiator",
            "commissioner",
            "inspector",
            "strategist",
            "pollster",
            "economist",
            "critic",
            "supporter",
            "opponent",
            "voter",
            "protester",
            "activist",
            "investigator",
            "observer",
        ],
        singular,
    ) || contains(
        &["spokesmen", "spokeswomen", "chairmen", "police", "people", "authorities"],
        lower,
    )
}

/// Generic nouns for organisations and documents ("the ministry", "the
/// report"). Alone with a determiner they make a nominal speaker; after
/// capitalised modifiers ("the State Department") they end a name.
pub(super) fn is_org_noun(lower: &str) -> bool {
    let singular = lower.strip_suffix('s').unwrap_or(lower);
    contains(
        &[
            "ministry",
            "government",
            "department",
            "agency",
            "office",
            "committee",
            "council",
            "court",
            "army",
            "military",
            "embassy",
            "administration",
            "campaign",
            "party",
            "company",
            "firm",
            "group",
            "statement",
            "report",
            "newspaper",
            "media",
            "service",
            "commission",
            "board",
            "bureau",
            "parliament",
            "cabinet",
            "team",
            "study",
            "survey",
            "poll",
            "document",
            "letter",
            "website",
            "channel",
            "network",
            "union",
            "alliance",
            "coalition",
            "force",
            "navy",
            "police",
            "university",
            "institute",
            "foundation",
            "organization",
            "organisation",
        ],
        singular,
    ) || contains(&["ministries", "agencies", "studies", "surveys", "media"], lower)
}

/// Abbreviations that end with a period without ending a sentence.
pub(super) fn is_abbreviation(word: &str) -> bool {
    if word.contains('.') {
        // "U.S", "a.m"; not "27.16".
        return word.chars().any(|c| c.is_alphabetic());
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    contains(
        &[
            "Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "Capt", "Maj",
            "Prof", "St", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "No", "vs", "etc", "Jan", "Feb",
            "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "Adm", "Cmdr", "Rev", "Hon", "Pres", "Atty",
            "Supt", "Insp", "Gens", "Sens", "Reps", "Mt", "Ft", "Brig", "Cpl", "Pvt", "Amb",
            "Dept", "Univ", "approx", "Nos", "Messrs", "Mme", "Mlle",
        ],
        word,
    )
}

/// Title abbreviations that belong to the name after them ("Mr. Pell").
pub(super) fn is_title_abbreviation(word: &str) -> bool {
    contains(
        &[
            "Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "Capt", "Maj",
            "Prof", "St", "Adm", "Cmdr", "Rev", "Hon", "Pres", "Atty", "Brig", "Cpl", "Pvt", "Amb",
            "Gens", "Sens", "Reps", "Messrs", "Mme", "Mlle", "Jr", "Sr",
        ],
        word,
    )
}

/// Small words that stay lowercase inside titles ("The Art of War").
pub(super) fn is_title_small_word(lower: &str) -> bool {
    contains(
        &["of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "with", "by", "or", "from"],
        lower,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_derived() {
        assert_eq!(regular_forms("deny"), ["deny", "denies", "denied", "denying"]);
        assert_eq!(regular_forms("note"), ["note", "notes", "noted", "noting"]);
        assert_eq!(regular_forms("stress"), ["stress", "stresses", "stressed", "stressing"]);
        assert_eq!(regular_forms("warn"), ["warn", "warns", "warned", "warning"]);
    }

    #[test]
    fn cue_forms_know_their_lemma() {
        let said = cue_form("Said").unwrap();
        assert_eq!((said.lemma, said.form), ("say", Form::Past));
        assert_eq!(cue_form("emphasised").unwrap().lemma, "emphasize");
        assert_eq!(cue_form("telling").unwrap().form, Form::Ing);
        assert_eq!(cue_form("claims").unwrap().form, Form::Third);
        assert!(cue_form("table").is_none());
    }
}
