//! The one CSV writer every report uses.
//!
//! A CSV is opened in a spreadsheet, and a spreadsheet runs a cell that starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return as a formula (CSV injection). Cells come from file names,
//! phone folders, TFTP requests in captures and signer names inside hostile files, so every
//! cell is made safe here: control bytes are written `\xNN` as text output writes them, a
//! dangerous first character gets a leading `'` (the OWASP advice), and the cell is quoted as
//! RFC 4180 says when it holds a comma, a quote or a line break.

use ctlkit_format::text::printable;

/// First characters a spreadsheet reads as the start of a formula.
/// (A leading tab or carriage return, the other two OWASP names, is already `\x09` / `\x0d`.)
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// One cell, safe to open in a spreadsheet.
pub(crate) fn csv_field(text: &str) -> String {
    let printed = printable(text.as_bytes());
    let neutralised = if printed.starts_with(FORMULA_STARTS) {
        format!("'{printed}")
    } else {
        printed.into_owned()
    };
    if neutralised.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutralised.replace('"', "\"\""))
    } else {
        neutralised
    }
}

/// One line of cells, each made safe, ending in a line break.
pub(crate) fn csv_line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|cell| csv_field(cell.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_formula_start_is_neutralised() {
        for start in ["=", "+", "-", "@"] {
            let cell = format!("{start}HYPERLINK(\"http://x\")");
            assert!(csv_field(&cell).starts_with("\"'"), "{cell}");
        }
        assert_eq!(csv_field("@SUM(1)"), "'@SUM(1)");
        assert_eq!(csv_field("\tcmd"), "\\x09cmd");
    }

    #[test]
    fn control_bytes_are_escaped_and_rfc4180_quoting_holds() {
        assert_eq!(csv_field("a\u{1b}[31mred"), "a\\x1b[31mred");
        assert_eq!(csv_field("two\nlines"), "two\\x0alines");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("SEP001122334455"), "SEP001122334455");
        assert_eq!(csv_line(&["a", "=b", ""]), "a,'=b,\n");
    }
}
