//! Stage 4c: generate the `seam` command line (`crates/seam-cli/src/generated/`)
//! from the same model the facade is generated from: one file per resource,
//! holding a table per command group (its operations and their flags) and,
//! per operation, the function that turns the parsed body into a call of
//! the public facade (`seam.locks().unlock_door(..)`, its setters, `send()`).
//!
//! The tables are data, not clap code: `seam-cli/src/tree.rs` builds the
//! clap commands from them at run time, a group only when the command line
//! reaches it (`Command::defer`), so start-up does not build 201 commands.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail, ensure};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::stages::facade::{self, Operation, Sends};
use crate::stages::generate::Split;
use crate::stages::models::{DefKind, Field, Place, Ty, Types, clean_doc};

/// Flags the hand-written layer defines on every operation (or on the
/// root): a body field of one of these names would be shadowed.
const RESERVED_FLAGS: [&str; 10] = [
    "data",
    "all",
    "no-wait",
    "wait-timeout",
    "poll-interval",
    "endpoint",
    "workspace-id",
    "debug",
    "help",
    "version",
];

/// The CLI's command groups, by URL path: `["acs", "users"]` holds the
/// operations `/acs/users/*`.
#[derive(Default)]
struct Group<'a> {
    operations: Vec<&'a Operation<'a>>,
    children: BTreeMap<String, Group<'a>>,
}

