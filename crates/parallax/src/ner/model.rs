//! The trained weights: labels, scoring, Viterbi decoding and the file format.
//!
//! Labels are BILOU over the four CoNLL types: `O`, then for each type
//! `B-`, `I-`, `L-`, `U-` (17 labels). The model is linear: a token's score
//! for a label is the sum of the weights of its features for that label, and a
//! sentence's score adds a weight per label transition (with start and end
//! weights); Viterbi finds the best label sequence among the legal BILOU ones.
//!
//! File format (all integers little-endian varints, signed ones zig-zagged;
//! the whole stream deflate-compressed): magic `PXNER2`, label count, layer
//! count, then per layer the transition, start and end weights and the features
//! sorted by hash as three streams (hash deltas, label bit masks, the non-zero
//! weights), then the
//! lexicon (hashes of words seen lowercase; cluster paths; gazetteer entries
//! with their category masks).

use super::features::Lexicon;
use super::EntityType;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Read, Write};

/// Number of labels: `O` plus B, I, L, U for each of the four types.
pub(crate) const N_LABELS: usize = 17;
/// The entity types of the labels, in label order.
pub(crate) const TYPES: [EntityType; 4] =
    [EntityType::Person, EntityType::Org, EntityType::Loc, EntityType::Misc];

const MAGIC: &[u8] = b"PXNER2";

/// Position of a label inside its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Outside,
    Begin,
    Inside,
    Last,
    Unit,
}

/// The label index of a part of an entity of type index `t`.
pub(crate) fn label(part: Part, t: usize) -> usize {
    match part {
        Part::Outside => 0,
        Part::Begin => 1 + 4 * t,
        Part::Inside => 2 + 4 * t,
        Part::Last => 3 + 4 * t,
        Part::Unit => 4 + 4 * t,
    }
}

/// The part and type index of a label.
pub(crate) fn part_of(label: usize) -> (Part, usize) {
    if label == 0 {
        return (Part::Outside, 0);
    }
    let t = (label - 1) / 4;
    let part = match (label - 1) % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    };
    (part, t)
}

/// Whether `to` may follow `from` (`None` = sentence start).
pub(crate) fn allowed(from: Option<usize>, to: usize) -> bool {
    let (to_part, to_type) = part_of(to);
    let open = from.map(part_of).filter(|(p, _)| matches!(p, Part::Begin | Part::Inside));
    match open {
        Some((_, from_type)) => {
            matches!(to_part, Part::Inside | Part::Last) && to_type == from_type
        }
        None => matches!(to_part, Part::Outside | Part::Begin | Part::Unit),
    }
}

/// Whether a sentence may end on `label`.
pub(crate) fn may_end(label: usize) -> bool {
    matches!(part_of(label).0, Part::Outside | Part::Last | Part::Unit)
}

/// Entity token ranges and type indices of a label sequence.
pub(crate) fn decode_entities(labels: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut res = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &l) in labels.iter().enumerate() {
        let (part, t) = part_of(l);
        match part {
            Part::Unit => {
                res.push((i, i + 1, t));
                open = None;
            }
            Part::Begin => open = Some((i, t)),
            Part::Inside => {}
            Part::Last => {
                if let Some((start, ot)) = open.take() {
                    if ot == t {
                        res.push((start, i + 1, t));
                    }
                }
            }
            Part::Outside => open = None,
        }
    }
    res
}

