//! Certificate names as trust lists spell them (docs/FORMAT.md §3): CUCM's `;`-joined style and
//! the common name that pairs a certificate with its host's record.

use x509_parser::prelude::X509Name;

/// A certificate name in CUCM's style: `ATTR=value` joined by `;`, always in the order CN, OU,
/// O, L, ST, C whatever the certificate's own order, absent attributes skipped.
pub fn cucm_name(name: &X509Name<'_>) -> String {
    let parts = [
        ("CN", name.iter_common_name().next()),
        ("OU", name.iter_organizational_unit().next()),
        ("O", name.iter_organization().next()),
        ("L", name.iter_locality().next()),
        ("ST", name.iter_state_or_province().next()),
        ("C", name.iter_country().next()),
    ];
    parts
        .iter()
        .filter_map(|(key, attribute)| {
            let value = attribute.as_ref()?.as_str().ok()?;
            Some(format!("{key}={value}"))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The first CN, empty when there is none or it is not a string: CUCM names nodes' certificates
/// after the host, so the CN is what pairs a certificate with a record's DNSNAME.
pub fn common_name<'n>(name: &'n X509Name<'_>) -> &'n str {
    name.iter_common_name()
        .next()
        .and_then(|attribute| attribute.as_str().ok())
        .unwrap_or_default()
}

/// Whether two names as trust lists spell them (a header's CANAME, a record's ISSUERNAME) name
/// the same issuer, whoever wrote them: CUCM's `;`-joined style, RFC 4514's `,`, the eToken
/// client's lower-case keys and quotes (whose last quote the length cut off) all compare by
/// their attributes, in any order, case-insensitively. Text that holds no `KEY=value` pair
/// compares as trimmed text.
pub fn same_name(left: &[u8], right: &[u8]) -> bool {
    match (attributes(left), attributes(right)) {
        (Some(left), Some(right)) => left == right,
        (None, None) => trimmed(left).eq_ignore_ascii_case(trimmed(right)),
        _ => false,
    }
}

/// A name's `KEY=value` pairs, keys and values lower-cased and unquoted, sorted; `None` when a
/// part has no `=`.
fn attributes(name: &[u8]) -> Option<Vec<(String, String)>> {
    let text = String::from_utf8_lossy(trimmed(name)).to_ascii_lowercase();
    let mut pairs = Vec::new();
    for part in split_outside_quotes(&text) {
        if part.trim().is_empty() {
            continue;
        }
        let (key, value) = part.split_once('=')?;
        let key = match key.trim() {
            "emailaddress" => "e",
            "s" => "st",
            other => other,
        };
        let value = value.trim().trim_matches('"').trim().replace('\\', "");
        pairs.push((key.to_owned(), value));
    }
    pairs.sort();
    (!pairs.is_empty()).then_some(pairs)
}

/// Splits at `;` and `,` that are neither quoted nor escaped.
fn split_outside_quotes(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut escaped = false;
    let mut start = 0;
    for (position, character) in text.char_indices() {
        match character {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ';' | ',' if !quoted => {
                parts.push(text.get(start..position).unwrap_or_default());
                start = position.saturating_add(1);
            }
            _ => {}
        }
    }
    parts.push(text.get(start..).unwrap_or_default());
    parts
}

/// Without NUL terminators and surrounding white space.
fn trimmed(name: &[u8]) -> &[u8] {
    let end = name
        .iter()
        .rposition(|&byte| byte != 0 && !byte.is_ascii_whitespace())
        .map_or(0, |last| last.saturating_add(1));
    let start = name
        .iter()
        .position(|&byte| byte != 0 && !byte.is_ascii_whitespace())
        .unwrap_or(end);
    name.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::same_name;

    #[test]
    fn one_issuer_in_every_writers_spelling() {
        let cucm = b"CN=cucm-pub;OU=VOICE;O=Example Corp;L=Austin;ST=Texas;C=US\0";
        let rfc4514 = b"CN=cucm-pub,OU=VOICE,O=Example Corp,L=Austin,ST=Texas,C=US";
        let reordered = b"C=US, ST=Texas, L=Austin, O=Example Corp, OU=VOICE, CN=cucm-pub";
        assert!(same_name(cucm, rfc4514));
        assert!(same_name(rfc4514, reordered));
        // The eToken client's quotes, whose last one the length cut off.
        assert!(same_name(
            b"cn=\"Cisco Manufacturing CA\";o=\"Cisco Systems",
            b"CN=Cisco Manufacturing CA,O=Cisco Systems"
        ));
        assert!(same_name(
            b"o=\"Cisco Systems, Inc\"",
            b"O=Cisco Systems\\, Inc"
        ));
        assert!(same_name(b"PT=3951_cop2", b"pt=3951_cop2\0"));
        assert!(same_name(b"opaque signer", b"Opaque Signer \0"));
    }

    #[test]
    fn another_issuer_is_another_name() {
        let ours = b"CN=cucm-pub,OU=VOICE,O=Example Corp,L=Austin,ST=Texas,C=US";
        assert!(!same_name(
            ours,
            b"CN=cucm-pub,OU=VOICE,O=Other Corp,L=Austin,ST=Texas,C=US"
        ));
        assert!(!same_name(ours, b"CN=cucm-pub"));
        assert!(!same_name(ours, b"an opaque name"));
        assert!(!same_name(b"", ours));
    }
}
