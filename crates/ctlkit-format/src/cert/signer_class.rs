//! Who signed a trust list — an eToken, ITLRecovery, a node's CallManager, or a key of its own —
//! a fact about the file that decides what can sign the next one (docs/FORMAT.md §3, §10).

use crate::file::record::{Function, Record};
use crate::file::trust_list::TrustList;

/// Who signed a trust list, which decides what can sign the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignerClass {
    /// A USB eToken (issued by Cisco Manufacturing CA), through the CTL client.
    Etoken,
    /// The cluster's ITLRecovery key.
    ItlRecovery,
    /// A node's CallManager key (the file also lists it as CCM or CCM+TFTP).
    CallManager,
    /// Anything else: a non-Cisco builder's own key.
    ThirdParty,
}

impl SignerClass {
    /// A stable name.
    pub fn code(self) -> &'static str {
        match self {
            SignerClass::Etoken => "etoken",
            SignerClass::ItlRecovery => "itlrecovery",
            SignerClass::CallManager => "callmanager",
            SignerClass::ThirdParty => "third_party",
        }
    }
}

/// The class of `list`'s signer, judged from its signer record (or the header when the file
/// does not hold it).
pub fn signer_class(list: &TrustList<'_>) -> SignerClass {
    let header = list.header();
    let serial = header.signer_serial();
    let records_with_serial = || {
        list.records().iter().filter(move |record| {
            match (serial.as_ref(), record.serial_number()) {
                (Some(wanted), Some(found)) => *wanted == found,
                _ => false,
            }
        })
    };
    let issuer = header.signer_issuer().unwrap_or_default();
    let name = header.signer_name().unwrap_or_default();
    let contains = |haystack: &[u8], needle: &[u8]| {
        haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
    };
    if contains(issuer, b"Cisco Manufacturing CA") {
        SignerClass::Etoken
    } else if contains(name, b"ITLRECOVERY_") {
        SignerClass::ItlRecovery
    } else if records_with_serial()
        .any(|record| matches!(record.function(), Some(Function::Ccm | Function::CcmTftp)))
    {
        SignerClass::CallManager
    } else {
        SignerClass::ThirdParty
    }
}

/// Whether a record is the cluster's ITLRecovery certificate: a SAST record whose subject
/// names `ITLRECOVERY_…` (it has no FUNCTION code of its own).
pub fn is_itl_recovery(record: &Record<'_>) -> bool {
    record.subject_name().is_some_and(|subject| {
        subject
            .windows(12)
            .any(|window| window.eq_ignore_ascii_case(b"ITLRECOVERY_"))
    })
}
