//! The clap definitions: every flag and its help text.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use ctlkit::files::DEFAULT_MAX_SIZE;
use ctlkit::lint::Release;
use ctlkit::{Kind, Serial};

use super::output::Output;

/// Cisco phone trust: show, verify, check, lint, diff and audit CTL / ITL trust lists
/// (CTLFile.tlv, ITLFile.tlv, CTLSEP<MAC>.tlv, ITLSEP<MAC>.tlv), signed and encrypted configs
/// and firmware headers; read packet captures, pasted `show ctl` / `show itl` text and damaged
/// copies; build and sign in CUCM's layout, on PKCS #11 tokens too.
///
/// Exit codes: 0 ok, 1 a negative verdict, 2 unusable input or usage error. JSON output
/// follows the schemas `ctlkit schema COMMAND` prints.
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
    /// What phones and CUCM will refuse in a file that otherwise parses: sizes, signers, root
    /// anchors, roles, keys and digests, dates, published keys, structure.
    Lint(LintArgs),
    /// Cross-check a trust list against the cluster's CallManager.pem, CAPF.pem, TVS.pem and
    /// ITLRecovery.pem, and flag expired or expiring certificates.
    Check(CheckArgs),
    /// Compare the phone's copy with the TFTP server's (or a checksum read off the phone).
    Diff(DiffArgs),
    /// Group a fleet's trust lists by content and say which phones match the server, which
    /// will update by themselves and which are stuck.
    Audit(AuditArgs),
    /// Download a file from a TFTP server (as a phone does) and print its checksums.
    Fetch(FetchArgs),
    /// Boot a virtual phone against the live server: fetch what a secure phone fetches (CTL,
    /// ITL, config, load), in its order and with its fallbacks, judge each file as the phone
    /// would, and say which step fails and what the phone holds afterwards.
    Boot(BootArgs),
    /// Build and sign a trust list in CUCM's layout from certificates and a signer key.
    Build(Box<BuildArgs>),
    /// Print MD5, SHA-1 and SHA-256 of files, to compare with what phones show.
    Hash(HashArgs),
    /// Write a signed file's payload, byte for byte (a .cop.sgn becomes its .tar.gz).
    Strip(StripArgs),
    /// Sign a config (or any payload) into a .sgn in CUCM's layout, as the TFTP server does.
    Sign(SignArgs),
    /// Make a self-signed certificate and key for a PBX serving Cisco phones (its TFTP signer,
    /// SAST, CAPF, TVS, or the HTTPS service on 6971), as certutils' mkcert does.
    Cert(CertArgs),
    /// List PKCS #11 slots, tokens and the certificates and keys on each, with the URI that
    /// names each for --signer-pkcs11.
    #[cfg(feature = "pkcs11")]
    Tokens(TokensArgs),
    /// Every file a packet capture (pcap / pcapng) shows being transferred over TFTP or HTTP
    /// (port 6970): client, server, name, size, whether it completed, checksums, what it is;
    /// with -o, each complete file written to DIR/<client-ip>/<name>.
    Extract(ExtractArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the man pages (roff); with --dir, write ctlkit.1 and one ctlkit-COMMAND.1 per
    /// command, e.g. `ctlkit man --dir /usr/local/share/man/man1`.
    Man(ManArgs),
    /// Print the JSON Schema (draft 2020-12) of a command's `--format json` output.
    #[cfg(feature = "schema")]
    Schema(SchemaArgs),
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The capture (pcap or pcapng, e.g. from `tcpdump -w` or Wireshark; `-` for standard
    /// input). Each transfer may hold up to --max-size bytes.
    pub capture: OsString,

    /// Write each complete file to DIR/<client-ip>/<name> (incomplete ones never).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Replace files that exist in DIR.
    #[arg(long)]
    pub force: bool,

    /// UDP ports where TFTP read requests are looked for (default 69); repeat for more.
    #[arg(long, value_name = "PORT")]
    pub tftp_port: Vec<u16>,

    /// TCP ports where HTTP transfers are looked for (default 6970); repeat for more.
    #[arg(long, value_name = "PORT")]
    pub http_port: Vec<u16>,

    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct StripArgs {
    /// The signed file (`-` for standard input).
    pub file: OsString,

    /// Where to write the payload (`-` for standard output); by default FILE without `.sgn`
    /// (with `.tar.gz` added for a gzip payload), next to it.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// For an encrypted config (.enc.sgn): the phone's private key (PEM); writes the
    /// decrypted config, padding removed and its hash checked (default OUT: FILE without
    /// `.enc.sgn`).
    #[arg(long, value_name = "PHONE_KEY.pem")]
    pub key: Option<PathBuf>,

    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The payload to sign, e.g. SEP001122334455.cnf.xml (`-` for standard input).
    pub input: OsString,

    /// Where to write the signed file; its name is also the FILENAME unless --filename is given.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    #[command(flatten)]
    pub signing: SigningArgs,

    /// Encrypt the config for this phone first (its LSC or MIC, PEM or DER, RSA), as CUCM's
    /// "Encrypted Config" does: AES-128-CBC under a fresh key wrapped to the certificate,
    /// VERSION 2.0; name OUT SEP<MAC>.cnf.xml.enc.sgn. `strip --key` with the phone's key
    /// gives the config back.
    #[arg(long, value_name = "PHONE.pem")]
    pub encrypt_for: Option<PathBuf>,

    /// With --encrypt-for: also write the companion SEP<MAC>.cnf.xml.sgn the phone fetches
    /// first (fullConfig false, the load and CAPF settings, certHash, encrConfig true), signed
    /// by the same signer, as certutils' enccnf does.
    #[arg(long, value_name = "OUT.sgn", requires = "encrypt_for")]
    pub companion: Option<PathBuf>,

    /// Replace OUT if it exists, and write it even when lint finds errors.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CertArgs {
    /// Where to write the certificate and its key, one PEM readable by its owner only (never
    /// over an existing file); default COMMON-NAME.pem.
    #[arg(short, long, value_name = "OUT.pem")]
    pub output: Option<PathBuf>,

    /// CN, required (also the certificate's DNS name).
    #[arg(long, value_name = "NAME")]
    pub common: String,

    /// O, required.
    #[arg(long, value_name = "NAME")]
    pub organization: String,

    /// OU, required.
    #[arg(long, value_name = "NAME")]
    pub unit: String,

    /// L.
    #[arg(long, value_name = "NAME")]
    pub locality: Option<String>,

    /// ST.
    #[arg(long, value_name = "NAME")]
    pub state: Option<String>,

    /// C, two letters.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,

    /// Years from today.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub years: u16,

    /// RSA key size: 2048 (the default, what every phone takes); 3072 or 4096 need trust lists
    /// of signer version 1.1.
    #[arg(long, value_name = "BITS", conflicts_with = "curve")]
    pub key_size: Option<usize>,

    /// An EC key instead (trust lists of signer version 1.1; the HTTPS service on 6971 needs
    /// one): p256 or p384.
    #[arg(long, value_name = "CURVE", value_parser = ["p256", "p384"])]
    pub curve: Option<String>,

    /// The certificate's signature digest: sha256 (default), sha384, sha512; an EC
    /// certificate takes its curve's.
    #[arg(long, value_name = "DIGEST", value_parser = ["sha256", "sha384", "sha512"])]
    pub digest: Option<String>,
}

/// Who signs and how: shared by `build` and `sign`.
#[derive(Debug, Args)]
pub struct SigningArgs {
    /// The signer's certificate and, unless --signer-key or --signer-pkcs11 is given, its
    /// private key (PKCS #1 or PKCS #8 PEM; encrypted PKCS #8 takes the passphrase from
    /// CTLKIT_KEY_PASSPHRASE).
    #[cfg_attr(
        feature = "pkcs11",
        arg(
            long,
            value_name = "SIGNER.pem",
            required_unless_present = "signer_pkcs11"
        )
    )]
    #[cfg_attr(
        not(feature = "pkcs11"),
        arg(long, value_name = "SIGNER.pem", required = true)
    )]
    pub signer: Option<PathBuf>,

    /// The signer's private key, when it is not in the --signer file.
    #[cfg_attr(
        feature = "pkcs11",
        arg(long, value_name = "KEY.pem", conflicts_with = "signer_pkcs11")
    )]
    #[cfg_attr(not(feature = "pkcs11"), arg(long, value_name = "KEY.pem"))]
    pub signer_key: Option<PathBuf>,

    #[cfg(feature = "pkcs11")]
    #[command(flatten)]
    pub token: TokenArgs,

    /// The digest to sign with (CUCM's "TFTP File Signature Algorithm" for configs).
    #[arg(long, value_enum, default_value_t = DigestArg::Sha1)]
    pub digest: DigestArg,

    /// FILENAME in the header (default: the output's base name); may carry a TFTP sub-folder.
    #[arg(long, value_name = "NAME")]
    pub filename: Option<String>,

    /// TIMESTAMP in seconds since 1970 (default: now); fixed, it makes the output reproducible.
    #[arg(long, value_name = "UNIX")]
    pub timestamp: Option<u32>,

    /// Do not let this lint rule refuse the file (repeat for more); see `ctlkit lint --explain`.
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command into DIR (ctlkit.1, ctlkit-show.1…) instead of printing
    /// them all.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Replace pages that exist in DIR.
    #[arg(long, requires = "dir")]
    pub force: bool,
}

