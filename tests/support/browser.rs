//! Debian's Chromium, headless, as the page's reader: it renders a page to PNG and to PDF and
//! reports every console message (a policy violation is one) and every request that reached
//! the network — through a proxy on loopback that answers nothing and records what came.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;

/// Hosts Chromium itself calls at start (updates, time, accounts), whatever the page says:
/// not the page's requests.
const CHROMIUM_OWN_HOSTS: &[&str] = &["google.com", "googleapis.com", "gstatic.com", "gvt1.com"];

/// A browser to render with.
pub struct Browser {
    executable: PathBuf,
}

/// What rendering a page gave.
pub struct Rendering {
    /// The screenshot.
    pub png: Vec<u8>,
    /// The printed page.
    pub pdf: Vec<u8>,
    /// Every console message (`CONSOLE` lines of Chromium's log).
    pub console: Vec<String>,
    /// The first line of every request the page sent out.
    pub requests: Vec<String>,
}

impl Browser {
    /// Chromium when installed (`CTLKIT_CHROMIUM` names another); `None` to skip, except on CI
    /// (`CI` set), where `.ci/run` installs it and its absence is a failure.
    pub fn find() -> Option<Browser> {
        let executable = std::env::var_os("CTLKIT_CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
        if executable.exists() {
            return Some(Browser { executable });
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is missing at {} (.ci/run installs Debian's chromium)",
            executable.display()
        );
        eprintln!("skipped: no Chromium at {}", executable.display());
        None
    }

    /// Renders `page` at `width` × `height` CSS pixels, as a screenshot and as a PDF; `dark`
    /// asks for the reader's dark colour scheme (`prefers-color-scheme: dark`).
    pub fn render(&self, page: &Path, width: u32, height: u32, dark: bool) -> Rendering {
        let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
        let proxy_address = proxy.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        {
            let requests = Arc::clone(&requests);
            thread::spawn(move || {
                for mut stream in proxy.incoming().flatten() {
                    let mut head = [0u8; 512];
                    let count = stream.read(&mut head).unwrap_or(0);
                    let text = String::from_utf8_lossy(&head[..count]).into_owned();
                    let line = text.lines().next().unwrap_or_default().to_owned();
                    requests.lock().unwrap().push(line);
                }
            });
        }
        let output = tempfile::tempdir().unwrap();
        let png_path = output.path().join("page.png");
        let pdf_path = output.path().join("page.pdf");
        let mut console = Vec::new();
        for target in [
            format!("--screenshot={}", png_path.display()),
            format!("--print-to-pdf={}", pdf_path.display()),
        ] {
            let profile = tempfile::tempdir().unwrap();
            let run = Command::new(&self.executable)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--hide-scrollbars",
                    "--no-pdf-header-footer",
                    "--enable-logging=stderr",
                    "--v=0",
                ])
                .arg(format!("--user-data-dir={}", profile.path().display()))
                .arg(format!("--proxy-server=http://{proxy_address}"))
                .arg("--proxy-bypass-list=<-loopback>")
                .arg(format!("--window-size={width},{height}"))
                .args(if dark {
                    &[
                        "--force-dark-mode",
                        "--blink-settings=preferredColorScheme=0",
                    ][..]
                } else {
                    &["--blink-settings=preferredColorScheme=1"][..]
                })
                .arg(&target)
                .arg(format!("file://{}", page.canonicalize().unwrap().display()))
                .output()
                .unwrap();
            let log = String::from_utf8_lossy(&run.stderr);
            console.extend(
                log.lines()
                    .filter(|line| line.contains(":CONSOLE"))
                    .map(str::to_owned),
            );
        }
        let requests = requests
            .lock()
            .unwrap()
            .iter()
            .filter(|line| !is_chromium_own(line))
            .cloned()
            .collect();
        Rendering {
            png: std::fs::read(&png_path).unwrap_or_default(),
            pdf: std::fs::read(&pdf_path).unwrap_or_default(),
            console,
            requests,
        }
    }
}

/// `GET http://clients2.google.com/…`, `CONNECT update.googleapis.com:443 …`.
fn is_chromium_own(request_line: &str) -> bool {
    let target = request_line.split_whitespace().nth(1).unwrap_or_default();
    let host = target
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    CHROMIUM_OWN_HOSTS
        .iter()
        .any(|own| host == *own || host.ends_with(&format!(".{own}")))
}

/// How much of a screenshot is not the background: the share of pixels that differ from the
/// top-left one, and how many colours it has.
pub fn ink(png: &[u8]) -> (f64, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let background = &pixels[..channels];
    let mut colours = std::collections::HashSet::new();
    let mut inked = 0usize;
    let mut total = 0usize;
    for pixel in pixels.chunks(channels) {
        total += 1;
        if pixel != background {
            inked += 1;
        }
        if colours.len() < 10_000 {
            colours.insert(pixel.to_vec());
        }
    }
    (inked as f64 / total.max(1) as f64, colours.len())
}
