//! Fetching a file over HTTP as a phone does (CUCM's TFTP service answers on port 6970):
//! `GET /NAME`, bounded in size and time whatever the server does.

use std::time::Duration;

/// Why an HTTP or HTTPS fetch failed: one vocabulary for both, as a phone's log has one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// Over HTTPS only: the phone's check refused the server's certificate.
    #[error("{url}: the server's certificate is refused: {reason}")]
    CertificateRefused {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The server answered 404.
    #[error("{url}: not found (HTTP 404)")]
    NotFound {
        /// The URL.
        url: String,
    },
    /// The server answered another status than 200.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The body is larger than the limit.
    #[error("{url}: larger than the {limit}-byte limit")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// No connection, no answer in time, a failed handshake, a broken or cut answer.
    #[error("{url}: {reason}")]
    Failed {
        /// The URL.
        url: String,
        /// What happened.
        reason: String,
    },
}

/// Fetches `http://AUTHORITY/NAME` into memory: at most `max_size` bytes, the whole exchange
/// within `deadline`.
///
/// # Errors
///
/// [`HttpError`] for a 404, another status, a body over the limit, or no (timely) answer.
pub fn fetch_http(
    authority: &str,
    name: &str,
    max_size: u64,
    deadline: Duration,
) -> Result<Vec<u8>, HttpError> {
    let url = format!("http://{authority}/{name}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(deadline))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let failed = |error: ureq::Error| match error {
        ureq::Error::BodyExceedsLimit(_) => HttpError::TooLarge {
            url: url.clone(),
            limit: max_size,
        },
        other => HttpError::Failed {
            url: url.clone(),
            reason: other.to_string(),
        },
    };
    let mut response = agent.get(&url).call().map_err(failed)?;
    match response.status().as_u16() {
        200 => {}
        404 => return Err(HttpError::NotFound { url }),
        status => return Err(HttpError::Status { url, status }),
    }
    response
        .body_mut()
        .with_config()
        .limit(max_size)
        .read_to_vec()
        .map_err(failed)
}
