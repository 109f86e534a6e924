//! The OpenAPI 3.1 document. Paths come from the handlers themselves, as
//! they are registered with utoipa-actix-web, so router and document cannot
//! drift; `finish` then adds the responses every operation shares.

use actix_web::App;
use serde_json::json;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{scope, AppExt};

use crate::error::{Problem, ProblemField};
use crate::routes;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT access token, or an API key `lia_…`")
                    .build(),
            ),
        );
        let _ = ApiKey::Header(ApiKeyValue::new("Authorization"));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Liaison API",
        version = "1.0.0",
        description = "The API that runs an open-source foundation's community programme: regional ambassadors, user groups and meetups, feedback, and recognition of non-code contributors with summit passes.\n\nErrors are RFC 9457 problem documents (`application/problem+json`) whose `code` is stable. Lists are paginated with `limit` and an opaque `cursor`. Creating `POST`s accept an `Idempotency-Key`.",
        license(name = "Apache-2.0")
    ),
    // Enums used only as query parameters are not collected from the
    // handlers; list them so every `$ref` resolves (a test checks it).
    components(schemas(
        Problem,
        ProblemField,
        liaison_domain::application::ApplicationStatus,
        liaison_domain::group::GroupStatus,
        liaison_domain::recognition::ContributionStatus,
        liaison_domain::pass::PassStatus,
        liaison_domain::ambassador::AmbassadorStatus,
        crate::routes::feedback::json::ItemSort,
        crate::routes::feedback::json::SummaryGrouping,
        crate::openapi_values::CountryCode,
        crate::openapi_values::LanguageTag,
        crate::openapi_values::Quarter
    )),
    modifiers(&Security),
    tags(
        (name = "accounts", description = "Registration, tokens, profiles, roles"),
        (name = "service accounts", description = "API keys for scripts and group websites"),
        (name = "regions", description = "Regions and their countries"),
        (name = "ambassador programme", description = "Cycles, applications, reviews, proposals, decisions, ambassadorships"),
        (name = "groups", description = "User groups, organizers, health, directory"),
        (name = "events", description = "Meetups, bulk sync from group websites, the change feed, the search across groups"),
        (name = "calendars", description = "iCalendar feeds (RFC 5545) of groups, regions and a member's organised groups; the calendar token"),
        (name = "recognition", description = "Contribution kinds, contributions, programmes and their versioned rules"),
        (name = "summits", description = "Summits and their quotas per programme"),
        (name = "eligibility", description = "Who qualifies for a summit programme, and why"),
        (name = "passes", description = "Pass issuance, the pass list, redemption, revocation"),
        (name = "appeals", description = "Appeals against a programme's decision"),
        (name = "feedback", description = "Feedback from the people who deploy the software: items, votes, triage, the summary"),
        (name = "webhooks", description = "Signed HTTP calls to integrations when something happens: subscriptions, pings, the delivery log"),
        (name = "key messages", description = "Key messages to the user groups: publishing, the groups' feeds, acknowledgements, translations and translators. Bodies are Markdown, stored as sent and never rendered by the server"),
        (name = "audit", description = "Who changed what"),
        (name = "operations", description = "Health, readiness, metrics")
    )
)]
struct ApiDoc;

fn problem_example(status: u16, code: &str, detail: &str) -> serde_json::Value {
    json!({
        "type": format!("urn:liaison:problem:{code}"),
        "title": actix_web::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"
    })
}

fn problem_response(
    description: &str,
    status: u16,
    code: &str,
    detail: &str,
) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .example(Some(problem_example(status, code, detail)))
                .build(),
        )
        .build()
}

/// The example code and detail for a problem status.
fn default_problem(status: &str) -> Option<(&'static str, &'static str)> {
    Some(match status {
        "400" => ("malformed_request", "the body is not JSON"),
        "401" => ("unauthenticated", "the access token has expired"),
        "403" => ("forbidden", "only staff may do this"),
        "404" => ("not_found", "no such resource, or it is not visible to you"),
        "409" => (
            "already_exists",
            "a resource with these values already exists",
        ),
        "410" => ("revoked", "this pass was revoked"),
        "412" => (
            "precondition_failed",
            "If-Match does not match the current ETag",
        ),
        "413" => ("payload_too_large", "body larger than 1048576 bytes"),
        "415" => ("unsupported_media_type", "body must be application/json"),
        "422" => (
            "validation_failed",
            "countries[2]: `XX` is not an ISO 3166-1 alpha-2 country code",
        ),
        "429" => ("rate_limited", "too many requests; retry in 42 s"),
        "503" => (
            "unavailable",
            "the database cannot be reached; retry shortly",
        ),
        _ => return None,
    })
}