#[cfg(feature = "schema")]
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The command whose JSON output to describe.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(ctlkit::report::schema::commands()))]
    pub command: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The trust list (`-` for standard input).
    pub file: OsString,

    /// CTL or ITL wording; by default from the header's FILENAME, then the file's name.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The file to check: a trust list or a signed file (`.sgn`, `.enc.sgn`, firmware), `-`
    /// for standard input. Several files or folders (a copy of the TFTP server's files) are
    /// swept: each judged against the --trust lists, a summary grouped by verdict and signer.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<OsString>,

    /// A trust list the phone already holds (its CTL and/or ITL; repeat for both); answers
    /// whether the phone would install FILE. A new CTL answers to the held CTL, a new ITL to
    /// the SAST, CCM+TFTP and TFTP records of either; else the phone asks the TVS its ITL names.
    #[arg(long, value_name = "HELD.tlv")]
    pub trust: Vec<OsString>,

    #[command(flatten)]
    pub tvs: TvsArgs,

    /// Check a signed file's signature with this certificate (PEM or DER) instead of the
    /// phone's lists: e.g. the TFTP server's CallManager.pem, or a firmware key's certificate.
    #[arg(long, value_name = "PEM", conflicts_with = "trust")]
    pub cert: Option<PathBuf>,

    /// Output format: text, json, csv (one row per file, one file or many), or html (a page).
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Trust lists or signed files (`-` for standard input).
    #[arg(required_unless_present = "explain", value_name = "FILE")]
    pub files: Vec<OsString>,

    #[command(flatten)]
    pub cluster: ClusterArgs,

    /// The CUCM release as you would write it (10.5, 11.5(1)SU3, 12.5(1)SU2, 14SU3, 15.0);
    /// without it, a rule that depends on it takes an ITL signed by ITLRecovery among the files
    /// as proof of 12.0 or later, else says what it would mean.
    #[arg(long, value_name = "RELEASE", value_parser = parse_release)]
    pub release: Option<Release>,

    /// Warn about certificates that expire within this many days.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub warn_days: u32,

    /// Exit 1 when a finding reaches this severity.
    #[arg(long, value_enum, default_value_t = DenyArg::Error)]
    pub deny: DenyArg,

    /// Silence a rule (repeat for more).
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,

    /// A rollback ITL is intended (a migration in progress): ROL003 becomes a note.
    #[arg(long)]
    pub expect_rollback: bool,

    /// Print a rule's page (what, why, what to do, the source) and exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// CTL or ITL rules, when the header's FILENAME and the file name do not say.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn parse_release(text: &str) -> Result<Release, String> {
    Release::parse(text).ok_or_else(|| {
        format!("{text}: a CUCM release such as 10.5, 11.5(1)SU3, 12.5(1)SU2, 14SU3 or 15.0")
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DenyArg {
    /// Any finding.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

/// What the phones can ask TVS, and what TVS trusts: shared by every command that judges as a
/// phone (`verify`, `diff`, `audit`, `boot`).
#[derive(Debug, Args)]
pub struct TvsArgs {
    /// The phone cannot ask TVS (no Security By Default: 7940/7960, Jabber).
    #[arg(long)]
    pub no_tvs: bool,

    /// What the cluster's TVS trusts: a PEM or DER certificate, or a folder of them (the
    /// nodes' CallManager, ITLRecovery, TVS and CAPF certificates, the CallManager-trust and
    /// Phone-SAST-trust stores, as OS Administration > Certificate Management exports them);
    /// repeat for more. Where a phone would ask TVS, the answer is then accepted (naming the
    /// certificate and its store) or rejected.
    #[arg(long, value_name = "PEM_OR_DIR")]
    pub tvs_trusts: Vec<PathBuf>,
}

/// The cluster's certificates, shared by `check` and `lint`.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// A node's CallManager.pem (repeat for every node).
    #[arg(long, value_name = "PEM")]
    pub callmanager: Vec<PathBuf>,

    /// The cluster's CAPF.pem.
    #[arg(long, value_name = "PEM")]
    pub capf: Vec<PathBuf>,

    /// A node's TVS.pem.
    #[arg(long, value_name = "PEM")]
    pub tvs: Vec<PathBuf>,

    /// The cluster's ITLRecovery.pem.
    #[arg(long, value_name = "PEM")]
    pub itlrecovery: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The trust list (`-` for standard input).
    pub file: OsString,

    #[command(flatten)]
    pub cluster: ClusterArgs,

    /// Warn about record certificates that expire within this many days.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub warn_days: u32,

    /// CTL or ITL (changes which records CallManager.pem belongs in, and the advice).
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// PHONE SERVER: the phone's copy and the TFTP server's (either may be `-`; PHONE may be a
    /// packet capture of the phone fetching it); with --phone-checksum, only SERVER.
    #[arg(required = true, num_args = 1..=2, value_name = "FILE")]
    pub files: Vec<OsString>,

    /// The checksum the phone shows (Settings > Security > Trust List): MD5 or SHA-1, any case,
    /// spaces or colons allowed.
    #[arg(long, value_name = "HEX")]
    pub phone_checksum: Option<String>,

    #[command(flatten)]
    pub tvs: TvsArgs,

    /// When PHONE is a packet capture holding several transfers of a file like SERVER: the
    /// phone's address (IP, or IP:port) whose copy to compare.
    #[arg(long, value_name = "ADDR")]
    pub client: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Trust lists collected from phones: files, folders searched recursively, or packet
    /// captures (each complete transfer of a file like SERVER is one phone's copy). A phone is
    /// named by CTLSEP<MAC>.tlv / ITLSEP<MAC>.tlv, else by its folder, else by the file name
    /// (in a capture: by that MAC and its address).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The server's files, repeated: its CTLFile.tlv, ITLFile.tlv and signed configs (files,
    /// a folder copy of the TFTP server, `-`, tftp://HOST/NAME), or once tftp://HOST[:PORT]/
    /// to fetch CTLFile.tlv and ITLFile.tlv (no CTL: the cluster is not in mixed mode). Each
    /// phone file is compared with the server file of its own kind. Pasted show ctl / show
    /// itl text (once) compares copies by its checksums.
    #[arg(long, value_name = "SERVER", required = true)]
    pub against: Vec<OsString>,

    #[command(flatten)]
    pub tvs: TvsArgs,

    /// Output format: text (summary, then groups), json, csv (one row per phone), or html (a page).
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// For people.
    Text,
    /// For scripts.
    Json,
    /// For spreadsheets: one row per item.
    Csv,
    /// A page for people to attach to a ticket: one HTML file, no script, nothing loaded.
    Html,
}

impl From<TableFormat> for Output {
    fn from(format: TableFormat) -> Self {
        match format {
            TableFormat::Text => Output::Text,
            TableFormat::Json => Output::Json,
            TableFormat::Csv => Output::Csv,
            TableFormat::Html => Output::Html,
        }
    }
}

#[derive(Debug, Args)]
pub struct BootArgs {
    /// The phone: SEP<MAC> or the MAC (12 hex digits, colons or dashes allowed).
    #[arg(required_unless_present = "macs", conflicts_with = "macs")]
    pub phone: Option<String>,

    /// A fleet instead: one phone per line (its name or MAC, then optionally its flash folder
    /// as for --state); `#` starts a comment. Phones boot concurrently (--jobs), no faster than
    /// --rate per second, and are grouped by how they end.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["state", "holding"])]
    pub macs: Option<PathBuf>,

    /// Phones booting at once (with --macs).
    #[arg(long, value_name = "N", default_value_t = 8, requires = "macs")]
    pub jobs: usize,

    /// Phones started per second at most (with --macs): polite to a production server.
    #[arg(
        long,
        value_name = "PER_SECOND",
        default_value_t = 20.0,
        requires = "macs"
    )]
    pub rate: f64,

    /// The TFTP server, tftp://HOST[:PORT]/ (what the phone's option 150 names).
    #[arg(long, value_name = "URL")]
    pub server: String,

    /// The HTTP service the phone tries first (CUCM: the TFTP node on port 6970), as
    /// http://HOST:PORT/ or HOST:PORT; without it (or a --model known to use HTTP) the phone
    /// uses TFTP only (older firmware).
    #[arg(long, value_name = "URL")]
    pub http: Option<String>,

    /// The HTTPS service a phone holding an ITL of signer version 1.1 asks for its config
    /// first, as https://HOST:PORT/ or HOST:PORT (default: the HTTP service's host, port 6971).
    #[arg(long, value_name = "URL")]
    pub https: Option<String>,

    /// The phone's model (8945, CP-8945…): whether its firmware tries HTTP first, where a
    /// published source says so (docs/FORMAT.md §15); a model no source covers is refused with
    /// the list of those that are. HTTP then goes to the TFTP host on port 6970.
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,

    /// The phone's flash: the CTL and ITL it holds are read from DIR/CTLFile.tlv and
    /// DIR/ITLFile.tlv, and what it installs is written back (atomically), so a second boot
    /// behaves as a rebooted phone.
    #[arg(long, value_name = "DIR", conflicts_with = "holding")]
    pub state: Option<PathBuf>,

    /// A trust list the phone holds (its CTL and/or its ITL); without it or --state the phone
    /// holds nothing and takes the first lists on faith.
    #[arg(long, value_name = "FILE")]
    pub holding: Vec<OsString>,

    #[command(flatten)]
    pub tvs: TvsArgs,

    /// The phone's own private key (PEM; CTLKIT_KEY_PASSPHRASE when encrypted): the phone then
    /// asks for SEP<MAC>.cnf.xml.enc.sgn first and decrypts it.
    #[arg(long, value_name = "KEY.pem")]
    pub phone_key: Option<PathBuf>,

    /// Seconds to wait for each TFTP packet (and a tenth of the time an HTTP request may take).
    #[arg(long, value_name = "SECS", default_value_t = 2.0)]
    pub timeout: f64,

    /// Times to send a TFTP packet again before giving up.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,

    /// Seconds the whole boot may take: past it, no more requests are sent.
    #[arg(long, value_name = "SECS", default_value_t = 120.0)]
    pub deadline: f64,

    /// Output format: text (the timeline), json, or html (a page).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// tftp://HOST[:PORT]/NAME
    pub url: String,

    /// Where to save it (default: NAME's last part, in the current directory).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Seconds to wait for each packet before sending the last one again.
    #[arg(long, value_name = "SECS", default_value_t = 2.0)]
    pub timeout: f64,

    /// Times to send a packet again before giving up.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub retries: u32,

    /// Block size to ask for (blksize, RFC 2348); 512 asks for no options at all.
    #[arg(long, value_name = "BYTES", default_value_t = 1428, value_parser = clap::value_parser!(u16).range(8..=65464))]
    pub block_size: u16,

    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the file; its name is also the FILENAME unless --filename is given.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    #[command(flatten)]
    pub signing: SigningArgs,

    /// A SAST certificate (a key allowed to sign the next trust list).
    #[arg(long, value_name = "CERT.pem")]
    pub sast: Vec<PathBuf>,

    /// A CallManager (CCM) certificate.
    #[arg(long, value_name = "CERT.pem")]
    pub ccm: Vec<PathBuf>,

    /// A CallManager certificate of a node that is also TFTP (CCM+TFTP).
    #[arg(long, value_name = "CERT.pem")]
    pub ccm_tftp: Vec<PathBuf>,

    /// A TFTP server certificate.
    #[arg(long, value_name = "CERT.pem")]
    pub tftp: Vec<PathBuf>,

    /// A CAPF certificate.
    #[arg(long, value_name = "CERT.pem")]
    pub capf: Vec<PathBuf>,

    /// A TVS certificate.
    #[arg(long, value_name = "CERT.pem")]
    pub tvs: Vec<PathBuf>,

    /// An application-server certificate.
    #[arg(long, value_name = "CERT.pem")]
    pub app_server: Vec<PathBuf>,

    /// A node's address, the publisher first: every record of that node's certificates (CN
    /// NAME, NAME-EC, NAME-tvs, ITLRECOVERY_NAME; the CAPF certificate is the publisher's) gets
    /// DNSNAME NAME and IPADDRESS IP, as CUCM writes them.
    #[arg(long, value_name = "NAME=IP")]
    pub dns: Vec<String>,

    /// Write SIGNERVERSION (header tag 28): 1.1 is what phones are reported to need before
    /// they take EC keys or RSA keys above 2048 bits, and makes a phone holding the ITL ask for
    /// its config over HTTPS first; 1.0 is what certutils' tlvfile writes by default.
    #[arg(long, value_name = "VERSION", value_parser = ["1.0", "1.1"])]
    pub signer_version: Option<String>,

    /// Start from this file's records (the update the CTL client makes), then add and drop.
    #[arg(long, value_name = "EXISTING.tlv")]
    pub from: Option<OsString>,

    /// With --from: leave out the records with this serial number (hex, colons allowed).
    #[arg(long, value_name = "HEX", requires = "from")]
    pub drop_serial: Vec<Serial<'static>>,

    /// Replace OUT if it exists, and write it even when lint finds errors.
    #[arg(long)]
    pub force: bool,
}

