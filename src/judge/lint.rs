//! What phones and CUCM will refuse in a file that otherwise parses (docs/FORMAT.md §10):
//! sizes, signers, root anchors, roles, keys and digests, dates, keys whose private half is
//! public, and structure. Each finding is data — a rule with its facts — and the words, the
//! fixes and each rule's page are written in `report`.

use std::fmt;
use std::net::IpAddr;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey as ParsedKey;

use crate::judge::check::{
    CheckError, CheckStatus, Checked, Finding, Role, ServerCertificate, check,
};
use crate::judge::inspect::certificate_warnings;
use ctlkit_format::cert::certificate::{CertificateInfo, Expiry};
use ctlkit_format::cert::serial::Serial;
use ctlkit_format::cert::signer_class::{SignerClass, is_itl_recovery, signer_class};
use ctlkit_format::file::header::{DigestAlgorithm, Header};
use ctlkit_format::file::record::{Function, Record};
use ctlkit_format::file::signed_file::CiscoFile;
use ctlkit_format::file::trust_list::{Kind, TrustList};
use ctlkit_format::sign::signature::{Outcome, Verification, verify};
use ctlkit_format::timefmt::from_timestamp;
use ctlkit_format::tlv::element::ElementName;
use ctlkit_format::tlv::warning::Warning;

/// Phones fail to register with an ITL larger than this (CUCM security guide).
pub const ITL_MAX_BYTES: usize = 64 * 1024;
/// … or with more certificates than this in it.
pub const ITL_MAX_CERTIFICATES: usize = 39;
/// Within this many bytes of the limit, a file is near it.
const NEAR_BYTES: usize = 8 * 1024;
/// Within this many certificates of the limit, a file is near it.
const NEAR_CERTIFICATES: usize = 4;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Likely trouble.
    Warning,
    /// Phones will refuse the file or fail.
    Error,
}

impl Severity {
    /// `info`, `warning`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A CUCM release as admins write it (`10.5`, `11.5(1)SU3`, `12.5(1)SU2`, `14SU3`, `15.0`),
/// as far as the rules care: major, minor and service update. The build in parentheses is
/// not kept; ordering is by major, then minor, then SU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    major: u8,
    minor: u8,
    su: u8,
}

impl Release {
    /// 10.0.
    pub const V10: Release = Release::new(10, 0, 0);
    /// 11.0.
    pub const V11: Release = Release::new(11, 0, 0);
    /// 12.0: ITLRecovery signs the ITL, and a tokenless CTL.
    pub const V12: Release = Release::new(12, 0, 0);
    /// 12.5.
    pub const V12_5: Release = Release::new(12, 5, 0);
    /// 14.
    pub const V14: Release = Release::new(14, 0, 0);
    /// 14SU3: USB eTokens unsupported.
    pub const V14_SU3: Release = Release::new(14, 0, 3);
    /// 15.
    pub const V15: Release = Release::new(15, 0, 0);

    /// Major, minor, SU.
    pub const fn new(major: u8, minor: u8, su: u8) -> Self {
        Release { major, minor, su }
    }

    /// The forms admins write: `12`, `12.5`, `11.5(1)SU3`, `12.5(1)SU2`, `14SU3`, `15SU1`,
    /// `15.0`, a full version (`12.5.1.13900-52`); CUCM releases 8 to 12 and 14 on (there is no
    /// 13). `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let upper = text.trim().to_ascii_uppercase();
        let (version, su) = match upper.split_once("SU") {
            Some((version, su)) => (version, Some(su.trim())),
            None => (upper.as_str(), None),
        };
        let su = match su {
            Some(digits) => number(digits)?,
            None => 0,
        };
        // `11.5(1)`: the build in parentheses says nothing the rules use.
        let version = match version.split_once('(') {
            Some((version, build)) => {
                let inside = build.strip_suffix(')')?;
                number(inside)?;
                version
            }
            None => version,
        };
        let version = version.trim();
        let mut parts = version.splitn(3, '.');
        let major = number(parts.next()?)?;
        let minor = parts.next().map(number).unwrap_or(Some(0))?;
        // The rest of a full version (`1.13900-52`) is a build number.
        if let Some(rest) = parts.next()
            && !rest
                .bytes()
                .all(|byte| byte.is_ascii_digit() || byte == b'.' || byte == b'-')
        {
            return None;
        }
        // CUCM went from 12.5 to 14: there is no 13.
        let known = (8..=12).contains(&major) || (14..=99).contains(&major);
        known.then_some(Release::new(major, minor, su))
    }
}

/// A short decimal number, nothing else.
fn number(digits: &str) -> Option<u8> {
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.su > 0 {
            write!(f, "SU{}", self.su)?;
        }
        Ok(())
    }
}

/// A lint rule: its stable id, and how serious its findings are. Each rule's severity — and
/// each fact that changes it — is written here once, so a finding and the rule's page cannot
/// disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    /// SIZ001.
    Siz001,
    /// SIZ002.
    Siz002,
    /// SIZ003.
    Siz003,
    /// SIG001.
    Sig001,
    /// SIG002.
    Sig002,
    /// SIG003.
    Sig003,
    /// SIG004.
    Sig004,
    /// SIG005.
    Sig005,
    /// SIG006.
    Sig006,
    /// ANC001.
    Anc001,
    /// ANC002.
    Anc002,
    /// ANC003.
    Anc003,
    /// CER001.
    Cer001,
    /// ROL001.
    Rol001,
    /// ROL002.
    Rol002,
    /// ROL003.
    Rol003,
    /// ROL004.
    Rol004,
    /// ROL005.
    Rol005,
    /// ROL006.
    Rol006,
    /// KEY001.
    Key001,
    /// KEY002.
    Key002,
    /// KEY003.
    Key003,
    /// KEY004.
    Key004,
    /// DAT001.
    Dat001,
    /// DAT002.
    Dat002,
    /// DAT003.
    Dat003,
    /// DAT004.
    Dat004,
    /// DAT005.
    Dat005,
    /// KNO001.
    Kno001,
    /// STR001.
    Str001,
}

