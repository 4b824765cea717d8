//! What the builder checks of its inputs before it builds a client: the
//! endpoint (where the credential goes) and the caller's default headers
//! (which may not stand in for the credential).

use std::net::IpAddr;

use reqwest::header::{HeaderName, HeaderValue};

use crate::error::ConfigError;

/// The caller's default headers, checked: none may be one this crate sets
/// or one that carries a credential.
pub(super) fn default_headers(given: &[(String, String)]) -> Result<reqwest::header::HeaderMap, ConfigError> {
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in given {
        let invalid = || ConfigError::InvalidHeader { name: name.clone() };
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let reserved = header == reqwest::header::AUTHORIZATION
            || header.as_str() == "client-session-token"
            || header.as_str().starts_with("seam-");
        if reserved {
            return Err(ConfigError::ReservedHeader { name: header.as_str().to_owned() });
        }
        let mut value = HeaderValue::from_str(value).map_err(|_| invalid())?;
        // It may be a secret (a proxy's token): never printed.
        value.set_sensitive(true);
        headers.insert(header, value);
    }
    Ok(headers)
}

/// Parses the endpoint and returns it without a trailing slash (operation
/// paths are appended to it).
pub(super) fn check_endpoint(endpoint: &str, allow_insecure_http: bool) -> Result<String, ConfigError> {
    let invalid = |reason| ConfigError::InvalidEndpoint { endpoint: endpoint.to_owned(), reason };
    let url = reqwest::Url::parse(endpoint).map_err(|_| invalid("not an absolute URL"))?;
    let host = url.host_str().ok_or_else(|| invalid("no host"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials in the URL; pass them to the builder instead"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a query or fragment"));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(host) => {}
        "http" => return Err(ConfigError::InsecureEndpoint { endpoint: endpoint.to_owned() }),
        _ => return Err(invalid("the scheme is not http or https")),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_checked() {
        assert_eq!(
            check_endpoint("https://connect.getseam.com/", false).unwrap(),
            "https://connect.getseam.com"
        );
        assert_eq!(check_endpoint("http://127.0.0.1:8080", false).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(check_endpoint("http://localhost:1/base/", false).unwrap(), "http://localhost:1/base");
        assert_eq!(check_endpoint("http://[::1]:9", false).unwrap(), "http://[::1]:9");
        assert!(matches!(
            check_endpoint("http://example.com", false),
            Err(ConfigError::InsecureEndpoint { .. })
        ));
        assert!(check_endpoint("http://example.com", true).is_ok());
        for bad in ["", "connect.getseam.com", "ftp://x", "https://u:p@x", "https://x/?a=1", "https://x/#f"] {
            assert!(matches!(check_endpoint(bad, false), Err(ConfigError::InvalidEndpoint { .. })), "{bad}");
        }
    }
}
