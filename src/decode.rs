//! Text files as the engine reads them (content, site.toml, theme.toml, templates): UTF-8
//! with located errors, no byte-order mark, LF line ends, Unicode NFC.

use crate::error::{Diagnostic, Error, Result, line_col};

/// Decodes UTF-8 (with or without BOM), normalizing CRLF line ends, and Unicode to NFC: Hangul
/// written as separate jamo (NFD, as some systems paste it) becomes the syllables the rest of
/// the report uses, so names are found in it and search matches it. Invalid bytes are a
/// located error.
pub fn decode(mut bytes: Vec<u8>, shown: &str) -> Result<String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::new(
            Diagnostic::error("file is UTF-16; content files must be UTF-8").in_file(shown).at(1, 1).with_help("save the file as UTF-8"),
        ));
    }
    // The fast check first (most files are valid); the standard one finds where a bad one fails.
    let mut text = match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: the bytes were just validated as UTF-8.
        Ok(_) => unsafe { String::from_utf8_unchecked(bytes) },
        Err(_) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let good = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let prefix = String::from_utf8_lossy(&bytes[..good]);
                let (l, c) = line_col(&prefix, prefix.len());
                return Err(Error::new(
                    Diagnostic::error(format!("invalid UTF-8 (byte 0x{:02X})", bytes[good]))
                        .in_file(shown)
                        .at(l, c)
                        .with_help("save the file as UTF-8"),
                ));
            }
        },
    };
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if !surely_nfc(&text) {
        let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
        if !nfc.is_normalized(&text) {
            text = nfc.normalize(&text).into_owned();
        }
    }
    if text.contains('\0') {
        let off = text.find('\0').unwrap_or(0);
        let (l, c) = line_col(&text, off);
        return Err(Error::new(
            Diagnostic::error("NUL byte in a text file")
                .in_file(shown)
                .at(l, c)
                .with_help("the file is damaged or not text: save it again as UTF-8 text, or move a binary file to content/assets/"),
        ));
    }
    Ok(text)
}

/// Characters above U+02FF that are their own NFC, have combining class 0 and never combine
/// with the character before them: text made only of these (and of U+0000–U+02FF) is in NFC.
/// Most Korean text is: Hangul syllables, CJK ideographs, common punctuation and symbols.
const NFC_INERT: &[std::ops::RangeInclusive<u32>] = &[
    0xAC00..=0xD7A3, // Hangul syllables
    0x4000..=0x9FFF, // CJK ideographs (extension A from U+3400, unified from U+4E00), hexagrams
    0x2010..=0x2027, // dashes, quotation marks, bullets
    0x2030..=0x205E,
    0x2070..=0x209F, // superscripts and subscripts
    0x2190..=0x21FF, // arrows
    0x2460..=0x24FF, // circled numbers and letters
    0x2500..=0x27BF, // box drawing, geometric shapes, symbols, dingbats
    0x3000..=0x3029, // CJK punctuation (U+302A–U+302F are combining marks)
    0x3030..=0x303F,
    0x3130..=0x318F, // Hangul compatibility jamo
    0xFF01..=0xFF5E, // full-width ASCII
];