/// Best legal label sequence for per-token label scores.
pub(crate) fn viterbi(
    emissions: &[[f32; N_LABELS]],
    trans: &[[f32; N_LABELS]; N_LABELS],
    start: &[f32; N_LABELS],
    end: &[f32; N_LABELS],
) -> Vec<usize> {
    let n = emissions.len();
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut score = [NEG; N_LABELS];
    for l in 0..N_LABELS {
        if allowed(None, l) {
            score[l] = start[l] + emissions[0][l];
        }
    }
    // The legal transitions, decided once per sentence rather than per token.
    let mut legal = [[false; N_LABELS]; N_LABELS];
    for (from, row) in legal.iter_mut().enumerate() {
        for (to, ok) in row.iter_mut().enumerate() {
            *ok = allowed(Some(from), to);
        }
    }
    let mut back = vec![[0u8; N_LABELS]; n];
    for i in 1..n {
        let mut next = [NEG; N_LABELS];
        for to in 0..N_LABELS {
            let mut best = NEG;
            let mut arg = 0;
            for from in 0..N_LABELS {
                if score[from] == NEG || !legal[from][to] {
                    continue;
                }
                let s = score[from] + trans[from][to];
                if s > best {
                    best = s;
                    arg = from;
                }
            }
            if best > NEG {
                next[to] = best + emissions[i][to];
                back[i][to] = arg as u8;
            }
        }
        score = next;
    }
    let mut best = NEG;
    let mut arg = 0;
    for l in 0..N_LABELS {
        if score[l] > NEG && may_end(l) && score[l] + end[l] > best {
            best = score[l] + end[l];
            arg = l;
        }
    }
    let mut res = vec![0; n];
    res[n - 1] = arg;
    for i in (1..n).rev() {
        res[i - 1] = back[i][res[i]] as usize;
    }
    res
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type IdentityMap<V> = HashMap<u32, V, BuildHasherDefault<IdentityHasher>>;

/// One linear layer: quantised weights ready for tagging.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Layer {
    /// Row of each feature hash in `weights`.
    pub index: IdentityMap<u32>,
    /// `N_LABELS` weights per feature.
    pub weights: Vec<[i16; N_LABELS]>,
    pub trans: [[i16; N_LABELS]; N_LABELS],
    pub start: [i16; N_LABELS],
    pub end: [i16; N_LABELS],
}

/// The tagger's weights: the first layer labels from observation features;
/// the second, when present, also sees the first layer's labels of the same
/// words elsewhere in the document (see `features::stage2_features`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Model {
    pub layers: Vec<Layer>,
    pub lexicon: Lexicon,
}

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormatError(pub String);