impl RuleId {
    /// Every rule, in id order.
    pub const ALL: [RuleId; 30] = [
        RuleId::Siz001,
        RuleId::Siz002,
        RuleId::Siz003,
        RuleId::Sig001,
        RuleId::Sig002,
        RuleId::Sig003,
        RuleId::Sig004,
        RuleId::Sig005,
        RuleId::Sig006,
        RuleId::Anc001,
        RuleId::Anc002,
        RuleId::Anc003,
        RuleId::Cer001,
        RuleId::Rol001,
        RuleId::Rol002,
        RuleId::Rol003,
        RuleId::Rol004,
        RuleId::Rol005,
        RuleId::Rol006,
        RuleId::Key001,
        RuleId::Key002,
        RuleId::Key003,
        RuleId::Key004,
        RuleId::Dat001,
        RuleId::Dat002,
        RuleId::Dat003,
        RuleId::Dat004,
        RuleId::Dat005,
        RuleId::Kno001,
        RuleId::Str001,
    ];

    /// `SIZ001`, `SIG005`…
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::Siz001 => "SIZ001",
            RuleId::Siz002 => "SIZ002",
            RuleId::Siz003 => "SIZ003",
            RuleId::Sig001 => "SIG001",
            RuleId::Sig002 => "SIG002",
            RuleId::Sig003 => "SIG003",
            RuleId::Sig004 => "SIG004",
            RuleId::Sig005 => "SIG005",
            RuleId::Sig006 => "SIG006",
            RuleId::Anc001 => "ANC001",
            RuleId::Anc002 => "ANC002",
            RuleId::Anc003 => "ANC003",
            RuleId::Cer001 => "CER001",
            RuleId::Rol001 => "ROL001",
            RuleId::Rol002 => "ROL002",
            RuleId::Rol003 => "ROL003",
            RuleId::Rol004 => "ROL004",
            RuleId::Rol005 => "ROL005",
            RuleId::Rol006 => "ROL006",
            RuleId::Key001 => "KEY001",
            RuleId::Key002 => "KEY002",
            RuleId::Key003 => "KEY003",
            RuleId::Key004 => "KEY004",
            RuleId::Dat001 => "DAT001",
            RuleId::Dat002 => "DAT002",
            RuleId::Dat003 => "DAT003",
            RuleId::Dat004 => "DAT004",
            RuleId::Dat005 => "DAT005",
            RuleId::Kno001 => "KNO001",
            RuleId::Str001 => "STR001",
        }
    }

    /// The rule with this id, in any case.
    pub fn parse(id: &str) -> Option<Self> {
        RuleId::ALL
            .into_iter()
            .find(|rule| rule.as_str().eq_ignore_ascii_case(id))
    }

    /// The severity its findings have unless one of [`RuleId::exceptions`] applies.
    pub fn severity(self) -> Severity {
        match self {
            RuleId::Siz001 => Severity::Error,
            RuleId::Siz002 => Severity::Error,
            RuleId::Siz003 => Severity::Warning,
            RuleId::Sig001 => Severity::Error,
            RuleId::Sig002 => Severity::Error,
            RuleId::Sig003 => Severity::Warning,
            RuleId::Sig004 => Severity::Info,
            RuleId::Sig005 => Severity::Warning,
            RuleId::Sig006 => Severity::Info,
            RuleId::Anc001 => Severity::Warning,
            RuleId::Anc002 => Severity::Warning,
            RuleId::Anc003 => Severity::Error,
            RuleId::Cer001 => Severity::Warning,
            RuleId::Rol001 => Severity::Warning,
            RuleId::Rol002 => Severity::Error,
            RuleId::Rol003 => Severity::Error,
            RuleId::Rol004 => Severity::Warning,
            RuleId::Rol005 => Severity::Warning,
            RuleId::Rol006 => Severity::Warning,
            RuleId::Key001 => Severity::Warning,
            RuleId::Key002 => Severity::Warning,
            RuleId::Key003 => Severity::Warning,
            RuleId::Key004 => Severity::Warning,
            RuleId::Dat001 => Severity::Error,
            RuleId::Dat002 => Severity::Error,
            RuleId::Dat003 => Severity::Warning,
            RuleId::Dat004 => Severity::Warning,
            RuleId::Dat005 => Severity::Warning,
            RuleId::Kno001 => Severity::Error,
            RuleId::Str001 => Severity::Warning,
        }
    }

    /// The other severities a finding of this rule can have, and when.
    pub fn exceptions(self) -> &'static [(Severity, &'static str)] {
        match self {
            RuleId::Sig005 => &[(Severity::Info, "when the release is not known")],
            RuleId::Sig006 => &[
                (Severity::Warning, "on 14 before SU3"),
                (Severity::Error, "from 14SU3"),
            ],
            RuleId::Anc002 => &[(
                Severity::Error,
                "when the other anchor does not hold either",
            )],
            RuleId::Rol003 => &[(Severity::Info, "with --expect-rollback")],
            RuleId::Key001 => &[(Severity::Info, "for eTokens, 1024-bit by design")],
            _ => &[],
        }
    }
}

