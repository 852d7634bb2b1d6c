//! Turning the format's byte strings into text that is safe to print.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The bytes before the first NUL: name strings are NUL-terminated, but eToken records lose
/// their last byte to the length, so a missing NUL is normal, not an error.
pub fn until_nul(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&byte| byte == 0) {
        Some(nul) => bytes.get(..nul).unwrap_or(bytes),
        None => bytes,
    }
}

/// A name string as text for a terminal: invalid UTF-8 replaced, control characters shown as
/// `\xNN`, so a hostile file cannot move the cursor or recolour the screen.
pub fn printable(bytes: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(bytes);
    if !text.chars().any(char::is_control) {
        return text;
    }
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if character.is_control() {
            let _ = write!(escaped, "\\x{:02x}", u32::from(character));
        } else {
            escaped.push(character);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_nul_stops_at_first_nul_and_keeps_unterminated_strings() {
        assert_eq!(until_nul(b"CN=a\0junk"), b"CN=a");
        assert_eq!(until_nul(b"\0"), b"");
        assert_eq!(until_nul(b"cn=\"SAST-ADN"), b"cn=\"SAST-ADN");
    }

    #[test]
    fn printable_escapes_terminal_control_bytes() {
        assert_eq!(printable(b"CN=ok"), "CN=ok");
        assert_eq!(printable(b"\x1b[31mred"), "\\x1b[31mred");
        assert_eq!(printable(b"a\xffb"), "a\u{fffd}b");
    }
}
