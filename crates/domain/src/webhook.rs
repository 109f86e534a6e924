//! Webhooks (`domain.md` "Notifications and webhooks"): which event types a
//! subscription may name, which target URLs are acceptable, which events a
//! subscription receives, and which addresses a delivery may connect to
//! (SSRF). Pure: the routes parse, the delivery resolves and asks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use uuid::Uuid;

use crate::error::{FieldError, Invalid};

crate::named! {
    /// What a subscription can be told of.
    pub enum WebhookEvent {
        /// An event was created.
        EventCreated = "event.created",
        /// An event changed.
        EventUpdated = "event.updated",
        /// An event was cancelled.
        EventCancelled = "event.cancelled",
        /// A group moved to another status.
        GroupStatusChanged = "group.status_changed",
        /// A pass was issued.
        PassIssued = "pass.issued",
        /// A pass was redeemed at the door.
        PassRedeemed = "pass.redeemed",
        /// A pass was revoked.
        PassRevoked = "pass.revoked",
        /// A feedback item moved to another status.
        FeedbackStatusChanged = "feedback.status_changed",
        /// A key message was published.
        MessagePublished = "message.published",
        /// A test delivery (`POST /v1/webhooks/{id}/ping`); always delivered.
        WebhookPing = "webhook.ping",
    }
}

/// Event types a subscription may list: 1–20, each known, no repeats.
pub fn parse_events(raw: &[String]) -> Result<Vec<WebhookEvent>, Invalid> {
    if raw.is_empty() || raw.len() > 20 {
        return Err(Invalid::one("events", "length", "list 1 to 20 event types"));
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bad = Vec::new();
    for (i, name) in raw.iter().enumerate() {
        match WebhookEvent::parse(name) {
            Some(e) if !out.contains(&e) => out.push(e),
            Some(_) => {}
            None => bad.push(FieldError::new(
                format!("events[{i}]"),
                "unknown_event_type",
                format!("unknown event type `{name}`"),
            )),
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(Invalid(bad))
    }
}

/// A target URL: `https://host[:port]/path`, or `http://` too when the
/// deployer allows private targets (tests, a local receiver). No user info
/// (a secret in the URL would be logged), at most 2000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    pub url: String,
    /// The host as written (brackets stripped from an IPv6 literal).
    pub host: String,
    pub port: u16,
    pub https: bool,
}

impl WebhookUrl {
    pub fn parse(field: &str, raw: &str, allow_http: bool) -> Result<Self, Invalid> {
        let bad = |m: &str| Invalid::one(field, "invalid_url", m.to_owned());
        let url = raw.trim();
        if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad(
                "must be a URL of at most 2000 characters, without spaces",
            ));
        }
        let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            if !allow_http {
                return Err(Invalid::one(
                    field,
                    "https_required",
                    "webhook targets must be https",
                ));
            }
            (false, rest)
        } else {
            return Err(bad("must be an https URL"));
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            return Err(bad("must not carry user info"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6
                .split_once(']')
                .ok_or_else(|| bad("unclosed IPv6 literal"))?;
            if host.parse::<Ipv6Addr>().is_err() {
                return Err(bad("not an IPv6 address"));
            }
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        let port = match port {
            None => {
                if https {
                    443
                } else {
                    80
                }
            }
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| bad("bad port"))?,
        };
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && (host.contains(':')
                || host.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                }));
        if !host_ok {
            return Err(bad("not a valid host name"));
        }
        Ok(Self {
            url: url.to_owned(),
            host: host.to_ascii_lowercase(),
            port,
            https,
        })
    }
}

/// Who may manage a subscription: admins any; a member the one they own.
pub fn may_manage(is_admin: bool, caller: Uuid, owner: Uuid) -> bool {
    is_admin || caller == owner
}

/// Who may subscribe: an admin to anything; an organizer only with a
/// `group_ids` filter of groups they all organize (`organized` of them).
pub fn may_subscribe(is_admin: bool, group_ids: &[Uuid], organized: usize) -> bool {
    is_admin || (!group_ids.is_empty() && organized == group_ids.len())
}

/// A subscription's filters, as matched against one event (the same rule
/// the fan-out's SQL applies, in `persistence::webhooks::publish`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub events: Vec<WebhookEvent>,
    pub group_ids: Vec<Uuid>,
    pub region_id: Option<Uuid>,
}