/// What a lint found, with the facts the words need.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Lint {
    /// SIZ001: an ITL larger than phones load.
    ItlTooLarge {
        /// Its size.
        bytes: usize,
    },
    /// SIZ002: an ITL with more certificates than phones load.
    ItlTooManyCertificates {
        /// How many.
        count: usize,
    },
    /// SIZ003: an ITL near either limit.
    ItlNearLimit {
        /// Its size.
        bytes: usize,
        /// Its certificates.
        count: usize,
    },
    /// SIG001: the signature does not hold with the file's own signer record.
    SignatureNotValid(Outcome),
    /// SIG002: the header's signer is a record, but not a SAST one.
    SignerNotSast {
        /// Its role.
        role: Option<Function>,
    },
    /// SIG003: more than two SAST records.
    TooManySast {
        /// How many.
        count: usize,
    },
    /// SIG004: who signed.
    SignerClass(SignerClass),
    /// SIG005: signed by CallManager on 12.0 or later: `utils itl|ctl reset localkey` was
    /// never undone. With the release unknown, a note naming the assumption: 10.x and 11.x
    /// sign this way by design.
    CallManagerSignsOn12 {
        /// The file's kind.
        kind: Kind,
        /// What says the cluster runs 12.0 or later.
        basis: ReleaseBasis,
    },
    /// SIG006: a CTL signed by an eToken, which 14SU3 and later no longer support.
    EtokenUnsupported {
        /// The release given, if any.
        release: Option<Release>,
    },
    /// ANC001: a CTL without an ITLRecovery SAST record.
    NoItlRecoveryAnchor,
    /// ANC002: a root anchor of the CTL is not the cluster's current certificate.
    StaleAnchor {
        /// ITLRecovery or CallManager.
        role: Role,
        /// The PEM's path.
        certificate: String,
        /// Whether the other anchor still matches (if not, phones have no anchor left);
        /// `None` when its certificate was not given.
        other_anchor_holds: Option<bool>,
    },
    /// ANC003: ITLRecovery's key is shorter than the servers' keys.
    RecoveryKeyShort {
        /// ITLRecovery's key size.
        recovery_bits: usize,
        /// The longest CallManager key in the file.
        callmanager_bits: usize,
    },
    /// CER001: a record does not hold the cluster's current certificate given on the command
    /// line (what `check` reports), beyond a tokenless CTL's anchors (ANC002).
    NotClusterCertificate {
        /// Which certificate.
        role: Role,
        /// The PEM's path.
        certificate: String,
        /// What `check` found: mismatch, stale or missing.
        status: CheckStatus,
    },
    /// ROL001: an ITL without a TVS record.
    NoTvs {
        /// Signed by a key of its own (a PBX's): there is no TVS to add, only the SAST key to
        /// keep.
        outside_cucm: bool,
    },
    /// ROL002: an ITL without a TFTP or CCM+TFTP record.
    NoTftp {
        /// Signed by a key of its own (a PBX's): the fix is the builder's, not Cisco TFTP's.
        outside_cucm: bool,
    },
    /// ROL003: TVS / TFTP records without certificates: a rollback ITL.
    Rollback {
        /// The placeholder records.
        records: Vec<usize>,
        /// `--expect-rollback` was given.
        expected: bool,
    },
    /// ROL004: the same certificate twice in the same role.
    DuplicateRecord {
        /// The first record.
        first: usize,
    },
    /// ROL005: SUBJECTNAME does not name the certificate it carries.
    SubjectDisagrees {
        /// The certificate's CN.
        common_name: String,
    },
    /// ROL006: a FUNCTION code the format does not define.
    UnknownFunction {
        /// The code.
        code: u16,
    },
    /// KEY001: an RSA key under 2048 bits.
    ShortKey {
        /// Its size.
        bits: usize,
        /// An eToken's (1024-bit by design).
        etoken: bool,
    },
    /// KEY002: a key phones are reported not to take without header tag 28 = 1.1.
    KeyNeedsSignerVersion {
        /// `RSA 4096`, `EC 256`…
        key: String,
    },
    /// KEY003: signed with SHA-512.
    Sha512,
    /// KEY004: digest code 2 (SHA-256), which CUCM never writes.
    Sha256Digest,
    /// DAT001: a certificate past its notAfter.
    Expired {
        /// notAfter.
        not_after: OffsetDateTime,
    },
    /// DAT002: a certificate before its notBefore.
    NotYetValid {
        /// notBefore.
        not_before: OffsetDateTime,
    },
    /// DAT003: a certificate that ends within the warning window.
    Expiring {
        /// notAfter.
        not_after: OffsetDateTime,
        /// The window.
        days: u32,
    },
    /// DAT004: a TIMESTAMP in the future.
    TimestampInFuture {
        /// TIMESTAMP.
        signed: OffsetDateTime,
    },
    /// DAT005: a TIMESTAMP before the signer's certificate existed.
    TimestampBeforeSigner {
        /// TIMESTAMP.
        signed: OffsetDateTime,
        /// The signer certificate's notBefore.
        issued: OffsetDateTime,
    },
    /// KNO001: a key whose private half is published.
    KnownKey {
        /// Where it was published.
        published: &'static str,
    },
    /// STR001: an oddity of the file's structure.
    Structure(Warning),
}