fn add_common(op: &mut Operation, has_body: bool) {
    let responses = &mut op.responses.responses;
    let mut add = |status: &str, description: &str| {
        if !responses.contains_key(status) {
            if let Some((code, detail)) = default_problem(status) {
                let n = status.parse().unwrap_or(500);
                responses.insert(
                    status.to_owned(),
                    problem_response(description, n, code, detail).into(),
                );
            }
        }
    };
    // The URL screen refuses a query value holding a NUL, and a repeated
    // or badly typed parameter is a 400 too, on every route.
    if has_body {
        add(
            "400",
            "The body is not JSON, or a query parameter is malformed",
        );
        add("413", "The body is too large");
        add("415", "The body is not application/json");
        add(
            "422",
            "A field is invalid (a string holding a NUL character, for one)",
        );
    }
    add(
        "400",
        "A query parameter is malformed (a NUL character, a repeated or badly typed parameter)",
    );
    add(
        "503",
        "The database cannot be reached, or a statement ran past its time limit (`unavailable`, with `Retry-After`)",
    );
    // Every error is a problem document: a handler declares only the status
    // and what it means; the schema, content type and example are added here.
    for (status, response) in op.responses.responses.iter_mut() {
        if let utoipa::openapi::RefOr::T(response) = response {
            let error = status.starts_with('4') || status.starts_with('5');
            if error && response.content.is_empty() {
                response.content.insert(
                    "application/problem+json".to_owned(),
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                );
            }
            if let Some(content) = response.content.get_mut("application/problem+json") {
                if content.example.is_none() && content.examples.is_empty() {
                    if let Some((code, detail)) = default_problem(status) {
                        content.example =
                            Some(problem_example(status.parse().unwrap_or(500), code, detail));
                    }
                }
            }
        }
    }
}

/// What `http::idempotency::key_of` accepts: 1–255 visible ASCII characters.
const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,255}$";

/// States the `Idempotency-Key` header's format wherever it is taken, so a
/// generated client (or a fuzzer) knows a key of spaces is a 400.
fn describe_idempotency_key(op: &mut Operation) {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    for p in op.parameters.iter_mut().flatten() {
        if p.name.eq_ignore_ascii_case("Idempotency-Key")
            && p.parameter_in == utoipa::openapi::path::ParameterIn::Header
        {
            p.schema = Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(IDEMPOTENCY_KEY_PATTERN))
                    .min_length(Some(1))
                    .max_length(Some(255))
                    .into(),
            );
        }
    }
}

/// Whether the operation takes an `Idempotency-Key` header.
fn takes_idempotency_key(op: &Operation) -> bool {
    op.parameters.iter().flatten().any(|p| {
        p.name.eq_ignore_ascii_case("Idempotency-Key")
            && p.parameter_in == utoipa::openapi::path::ParameterIn::Header
    })
}

/// Conventions every `/v1` operation shares, stated once here rather than
/// in each handler: a bad token is 401 even where none is needed, a reused
/// `Idempotency-Key` is 409, and a single resource answers 304 to its `ETag`.
fn add_conventions(op: &mut Operation, method: &str) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let reused = "`Idempotency-Key` reused with another body (`idempotency_key_reused`)";
    if takes_idempotency_key(op) {
        describe_idempotency_key(op);
        match op.responses.responses.get_mut("409") {
            Some(utoipa::openapi::RefOr::T(r)) if !r.description.contains("Idempotency-Key") => {
                r.description = format!("{}; or {reused}", r.description);
            }
            Some(_) => {}
            None => {
                let r = problem_response(
                    reused,
                    409,
                    "idempotency_key_reused",
                    "this Idempotency-Key was used with another request",
                );
                op.responses.responses.insert("409".into(), r.into());
            }
        }
    }
    if !op.responses.responses.contains_key("401") {
        let r = problem_response(
            "The bearer token is invalid, expired or revoked (also where no token is needed)",
            401,
            "unauthenticated",
            "the access token has expired",
        );
        op.responses.responses.insert("401".into(), r.into());
    }
    let single = op
        .responses
        .responses
        .get("200")
        .and_then(|r| match r {
            utoipa::openapi::RefOr::T(r) => r.content.get("application/json"),
            _ => None,
        })
        .and_then(|c| match &c.schema {
            Some(utoipa::openapi::RefOr::Ref(r)) => Some(r.ref_location.clone()),
            _ => None,
        })
        .is_some_and(|r| !r.contains("/Page_") && !r.ends_with("/ChangePage"));
    if method == "get" && single && !op.responses.responses.contains_key("304") {
        let param = ParameterBuilder::new()
            .name("If-None-Match")
            .parameter_in(ParameterIn::Header)
            .description(Some(
                "A previous `ETag` of this resource: 304 when it is unchanged",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build();
        op.parameters.get_or_insert_with(Vec::new).push(param);
        let r = ResponseBuilder::new()
            .description("Not modified: `If-None-Match` names the current `ETag`")
            .build();
        op.responses.responses.insert("304".into(), r.into());
    }
}

/// An optional body is left out, not sent as `null` (`OptionalJson` reads
/// a missing body as the default and refuses `null` like any non-object):
/// state it as its object schema, not required.
fn optional_body_is_left_out(op: &mut Operation) {
    use utoipa::openapi::schema::Schema;
    use utoipa::openapi::{RefOr, Required};
    let Some(body) = op.request_body.as_mut() else {
        return;
    };
    if body.required == Some(Required::True) {
        return;
    }
    for content in body.content.values_mut() {
        if let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema {
            let object = one_of.items.iter().find(|item| {
                !matches!(item, RefOr::T(Schema::Object(o)) if o.schema_type == utoipa::openapi::schema::SchemaType::new(utoipa::openapi::schema::Type::Null))
            });
            if one_of.items.len() == 2 {
                content.schema = object.cloned();
            }
        }
    }
}

/// States the trimmed-text pattern with the white space the server trims
/// named (see `openapi_values::WS`), in every schema under `schema`.
fn name_trimmed_space(schema: &mut utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>) {
    use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema};
    use utoipa::openapi::RefOr;
    let RefOr::T(schema) = schema else {
        return;
    };
    match schema {
        Schema::Object(o) => {
            if o.pattern.as_deref() == Some(crate::openapi_values::TRIMMED) {
                o.pattern = Some(match (o.min_length, o.max_length) {
                    (None, None) => crate::openapi_values::trimmed(),
                    (min, max) => crate::openapi_values::trimmed_between(min.unwrap_or(1), max),
                });
            }
            o.properties.values_mut().for_each(name_trimmed_space);
            if let Some(AdditionalProperties::RefOr(extra)) = o.additional_properties.as_deref_mut()
            {
                name_trimmed_space(extra);
            }
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                name_trimmed_space(items);
            }
        }
        Schema::OneOf(x) => x.items.iter_mut().for_each(name_trimmed_space),
        Schema::AllOf(x) => x.items.iter_mut().for_each(name_trimmed_space),
        Schema::AnyOf(x) => x.items.iter_mut().for_each(name_trimmed_space),
        _ => {}
    }
}

