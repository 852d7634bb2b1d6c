//! Pasted `show ctl` / `show itl` text whose line breaks were lost — through a chat, a PDF, a
//! web page or a ticket system that flattens whitespace — laid out again line by line, so it
//! reads like the original.
//!
//! CUCM's layout is a sequence of known labels and `BYTEPOS TAG LENGTH VALUE` rows, so the
//! words themselves say where each line began. One thing the words cannot say: where CUCM (or
//! the terminal) wrapped a long name, which flattening turns into one space inside the name.
//! The row's LENGTH can: a name is LENGTH − 1 characters (its NUL is not printed), so the
//! spaces beyond that are wraps, and are removed.

/// How long a line may be before text counts as flattened: no line of a real `show ctl` is
/// near it, and a flattened output is thousands of characters on one line.
const LONGEST_REAL_LINE: usize = 300;

/// The most words a label's sentence or date runs to: searches stop there, so hostile text
/// costs linear time.
const SENTENCE_WORDS: usize = 16;

/// Where a terminal of 80 columns first wraps a table row's value (the value column starts
/// at 40), and how far apart the later wraps are (a wrapped line and its break).
const FIRST_WRAP: usize = 40;
const WRAP_STRIDE: usize = 81;

/// Whether `text` lost its line breaks: a line far longer than any `show ctl` prints, holding
/// the table's heading or a record's start.
pub(crate) fn is_flattened(text: &str) -> bool {
    text.lines().any(|line| {
        line.len() > LONGEST_REAL_LINE && (line.contains("BYTEPOS") || line.contains("Record #:"))
    })
}

/// The text laid out again, one label or table row per line.
pub(crate) fn unflatten(text: &str) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut free: Vec<&str> = Vec::new();
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        if let Some(taken) = label_at(&tokens, index) {
            flush(&mut free, &mut lines);
            lines.push(
                tokens
                    .get(index..index.saturating_add(taken))
                    .unwrap_or_default()
                    .join(" "),
            );
            index = index.saturating_add(taken);
        } else if is_row_start(&tokens, index) {
            flush(&mut free, &mut lines);
            let value_start = index.saturating_add(3);
            let mut end = value_start;
            while end < tokens.len() && !starts_structure(&tokens, end) {
                end = end.saturating_add(1);
            }
            let row = tokens.get(index..value_start).unwrap_or_default();
            let value = tokens.get(value_start..end).unwrap_or_default();
            push_row(row, value, &mut lines);
            index = end;
        } else {
            free.push(token);
            index = index.saturating_add(1);
        }
    }
    flush(&mut free, &mut lines);
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn flush(free: &mut Vec<&str>, lines: &mut Vec<String>) {
    if !free.is_empty() {
        lines.push(free.join(" "));
        free.clear();
    }
}

/// A label, a table row or a record's start begins at `index`.
fn starts_structure(tokens: &[&str], index: usize) -> bool {
    label_at(tokens, index).is_some() || is_row_start(tokens, index)
}

/// `BYTEPOS TAG LENGTH`: a number, an upper-case tag name, a number.
fn is_row_start(tokens: &[&str], index: usize) -> bool {
    let number = |offset: usize| {
        tokens
            .get(index.saturating_add(offset))
            .is_some_and(|token| {
                !token.is_empty() && token.bytes().all(|byte| byte.is_ascii_digit())
            })
    };
    let tag = tokens.get(index.saturating_add(1)).is_some_and(|token| {
        token.len() >= 3
            && token
                .bytes()
                .all(|byte| byte.is_ascii_uppercase() || byte == b'+' || byte == b'_')
    });
    number(0) && tag && number(2)
}

/// How many tokens the label starting at `index` spans, if one does.
fn label_at(tokens: &[&str], index: usize) -> Option<usize> {
    let rest = tokens.get(index..)?;
    let first = *rest.first()?;
    let words = |expected: &[&str]| {
        rest.len() >= expected.len()
            && rest
                .iter()
                .zip(expected)
                .all(|(token, word)| word.is_empty() || token == word)
    };
    let kind_word =
        |token: Option<&&str>| token.is_some_and(|token| ["CTL", "ITL"].contains(token));
    if first.ends_with("(MD5)") || first.ends_with("(SHA1)") || first.starts_with("admin:") {
        return Some(1);
    }
    if first.bytes().all(|byte| byte == b'-') {
        // `----------------` or the table's `------- --- ------ -----`.
        let dashes = rest
            .iter()
            .take_while(|token| token.bytes().all(|byte| byte == b'-'))
            .count();
        return Some(dashes);
    }
    if words(&["The", "checksum", "value", "of", "the", "", "file:"]) {
        return Some(7);
    }
    if words(&["Length", "of", "", "file:", ""]) {
        return Some(5);
    }
    if words(&["Parse", "", "File"]) && kind_word(rest.get(1)) {
        return Some(3);
    }
    if words(&["Version:", ""]) {
        return Some(2);
    }
    if words(&["HeaderLength:", "", "(BYTES)"]) {
        return Some(3);
    }
    if words(&["BYTEPOS", "TAG", "LENGTH", "VALUE"]) {
        return Some(4);
    }
    if words(&["", "Record", ""]) && kind_word(rest.first()) && rest.get(2)?.starts_with("#:") {
        return Some(3);
    }
    if words(&["The", "", "File", "was", "last", "modified", "on"]) {
        // The date runs to the next label.
        let date = rest
            .iter()
            .skip(7)
            .take(SENTENCE_WORDS)
            .take_while(|token| !["Parse", "Version:"].contains(token))
            .count();
        return Some(7usize.saturating_add(date));
    }
    if words(&["This", "etoken", "was"]) {
        let sentence = rest
            .iter()
            .take(SENTENCE_WORDS)
            .position(|token| token.ends_with("file."))?;
        return Some(sentence.saturating_add(1));
    }
    if words(&["The", "", "file", "was", "verified", "successfully."]) {
        return Some(6);
    }
    if words(&["Verification", "of", "the"]) {
        let sentence = rest
            .iter()
            .take(SENTENCE_WORDS)
            .position(|token| *token == "Failed")?;
        return Some(sentence.saturating_add(1));
    }
    None
}