impl Lint {
    /// The rule this finding is of.
    pub fn id(&self) -> RuleId {
        match self {
            Lint::ItlTooLarge { .. } => RuleId::Siz001,
            Lint::ItlTooManyCertificates { .. } => RuleId::Siz002,
            Lint::ItlNearLimit { .. } => RuleId::Siz003,
            Lint::SignatureNotValid(_) => RuleId::Sig001,
            Lint::SignerNotSast { .. } => RuleId::Sig002,
            Lint::TooManySast { .. } => RuleId::Sig003,
            Lint::SignerClass(_) => RuleId::Sig004,
            Lint::CallManagerSignsOn12 { .. } => RuleId::Sig005,
            Lint::EtokenUnsupported { .. } => RuleId::Sig006,
            Lint::NoItlRecoveryAnchor => RuleId::Anc001,
            Lint::StaleAnchor { .. } => RuleId::Anc002,
            Lint::RecoveryKeyShort { .. } => RuleId::Anc003,
            Lint::NotClusterCertificate { .. } => RuleId::Cer001,
            Lint::NoTvs { .. } => RuleId::Rol001,
            Lint::NoTftp { .. } => RuleId::Rol002,
            Lint::Rollback { .. } => RuleId::Rol003,
            Lint::DuplicateRecord { .. } => RuleId::Rol004,
            Lint::SubjectDisagrees { .. } => RuleId::Rol005,
            Lint::UnknownFunction { .. } => RuleId::Rol006,
            Lint::ShortKey { .. } => RuleId::Key001,
            Lint::KeyNeedsSignerVersion { .. } => RuleId::Key002,
            Lint::Sha512 => RuleId::Key003,
            Lint::Sha256Digest => RuleId::Key004,
            Lint::Expired { .. } => RuleId::Dat001,
            Lint::NotYetValid { .. } => RuleId::Dat002,
            Lint::Expiring { .. } => RuleId::Dat003,
            Lint::TimestampInFuture { .. } => RuleId::Dat004,
            Lint::TimestampBeforeSigner { .. } => RuleId::Dat005,
            Lint::KnownKey { .. } => RuleId::Kno001,
            Lint::Structure(_) => RuleId::Str001,
        }
    }

    /// The rule's stable id.
    pub fn rule(&self) -> &'static str {
        self.id().as_str()
    }

    /// How serious it is: the rule's severity, unless a fact of this finding is one of the
    /// rule's exceptions.
    pub fn severity(&self) -> Severity {
        match self {
            Lint::StaleAnchor {
                other_anchor_holds: Some(false),
                ..
            } => Severity::Error,
            Lint::Rollback { expected: true, .. } => Severity::Info,
            Lint::EtokenUnsupported {
                release: Some(release),
            } if *release >= Release::V14_SU3 => Severity::Error,
            Lint::EtokenUnsupported {
                release: Some(release),
            } if *release >= Release::V14 => Severity::Warning,
            Lint::CallManagerSignsOn12 {
                basis: ReleaseBasis::Unknown,
                ..
            } => Severity::Info,
            Lint::ShortKey { etoken: true, .. } => Severity::Info,
            _ => self.id().severity(),
        }
    }
}

/// One finding: the lint and what in the file it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintFinding {
    /// What was found.
    pub lint: Lint,
    /// The record it is about (from 1), if one.
    pub record: Option<usize>,
    /// The element it is about, if one.
    pub element: Option<ElementName>,
}

impl LintFinding {
    fn new(lint: Lint) -> Self {
        LintFinding {
            lint,
            record: None,
            element: None,
        }
    }

    fn on(lint: Lint, record: &Record<'_>) -> Self {
        LintFinding {
            lint,
            record: Some(record.index()),
            element: None,
        }
    }
}

/// What the rules may know beyond the file.
#[derive(Debug, Clone, Copy)]
pub struct LintOptions<'o> {
    /// The cluster's certificates (CallManager.pem, CAPF.pem, TVS.pem, ITLRecovery.pem).
    pub certificates: &'o [ServerCertificate],
    /// The CUCM release, when known; rules that depend on it judge from the file otherwise.
    pub release: Option<Release>,
    /// When certificates are judged expired.
    pub now: OffsetDateTime,
    /// Warn about certificates that end within this many days.
    pub warn_days: u32,
    /// A rollback ITL is what the administrator means to serve.
    pub expect_rollback: bool,
    /// The name of an ITL of the same cluster, given alongside, that ITLRecovery signs: proof
    /// of 12.0 or later when no release is given.
    pub recovery_signed_itl: Option<&'o str>,
}

/// What tells the rules that a cluster runs 12.0 or later. An ITLRecovery record does not: a
/// 10.x / 11.x tokenless CTL carries one as its second SAST record, signed by CallManager.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReleaseBasis {
    /// `--release` said so.
    Given(Release),
    /// An ITL given alongside is signed by ITLRecovery, which only 12.0 and later do.
    ItlSignedByRecovery {
        /// That ITL's name.
        itl: String,
    },
    /// Nothing says: the rule names what it would mean on 12.0 or later.
    Unknown,
}

