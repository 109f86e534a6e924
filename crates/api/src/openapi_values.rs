//! The document's names for the value types the domain parses (country
//! codes, language tags, http(s) URLs, slugs, email addresses). Request
//! fields point at them with `#[schema(value_type = …)]`, so the document
//! states once, and exactly, what `liaison_domain::values` accepts: a client
//! (or a fuzzer) that follows the document is not refused with a 422.
//!
//! Each type only describes; the parsing stays in the domain, and the unit
//! tests below hold each description to its parser.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use liaison_domain::actor::{Role, Scope};
use liaison_domain::values::CountryCode as DomainCountry;

/// The characters `str::trim` removes (Unicode White_Space), as the body of a
/// regex class. Patterns name them rather than use `\s`, which JSON Schema's
/// ECMA-262 regexes and Python's define otherwise (U+0085, U+FEFF, U+001C).
pub const WS: &str =
    r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// The pattern every trimmed text field states: no white space at either
/// end (the server trims; this is the form it stores).
pub const TRIMMED: &str = r"^\S([\s\S]*\S)?$";

/// [`TRIMMED`] with the white space the server trims, named.
pub fn trimmed() -> String {
    format!("^[^{WS}]([\\s\\S]*[^{WS}])?$")
}

/// [`trimmed`] for a text of `min`–`max` characters: the pattern carries
/// the lengths too, so a generator draws them rather than filtering for them.
pub fn trimmed_between(min: usize, max: Option<usize>) -> String {
    let inner = |low: usize| match max {
        Some(max) => format!("{{{low},{}}}", max.saturating_sub(2)),
        None => format!("{{{low},}}"),
    };
    if min <= 1 {
        format!("^[^{WS}]([\\s\\S]{}[^{WS}])?$", inner(0))
    } else {
        format!("^[^{WS}][\\s\\S]{}[^{WS}]$", inner(min - 2))
    }
}

/// Every ISO 3166-1 alpha-2 code the domain accepts, upper case, in order:
/// asked of the parser itself, so the two cannot drift.
pub fn country_codes() -> Vec<String> {
    let letters = b'A'..=b'Z';
    letters
        .clone()
        .flat_map(|a| {
            letters
                .clone()
                .map(move |b| String::from_utf8_lossy(&[a, b]).into_owned())
        })
        .filter(|code| DomainCountry::parse("country", code).is_ok())
        .collect()
}

/// `CountryCode`: an officially assigned ISO 3166-1 alpha-2 code.
pub struct CountryCode;

impl PartialSchema for CountryCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "An officially assigned ISO 3166-1 alpha-2 country code (`FR`).",
            ))
            .enum_values(Some(country_codes()))
            .examples(["FR"])
            .into()
    }
}

impl ToSchema for CountryCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("CountryCode")
    }
}

/// A set of country codes (`countries` of a region): each code once.
pub fn country_set() -> RefOr<Schema> {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name("CountryCode"))
        .unique_items(true)
        .description(Some("ISO 3166-1 alpha-2 codes, each once."))
        .into()
}

/// [`country_set`], or `null` (left as it is).
pub fn optional_country_set() -> RefOr<Schema> {
    utoipa::openapi::schema::OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .item(country_set())
        .into()
}

/// `LanguageTag`, as `liaison_domain::values::LanguageTag::parse` reads one.
pub const LANGUAGE_TAG_PATTERN: &str = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";

/// `LanguageTag`: a BCP 47 language tag in its usual shape.
pub struct LanguageTag;

impl PartialSchema for LanguageTag {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A BCP 47 language tag: a 2–3 letter language, then subtags of 1–8 letters or digits (`fr`, `pt-BR`, `zh-Hant-TW`).",
            ))
            .pattern(Some(LANGUAGE_TAG_PATTERN))
            .examples(["pt-BR"])
            .into()
    }
}

impl ToSchema for LanguageTag {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("LanguageTag")
    }
}

/// `HttpUrl`, as `liaison_domain::values::http_url` reads one (after trimming).
pub fn http_url_pattern() -> String {
    format!("^[{WS}]*(https://[^{WS}]+|http://[^{WS}]{{2,}})[{WS}]*$")
}

/// `HttpUrl`: an absolute http(s) URL.
pub struct HttpUrl;