/// A signer key on a PKCS #11 token.
#[cfg(feature = "pkcs11")]
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Sign with a key on an eToken / any PKCS #11 token, named by an RFC 7512 URI (e.g.
    /// 'pkcs11:token=SAST;object=sast-a'; `ctlkit tokens` lists them). The certificate comes
    /// from the token unless --signer is given. The PIN comes from the URI's
    /// ?pin-source=FILE, else CTLKIT_PKCS11_PIN, else a prompt on the terminal.
    #[arg(long, value_name = "URI")]
    pub signer_pkcs11: Option<String>,

    /// The token vendor's PKCS #11 module (SafeNet eToken: libeTPkcs11.so; SoftHSM:
    /// libsofthsm2.so; OpenSC: opensc-pkcs11.so); the URI's ?module-path= also works.
    #[arg(long, value_name = "MODULE.so", env = "CTLKIT_PKCS11_MODULE")]
    pub pkcs11_module: Option<PathBuf>,

    /// How the token signs: its own hash-and-sign mechanism when offered, else raw RSA over
    /// a DigestInfo computed here.
    #[arg(long, value_enum, default_value_t = MechanismArg::Auto, value_name = "HOW")]
    pub pkcs11_mechanism: MechanismArg,
}

/// `--pkcs11-mechanism`.
#[cfg(feature = "pkcs11")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MechanismArg {
    /// CKM_SHA*_RSA_PKCS when the token offers it, else CKM_RSA_PKCS.
    Auto,
    /// Only CKM_SHA1_RSA_PKCS / CKM_SHA256_RSA_PKCS / CKM_SHA512_RSA_PKCS.
    ShaRsaPkcs,
    /// Only CKM_RSA_PKCS over a DigestInfo ctlkit builds (old eTokens).
    RsaPkcs,
}