impl Layer {
    /// Label scores of one token's features.
    pub fn emissions(&self, feats: &[u32]) -> [f32; N_LABELS] {
        let mut sum = [0i32; N_LABELS];
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                for (s, &w) in sum.iter_mut().zip(&self.weights[row as usize]) {
                    *s += i32::from(w);
                }
            }
        }
        sum.map(|s| s as f32)
    }

    /// The best labels of a sentence given each token's features.
    pub fn decode(&self, tokens: &[&[u32]]) -> Vec<usize> {
        let emissions: Vec<[f32; N_LABELS]> = tokens.iter().map(|f| self.emissions(f)).collect();
        let trans = self.trans.map(|row| row.map(f32::from));
        viterbi(&emissions, &trans, &self.start.map(f32::from), &self.end.map(f32::from))
    }

    fn write(&self, raw: &mut Vec<u8>) {
        for row in &self.trans {
            row.iter().for_each(|&w| put_int(raw, i64::from(w)));
        }
        self.start.iter().for_each(|&w| put_int(raw, i64::from(w)));
        self.end.iter().for_each(|&w| put_int(raw, i64::from(w)));
        let mut keys: Vec<(u32, u32)> = self.index.iter().map(|(&k, &v)| (k, v)).collect();
        keys.sort_unstable();
        put_uint(raw, keys.len() as u64);
        let mut last = 0u32;
        for &(key, _) in &keys {
            put_uint(raw, u64::from(key - last));
            last = key;
        }
        for &(_, row) in &keys {
            let mask = self.weights[row as usize]
                .iter()
                .enumerate()
                .filter(|(_, &w)| w != 0)
                .fold(0u64, |m, (l, _)| m | 1 << l);
            put_uint(raw, mask);
        }
        for &(_, row) in &keys {
            for &w in &self.weights[row as usize] {
                if w != 0 {
                    put_int(raw, i64::from(w));
                }
            }
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Layer, FormatError> {
        let mut trans = [[0i16; N_LABELS]; N_LABELS];
        for row in trans.iter_mut() {
            for w in row.iter_mut() {
                *w = r.i16()?;
            }
        }
        let mut start = [0i16; N_LABELS];
        for w in start.iter_mut() {
            *w = r.i16()?;
        }
        let mut end = [0i16; N_LABELS];
        for w in end.iter_mut() {
            *w = r.i16()?;
        }
        let n = r.len()?;
        let mut keys = Vec::with_capacity(n);
        let mut last = 0u32;
        for _ in 0..n {
            last = last.wrapping_add(r.u32()?);
            keys.push(last);
        }
        let mut masks = Vec::with_capacity(n);
        for _ in 0..n {
            masks.push(r.uint()?);
        }
        let mut index = IdentityMap::default();
        index.reserve(n);
        let mut weights = Vec::with_capacity(n);
        for (row, (&key, &mask)) in keys.iter().zip(&masks).enumerate() {
            let mut w = [0i16; N_LABELS];
            for (l, slot) in w.iter_mut().enumerate() {
                if mask & (1 << l) != 0 {
                    *slot = r.i16()?;
                }
            }
            weights.push(w);
            index.insert(key, row as u32);
        }
        Ok(Layer { index, weights, trans, start, end })
    }
}

impl Model {
    /// Number of features with a weight, over all layers.
    pub fn n_features(&self) -> usize {
        self.layers.iter().map(|l| l.index.len()).sum()
    }

    /// Serialises and compresses the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        put_uint(&mut raw, N_LABELS as u64);
        put_uint(&mut raw, self.layers.len() as u64);
        for layer in &self.layers {
            layer.write(&mut raw);
        }
        let mut lower: Vec<u32> = self.lexicon.lower_seen.iter().copied().collect();
        lower.sort_unstable();
        put_uint(&mut raw, lower.len() as u64);
        let mut last = 0u32;
        for key in lower {
            put_uint(&mut raw, u64::from(key - last));
            last = key;
        }
        let mut clusters: Vec<(u32, u32)> =
            self.lexicon.clusters.iter().map(|(&k, &v)| (k, v)).collect();
        clusters.sort_unstable();
        put_uint(&mut raw, clusters.len() as u64);
        let mut last = 0u32;
        for &(key, _) in &clusters {
            put_uint(&mut raw, u64::from(key - last));
            last = key;
        }
        for &(_, path) in &clusters {
            put_uint(&mut raw, u64::from(path));
        }
        let mut gazetteer: Vec<(u32, u8)> =
            self.lexicon.gazetteer.iter().map(|(&k, &v)| (k, v)).collect();
        gazetteer.sort_unstable();
        put_uint(&mut raw, gazetteer.len() as u64);
        let mut last = 0u32;
        for &(key, _) in &gazetteer {
            put_uint(&mut raw, u64::from(key - last));
            last = key;
        }
        raw.extend(gazetteer.iter().map(|&(_, mask)| mask));
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&raw).expect("writing to memory");
        encoder.finish().expect("writing to memory")
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, FormatError> {
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| FormatError(format!("not a deflate stream: {e}")))?;
        let mut r = Reader { bytes: &raw, pos: 0 };
        if raw.get(..MAGIC.len()) != Some(MAGIC) {
            return Err(FormatError("bad magic".into()));
        }
        r.pos = MAGIC.len();
        if r.uint()? != N_LABELS as u64 {
            return Err(FormatError("label count differs".into()));
        }
        let n_layers = r.uint()?;
        if !(1..=2).contains(&n_layers) {
            return Err(FormatError(format!("{n_layers} layers")));
        }
        let mut layers = Vec::new();
        for _ in 0..n_layers {
            layers.push(Layer::read(&mut r)?);
        }
        let n_lower = r.len()?;
        let mut lower_seen = std::collections::HashSet::with_capacity(n_lower);
        let mut last = 0u32;
        for _ in 0..n_lower {
            last = last.wrapping_add(r.u32()?);
            lower_seen.insert(last);
        }
        let n_clusters = r.len()?;
        let mut cluster_keys = Vec::with_capacity(n_clusters);
        let mut last = 0u32;
        for _ in 0..n_clusters {
            last = last.wrapping_add(r.u32()?);
            cluster_keys.push(last);
        }
        let mut clusters = HashMap::with_capacity(n_clusters);
        for key in cluster_keys {
            clusters.insert(key, r.u32()?);
        }
        let n_gazetteer = r.len()?;
        let mut gazetteer_keys = Vec::with_capacity(n_gazetteer);
        let mut last = 0u32;
        for _ in 0..n_gazetteer {
            last = last.wrapping_add(r.u32()?);
            gazetteer_keys.push(last);
        }
        let masks =
            raw.get(r.pos..r.pos + n_gazetteer).ok_or_else(|| FormatError("truncated".into()))?;
        let gazetteer = gazetteer_keys.into_iter().zip(masks.iter().copied()).collect();
        r.pos += n_gazetteer;
        if r.pos != raw.len() {
            return Err(FormatError("trailing bytes".into()));
        }
        Ok(Model { layers, lexicon: Lexicon { lower_seen, clusters, gazetteer } })
    }
}