impl PartialSchema for HttpUrl {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "An absolute `http://` or `https://` URL without spaces, at most 2000 bytes.",
            ))
            .pattern(Some(http_url_pattern()))
            .max_length(Some(2000))
            .examples(["https://example.org/lyon"])
            .into()
    }
}

impl ToSchema for HttpUrl {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("HttpUrl")
    }
}

/// `RegionSlugs`: the regions a key message is for, 1–100 slugs.
pub struct RegionSlugs;

impl PartialSchema for RegionSlugs {
    fn schema() -> RefOr<Schema> {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(utoipa::openapi::Ref::from_schema_name("Slug"))
            .min_items(Some(1))
            .max_items(Some(100))
            .description(Some("Region slugs (of `GET /v1/regions`), 1–100."))
            .into()
    }
}

impl ToSchema for RegionSlugs {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("RegionSlugs")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((Slug::name().into_owned(), Slug::schema()));
    }
}

/// `WebLink`, as events and contributions read a link: trimmed, blank is
/// none, else an http(s) URL without spaces.
pub fn web_link_pattern() -> String {
    format!("^[{WS}]*(https?://[^ ]*?)?[{WS}]*$")
}

/// `WebLink`: an optional http(s) link.
pub struct WebLink;

impl PartialSchema for WebLink {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "An `http://` or `https://` URL without spaces, at most 2000 bytes; blank means none.",
            ))
            .pattern(Some(web_link_pattern()))
            .max_length(Some(2000))
            .examples(["https://example.org/slides"])
            .into()
    }
}

impl ToSchema for WebLink {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("WebLink")
    }
}

/// `Slug`, as `liaison_domain::values::Slug::parse` reads one.
pub const SLUG_PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$";

/// `EmailAddress`, as `liaison_domain::values::Email::parse` reads one
/// (after trimming): one `@`, a dotted domain, no white space.
pub fn email_pattern() -> String {
    format!("^[{WS}]*[^{WS}@]+@[^{WS}@.][^{WS}@]*\\.[^{WS}@]*[^{WS}@.][{WS}]*$")
}

/// `EmailAddress`: an email address.
pub struct EmailAddress;

impl PartialSchema for EmailAddress {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "An email address: one `@`, a dotted domain, no spaces, at most 254 characters; compared case-insensitively.",
            ))
            .pattern(Some(email_pattern()))
            .max_length(Some(254))
            .examples(["ada@example.org"])
            .into()
    }
}

impl ToSchema for EmailAddress {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("EmailAddress")
    }
}

/// `Quarter`, as `liaison_domain::report::Quarter::parse` reads one: years 1970–9999.
pub const QUARTER_PATTERN: &str = "^(19[7-9][0-9]|[2-9][0-9]{3})-Q[1-4]$";

/// `Quarter`: a calendar quarter, `YYYY-Qn`.
pub struct Quarter;

impl PartialSchema for Quarter {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A calendar quarter, `YYYY-Qn` (years 1970–9999)."))
            .pattern(Some(QUARTER_PATTERN))
            .examples(["2026-Q3"])
            .into()
    }
}

impl ToSchema for Quarter {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Quarter")
    }
}

/// A string that is one of `values`.
fn one_of(description: &str, values: Vec<String>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

/// `RoleName`: a programme-wide role.
pub struct RoleName;

impl PartialSchema for RoleName {
    fn schema() -> RefOr<Schema> {
        let roles = [Role::Staff, Role::Admin];
        one_of(
            "A programme-wide role.",
            roles.iter().map(|r| r.as_str().to_owned()).collect(),
        )
    }
}

impl ToSchema for RoleName {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("RoleName")
    }
}

/// `ScopeName`: what an API key may do.
pub struct ScopeName;

impl PartialSchema for ScopeName {
    fn schema() -> RefOr<Schema> {
        one_of(
            "What an API key may do.",
            Scope::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
        )
    }
}

impl ToSchema for ScopeName {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ScopeName")
    }
}

/// `Skill`, as `liaison_domain::member::parse_skills` reads one (trimmed, lower-cased).
pub fn skill_pattern() -> String {
    format!("^[{WS}]*[A-Za-z0-9_-]{{2,40}}[{WS}]*$")
}