/// `ctlkit tokens`.
#[cfg(feature = "pkcs11")]
#[derive(Debug, Args)]
pub struct TokensArgs {
    /// The token vendor's PKCS #11 module.
    #[arg(long, value_name = "MODULE.so", env = "CTLKIT_PKCS11_MODULE")]
    pub pkcs11_module: Option<PathBuf>,

    /// Log in to list private keys too (PIN from CTLKIT_PKCS11_PIN or a prompt); with
    /// several tokens, name the one with --token.
    #[arg(long)]
    pub login: bool,

    /// Only the token with this label.
    #[arg(long, value_name = "LABEL")]
    pub token: Option<String>,

    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DigestArg {
    /// SHA-1: every phone, and CUCM's default.
    Sha1,
    /// SHA-256: defined by one builder, never seen from CUCM.
    Sha256,
    /// SHA-512: clusters whose TFTP file signature algorithm is SHA-512.
    Sha512,
}

#[derive(Debug, Args)]
pub struct HashArgs {
    /// Files to hash (`-` for standard input); any file, not only trust lists.
    #[arg(required = true)]
    pub files: Vec<OsString>,

    /// Instead, each file's certificate (PEM or DER; the first of a bundle) hashed as
    /// certutils' certhash does: the digest of its DER, in base64 — what a config's
    /// `<certHash>` holds. Text is `<base64>  FILE` per line.
    #[arg(long, value_name = "DIGEST", value_parser = ["sha1", "sha256", "sha512"])]
    pub certhash: Option<String>,

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
    /// A page for people to attach to a ticket: one HTML file, no script, nothing loaded.
    Html,
}

impl From<Format> for Output {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => Output::Text,
            Format::Json => Output::Json,
            Format::Html => Output::Html,
        }
    }
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