/// Whether `text` is surely in NFC without asking the normalizer, whose check costs about 20
/// instructions a byte: every character is below U+0300 or in [`NFC_INERT`]. Read by lead
/// byte, so that ASCII, Hangul syllables and CJK ideographs cost one comparison each.
fn surely_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // ASCII, continuation bytes, and the leads of U+0080–U+02FF.
            0x00..=0xCB => i += 1,
            // U+4000–U+9FFF and U+B000–U+CFFF: ideographs and Hangul syllables.
            0xE4..=0xE9 | 0xEB | 0xEC => i += 3,
            // U+AC00–U+AFFF and U+D000–U+D79F: Hangul syllables, told by the second byte.
            0xEA if bytes.get(i + 1).is_some_and(|&b| b >= 0xB0) => i += 3,
            0xED if bytes.get(i + 1).is_some_and(|&b| b < 0x9E) => i += 3,
            // U+2000–U+3FFF, U+A000–U+AFFF, U+D000–U+DFFF, U+F000–U+FFFF: some are inert.
            0xE2 | 0xE3 | 0xEA | 0xED | 0xEF => {
                let c = text[i..].chars().next().map_or(0, |c| c as u32);
                if !NFC_INERT.iter().any(|r| r.contains(&c)) {
                    return false;
                }
                i += 3;
            }
            // U+0300–U+1FFF, U+E000–U+EFFF and above U+FFFF: left to the normalizer.
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_crlf() {
        let t = decode(b"\xEF\xBB\xBFid: a\r\nx: 1\r\n".to_vec(), "t.yaml").unwrap();
        assert_eq!(t, "id: a\nx: 1\n");
    }

    #[test]
    fn decomposed_hangul_is_composed() {
        // 바이두 as jamo (NFD): nine characters, read as the three syllables.
        let nfd = "name: \u{1107}\u{1161}\u{110B}\u{1175}\u{1103}\u{116E}\n";
        assert_eq!(decode(nfd.as_bytes().to_vec(), "t.yaml").unwrap(), "name: 바이두\n");
        assert_eq!(decode("e\u{301}".as_bytes().to_vec(), "t.md").unwrap(), "\u{e9}");
    }

    /// Each inert character is its own NFC, has combining class 0, and neither it nor the
    /// first character of its decomposition is the second of any canonical composition; so no
    /// text made of them changes under NFC (below U+0300 as well, checked alike).
    #[test]
    fn inert_characters_never_change_under_nfc() {
        use icu_normalizer::properties::{CanonicalCombiningClassMapBorrowed, CanonicalDecompositionBorrowed, Decomposed};
        let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
        let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd();
        let decompose = CanonicalDecompositionBorrowed::new();
        let ccc = CanonicalCombiningClassMapBorrowed::new();
        let seconds: std::collections::HashSet<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter_map(|c| match decompose.decompose(c) {
                Decomposed::Expansion(_, b) => Some(b),
                _ => None,
            })
            .collect();
        let inert = (0..0x300).chain(NFC_INERT.iter().flat_map(|r| r.clone())).filter_map(char::from_u32);
        let mut checked = 0;
        for c in inert {
            let s = c.to_string();
            assert_eq!(nfc.normalize(&s), s, "U+{:04X} changes under NFC", c as u32);
            assert_eq!(ccc.get_u8(c), 0, "U+{:04X} has a combining class", c as u32);
            assert!(!seconds.contains(&c), "U+{:04X} combines with the character before it", c as u32);
            let first = nfd.normalize(&s).chars().next().unwrap();
            assert!(!seconds.contains(&first), "U+{:04X} decomposes to a combining character", c as u32);
            checked += 1;
        }
        assert!(checked > 30_000, "{checked}");
        // The lead-byte reading agrees with the ranges, character by character.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let n = c as u32;
            let inert = n < 0x300 || NFC_INERT.iter().any(|r| r.contains(&n));
            assert_eq!(surely_nfc(&c.to_string()), inert, "U+{n:04X}");
            assert_eq!(surely_nfc(&format!("a{c}가")), inert, "U+{n:04X} between others");
        }
        assert!(surely_nfc("중국제조 2025 「인터넷 플러스」 ※ → ①"));
        assert!(!surely_nfc("\u{1107}\u{1161}"));
        assert!(!surely_nfc("\u{F900}"), "a compatibility ideograph is left to the normalizer");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = decode(b"id: a\nname: \xFF\xFE\n".to_vec(), "t.yaml").unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col), (2, 7), "{d}");
        assert!(d.message.contains("invalid UTF-8"));
        let e = decode(b"\xFF\xFEi\0d\0".to_vec(), "t.yaml").unwrap_err();
        assert!(e.to_string().contains("UTF-16"));
    }
}
