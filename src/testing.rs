//! Helpers for the unit tests: texts made at random from given pieces.

/// `len` pieces picked from `pieces` by a xorshift generator whose state is `seed`.
pub fn random_text(seed: &mut u64, pieces: &[&str], len: usize) -> String {
    let mut text = String::new();
    for _ in 0..len {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        text.push_str(pieces[(*seed % pieces.len() as u64) as usize]);
    }
    text
}
