//! Rate limiting on `/v1/auth/*`: a fixed window per client address, counted
//! in PostgreSQL so every server process shares the same budget.

use std::net::IpAddr;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpRequest, ResponseError};

use liaison_persistence::rate_limits;

use crate::error::ApiError;
use crate::settings::TrustedProxies;
use crate::state::AppState;

/// The client's address. Without trusted proxies it is the socket's peer.
/// Behind them it is read from `X-Forwarded-For` *from the right*: each proxy
/// appends the address it saw, and everything left of what our own proxies
/// wrote is the client's to invent, so the leftmost entry is never believed.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trusted: &TrustedProxies,
) -> Option<IpAddr> {
    let entries = || {
        forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|e| !e.is_empty())
    };
    match trusted {
        TrustedProxies::None | TrustedProxies::Hops(0) => peer,
        TrustedProxies::Hops(hops) => {
            let entries: Vec<&str> = entries().collect();
            // Fewer entries than proxies: the request did not come through
            // them all, so nothing in the header is ours.
            match entries.len().checked_sub(*hops) {
                Some(i) => entries[i].parse().ok().or(peer),
                None => peer,
            }
        }
        TrustedProxies::Networks(networks) => {
            let is_proxy = |ip: &IpAddr| networks.iter().any(|n| n.contains(ip));
            let mut client = peer?;
            if !is_proxy(&client) {
                return Some(client);
            }
            for entry in entries().collect::<Vec<_>>().into_iter().rev() {
                let Ok(ip) = entry.parse::<IpAddr>() else {
                    break; // not written by a proxy of ours
                };
                client = ip;
                if !is_proxy(&ip) {
                    break;
                }
            }
            Some(client)
        }
    }
}

/// The client of a request, as a rate-limit bucket names it.
pub fn client_of(req: &HttpRequest, trusted: &TrustedProxies) -> String {
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    client_address(req.peer_addr().map(|a| a.ip()), &forwarded, trusted)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// Middleware for the auth scope.
pub async fn limit_auth(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let limit = state.settings.auth_rate_limit;
    let window = state.settings.rate_limit_window_secs.max(1);
    let bucket = format!(
        "auth:{}",
        client_of(req.request(), &state.settings.trusted_proxies)
    );
    let counted = match rate_limits::hit(&state.db, &bucket, window as i64).await {
        Ok(counted) => Some(counted),
        Err(err) => {
            // Fail open: the request itself will meet the database and answer 503.
            tracing::warn!(error = %err, "rate limit unavailable");
            None
        }
    };
    if let Some(w) = counted {
        if w.hits as u32 > limit {
            let response = ApiError::RateLimited {
                limit,
                reset_in: w.reset_in.max(1) as u32,
            }
            .error_response();
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    let mut response = next.call(req).await?.map_into_left_body();
    if let Some(w) = counted {
        let headers = response.headers_mut();
        for (name, value) in [
            ("ratelimit-limit", limit.to_string()),
            (
                "ratelimit-remaining",
                limit.saturating_sub(w.hits as u32).to_string(),
            ),
            ("ratelimit-reset", w.reset_in.max(1).to_string()),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let got = client_address(ip("192.0.2.1"), &["203.0.113.9"], &TrustedProxies::None);
        assert_eq!(got, ip("192.0.2.1"));
    }

    #[test]
    fn one_hop_takes_the_rightmost_entry_whatever_the_client_wrote_on_the_left() {
        let one = TrustedProxies::Hops(1);
        let got = client_address(ip("10.0.0.2"), &["6.6.6.6, 203.0.113.9"], &one);
        assert_eq!(got, ip("203.0.113.9"));
        // Two header lines count as one list, in order.
        let got = client_address(ip("10.0.0.2"), &["6.6.6.6", "203.0.113.9"], &one);
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn two_hops_skip_the_entry_the_outer_proxy_added() {
        let got = client_address(
            ip("10.0.0.2"),
            &["6.6.6.6, 203.0.113.9, 198.51.100.4"],
            &TrustedProxies::Hops(2),
        );
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn a_chain_shorter_than_the_proxies_falls_back_to_the_peer() {
        let got = client_address(ip("192.0.2.1"), &["6.6.6.6"], &TrustedProxies::Hops(2));
        assert_eq!(got, ip("192.0.2.1"));
    }

    #[test]
    fn networks_skip_trusted_entries_from_the_right() {
        let trusted: TrustedProxies = "10.0.0.0/8, 192.168.1.1".parse().expect("networks");
        let got = client_address(
            ip("10.0.0.2"),
            &["6.6.6.6, 203.0.113.9, 192.168.1.1, 10.1.2.3"],
            &trusted,
        );
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn networks_ignore_the_header_from_an_untrusted_peer() {
        let trusted: TrustedProxies = "10.0.0.0/8".parse().expect("networks");
        let got = client_address(ip("192.0.2.1"), &["203.0.113.9"], &trusted);
        assert_eq!(got, ip("192.0.2.1"));
    }

    #[test]
    fn hop_counts_and_networks_parse() {
        assert_eq!("2".parse::<TrustedProxies>(), Ok(TrustedProxies::Hops(2)));
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::None));
        assert!("not-a-network".parse::<TrustedProxies>().is_err());
    }
}
