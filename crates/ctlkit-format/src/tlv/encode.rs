//! The one TLV writer: tag, 2-byte big-endian length, value (docs/FORMAT.md §1). Both the
//! round trip of parsed elements and the builder write through here.

/// A value longer than a 2-byte length can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueTooLong {
    /// The tag of the element that would not fit.
    pub tag: u8,
    /// Its value's size.
    pub size: usize,
}

/// Appends tag and length.
pub fn put_head(out: &mut Vec<u8>, tag: u8, length: u16) {
    out.push(tag);
    out.extend_from_slice(&length.to_be_bytes());
}

/// Appends a whole element; a container is written the same way with its children as value.
pub fn put_element(out: &mut Vec<u8>, tag: u8, value: &[u8]) -> Result<(), ValueTooLong> {
    let length = u16::try_from(value.len()).map_err(|_| ValueTooLong {
        tag,
        size: value.len(),
    })?;
    put_head(out, tag, length);
    out.extend_from_slice(value);
    Ok(())
}

/// `text` followed by the NUL every name string ends with.
pub fn nul_terminated(text: &[u8]) -> Vec<u8> {
    let mut value = Vec::with_capacity(text.len().saturating_add(1));
    value.extend_from_slice(text);
    value.push(0);
    value
}
