//! The few ways ctlkit writes a time: RFC 3339 for JSON and diffs, `date` style as `show ctl`
//! prints it, a day for validity ranges.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// RFC 3339 in UTC (`2025-12-30T17:25:42Z`), for JSON.
pub fn rfc3339(moment: OffsetDateTime) -> String {
    moment
        .to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| moment.unix_timestamp().to_string())
}

/// `date`-style, as CUCM's `show ctl` prints the modification time
/// (`Tue Dec 30 17:25:42 UTC 2025`).
pub fn unix_date(moment: OffsetDateTime) -> String {
    let format = format_description!(
        "[weekday repr:short] [month repr:short] [day padding:space] [hour]:[minute]:[second] UTC [year]"
    );
    moment
        .to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| moment.unix_timestamp().to_string())
}

/// A day, for validity ranges (`2025-12-30`).
pub fn day(moment: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]");
    moment
        .to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| moment.unix_timestamp().to_string())
}

/// The header's TIMESTAMP as a time (`None` cannot happen for a `u32`, but stays total).
pub fn from_timestamp(seconds: u32) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(i64::from(seconds)).ok()
}