fn put_uint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_int(out: &mut Vec<u8>, n: i64) {
    put_uint(out, ((n << 1) ^ (n >> 63)) as u64);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn uint(&mut self) -> Result<u64, FormatError> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let &b = self.bytes.get(self.pos).ok_or_else(|| FormatError("truncated".into()))?;
            self.pos += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(FormatError("varint too long".into()))
    }

    fn u32(&mut self) -> Result<u32, FormatError> {
        u32::try_from(self.uint()?).map_err(|_| FormatError("value out of range".into()))
    }

    fn len(&mut self) -> Result<usize, FormatError> {
        let n = self.uint()?;
        if n > self.bytes.len() as u64 {
            return Err(FormatError("count larger than the file".into()));
        }
        Ok(n as usize)
    }

    fn i16(&mut self) -> Result<i16, FormatError> {
        let z = self.uint()?;
        let n = ((z >> 1) as i64) ^ -((z & 1) as i64);
        i16::try_from(n).map_err(|_| FormatError("weight out of range".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for l in 0..N_LABELS {
            let (part, t) = part_of(l);
            assert_eq!(label(part, t), l);
        }
        assert!(allowed(None, label(Part::Unit, 2)));
        assert!(!allowed(None, label(Part::Inside, 2)));
        assert!(allowed(Some(label(Part::Begin, 1)), label(Part::Last, 1)));
        assert!(!allowed(Some(label(Part::Begin, 1)), label(Part::Last, 0)));
        assert_eq!(decode_entities(&[1, 3, 0, 8]), vec![(0, 2, 0), (3, 4, 1)]);
    }

    #[test]
    fn serialization_round_trip() {
        let mut layer = Layer {
            index: IdentityMap::default(),
            weights: Vec::new(),
            trans: [[3; N_LABELS]; N_LABELS],
            start: [-2; N_LABELS],
            end: [7; N_LABELS],
        };
        for (row, key) in [17u32, 5, u32::MAX, 0].into_iter().enumerate() {
            layer.index.insert(key, row as u32);
            let mut w = [0i16; N_LABELS];
            w[row] = -300 * row as i16 + 1;
            w[16] = i16::MAX;
            layer.weights.push(w);
        }
        let mut model =
            Model { layers: vec![layer.clone(), Layer::default()], lexicon: Lexicon::default() };
        model.lexicon.lower_seen.extend([9u32, 1, 77]);
        model.lexicon.clusters.extend([(4u32, 0b1011 << 28 | 4), (1, 5)]);
        model.lexicon.gazetteer.extend([(8u32, 3u8), (2, 16)]);
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).expect("reads back");
        // Rows may be renumbered; compare by key.
        let first = &back.layers[0];
        for (key, row) in &layer.index {
            assert_eq!(layer.weights[*row as usize], first.weights[first.index[key] as usize]);
        }
        assert_eq!(first.trans, layer.trans);
        assert_eq!(first.start, layer.start);
        assert_eq!(first.end, layer.end);
        assert_eq!(back.layers[1], Layer::default());
        assert_eq!(back.lexicon, model.lexicon);
        assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
        assert!(Model::from_bytes(b"junk").is_err());
    }
}
