//! Boilerplate removal: from a document's text to its article body.
//!
//! `clean` works on the stretches of text an HTML extractor kept, or on the
//! whole text of a plain-text article, and removes what its rules recognise as
//! page clutter. The result is a [`Cleaned`]: the [`Body`] (article text plus a
//! map back to the document's bytes) and the [`Removed`] stretches with a kind.

use crate::doc::{Document, Span};

/// A stretch of the document's text that is not article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Where it is in the document's text.
    pub span: Span,
    /// Why it was removed: `related-posts`, `read-more`, `social-embed`,
    /// `caption`, `slogan`, `page-date`, `share`, `copyright`, `credit`,
    /// `title`, `dateline`, `page-chrome`, ….
    pub kind: &'static str,
}

/// The article body: kept stretches of the document's text, joined by blank lines.
///
/// **Invariant:** every piece of `text` is a byte-for-byte copy of the
/// document's text at the piece's source offset, so body offsets map back exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// The body as one string.
    pub text: String,
    /// The kept stretches of the document's text, in order.
    pub pieces: Vec<Span>,
    /// Where each piece starts in `text`.
    starts: Vec<usize>,
}

/// What the body pieces are joined with.
pub const PIECE_SEPARATOR: &str = "\n\n";

impl Body {
    /// Builds the body from kept stretches of `source` (in order, not overlapping).
    pub fn from_pieces(source: &str, pieces: Vec<Span>) -> Body {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(pieces.len());
        for (piece_idx, piece) in pieces.iter().enumerate() {
            if piece_idx > 0 {
                text.push_str(PIECE_SEPARATOR);
            }
            starts.push(text.len());
            text.push_str(&source[piece.range()]);
        }
        Body { text, pieces, starts }
    }

    /// Maps a span of the body text to the document's text, when it lies inside one piece.
    pub fn to_source(&self, body_span: Span) -> Option<Span> {
        let piece_idx = self.starts.partition_point(|&s| s <= body_span.start as usize).checked_sub(1)?;
        let piece = self.pieces[piece_idx];
        let offset = body_span.start as usize - self.starts[piece_idx];
        if offset + body_span.len() > piece.len() {
            return None;
        }
        Some(Span::new(piece.start as usize + offset, piece.start as usize + offset + body_span.len()))
    }

    /// The pieces with their start offsets in the body text.
    pub fn pieces_with_starts(&self) -> impl Iterator<Item = (usize, Span)> + '_ {
        self.starts.iter().copied().zip(self.pieces.iter().copied())
    }
}

/// The outcome of cleaning one document.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    /// The headline, as a span of the document's text, when it stands there.
    pub title: Option<Span>,
    /// The article body.
    pub body: Body,
    /// What was taken out, in text order.
    pub removed: Vec<Removed>,
}

/// Cleans one document.
pub fn clean(doc: &Document) -> Cleaned {
    let pieces = doc.extracted.clone().unwrap_or_else(|| vec![Span::new(0, doc.text.len())]);
    Cleaned { title: None, body: Body::from_pieces(&doc.text, pieces), removed: Vec::new() }
}