/// `Skill`: a skill a member offers.
pub struct Skill;

impl PartialSchema for Skill {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "2–40 characters of a-z, 0-9, `-` and `_` (stored lower-cased).",
            ))
            .pattern(Some(skill_pattern()))
            .examples(["translation"])
            .into()
    }
}

impl ToSchema for Skill {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Skill")
    }
}

/// `Tag`: a feedback tag, 1–40 characters (stored trimmed, lower-cased).
pub struct Tag;

impl PartialSchema for Tag {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("1–40 characters (stored lower-cased)."))
            .min_length(Some(1))
            .max_length(Some(40))
            .pattern(Some(trimmed()))
            .examples(["live-migration"])
            .into()
    }
}

impl ToSchema for Tag {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Tag")
    }
}

/// `WebhookUrl`: the part of `liaison_domain::webhook::WebhookUrl::parse`'s
/// rule a pattern can state (a host name of dotted labels, a port, a path).
/// Targets on private networks, and `http://` ones, depend on the
/// deployment (`LIAISON_WEBHOOK_ALLOW_PRIVATE`).
pub struct WebhookUrl;

impl PartialSchema for WebhookUrl {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "An `https://` URL (`http://` where the deployment allows private targets), without user info.",
            ))
            .pattern(Some(
                "^https?://[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63}){0,3}(:[1-9][0-9]{0,3})?([/?#][!-~]{0,1000})?$",
            ))
            .max_length(Some(2000))
            .examples(["https://hooks.example.org/liaison"])
            .into()
    }
}

impl ToSchema for WebhookUrl {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("WebhookUrl")
    }
}

/// `Slug`: a URL-safe name.
pub struct Slug;

impl PartialSchema for Slug {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "2–64 characters of a-z, 0-9 and `-`, not starting or ending with `-`.",
            ))
            .pattern(Some(SLUG_PATTERN))
            .examples(["europe"])
            .into()
    }
}

impl ToSchema for Slug {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Slug")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use liaison_domain::member::parse_skills;
    use liaison_domain::report::Quarter;
    use liaison_domain::values::{http_url, Email, LanguageTag as DomainTag, Slug};

    #[test]
    fn the_country_list_is_the_domains_249_codes() {
        let codes = country_codes();
        assert_eq!(codes.len(), 249);
        assert!(codes.contains(&"FR".to_owned()) && !codes.contains(&"AA".to_owned()));
    }

    /// The edges each pattern draws, held against the parser it describes
    /// (the patterns themselves are run by schemathesis, in the e2e suite,
    /// which generates values on both sides of them).
    #[test]
    fn the_parsers_draw_the_edges_the_patterns_state() {
        let tag = |v| DomainTag::parse("f", v).is_ok();
        assert!(tag("fr") && tag("zh-Hant-TW") && !tag("f") && !tag("fr-") && !tag(""));
        let url = |v| http_url("f", v).is_ok();
        assert!(url("https://a") && url("http://ab") && url(" https://example.org/x "));
        assert!(!url("http://a") && !url("https://") && !url("https://a b") && !url("ftp://a.b"));
        let slug = |v| Slug::parse("f", v).is_ok();
        assert!(slug("eu") && !slug("e") && !slug("-eu") && !slug("Eu"));
        let email = |v| Email::parse("f", v).is_ok();
        assert!(email("ada@example.org") && email(" Ada@Example.org "));
        assert!(!email("a@b") && !email("a@b@c.d") && !email("a@.b.c") && !email("a@b.c."));
        let quarter = |v| Quarter::parse("f", v).is_ok();
        assert!(quarter("1970-Q1") && quarter("9999-Q4"));
        assert!(!quarter("1969-Q4") && !quarter("0069-Q1") && !quarter("2026-Q5"));
        let skills = |v: &str| parse_skills(&[v.to_owned()]).is_ok();
        assert!(skills("ops") && skills(" Translation ") && !skills("a") && !skills("dev ops"));
    }

    #[test]
    fn every_role_and_scope_parses() {
        assert!(["staff", "admin"].iter().all(|r| r.parse::<Role>().is_ok()));
        assert!(Scope::ALL
            .iter()
            .all(|s| s.as_str().parse::<Scope>().is_ok()));
    }
}
