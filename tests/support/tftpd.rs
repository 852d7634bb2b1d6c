//! Debian's tftpd-hpa serving a temporary folder on loopback, started and stopped by the
//! tests themselves.

use std::fs;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use ctlkit::evidence::tftp::{FetchOptions, TftpUrl, fetch};

const IN_TFTPD: &str = "/usr/sbin/in.tftpd";

/// A tftpd-hpa serving a temporary directory on a free loopback port; stopped on drop.
pub struct Server {
    child: Child,
    /// The address it listens on.
    pub address: SocketAddr,
    root: tempfile::TempDir,
}

impl Server {
    /// `None` (with a note) where tftpd-hpa is not installed, except under CI, where it must be.
    pub fn start() -> Option<Server> {
        Server::start_on("127.0.0.1".parse().unwrap())
    }

    /// The same on a given loopback address (a test that captures traffic listens on an
    /// address of its own, so its capture holds only its own transfers).
    pub fn start_on(ip: IpAddr) -> Option<Server> {
        if !Path::new(IN_TFTPD).exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install tftpd-hpa (.ci/run does)"
            );
            eprintln!("skipping: {IN_TFTPD} is not installed (apt-get install tftpd-hpa)");
            return None;
        }
        let root = tempfile::tempdir().unwrap();
        // tftpd-hpa drops to an unprivileged user: the directory must be readable by all.
        fs::set_permissions(root.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let address = UdpSocket::bind(SocketAddr::new(ip, 0))
            .unwrap()
            .local_addr()
            .unwrap();
        let listen = match ip {
            IpAddr::V4(_) => address.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]:{}", address.port()),
        };
        let child = StdCommand::new(IN_TFTPD)
            .args(["-L", "-s", "-a", &listen])
            .arg(root.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            address,
            root,
        };
        server.wait_until_ready();
        Some(server)
    }

    fn wait_until_ready(&self) {
        self.put("ready", b"ok");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let options = FetchOptions {
                timeout: Duration::from_millis(100),
                retries: 0,
                ..FetchOptions::default()
            };
            if fetch(&self.url("ready"), &options).is_ok() {
                return;
            }
        }
        panic!("in.tftpd did not answer on {}", self.address);
    }

    /// Puts a file in the served folder, readable by the server.
    pub fn put(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.root.path().join(name);
        fs::write(&path, bytes).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        path
    }

    /// `tftp://ADDRESS/NAME`.
    pub fn url(&self, name: &str) -> TftpUrl {
        TftpUrl::parse(&format!("tftp://{}/{name}", self.address)).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