/// What says the cluster runs 12.0 or later: the release given, else an ITL given alongside
/// that ITLRecovery signs; `None` when the release is given and earlier.
pub fn release_basis(options: &LintOptions<'_>) -> Option<ReleaseBasis> {
    match (options.release, options.recovery_signed_itl) {
        (Some(release), _) if release >= Release::V12 => Some(ReleaseBasis::Given(release)),
        (Some(_), _) => None,
        (None, Some(itl)) => Some(ReleaseBasis::ItlSignedByRecovery {
            itl: itl.to_owned(),
        }),
        (None, None) => Some(ReleaseBasis::Unknown),
    }
}

/// Every finding for `file`, in rule order within each theme.
///
/// # Errors
///
/// [`CheckError`] when a given cluster certificate does not parse: the rules that compare
/// with it cannot say anything true.
pub fn lint(
    file: &CiscoFile<'_>,
    kind: Kind,
    options: &LintOptions<'_>,
) -> Result<Vec<LintFinding>, CheckError> {
    let mut findings = Vec::new();
    match file {
        CiscoFile::TrustList(list) => {
            // Worked out once for every rule that needs them.
            let verification = verify(list);
            let class = signer_class(list);
            let checked = check(list, kind, options.certificates, options.now, 0)?;
            size(list, kind, &mut findings);
            signer(list, kind, class, &verification, options, &mut findings);
            anchors(list, kind, class, &checked, options, &mut findings);
            cluster_certificates(kind, class, &checked, &mut findings);
            roles(list, kind, options, &mut findings);
            keys(list, &mut findings);
            digests(list.header(), &mut findings);
            dates(list, &verification, options, &mut findings);
            known_keys(list, &mut findings);
            structure(list.warnings(), &mut findings);
            structure(&certificate_warnings(list), &mut findings);
        }
        CiscoFile::Signed(signed) => {
            digests(signed.header(), &mut findings);
            timestamp_in_future(signed.header(), options, &mut findings);
            structure(signed.warnings(), &mut findings);
        }
    }
    Ok(findings)
}

fn size(list: &TrustList<'_>, kind: Kind, findings: &mut Vec<LintFinding>) {
    if kind != Kind::Itl {
        return;
    }
    let bytes = list.as_bytes().len();
    let count = list
        .records()
        .iter()
        .filter(|record| record.certificate_der().is_some())
        .count();
    itl_limits(bytes, count, findings);
}

/// SIZ001–SIZ003 for an ITL of `bytes` holding `count` certificates: from the file, or from what
/// pasted text says of it.
fn itl_limits(bytes: usize, count: usize, findings: &mut Vec<LintFinding>) {
    if bytes > ITL_MAX_BYTES {
        findings.push(LintFinding::new(Lint::ItlTooLarge { bytes }));
    }
    if count > ITL_MAX_CERTIFICATES {
        findings.push(LintFinding::new(Lint::ItlTooManyCertificates { count }));
    }
    let near_bytes = bytes > ITL_MAX_BYTES.saturating_sub(NEAR_BYTES);
    let near_count = count > ITL_MAX_CERTIFICATES.saturating_sub(NEAR_CERTIFICATES);
    if (near_bytes && bytes <= ITL_MAX_BYTES) || (near_count && count <= ITL_MAX_CERTIFICATES) {
        findings.push(LintFinding::new(Lint::ItlNearLimit { bytes, count }));
    }
}

fn signer(
    list: &TrustList<'_>,
    kind: Kind,
    class: SignerClass,
    verification: &Verification,
    options: &LintOptions<'_>,
    findings: &mut Vec<LintFinding>,
) {
    match &verification.outcome {
        Outcome::Verified { .. } => {}
        Outcome::SignerHasOtherRole { role, .. } => {
            findings.push(LintFinding::new(Lint::SignerNotSast { role: *role }));
        }
        other => findings.push(LintFinding::new(Lint::SignatureNotValid(other.clone()))),
    }
    let sast = list.records_with_function(Function::Sast).count();
    if sast > 2 {
        findings.push(LintFinding::new(Lint::TooManySast { count: sast }));
    }
    findings.push(LintFinding {
        lint: Lint::SignerClass(class),
        record: verification.signer_record(),
        element: None,
    });
    // A CTL in mixed mode, or any ITL, signed by CallManager on 12.0 or later.
    let mixed_mode = kind == Kind::Itl
        || list
            .records()
            .iter()
            .any(|record| record.certificate_der().is_some());
    // Unknown release: only a file that holds ITLRecovery and is still signed by CallManager
    // is worth a note; 10.x / 11.x write exactly that, 12.0 and later only after a reset.
    let ambiguous = |basis: &ReleaseBasis| {
        *basis != ReleaseBasis::Unknown
            || list
                .records_with_function(Function::Sast)
                .any(is_itl_recovery)
    };
    if class == SignerClass::CallManager
        && mixed_mode
        && let Some(basis) = release_basis(options).filter(ambiguous)
    {
        findings.push(LintFinding::new(Lint::CallManagerSignsOn12 { kind, basis }));
    }
    if class == SignerClass::Etoken && kind == Kind::Ctl {
        findings.push(LintFinding::new(Lint::EtokenUnsupported {
            release: options.release,
        }));
    }
}

