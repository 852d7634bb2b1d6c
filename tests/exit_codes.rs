//! The README's exit-code table is the contract scripts rely on: every row's example is run
//! here, from the repository root, and must exit with the row's code.

use crate::support::ctlkit;

/// One row of the table: the code, the command column, the condition and the example's
/// arguments (without the leading `ctlkit`).
struct Row {
    code: i32,
    when: String,
    arguments: Vec<String>,
}

fn table() -> Vec<Row> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("<!-- exit-codes")
        .expect("the table's start marker");
    let end = readme
        .find("<!-- /exit-codes -->")
        .expect("the table's end marker");
    readme[start..end]
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| exit"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            assert_eq!(cells.len(), 4, "{line}");
            let example = cells[3].trim().trim_matches('`');
            let mut words = example.split_whitespace();
            assert_eq!(words.next(), Some("ctlkit"), "{line}");
            Row {
                code: cells[0].trim().parse().unwrap(),
                when: cells[2].to_owned(),
                arguments: words.map(str::to_owned).collect(),
            }
        })
        .collect()
}

#[test]
fn every_row_of_the_readme_exit_code_table_holds() {
    let rows = table();
    assert!(rows.len() >= 20, "{} rows", rows.len());
    for code in [0, 1, 2] {
        assert!(rows.iter().any(|row| row.code == code), "no row for {code}");
    }
    for row in &rows {
        let output = ctlkit().args(&row.arguments).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(row.code),
            "ctlkit {}\n{stdout}\n{stderr}",
            row.arguments.join(" ")
        );
        let usage = row.when.contains("flag");
        if row.code == 2 && !usage {
            // One line naming the problem; a damaged copy's report of what could be read is
            // the one thing on stdout.
            let errors: Vec<&str> = stderr
                .lines()
                .filter(|line| !line.starts_with("warning:"))
                .collect();
            assert_eq!(
                errors.len(),
                1,
                "ctlkit {}: {stderr}",
                row.arguments.join(" ")
            );
            assert!(errors[0].starts_with("error: "), "{stderr}");
            assert_eq!(
                stdout.is_empty(),
                !row.when.contains("damaged"),
                "ctlkit {}: {stdout}",
                row.arguments.join(" ")
            );
        }
    }
    assert!(!std::path::Path::new("target/never-written").exists());
}
