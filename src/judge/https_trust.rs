//! Which server certificate a phone takes on HTTPS port 6971 (docs/FORMAT.md §15): one with an
//! EC key that its ITL lists with the TFTP role (TFTP or CCM+TFTP), or one TVS vouches for.
//! Not the web's rule: no CA chain, no host name, no validity dates.

use std::sync::Arc;

use ctlkit_format::cert::certificate::CertificateInfo;
use ctlkit_format::file::record::Function;
use ctlkit_format::file::trust_list::TrustList;
use ctlkit_format::tlv::warning::WarningKind;

use crate::evidence::https::CertificateCheck;
use crate::judge::acceptance::TvsTrusted;

/// The phone's check of a 6971 server certificate, holding `itl`. With `tvs_trusts` a
/// certificate the ITL does not list is taken when TVS trusts it; with TVS but without what it
/// trusts, the refusal says the phone would ask.
pub(crate) fn phone_certificate_check(
    itl: &TrustList<'_>,
    has_tvs: bool,
    tvs_trusts: Option<&[TvsTrusted]>,
) -> CertificateCheck {
    let listed: Vec<(usize, Vec<u8>)> = itl
        .records()
        .iter()
        .enumerate()
        .filter(|(_, record)| matches!(record.function(), Some(Function::Tftp | Function::CcmTftp)))
        .filter_map(|(index, record)| {
            Some((index.saturating_add(1), record.certificate_der()?.to_vec()))
        })
        .collect();
    let trusted: Option<Vec<(String, Vec<u8>)>> = tvs_trusts.map(|trusted| {
        trusted
            .iter()
            .map(|certificate| (certificate.store.clone(), certificate.der.clone()))
            .collect()
    });
    Arc::new(move |der: &[u8]| {
        let info = CertificateInfo::from_der(der).map_err(|error| match error {
            WarningKind::CertificateUnparseable { reason } => {
                format!("the server's certificate does not parse: {reason}")
            }
            other => format!("the server's certificate does not parse: {}", other.code()),
        })?;
        let subject = &info.subject_dn;
        if info.key.algorithm != "EC" {
            return Err(format!(
                "{subject} has an {} key; a phone takes only an EC certificate on this port",
                info.key
            ));
        }
        if let Some((record, _)) = listed.iter().find(|(_, listed)| listed == der) {
            return Ok(format!(
                "{subject} ({}) is record {record} of the phone's ITL, with the TFTP role",
                info.key
            ));
        }
        match (&trusted, has_tvs) {
            (Some(trusted), true) => match trusted.iter().find(|(_, known)| known == der) {
                Some((store, _)) => Ok(format!(
                    "{subject} is not in the phone's ITL; TVS vouches for it ({store})"
                )),
                None => Err(format!(
                    "{subject} is neither in the phone's ITL with the TFTP role nor trusted by TVS"
                )),
            },
            (None, true) => Err(format!(
                "{subject} is not in the phone's ITL with the TFTP role; the phone asks TVS, \
                 which ctlkit can answer only with --tvs-trusts"
            )),
            (_, false) => Err(format!(
                "{subject} is not in the phone's ITL with the TFTP role, and the phone has no TVS"
            )),
        }
    })
}
