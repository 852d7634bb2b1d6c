//! Colour for terminals: status words only, and never when NO_COLOR is set or output is piped
//! (the caller decides; this module only paints).

/// Green, yellow or red, for good, warning and bad verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// All is well.
    Good,
    /// Needs attention soon.
    Warning,
    /// Needs action.
    Bad,
}

/// `text` padded to `width`, painted when `color` is on.
pub(crate) fn paint(text: &str, width: usize, tone: Tone, color: bool) -> String {
    let padded = format!("{text:<width$}");
    if !color {
        return padded;
    }
    let code = match tone {
        Tone::Good => "32",
        Tone::Warning => "33",
        Tone::Bad => "31",
    };
    format!("\x1b[{code}m{padded}\x1b[0m")
}