fn anchors(
    list: &TrustList<'_>,
    kind: Kind,
    class: SignerClass,
    checked: &[Finding],
    options: &LintOptions<'_>,
    findings: &mut Vec<LintFinding>,
) {
    // An eToken-signed CTL's anchors are its tokens; ITLRecovery and CallManager anchor
    // tokenless CTLs (Field Notice 70613).
    let tokenless_ctl = kind == Kind::Ctl && class != SignerClass::Etoken;
    // Tokenless CTLs carry ITLRecovery as their second SAST record from 10.x on.
    let has_recovery = list
        .records_with_function(Function::Sast)
        .any(is_itl_recovery);
    if tokenless_ctl && !has_recovery {
        findings.push(LintFinding::new(Lint::NoItlRecoveryAnchor));
    }
    // The CTL's two root anchors against the cluster's current certificates, as `check`
    // decided them.
    if tokenless_ctl {
        let is_anchor = |role: Role| matches!(role, Role::ItlRecovery | Role::CallManager);
        let holds = |role: Role| {
            checked.iter().any(|finding| {
                finding.status == CheckStatus::Match
                    && matches!(&finding.checked, Checked::Certificate { role: r, .. } if *r == role)
            })
        };
        let given = |role: Role| options.certificates.iter().any(|given| given.role == role);
        for finding in checked {
            let Checked::Certificate { role, path } = &finding.checked else {
                continue;
            };
            if !is_anchor(*role) || finding.status.is_ok() || holds(*role) {
                continue;
            }
            let other = match role {
                Role::ItlRecovery => Role::CallManager,
                _ => Role::ItlRecovery,
            };
            findings.push(LintFinding {
                lint: Lint::StaleAnchor {
                    role: *role,
                    certificate: path.clone(),
                    other_anchor_holds: given(other).then(|| holds(other)),
                },
                record: finding.record,
                element: None,
            });
        }
    }
    let bits = |record: &Record<'_>| {
        record
            .certificate_der()
            .and_then(|der| CertificateInfo::from_der(der).ok())
            .filter(|info| info.key.algorithm == "RSA")
            .map(|info| info.key.bits)
    };
    let recovery = list
        .records_with_function(Function::Sast)
        .filter(|record| is_itl_recovery(record))
        .filter_map(bits)
        .min();
    let callmanager = list
        .records()
        .iter()
        .filter(|record| matches!(record.function(), Some(Function::CcmTftp | Function::Ccm)))
        .filter_map(bits)
        .max();
    if let (Some(recovery_bits), Some(callmanager_bits)) = (recovery, callmanager)
        && recovery_bits < callmanager_bits
    {
        findings.push(LintFinding::new(Lint::RecoveryKeyShort {
            recovery_bits,
            callmanager_bits,
        }));
    }
}

/// Every given certificate the list should hold and does not, as `check` decides it; a
/// tokenless CTL's ITLRecovery and CallManager are anchors, reported by ANC002 instead.
fn cluster_certificates(
    kind: Kind,
    class: SignerClass,
    checked: &[Finding],
    findings: &mut Vec<LintFinding>,
) {
    let tokenless_ctl = kind == Kind::Ctl && class != SignerClass::Etoken;
    for finding in checked {
        let Checked::Certificate { role, path } = &finding.checked else {
            continue;
        };
        let anchor = tokenless_ctl && matches!(role, Role::ItlRecovery | Role::CallManager);
        if finding.status.is_ok() || anchor {
            continue;
        }
        findings.push(LintFinding {
            lint: Lint::NotClusterCertificate {
                role: *role,
                certificate: path.clone(),
                status: finding.status,
            },
            record: finding.record,
            element: None,
        });
    }
}

fn roles(
    list: &TrustList<'_>,
    kind: Kind,
    options: &LintOptions<'_>,
    findings: &mut Vec<LintFinding>,
) {
    let facts: Vec<RoleFacts<'_>> = list
        .records()
        .iter()
        .map(|record| RoleFacts {
            index: record.index(),
            function: record.function(),
            serial: record.serial_number(),
            host: record.dns_name(),
            address: record.ip_address(),
        })
        .collect();
    if kind == Kind::Itl {
        let outside_cucm = signer_class(list) == SignerClass::ThirdParty;
        itl_roles(&facts, outside_cucm, findings);
        let placeholders = list.placeholder_records();
        if !placeholders.is_empty() {
            findings.push(LintFinding::new(Lint::Rollback {
                records: placeholders,
                expected: options.expect_rollback,
            }));
        }
    }
    for (position, record) in list.records().iter().enumerate() {
        record_roles(&facts, position, findings);
        if let (Some(subject), Some(der)) = (record.subject_name(), record.certificate_der())
            && let Ok((_, certificate)) = X509Certificate::from_der(der)
        {
            let common_name = ctlkit_format::cert::names::common_name(certificate.subject()).trim();
            let named = common_name.is_empty()
                || subject
                    .windows(common_name.len())
                    .any(|window| window.eq_ignore_ascii_case(common_name.as_bytes()));
            if !named {
                findings.push(LintFinding {
                    lint: Lint::SubjectDisagrees {
                        common_name: common_name.to_owned(),
                    },
                    record: Some(record.index()),
                    element: Some(ElementName::new(
                        ctlkit_format::tlv::element::Section::Record,
                        ctlkit_format::file::record::tag::SUBJECTNAME,
                    )),
                });
            }
        }
    }
}

/// What the role rules need of one record, whether it came from a file or from pasted text, so
/// both are judged by the same code.
struct RoleFacts<'r> {
    index: usize,
    function: Option<Function>,
    serial: Option<Serial<'r>>,
    host: Option<&'r [u8]>,
    /// `None` where it is not known: pasted text prints no address.
    address: Option<IpAddr>,
}

