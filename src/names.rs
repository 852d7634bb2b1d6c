//! Certificate names as trust lists spell them (docs/FORMAT.md §3): CUCM's `;`-joined style and
//! the common name that pairs a certificate with its host's record.

use x509_parser::prelude::X509Name;

/// A certificate name in CUCM's style: `ATTR=value` joined by `;`, always in the order CN, OU,
/// O, L, ST, C whatever the certificate's own order, absent attributes skipped.
pub(crate) fn cucm_name(name: &X509Name<'_>) -> String {
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
pub(crate) fn common_name<'n>(name: &'n X509Name<'_>) -> &'n str {
    name.iter_common_name()
        .next()
        .and_then(|attribute| attribute.as_str().ok())
        .unwrap_or_default()
}