/// The code of `generated/mod.rs` and of each resource's file.
pub(crate) fn tokens(document: &Value, types: &Types) -> Result<Split> {
    let operations = facade::operations(document)?;
    let mut roots: BTreeMap<String, Group> = BTreeMap::new();
    for operation in &operations {
        let segments = segments(operation)?;
        let Some((_, groups)) = segments.split_last() else {
            bail!("`{}` has no path segments", operation.path);
        };
        let Some((root, rest)) = groups.split_first() else {
            bail!("`{}` is not under a resource", operation.path);
        };
        let mut group = roots.entry(root.clone()).or_default();
        for name in rest {
            group = group.children.entry(name.clone()).or_default();
        }
        group.operations.push(operation);
    }
    let mut resources = BTreeMap::new();
    let mut declarations = Vec::new();
    let mut statics = Vec::new();
    for (resource, group) in &roots {
        let module = facade::ident(resource, "resource")?;
        let path = vec![resource.clone()];
        let mut items = Vec::new();
        group_code(types, &path, group, &mut items)?;
        resources.insert(
            resource.clone(),
            quote! {
                #[allow(unused_imports)]
                use crate::generated::prelude::*;

                #(#items)*
            },
        );
        let name = static_name(&path);
        // Deprecated fields stay accepted (as hidden flags), so the calls
        // use deprecated setters.
        declarations.push(quote! {
            #[allow(deprecated)]
            mod #module;
        });
        statics.push(quote! { &#module::#name });
    }
    let shared = quote! {
        //! The command tree, one file per resource.

        #(#declarations)*

        /// What the generated files use.
        mod prelude {
            pub(crate) use seam_api::prelude::*;
            pub(crate) use crate::run::{Call, Output, Pending};
            pub(crate) use crate::tree::{Field, Group, Kind, Operation, Sends};
        }

        /// Each resource's group: `seam access-codes …`, `seam acs …`.
        pub(crate) static RESOURCES: &[&crate::tree::Group] = &[#(#statics),*];
    };
    Ok(Split { shared, resources })
}

/// `/access_codes/unmanaged/get` → `["access_codes", "unmanaged", "get"]`,
/// which must be the SDK group and method (the command runs that method).
fn segments(operation: &Operation) -> Result<Vec<String>> {
    let segments: Vec<String> =
        operation.path.trim_start_matches('/').split('/').map(str::to_owned).collect();
    let sdk: Vec<String> = operation.group.iter().cloned().chain([operation.method.clone()]).collect();
    ensure!(
        segments == sdk,
        "`{}` is `seam.{}()` in the SDK, not its path; extend xtask/src/stages/cli.rs to name its command",
        operation.path,
        sdk.join("().")
    );
    Ok(segments)
}

/// `["access_codes", "unmanaged"]` → `ACCESS_CODES_UNMANAGED`.
fn static_name(path: &[String]) -> Ident {
    format_ident!("{}", path.join("_").to_uppercase())
}

fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

/// The group's table, its operations' functions and its subgroups, as
/// items of the resource's file.
fn group_code(types: &Types, path: &[String], group: &Group, items: &mut Vec<TokenStream>) -> Result<()> {
    let name = static_name(path);
    let fill = format_ident!("fill_{}", path.join("_"));
    let command = kebab(path.last().map_or("", String::as_str));
    let about = format!("Operations under /{}/*", path.join("/"));
    let mut operations = Vec::new();
    for operation in &group.operations {
        let code = operation_code(types, operation)
            .with_context(|| format!("cannot generate the command for `{}`", operation.path))?;
        operations.push(code.table);
        items.push(code.function);
    }
    let mut children = Vec::new();
    for (child, group) in &group.children {
        ensure!(
            !group.operations.iter().any(|o| o.method == *child),
            "`/{}/{child}` is both a command and a group",
            path.join("/")
        );
        let child_path: Vec<String> = path.iter().cloned().chain([child.clone()]).collect();
        let child_name = static_name(&child_path);
        children.push(quote! { &#child_name });
        group_code(types, &child_path, group, items)?;
    }
    let doc = format!("`seam {}`.", path.iter().map(|s| kebab(s)).collect::<Vec<_>>().join(" "));
    items.push(quote! {
        #[doc = #doc]
        pub(crate) static #name: Group = Group {
            name: #command,
            about: #about,
            operations: &[#(#operations),*],
            groups: &[#(#children),*],
            fill: #fill,
        };

        fn #fill(command: clap::Command) -> clap::Command {
            crate::tree::fill(command, &#name)
        }
    });
    Ok(())
}

struct OperationCode {
    /// The operation's `Operation` literal.
    table: TokenStream,
    /// The function that runs it.
    function: TokenStream,
}

fn operation_code(types: &Types, operation: &Operation) -> Result<OperationCode> {
    let place = Place::Wire(operation.group[0].clone());
    let sends = facade::sends(types, operation)?;
    let function = format_ident!("{}", operation.operation_id);
    let fields: &[Field] = if operation.has_body {
        let component = format!("{}_body", operation.operation_id);
        types.body(&component).map(|(_, fields)| fields).with_context(|| {
            format!("the request body `{component}` is no struct of the generated wire types")
        })?
    } else {
        &[]
    };

    let mut table_fields = Vec::new();
    for field in fields {
        let flag = kebab(&field.json);
        ensure!(
            !RESERVED_FLAGS.contains(&flag.as_str()),
            "body field `{}` would be the flag `--{flag}`, which the CLI itself defines; extend xtask/src/stages/cli.rs to rename it",
            field.json
        );
        table_fields.push(field_table(types, field, &flag)?);
    }

    // Every field is read and checked before the client is made, so that
    // a wrong body is a usage error wherever the command runs. Then the
    // facade method, with its arguments in its order, then the setters.
    let mut reads = Vec::new();
    let mut arguments = Vec::new();
    for (index, field) in facade::argument_order(fields).into_iter().enumerate() {
        let json = &field.json;
        let value = value_type(types, &field.ty, &place)?;
        let arg = format_ident!("arg{index}");
        reads.push(quote! { let #arg = body.required::<#value>(#json)?; });
        arguments.push(arg);
    }
    let optional: Vec<(&Field, Ident)> = fields
        .iter()
        .filter(|field| !field.required)
        .enumerate()
        .map(|(index, field)| (field, format_ident!("value{index}")))
        .collect();
    for (field, local) in &optional {
        let value = value_type(types, &field.ty, &place)?;
        let json = &field.json;
        // A selector's value is taken by the chain below.
        let mutable = operation.at_least_one.contains(&field.json).then(|| quote! { mut });
        reads.push(quote! { let #mutable #local = body.optional::<#value>(#json)?; });
    }
    let mut statements = Vec::new();
    let group: Vec<Ident> =
        operation.group.iter().map(|name| facade::ident(name, "SDK group")).collect::<Result<_>>()?;
    let method = facade::ident(&operation.method, "method name")?;
    let started = quote! { seam #(.#group())* .#method(#(#arguments),*) };
    if operation.without_workspace {
        statements.push(quote! {
            let request = match &client {
                crate::run::Client::Workspace(seam) => #started,
                crate::run::Client::WithoutWorkspace(seam) => #started,
            };
        });
    } else {
        statements.push(quote! {
            let seam = client.workspace()?;
            let request = #started;
        });
    }
    // A request that needs one of several fields has `send()` only once a
    // setter of one of them has run: the first given selects it. (The body
    // was checked to have one; the error is for the impossible case.)
    if !operation.at_least_one.is_empty() {
        let path = operation.path;
        let names = &operation.at_least_one;
        let mut chain = quote! { { return Err(crate::body::missing_one_of(#path, &[#(#names),*])) } };
        for name in operation.at_least_one.iter().rev() {
            let (field, local) = optional
                .iter()
                .find(|(field, _)| &field.json == name)
                .with_context(|| format!("`{name}` of x-at-least-one is no optional body field"))?;
            let (_, setter) = facade::field_names(field)?;
            chain = quote! {
                if let Some(value) = #local.take() {
                    request.#setter(value)
                } else #chain
            };
        }
        statements.push(quote! { let request = #chain; });
    }
    for (field, local) in &optional {
        let (_, setter) = facade::field_names(field)?;
        statements.push(quote! {
            let request = match #local {
                Some(value) => request.#setter(value),
                None => request,
            };
        });
    }
    let send = match &sends {
        Sends::Nothing => quote! {
            request.send().await?;
            Ok(Output::Nothing)
        },
        Sends::Value | Sends::ActionAttempt => quote! { Output::json(&request.send().await?) },
        // One page is the response as it comes: a list that came without
        // `pagination` (as Seam's fake sends most) is still one page.
        // `--all` follows the pages as the library does.
        Sends::Paginated { items } => quote! {
            if all {
                Output::json(&request.items().try_collect::<Vec<_>>().await?)
            } else {
                let body = request.send_raw().await?.into_body();
                Output::page(&body.#items, body.pagination.as_ref())
            }
        },
    };
    let paginated = matches!(sends, Sends::Paginated { .. });
    let unused_all = if paginated {
        quote! { all }
    } else {
        quote! { all: _ }
    };
    let body = if fields.is_empty() {
        quote! { body }
    } else {
        quote! { mut body }
    };
    let doc = format!("Runs `POST {}`.", operation.path);
    let function_code = quote! {
        #[doc = #doc]
        fn #function(call: Call) -> Pending {
            Box::pin(async move {
                let Call { connect, #body, #unused_all } = call;
                #(#reads)*
                body.finish()?;
                let client = connect()?;
                #(#statements)*
                #send
            })
        }
    };

    let command = kebab(&operation.method);
    let path = operation.path;
    let about = operation.title.map_or_else(|| operation.operation_id.replace('_', " "), str::to_owned);
    let long_about = operation.description.map(clean_doc).unwrap_or_default();
    let deprecated = match &operation.deprecated {
        Some(note) => quote! { Some(#note) },
        None => quote! { None },
    };
    let at_least_one = &operation.at_least_one;
    let has_body = operation.has_body;
    let sends = match sends {
        Sends::Nothing => quote! { Sends::Nothing },
        Sends::Value => quote! { Sends::Value },
        Sends::ActionAttempt => quote! { Sends::ActionAttempt },
        Sends::Paginated { .. } => quote! { Sends::Paginated },
    };
    let table = quote! {
        Operation {
            name: #command,
            path: #path,
            about: #about,
            long_about: #long_about,
            deprecated: #deprecated,
            has_body: #has_body,
            fields: &[#(#table_fields),*],
            at_least_one: &[#(#at_least_one),*],
            sends: #sends,
            run: #function,
        }
    };
    Ok(OperationCode { table, function: function_code })
}

/// A body field's `Field` literal: its flag, how its values parse, and its
/// help.
fn field_table(types: &Types, field: &Field, flag: &str) -> Result<TokenStream> {
    let ty = strip_option(&field.ty);
    let (repeated, kind) = match ty {
        Ty::Vec(item) => (true, kind(types, strip_option(item))),
        ty => (false, kind(types, ty)),
    };
    let json = &field.json;
    let value_name = field.json.to_uppercase();
    let doc = clean_doc(&field.doc);
    let help = facade::first_paragraph(&doc).replace('\n', " ");
    let help = if help.is_empty() { format!("Sets `{json}`.") } else { help };
    let required = field.required;
    let deprecated = field.deprecated.is_some();
    Ok(quote! {
        Field {
            json: #json,
            flag: #flag,
            value_name: #value_name,
            help: #help,
            kind: #kind,
            repeated: #repeated,
            required: #required,
            deprecated: #deprecated,
        }
    })
}

fn strip_option(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(inner) => strip_option(inner),
        ty => ty,
    }
}

/// How one flag value parses.
fn kind(types: &Types, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote! { Kind::String },
        Ty::Bool => quote! { Kind::Bool },
        Ty::Integer => quote! { Kind::Integer },
        Ty::Number => quote! { Kind::Number },
        Ty::Timestamp => quote! { Kind::Timestamp },
        ty => match types.def(ty).map(|def| &def.kind) {
            Some(DefKind::Enum { values }) => {
                let values = values.iter().map(|(value, _)| value);
                quote! { Kind::Enum(&[#(#values),*]) }
            }
            _ => quote! { Kind::Json },
        },
    }
}

/// The type a field's JSON is read into before it is passed to the
/// facade: what its argument or setter takes (`impl Into<String>` takes a
/// `String`, `impl IntoIterator<Item = impl Into<X>>` a `Vec<X>`), by the
/// paths seam-api exports.
fn value_type(types: &Types, ty: &Ty, place: &Place) -> Result<TokenStream> {
    let source = types.rust(strip_option(ty), place);
    let source = source.replace("crate::wire::", "seam_api::wire::").replace("seam_types::", "seam_api::");
    let parsed: syn::Type =
        syn::parse_str(&source).with_context(|| format!("`{source}` is not a Rust type"))?;
    Ok(quote! { #parsed })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::stages::{models, normalize};

    /// The CLI code of one operation `/things/<method>` with request body
    /// `body`, through normalize and models as codegen runs them.
    fn generate(method: &str, body: Value, response: Value) -> Result<String> {
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {format!("/things/{method}"): {"post": {
                "operationId": format!("things_{method}"),
                "x-fern-sdk-group-name": ["things"],
                "x-fern-sdk-method-name": method,
                "x-title": "Do a thing",
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": response}}}}
            }}},
            "components": {"schemas": {}}
        });
        let normalized = normalize::normalize(document, &BTreeMap::new(), None)?;
        let hand_written = BTreeMap::new();
        let types = models::resolve_all(&normalized.document, &hand_written, &normalized.wire)?;
        let split = tokens(&normalized.document, &types)?;
        let code = split.resources.get("things").context("no code for the resource")?.clone();
        crate::stages::format::rust(code, "")
    }

    /// Code without whitespace, so that a test does not depend on where
    /// prettyplease breaks lines.
    fn squash(code: &str) -> String {
        code.split_whitespace().collect()
    }

    fn ok() -> Value {
        json!({"type": "object", "properties": {"ok": {"type": "boolean"}}})
    }

    #[test]
    fn fields_become_flags_of_their_kind_and_the_call_goes_through_the_facade() {
        let body = json!({"type": "object", "required": ["thing_id"], "properties": {
            "thing_id": {"type": "string"},
            "code": {"type": "string"},
            "sync": {"type": "boolean"},
            "count": {"type": "integer"},
            "shape": {"type": "string", "enum": ["round", "square"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "extra": {"type": "object", "properties": {"a": {"type": "string"}}},
        }});
        let code = generate("update", body, ok()).unwrap();
        let squashed = squash(&code);
        for expected in [
            "name: \"update\"",
            "path: \"/things/update\"",
            "about: \"Do a thing\"",
            "json: \"thing_id\",\n                    flag: \"thing-id\"",
            "kind: Kind::Enum(&[\"round\", \"square\"])",
            "kind: Kind::Integer",
            "repeated: true",
            "let arg0 = body.required::<String>(\"thing_id\")?;",
            "let request = seam.things().update(arg0);",
            "body.optional::<bool>(\"sync\")?",
            "Some(value) => request.sync(value)",
            "body.optional::<seam_api::wire::ThingsUpdateBodyExtra>(\"extra\")?",
            "body.optional::<Vec<String>>(\"tags\")?",
            // Every field is read before the client is made.
            "body.finish()?; let client = connect()?;",
            "request.send().await?;\n            Ok(Output::Nothing)",
            "fill: fill_things",
        ] {
            assert!(squashed.contains(&squash(expected)), "no {expected:?} in\n{code}");
        }
        // The object is JSON on the command line.
        let extra = code.find("json: \"extra\"").unwrap();
        assert!(code[extra..].contains("kind: Kind::Json"), "{code}");
    }

    #[test]
    fn one_of_several_fields_selects_the_request_before_the_other_setters() {
        let body = json!({"type": "object", "oneOf": [
            {"type": "object", "required": ["thing_id"], "properties": {"thing_id": {"type": "string"}}},
            {"type": "object", "required": ["thing_key"], "properties": {"thing_key": {"type": "string"}}},
        ]});
        let code = generate("get", body, ok()).unwrap();
        let squashed = squash(&code);
        let selects = squashed.find("ifletSome(value)=value0.take(){request.thing_id(value)}").expect(&code);
        let missing = squashed.find("returnErr(crate::body::missing_one_of(").expect(&code);
        let then = squashed.find("letrequest=matchvalue0{Some(value)=>request.thing_id(value)").expect(&code);
        assert!(selects < missing && missing < then, "{code}");
        assert!(squashed.contains("at_least_one:&[\"thing_id\",\"thing_key\"]"), "{code}");
    }

    #[test]
    fn a_field_named_like_a_cli_flag_is_an_error() {
        let body = json!({"type": "object", "properties": {"data": {"type": "string"}}});
        let message = format!("{:#}", generate("create", body, ok()).unwrap_err());
        assert!(message.contains("`--data`, which the CLI itself defines"), "{message}");
    }

    #[test]
    fn every_real_operation_has_a_command() {
        let workspace = crate::paths::Workspace::locate().unwrap();
        let slice: Value =
            serde_json::from_str(&std::fs::read_to_string(workspace.slice()).unwrap()).unwrap();
        let mut commands = 0;
        for entry in std::fs::read_dir(workspace.generated_cli()).unwrap() {
            commands +=
                std::fs::read_to_string(entry.unwrap().path()).unwrap().matches("            run: ").count();
        }
        assert_eq!(commands, slice["paths"].as_object().unwrap().len());
    }
}
