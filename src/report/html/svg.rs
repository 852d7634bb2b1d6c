//! The pictures: a stacked bar of counts and certificates' validity on one time axis. Inline
//! SVG drawn with classes (the page's policy allows no style attributes); every mark has its
//! words beside it, never colour alone.

use maud::{Markup, html};
use time::OffsetDateTime;

use super::{shown, tone};

/// Drawing width in user units; the SVG scales to the page.
const WIDTH: f64 = 1000.0;

/// Counts as one stacked bar, each part labelled with its word and number below.
pub(crate) fn count_bar(parts: &[(String, usize)]) -> Markup {
    let total: usize = parts.iter().map(|(_, count)| count).sum();
    let mut x = 0.0;
    let mut segments = Vec::new();
    for (word, count) in parts.iter().filter(|(_, count)| *count > 0) {
        let width = fraction(*count, total) * WIDTH;
        segments.push((x, width.max(2.0), word.clone(), *count));
        x += width;
    }
    html! {
        svg viewBox="0 0 1000 28" role="img" aria-label={ (summary(parts)) } {
            title { (summary(parts)) }
            @for (x, width, word, count) in &segments {
                rect class=(tone(word)) x=(format!("{x:.1}")) y="0" width=(format!("{width:.1}")) height="28" {
                    title { (word.replace('_', " ")) ": " (count) }
                }
            }
        }
        p.legend {
            @for (word, count) in parts {
                span { (super::status(word)) " " (count) }
            }
        }
    }
}

fn summary(parts: &[(String, usize)]) -> String {
    parts
        .iter()
        .map(|(word, count)| format!("{}: {count}", word.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn fraction(count: usize, total: usize) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let exact = |value: usize| f64::from(u32::try_from(value).unwrap_or(u32::MAX));
    exact(count) / exact(total)
}

/// One certificate to place on the time axis.
#[derive(Debug, Clone)]
pub(crate) struct Validity {
    /// What the row is (`#2 CCM+TFTP cucm-pub`).
    pub label: String,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
}

/// Days ahead within which a certificate counts as expiring.
pub(crate) const EXPIRING_DAYS: i64 = 60;

/// `expired`, `expiring` (within [`EXPIRING_DAYS`]) or `valid`, at `now`.
pub(crate) fn validity_word(not_after: OffsetDateTime, now: OffsetDateTime) -> &'static str {
    let soon = now.checked_add(time::Duration::days(EXPIRING_DAYS));
    if not_after < now {
        "expired"
    } else if soon.is_some_and(|soon| not_after < soon) {
        "expiring"
    } else {
        "valid"
    }
}

/// Every certificate's validity on one axis, today marked.
pub(crate) fn validity_timeline(rows: &[Validity], now: OffsetDateTime) -> Markup {
    if rows.is_empty() {
        return html! {};
    }
    let start = rows
        .iter()
        .map(|row| row.not_before)
        .chain([now])
        .min()
        .unwrap_or(now);
    let end = rows
        .iter()
        .map(|row| row.not_after)
        .chain([now])
        .max()
        .unwrap_or(now);
    let span = seconds_between(start, end).max(1.0);
    let left = 330.0;
    let plot = WIDTH - left - 10.0;
    let at = |moment: OffsetDateTime| left + seconds_between(start, moment) / span * plot;
    let row_height = 22.0;
    let top = 24.0;
    let count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let height = top + row_height * f64::from(count) + 8.0;
    let years: Vec<i32> = (start.year().saturating_add(1)..=end.year()).collect();
    let step = years.len().div_ceil(12).max(1);
    let today = at(now);
    html! {
        svg viewBox=(format!("0 0 {WIDTH} {height:.0}")) role="img"
            aria-label="Each certificate's validity on one time axis; the line marks today" {
            title { "Certificate validity; the line marks today" }
            @for year in years.iter().step_by(step) {
                @if let Ok(date) = time::Date::from_calendar_date(*year, time::Month::January, 1) {
                    @let x = at(date.midnight().assume_utc());
                    line.axis x1=(format!("{x:.1}")) x2=(format!("{x:.1}")) y1="16" y2=(format!("{height:.0}")) {}
                    text x=(format!("{x:.1}")) y="12" text-anchor="middle" { (year) }
                }
            }
            @for (index, row) in rows.iter().enumerate() {
                @let y = top + row_height * f64::from(u32::try_from(index).unwrap_or(u32::MAX));
                @let word = validity_word(row.not_after, now);
                @let x = at(row.not_before);
                @let width = (at(row.not_after) - x).max(2.0);
                text x="0" y=(format!("{:.1}", y + 14.0)) { (clip(&row.label, 48)) }
                rect class=(tone(word)) x=(format!("{x:.1}")) y=(format!("{:.1}", y + 3.0))
                    width=(format!("{width:.1}")) height="14" {
                    title { (shown(&row.label)) ": " (word) ", " (row.not_before.date()) " to " (row.not_after.date()) }
                }
            }
            line.today x1=(format!("{today:.1}")) x2=(format!("{today:.1}")) y1="16" y2=(format!("{height:.0}")) {}
            text.today-label x=(format!("{:.1}", today + 3.0)) y=(format!("{:.0}", height - 2.0)) { "today" }
        }
    }
}

/// Seconds from `from` to `to`, never overflowing (whole seconds are enough to draw).
fn seconds_between(from: OffsetDateTime, to: OffsetDateTime) -> f64 {
    time::Duration::seconds(to.unix_timestamp().saturating_sub(from.unix_timestamp()))
        .as_seconds_f64()
}

/// `text` cut to `most` characters with `…`, as shown.
fn clip(text: &str, most: usize) -> String {
    let text = shown(text);
    if text.chars().count() <= most {
        return text;
    }
    let mut cut: String = text.chars().take(most.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
