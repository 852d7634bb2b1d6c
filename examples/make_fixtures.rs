//! Writes the synthetic fixtures into `fixtures/` (run from the repository root):
//! `cargo run --example make_fixtures`. The generator is deterministic; `tests/fixtures.rs`
//! checks that the committed files are exactly what it produces.

#[path = "../tests/support/generate.rs"]
mod generate;

use std::fs;
use std::path::Path;

fn main() -> std::io::Result<()> {
    let root = Path::new("fixtures");
    for fixture in generate::all() {
        let path = root.join(&fixture.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &fixture.bytes)?;
        println!("{:>6} bytes  {}", fixture.bytes.len(), path.display());
    }
    Ok(())
}