/// [`name_trimmed_space`] over the components and every operation's
/// parameters and request bodies.
fn name_trimmed_space_everywhere(doc: &mut Document) {
    if let Some(components) = doc.components.as_mut() {
        components.schemas.values_mut().for_each(name_trimmed_space);
    }
    for item in doc.paths.paths.values_mut() {
        for op in [
            item.get.as_mut(),
            item.post.as_mut(),
            item.put.as_mut(),
            item.patch.as_mut(),
            item.delete.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            for p in op.parameters.iter_mut().flatten() {
                if let Some(schema) = p.schema.as_mut() {
                    name_trimmed_space(schema);
                }
            }
            if let Some(body) = op.request_body.as_mut() {
                for content in body.content.values_mut() {
                    if let Some(schema) = content.schema.as_mut() {
                        name_trimmed_space(schema);
                    }
                }
            }
        }
    }
}

/// Adds the shared error responses and examples to every operation.
fn finish(mut doc: Document) -> Document {
    name_trimmed_space_everywhere(&mut doc);
    for (path, item) in doc.paths.paths.iter_mut() {
        let versioned = path.starts_with("/v1/");
        for (method, op) in [
            ("get", item.get.as_mut()),
            ("post", item.post.as_mut()),
            ("put", item.put.as_mut()),
            ("patch", item.patch.as_mut()),
            ("delete", item.delete.as_mut()),
        ] {
            if let (true, Some(op)) = (versioned, op) {
                add_conventions(op, method);
            }
        }
        for (op, has_body) in [
            (item.get.as_mut(), false),
            (item.post.as_mut(), true),
            (item.put.as_mut(), true),
            (item.patch.as_mut(), true),
            // A DELETE may take a body too (an erasure confirmed by password).
            (item.delete.as_mut(), true),
        ] {
            if let Some(op) = op {
                optional_body_is_left_out(op);
                let has_body = has_body && op.request_body.is_some();
                add_common(op, has_body);
            }
        }
    }
    crate::openapi_links::add_links(&mut doc);
    doc
}

/// Every route, registered on a utoipa-aware app; also used by the server.
pub fn register<T>(app: utoipa_actix_web::UtoipaApp<T>) -> utoipa_actix_web::UtoipaApp<T>
where
    T: actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Error = actix_web::Error,
        InitError = (),
    >,
{
    app.openapi(ApiDoc::openapi())
        .service(routes::health::healthz)
        .service(routes::health::readyz)
        .service(routes::health::metrics)
        .service(
            scope::scope("/v1")
                .wrap(actix_web::middleware::from_fn(
                    crate::auth::caller::authenticate,
                ))
                .configure(routes::configure),
        )
}

/// The finished document, as served at `/v1/openapi.json` and committed as `openapi/v1.json`.
pub fn document() -> Document {
    let (_, doc) = register(App::new().into_utoipa_app()).split_for_parts();
    finish(doc)
}

/// The document as pretty JSON with a trailing newline.
pub fn document_json() -> String {
    let mut text = document().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