/// ROL001 and ROL002: an ITL names TVS, and a TFTP or CCM+TFTP record to check configs with.
fn itl_roles(records: &[RoleFacts<'_>], outside_cucm: bool, findings: &mut Vec<LintFinding>) {
    let has = |wanted: &[Function]| {
        records.iter().any(|record| {
            record
                .function
                .is_some_and(|function| wanted.contains(&function))
        })
    };
    if !has(&[Function::Tvs]) {
        findings.push(LintFinding::new(Lint::NoTvs { outside_cucm }));
    }
    if !has(&[Function::Tftp, Function::CcmTftp]) {
        findings.push(LintFinding::new(Lint::NoTftp { outside_cucm }));
    }
}

/// ROL004 and ROL006 for the record at `position`, against the records before it.
fn record_roles(records: &[RoleFacts<'_>], position: usize, findings: &mut Vec<LintFinding>) {
    let Some(record) = records.get(position) else {
        return;
    };
    let at = |lint: Lint| LintFinding {
        lint,
        record: Some(record.index),
        element: None,
    };
    // CUCM 14's multi-server certificates put one certificate in a record per node: the same
    // certificate for another host is not a duplicate.
    let same = records.iter().take(position).find(|earlier| {
        earlier.function == record.function
            && earlier.host == record.host
            && earlier.address == record.address
            && earlier.serial.is_some()
            && earlier.serial == record.serial
    });
    if let Some(first) = same {
        findings.push(at(Lint::DuplicateRecord { first: first.index }));
    }
    if let Some(Function::Other(code)) = record.function {
        findings.push(at(Lint::UnknownFunction { code }));
    }
}

fn keys(list: &TrustList<'_>, findings: &mut Vec<LintFinding>) {
    let signer_version_1_1 = list
        .header()
        .signer_version()
        .is_some_and(|version| version >= (1, 1));
    for record in list.records() {
        let Some(info) = record
            .certificate_der()
            .and_then(|der| CertificateInfo::from_der(der).ok())
        else {
            continue;
        };
        if info.key.algorithm == "RSA" && info.key.bits > 0 && info.key.bits < 2048 {
            findings.push(LintFinding::on(
                Lint::ShortKey {
                    bits: info.key.bits,
                    etoken: info.is_etoken(),
                },
                record,
            ));
        }
        if info.key.needs_signer_version_1_1() && !signer_version_1_1 {
            findings.push(LintFinding::on(
                Lint::KeyNeedsSignerVersion {
                    key: info.key.to_string(),
                },
                record,
            ));
        }
    }
}

fn digests(header: &Header<'_>, findings: &mut Vec<LintFinding>) {
    match header.digest_algorithm() {
        Some(DigestAlgorithm::Sha512) => findings.push(LintFinding::new(Lint::Sha512)),
        Some(DigestAlgorithm::Sha256) => findings.push(LintFinding::new(Lint::Sha256Digest)),
        _ => {}
    }
}

fn dates(
    list: &TrustList<'_>,
    verification: &Verification,
    options: &LintOptions<'_>,
    findings: &mut Vec<LintFinding>,
) {
    for record in list.records() {
        let Some(info) = record
            .certificate_der()
            .and_then(|der| CertificateInfo::from_der(der).ok())
        else {
            continue;
        };
        let lint = if info.not_before > options.now {
            Some(Lint::NotYetValid {
                not_before: info.not_before,
            })
        } else {
            match info.expiry(options.now, options.warn_days) {
                Expiry::Expired => Some(Lint::Expired {
                    not_after: info.not_after,
                }),
                Expiry::Expiring => Some(Lint::Expiring {
                    not_after: info.not_after,
                    days: options.warn_days,
                }),
                Expiry::Valid => None,
            }
        };
        if let Some(lint) = lint {
            findings.push(LintFinding::on(lint, record));
        }
    }
    timestamp_in_future(list.header(), options, findings);
    let signed = list.header().timestamp().and_then(from_timestamp);
    let issued = verification
        .signer_record()
        .and_then(|index| list.records().iter().find(|record| record.index() == index))
        .and_then(Record::certificate_der)
        .and_then(|der| CertificateInfo::from_der(der).ok())
        .map(|info| info.not_before);
    if let (Some(signed), Some(issued)) = (signed, issued)
        && signed < issued
    {
        findings.push(LintFinding::new(Lint::TimestampBeforeSigner {
            signed,
            issued,
        }));
    }
}

fn timestamp_in_future(
    header: &Header<'_>,
    options: &LintOptions<'_>,
    findings: &mut Vec<LintFinding>,
) {
    if let Some(signed) = header.timestamp().and_then(from_timestamp)
        && signed > options.now
    {
        findings.push(LintFinding::new(Lint::TimestampInFuture { signed }));
    }
}

/// SHA-256 of an RSA modulus (big-endian, no leading zeros) whose private half is public,
/// and where it was published: this project's own fixture keys, generated from public seeds.
const KNOWN_MODULI: &[(&str, &str)] = &[
    (
        "8436dd7fcee60a3f146d93b5702de7fdab359ad123f21ad2be8265e03697a2b1",
        "ctlkit fixtures/cluster/CAPF-cucm-pub-expired.key",
    ),
    (
        "4847127e5f91ea144e17df0a12b02290758474484867b8a1953e35ce39755cc3",
        "ctlkit fixtures/cluster/CAPF-cucm-pub.key",
    ),
    (
        "e383cb387dd506dc5d0467a65045fa87de9fa16294fe8c48c570c6e576c7f924",
        "ctlkit fixtures/cluster/CallManager-cucm-pub-regenerated.key",
    ),
    (
        "c98bf50ac0a9d7302da3a32c5cbb220faafd56ab28f3c0f63bf970484488df37",
        "ctlkit fixtures/cluster/CallManager-cucm-pub.key",
    ),
    (
        "fbfe7239ff54fe5d1bbff330968555f007d246f176027f9496a227f07390ea43",
        "ctlkit fixtures/cluster/CallManager-cucm-sub1.key",
    ),
    (
        "0aa1972b624d6649c4393d2bd14ef533e39a3871dd5c5fe55f486c441a6f7664",
        "ctlkit fixtures/cluster/CallManager-other-cluster.key",
    ),
    (
        "2ae45a8214f69d73805075da1d66c5478254bb59c3d01be616d2805d51d5d6bf",
        "ctlkit fixtures/cluster/Cisco-Manufacturing-CA.key",
    ),
    (
        "a0f7bf479deda0789d64c573a84cf19f27c7f66b4340265a06a6846457b805ee",
        "ctlkit fixtures/cluster/Firmware-lookalike.key",
    ),
    (
        "d57dcddca37338c5da8920be3ea0fde9c1fddcadf71940b2ca0d8e8d4170cf63",
        "ctlkit fixtures/cluster/ITLRecovery-cucm-pub.key",
    ),
    (
        "011d506176b9c1966de487b67aebf7873a8657a0bf1f935dea42d08e3f019f69",
        "ctlkit fixtures/cluster/Phone-SEP001122334455.key",
    ),
    (
        "c4738f51afd929598d6e4df70975c71e2e9431c8ec9154eaaec479d9d076b391",
        "ctlkit fixtures/cluster/TVS-cucm-pub.key",
    ),
    (
        "2e1ee22051c137cfc76663b6b5a04a7ef6632a9c95f2809c7d5af1cb7c0e5f4b",
        "ctlkit fixtures/cluster/TVS-cucm-sub1.key",
    ),
    (
        "71a58ab6ac8e4e5271c1f50507bab6850423ae5c4dda0e5996141e3af8d8fb73",
        "ctlkit fixtures/cluster/eToken-A.key",
    ),
    (
        "dcb5e04dbfeba50b395211d2713c90f645c5735be72da705c6c1c7e8ae1024b2",
        "ctlkit fixtures/cluster/eToken-B.key",
    ),
    (
        "a3444d7d5351da0bb89b854c43d477694e5c485a4ce764f337527dfbd0b2e8d1",
        "ctlkit fixtures/cluster/eToken-C.key",
    ),
];

/// Where a certificate's key was published with its private half, if it was.
pub fn known_key(certificate_der: &[u8]) -> Option<&'static str> {
    let (_, certificate) = X509Certificate::from_der(certificate_der).ok()?;
    let Ok(ParsedKey::RSA(rsa)) = certificate.public_key().parsed() else {
        return None;
    };
    let start = rsa
        .modulus
        .iter()
        .position(|&byte| byte != 0)
        .unwrap_or(rsa.modulus.len());
    let fingerprint = hex::encode(Sha256::digest(rsa.modulus.get(start..).unwrap_or_default()));
    KNOWN_MODULI
        .iter()
        .find(|(known, _)| *known == fingerprint)
        .map(|(_, published)| *published)
}

fn known_keys(list: &TrustList<'_>, findings: &mut Vec<LintFinding>) {
    for record in list.records() {
        if let Some(published) = record.certificate_der().and_then(known_key) {
            findings.push(LintFinding::on(Lint::KnownKey { published }, record));
        }
    }
}

fn structure(warnings: &[Warning], findings: &mut Vec<LintFinding>) {
    for warning in warnings {
        findings.push(LintFinding {
            lint: Lint::Structure(warning.clone()),
            record: match warning.place {
                ctlkit_format::tlv::error::Place::Record(index) => Some(index),
                _ => None,
            },
            element: None,
        });
    }
}

/// The rules pasted `show ctl` / `show itl` text can be checked against: those that need only
/// its length, roles and serials. Every other rule needs the certificates or the bytes.
pub const PASTED_RULES: &[&str] = &[
    "SIZ001", "SIZ002", "SIZ003", "SIG003", "ROL001", "ROL002", "ROL004", "ROL006",
];

/// Lints what pasted text holds ([`PASTED_RULES`] only).
pub fn lint_pasted(text: &crate::evidence::pasted::PastedList) -> Vec<LintFinding> {
    let mut findings = Vec::new();
    let facts: Vec<RoleFacts<'_>> = text
        .records
        .iter()
        .map(|record| RoleFacts {
            index: record.index,
            function: record.function,
            serial: record
                .serial
                .as_ref()
                .map(|serial| Serial::from_stored(serial.as_bytes())),
            host: record.dns_name.as_deref().map(str::as_bytes),
            address: None,
        })
        .collect();
    if text.kind == Kind::Itl {
        let bytes = text.length.unwrap_or(0);
        let count = text
            .records
            .iter()
            .filter(|record| record.certificate_sha1.is_some())
            .count();
        itl_limits(bytes, count, &mut findings);
        // Pasted text is CUCM's own `show itl`.
        itl_roles(&facts, false, &mut findings);
    }
    let sast = text
        .records
        .iter()
        .filter(|record| record.function == Some(Function::Sast))
        .count();
    if sast > 2 {
        findings.push(LintFinding::new(Lint::TooManySast { count: sast }));
    }
    for position in 0..facts.len() {
        record_roles(&facts, position, &mut findings);
    }
    findings
}