impl Filters {
    /// Whether an event of type `event`, about `group`, concerning
    /// `regions` (its group's region; a key message's regions) or every
    /// region (`everywhere`: a key message to all), is told: its type is
    /// listed, and (no group filter or its group is listed), and (no region
    /// filter or it concerns that region).
    pub fn matches(
        &self,
        event: WebhookEvent,
        group: Option<Uuid>,
        regions: &[Uuid],
        everywhere: bool,
    ) -> bool {
        self.events.contains(&event)
            && (self.group_ids.is_empty() || group.is_some_and(|g| self.group_ids.contains(&g)))
            && self
                .region_id
                .is_none_or(|r| everywhere || regions.contains(&r))
    }
}

/// Whether a delivery may connect to `addr`: only public unicast addresses,
/// so a subscription cannot make the server call into its own network.
pub fn is_public(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(a: Ipv4Addr) -> bool {
    let [o0, o1, ..] = a.octets();
    !(a.is_private()
        || a.is_loopback()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_multicast()
        || a.is_broadcast()
        || a.is_documentation()
        || o0 == 0
        // Carrier-grade NAT, 100.64.0.0/10.
        || (o0 == 100 && (64..128).contains(&o1))
        // Benchmarking, 198.18.0.0/15, and reserved 240.0.0.0/4.
        || (o0 == 198 && (o1 == 18 || o1 == 19))
        || o0 >= 240)
}

fn is_public_v6(a: Ipv6Addr) -> bool {
    let s = a.segments();
    !(a.is_loopback()
        || a.is_unspecified()
        || a.is_multicast()
        // Unique local fc00::/7, link-local fe80::/10, site-local fec0::/10.
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        // Documentation 2001:db8::/32; IPv4-compatible ::a.b.c.d.
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || (s[..6] == [0, 0, 0, 0, 0, 0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn event_types_are_known_names_without_repeats() {
        assert_eq!(
            parse_events(&strings(&["pass.issued", "event.created", "pass.issued"])),
            Ok(vec![WebhookEvent::PassIssued, WebhookEvent::EventCreated])
        );
        let err = parse_events(&strings(&["pass.issued", "pass.exploded"])).unwrap_err();
        assert_eq!(err.0[0].field, "events[1]");
        assert!(parse_events(&[]).is_err());
    }

    #[test]
    fn targets_are_https_unless_private_ones_are_allowed() {
        let u = WebhookUrl::parse("url", "https://hooks.example.org/in?x=1", false).unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.https),
            ("hooks.example.org", 443, true)
        );
        assert_eq!(
            WebhookUrl::parse("url", "http://example.org/", false)
                .unwrap_err()
                .0[0]
                .code,
            "https_required"
        );
        let local = WebhookUrl::parse("url", "http://127.0.0.1:8099/hook", true).unwrap();
        assert_eq!((local.host.as_str(), local.port), ("127.0.0.1", 8099));
        let v6 = WebhookUrl::parse("url", "https://[::1]:9/", false).unwrap();
        assert_eq!(v6.host, "::1");
        for bad in [
            "not a url",
            "ftp://x.org",
            "https://",
            "https://user:pw@x.org/",
            "https://x..org/",
            "https://x.org:0/",
            "https://x.org:99999/",
        ] {
            assert!(WebhookUrl::parse("url", bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_match_type_then_group_then_region() {
        let (g1, g2, r1) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let any = Filters {
            events: vec![WebhookEvent::EventCreated],
            ..Filters::default()
        };
        let created = WebhookEvent::EventCreated;
        assert!(any.matches(created, None, &[], false));
        assert!(!any.matches(WebhookEvent::EventUpdated, Some(g1), &[], false));
        let groups = Filters {
            group_ids: vec![g1],
            ..any.clone()
        };
        assert!(groups.matches(created, Some(g1), &[], false));
        assert!(!groups.matches(created, Some(g2), &[], false));
        assert!(
            !groups.matches(created, None, &[], true),
            "a group filter wants a group"
        );
        let region = Filters {
            region_id: Some(r1),
            ..any
        };
        assert!(region.matches(created, Some(g2), &[r1], false));
        assert!(!region.matches(created, Some(g2), &[], false));
        assert!(
            region.matches(created, None, &[], true),
            "a message to all regions"
        );
    }

    #[test]
    fn organizers_subscribe_only_to_groups_they_all_organize() {
        let g = [Uuid::from_u128(1), Uuid::from_u128(2)];
        assert!(may_subscribe(true, &[], 0));
        assert!(may_subscribe(false, &g, 2));
        assert!(!may_subscribe(false, &g, 1));
        assert!(!may_subscribe(false, &[], 0));
    }

    #[test]
    fn only_public_addresses_are_called() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