/// One row again: names with their wraps taken out, the signature's bytes on lines of their
/// own (as CUCM prints them), every other value as it came.
fn push_row(row: &[&str], value: &[&str], lines: &mut Vec<String>) {
    let [position, tag, length] = row else {
        return;
    };
    let head = format!("{position} {tag} {length}");
    if *tag == "SIGNATURE" && !value.is_empty() {
        lines.push(head);
        for bytes in value.chunks(8) {
            lines.push(bytes.join(" "));
        }
        return;
    }
    let joined = value.join(" ");
    let value = match *tag {
        "SIGNERNAME" | "CANAME" | "SUBJECTNAME" | "ISSUERNAME" | "DNSNAME" => {
            let printed = length.parse::<usize>().unwrap_or(0).saturating_sub(1);
            without_wraps(&joined, printed)
        }
        _ => joined,
    };
    if value.is_empty() {
        lines.push(head);
    } else {
        lines.push(format!("{head} {value}"));
    }
}

/// `name` with as many spaces removed as make it `printed` characters long: first spaces
/// beside a `;`, `,` or `=` (CUCM writes none there), then those where an 80-column terminal
/// wraps, then the last ones.
fn without_wraps(name: &str, printed: usize) -> String {
    let characters: Vec<char> = name.chars().collect();
    let extra = characters.len().saturating_sub(printed);
    let spaces: Vec<usize> = characters
        .iter()
        .enumerate()
        .filter(|(_, character)| **character == ' ')
        .map(|(position, _)| position)
        .collect();
    // No TLV value is longer than a 2-byte length: a bigger LENGTH is no row of CUCM's.
    if extra == 0 || extra > spaces.len() || printed > usize::from(u16::MAX) {
        return name.to_owned();
    }
    let beside_separator = |position: usize| {
        let before = position
            .checked_sub(1)
            .and_then(|before| characters.get(before));
        let after = characters.get(position.saturating_add(1));
        [before, after]
            .into_iter()
            .flatten()
            .any(|character| [';', ',', '='].contains(character))
    };
    let at_wrap = |position: usize| {
        position
            .checked_sub(FIRST_WRAP)
            .is_some_and(|past| past.is_multiple_of(WRAP_STRIDE))
    };
    let mut ranked = spaces.clone();
    ranked.sort_by_key(|position| {
        let rank = if beside_separator(*position) {
            0
        } else if at_wrap(*position) {
            1
        } else {
            2
        };
        (rank, std::cmp::Reverse(*position))
    });
    let mut keep = vec![true; characters.len()];
    for position in ranked.into_iter().take(extra) {
        if let Some(slot) = keep.get_mut(position) {
            *slot = false;
        }
    }
    characters
        .iter()
        .zip(keep)
        .filter(|(_, kept)| *kept)
        .map(|(character, _)| character)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrap_inside_a_name_is_found_by_its_length() {
        // `L=Au` + wrap + `stin`: LENGTH 59 prints 58 characters.
        let flattened = "CN=cucm-pub;OU=VOICE;O=Example Corp;L=Au stin;ST=Texas;C=US";
        assert_eq!(
            without_wraps(flattened, 58),
            "CN=cucm-pub;OU=VOICE;O=Example Corp;L=Austin;ST=Texas;C=US"
        );
        assert_eq!(
            without_wraps("O=Firma;L=Krakow; ST=Malopolska", 30),
            "O=Firma;L=Krakow;ST=Malopolska"
        );
        // Spaces that belong to the name stay.
        assert_eq!(without_wraps("O=Example Corp", 14), "O=Example Corp");
        assert_eq!(
            without_wraps("cn=\"SAST-ADN4e31f914 \";ou=IPCBU", 31),
            "cn=\"SAST-ADN4e31f914 \";ou=IPCBU"
        );
    }

    #[test]
    fn rows_and_labels_get_their_lines_back() {
        let flat = "The checksum value of the CTL file: a17c(MD5) Parse CTL File ---------------- Version: 1.2 HeaderLength: 296 (BYTES) BYTEPOS TAG LENGTH VALUE ------- --- ------ ----- 3 SIGNERID 2 110 4 SIGNERNAME 6 cn=a b 8 DIGESTALGORTITHM 1 CTL Record #:1 ---- 1 RECORDLENGTH 2 1546 4 FUNCTION 2 System Administrator Security Token";
        let lines: Vec<String> = unflatten(flat).lines().map(str::to_owned).collect();
        assert_eq!(
            lines,
            [
                "The checksum value of the CTL file:",
                "a17c(MD5)",
                "Parse CTL File",
                "----------------",
                "Version: 1.2",
                "HeaderLength: 296 (BYTES)",
                "BYTEPOS TAG LENGTH VALUE",
                "------- --- ------ -----",
                "3 SIGNERID 2 110",
                "4 SIGNERNAME 6 cn=ab",
                "8 DIGESTALGORTITHM 1",
                "CTL Record #:1",
                "----",
                "1 RECORDLENGTH 2 1546",
                "4 FUNCTION 2 System Administrator Security Token",
            ]
        );
    }
}
