//! The clap definitions: every flag and its help text.

use clap::{Args, Parser, Subcommand, ValueEnum};

use ctlkit::{DEFAULT_MAX_SIZE, Kind};

/// Inspect Cisco CTL / ITL trust-list files (CTLFile.tlv, ITLFile.tlv, CTLSEP<MAC>.tlv,
/// ITLSEP<MAC>.tlv).
///
/// Exit codes: 0 ok, 1 a negative verdict, 2 unusable input or usage error.
#[derive(Debug, Parser)]
#[command(name = "ctlkit", version, about, max_term_width = 100)]
pub struct Cli {
    /// Refuse input files larger than this many bytes (default 16 MiB).
    #[arg(long, global = true, value_name = "BYTES", default_value_t = DEFAULT_MAX_SIZE)]
    pub max_size: u64,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a trust list the way CUCM's `show ctl` / `show itl` does, with checksums.
    Show(ShowArgs),
    /// Check the signature, and whether a phone holding other trust lists would accept the file.
    Verify(VerifyArgs),
    /// Print MD5, SHA-1 and SHA-256 of files, to compare with what phones show.
    Hash(HashArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The trust list (`-` for standard input).
    pub file: String,

    /// CTL or ITL wording; by default from the header's FILENAME, then the file's name.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The trust list to check (`-` for standard input).
    pub file: String,

    /// A trust list the phone already holds (its CTL and/or ITL); answers whether the phone
    /// would install FILE. A held CTL takes precedence over a held ITL, as on the phone.
    #[arg(long, value_name = "HELD.tlv")]
    pub trust: Vec<String>,

    /// The phone cannot ask TVS (no Security By Default: 7940/7960, Jabber).
    #[arg(long, requires = "trust")]
    pub no_tvs: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HashArgs {
    /// Files to hash (`-` for standard input); any file, not only trust lists.
    #[arg(required = true)]
    pub files: Vec<String>,

    /// Output format: text is `<md5>  <sha1>  <sha256>  FILE` per line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For scripts (schema in the README).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Certificate Trust List.
    Ctl,
    /// Identity Trust List.
    Itl,
}

impl From<KindArg> for Kind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Ctl => Kind::Ctl,
            KindArg::Itl => Kind::Itl,
        }
    }
}
