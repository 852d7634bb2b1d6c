//! A whole trust list: parse, write back, look up.

use std::fmt;

use crate::file::header::Header;
use crate::file::record::{Function, Record};
use crate::tlv::error::{ParseError, ParseErrorKind, Place};
use crate::tlv::warning::Warning;

/// CTL (Certificate Trust List, mixed-mode clusters) or ITL (Identity Trust List): the same
/// layout, different wording in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `CTLFile.tlv`, `CTLSEP<MAC>.tlv`.
    Ctl,
    /// `ITLFile.tlv`, `ITLSEP<MAC>.tlv`.
    Itl,
}

impl Kind {
    /// The kind a file name implies: names starting `ITL` are ITLs, `CTL` CTLs (any case).
    pub fn from_file_name(name: &[u8]) -> Option<Kind> {
        let prefix = name.get(..3)?;
        if prefix.eq_ignore_ascii_case(b"ITL") {
            Some(Kind::Itl)
        } else if prefix.eq_ignore_ascii_case(b"CTL") {
            Some(Kind::Ctl)
        } else {
            None
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Ctl => "CTL",
            Kind::Itl => "ITL",
        })
    }
}

/// A parsed trust list, borrowing the bytes it was parsed from.
///
/// Every byte of the input belongs to exactly one element, so [`TrustList::to_bytes`] gives the
/// input back unchanged: unknown tags, odd padding and element order included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList<'a> {
    input: &'a [u8],
    header: Header<'a>,
    records: Vec<Record<'a>>,
    warnings: Vec<Warning>,
}

impl<'a> TrustList<'a> {
    /// Parses a whole trust list: the header, then records up to the end of the input.
    ///
    /// Time and memory are linear in the input's size. Certificates are not decoded here (see
    /// [`crate::CertificateInfo`]), so parsing stays cheap enough to run over a whole fleet.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] naming the place, offset and element when the structure is broken:
    /// truncation, a length that runs past what holds it, a wrong first tag, trailing bytes.
    pub fn parse(input: &'a [u8]) -> Result<Self, ParseError> {
        let header = Header::parse(input)?;
        let mut warnings = header.warnings().to_vec();
        let mut records = Vec::new();
        let mut offset = usize::from(header.length());
        let mut index: usize = 1;
        while offset < input.len() {
            let record = Record::parse(input, index, offset, &mut warnings)?;
            offset = offset.saturating_add(usize::from(record.length()));
            index = index.saturating_add(1);
            records.push(record);
        }
        if records.is_empty() {
            return Err(no_records(&header));
        }
        Ok(TrustList {
            input,
            header,
            records,
            warnings,
        })
    }

    /// Reads what can be read of a damaged copy (cut short by a failed transfer, corrupted on
    /// the way): the header, then records up to the first that does not parse. The list keeps
    /// the whole input, so its signature is still checked over every byte; the damage, if
    /// any, is returned beside it.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] when the header itself is broken: then nothing is trusted.
    pub fn parse_salvaged(input: &'a [u8]) -> Result<Salvaged<'a>, ParseError> {
        let header = Header::parse(input)?;
        let mut warnings = header.warnings().to_vec();
        let mut records = Vec::new();
        let mut offset = usize::from(header.length());
        let mut index: usize = 1;
        let mut damage = None;
        while offset < input.len() {
            match Record::parse(input, index, offset, &mut warnings) {
                Ok(record) => {
                    offset = offset.saturating_add(usize::from(record.length()));
                    index = index.saturating_add(1);
                    records.push(record);
                }
                Err(error) => {
                    damage = Some(error);
                    break;
                }
            }
        }
        if records.is_empty() && damage.is_none() {
            damage = Some(no_records(&header));
        }
        Ok(Salvaged {
            list: TrustList {
                input,
                header,
                records,
                warnings,
            },
            damage,
        })
    }

    /// The file's bytes, re-encoded from the parsed elements. Equal to the parsed input.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.input.len());
        for element in self.header.elements() {
            element.write_to(&mut out);
        }
        for record in &self.records {
            for element in record.elements() {
                element.write_to(&mut out);
            }
        }
        out
    }

    /// The bytes this trust list was parsed from.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.input
    }

    /// The header.
    pub fn header(&self) -> &Header<'a> {
        &self.header
    }

    /// The records in file order.
    pub fn records(&self) -> &[Record<'a>] {
        &self.records
    }

    /// Records with the given role, in file order.
    pub fn records_with_function(&self, function: Function) -> impl Iterator<Item = &Record<'a>> {
        self.records
            .iter()
            .filter(move |record| record.function() == Some(function))
    }

    /// Structural oddities found while parsing (certificate problems are reported by the
    /// certificate decoding, which parsing does not do).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// CTL or ITL, from the header's FILENAME; `None` when it names neither.
    pub fn kind(&self) -> Option<Kind> {
        self.header.filename().and_then(Kind::from_file_name)
    }

    /// The TVS, TFTP and CCM+TFTP records that carry neither a certificate nor a key: the
    /// placeholders "Prepare Cluster for Rollback to pre-8.0" serves in an ITL (and a CTL moved
    /// back to non-secure mode writes), by record number.
    pub fn placeholder_records(&self) -> Vec<usize> {
        self.records
            .iter()
            .filter(|record| is_trust_role(record) && !record.has_key())
            .map(Record::index)
            .collect()
    }

    /// Whether this list, held as a phone's ITL, is a rollback ITL: it names TVS or TFTP and
    /// every such record is a placeholder, so the phone has nothing to check a new ITL or a
    /// config with and takes any (docs/FORMAT.md §5). An ITL that still holds one real TVS or
    /// TFTP certificate is not one: the phone still has that to check with.
    pub fn is_rollback_itl(&self) -> bool {
        let mut trust_roles = self.records.iter().filter(|record| is_trust_role(record));
        let mut any = false;
        let all_placeholders = trust_roles.all(|record| {
            any = true;
            !record.has_key()
        });
        any && all_placeholders
    }
}

/// A list that ends at its header: damage, not an empty list.
fn no_records(header: &Header<'_>) -> ParseError {
    ParseError {
        place: Place::Record(1),
        offset: usize::from(header.length()),
        kind: ParseErrorKind::NoRecords {
            header_length: header.length(),
        },
    }
}

/// TVS, TFTP, CCM+TFTP: the records a phone checks configs and TVS answers with.
fn is_trust_role(record: &Record<'_>) -> bool {
    matches!(
        record.function(),
        Some(Function::Tvs | Function::Tftp | Function::CcmTftp)
    )
}

/// What [`TrustList::parse_salvaged`] could read of a copy, and where it is damaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Salvaged<'a> {
    /// The header and every record before the damage; its bytes are the whole input.
    pub list: TrustList<'a>,
    /// The first thing that does not parse; `None` for an undamaged file.
    pub damage: Option<ParseError>,
}
