//! Bytes to text: UTF-8 as is, other encodings transcoded, binary refused.

/// Decoded text and, when it was not UTF-8, the encoding it was transcoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The source encoding's name when the bytes were not UTF-8.
    pub transcoded_from: Option<&'static str>,
}

/// How much of a file is looked at to decide whether it is binary.
const SNIFF_BYTES: usize = 64 * 1024;

/// Decodes the bytes of one input file.
///
/// UTF-8 (with or without a byte-order mark) is kept byte for byte, so offsets
/// into the text are offsets into the file. UTF-16 with a byte-order mark and
/// legacy 8-bit encodings (guessed by `chardetng`) are transcoded. Bytes that
/// look like binary data (NUL bytes, many control characters) are refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty file".to_string());
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            if had_errors || looks_binary_text(&text) {
                return Err(format!("binary content: not valid {}", encoding.name()));
            }
            return Ok(Decoded { text: text.into_owned(), transcoded_from: Some(encoding.name()) });
        }
    }
    if looks_binary_bytes(bytes) {
        return Err("binary content (NUL or control bytes), not text".to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text: text.to_string(), transcoded_from: None }),
        Err(_) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
            let (text, _, _) = encoding.decode(bytes);
            Ok(Decoded { text: text.into_owned(), transcoded_from: Some(encoding.name()) })
        }
    }
}

/// NUL bytes, or more than one control byte in twenty, in the first 64 KiB.
fn looks_binary_bytes(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return true;
    }
    let controls =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    controls * 20 > head.len()
}

fn looks_binary_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in text.chars().take(SNIFF_BYTES) {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) {
            controls += 1;
        }
    }
    controls * 20 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_kept_byte_for_byte() {
        let text = "\u{feff}Caf\u{e9} news \u{2013} today";
        let decoded = decode(text.as_bytes()).unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.transcoded_from, None);
    }

    #[test]
    fn latin1_is_transcoded() {
        let decoded = decode(b"Caf\xe9 au lait, na\xefve r\xe9sum\xe9 of the day's news.").unwrap();
        assert!(decoded.text.starts_with("Caf\u{e9}"));
        assert!(decoded.transcoded_from.is_some());
    }

    #[test]
    fn utf16_with_bom_is_transcoded() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Hello news".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, "Hello news");
        assert_eq!(decoded.transcoded_from, Some("UTF-16LE"));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(decode(b"").unwrap_err().contains("empty"));
        assert!(decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]).unwrap_err().contains("binary"));
        assert!(decode(&[1, 2, 3, 4, 5, 6, 7, 8]).unwrap_err().contains("binary"));
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics_and_keeps_utf8(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            if let Ok(decoded) = decode(&bytes) {
                if let Ok(text) = std::str::from_utf8(&bytes) {
                    if decoded.transcoded_from.is_none() {
                        proptest::prop_assert_eq!(decoded.text.as_str(), text);
                    }
                }
            }
        }
    }
}
