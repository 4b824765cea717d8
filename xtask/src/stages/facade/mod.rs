//! Stage 4b: generate the public methods of `seam-api`
//! (`crates/seam-api/src/resources/`) from the normalized slice: one file
//! per top-level resource (`acs`), one module per SDK group inside it
//! (`acs::users`), one method per operation (`seam.acs().users().list()`)
//! returning a request with a typed setter per optional body property,
//! whose `send()` returns what Seam's SDKs return (the object under
//! `x-response-key`, or nothing).
//!
//! Generating this layer too is what makes adding an operation one line in
//! `selection.toml`: a construct this stage cannot map is an error naming
//! it, to be fixed here rather than by hand-written code.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, bail, ensure};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::stages::generate::{Split, pascal_case};
pub(crate) use crate::stages::models::argument_order;
use crate::stages::models::{Field, Types};
use crate::stages::normalize::{AT_LEAST_ONE, ONE_OF_MEMBERS};

mod operation;
mod response;

use operation::operation_code;
pub(crate) use response::{Sends, sends};

/// One operation, as the facade needs it.
pub(crate) struct Operation<'a> {
    pub(crate) path: &'a str,
    pub(crate) operation_id: &'a str,
    /// `["acs", "users"]`.
    pub(crate) group: Vec<String>,
    pub(crate) method: String,
    pub(crate) title: Option<&'a str>,
    pub(crate) description: Option<&'a str>,
    pub(crate) deprecated: Option<String>,
    pub(crate) has_body: bool,
    pub(crate) response_key: Option<&'a str>,
    pub(crate) has_response_body: bool,
    /// Whether the spec lets a token without a workspace call it.
    pub(crate) without_workspace: bool,
    /// The body fields of which a call must set one (normalize's
    /// `x-at-least-one`); empty when it needs none.
    pub(crate) at_least_one: Vec<String>,
    /// Each oneOf member's own required fields, where a member has several
    /// (normalize's `x-one-of-members`): `send()` refuses an incomplete one.
    pub(crate) members: Vec<Vec<String>>,
}

/// The operations of one SDK group and its subgroups.
#[derive(Default)]
struct Group<'a> {
    operations: Vec<&'a Operation<'a>>,
    children: BTreeMap<String, Group<'a>>,
}

/// The code of `resources/mod.rs` and of each resource's file.
pub(crate) fn tokens(document: &Value, types: &Types, read_methods: &[String]) -> Result<Split> {
    let operations = operations(document)?;
    let mut roots: BTreeMap<String, Group> = BTreeMap::new();
    for operation in &operations {
        let mut group = roots.entry(operation.group[0].clone()).or_default();
        for name in &operation.group[1..] {
            group = group.children.entry(name.clone()).or_default();
        }
        group.operations.push(operation);
    }

    let context = Generation { types, read_methods };
    let mut accessors = Vec::new();
    let mut workspace_less_accessors = Vec::new();
    let mut declarations = Vec::new();
    let mut resources = BTreeMap::new();
    for (resource, group) in &roots {
        let module = ident(resource, "resource")?;
        let path = vec![resource.clone()];
        let type_name = group_type(&path);
        let doc = format!("Operations under `/{resource}/*`.");
        accessors.push(quote! {
            #[cfg(feature = #resource)]
            #[doc = #doc]
            pub fn #module(&self) -> #module::#type_name<'_> {
                #module::#type_name { seam: self }
            }
        });
        declarations.push(quote! {
            #[cfg(feature = #resource)]
            #[doc = #doc]
            pub mod #module;
        });
        if group.operations.iter().any(|operation| operation.without_workspace) {
            let handle = format_ident!("{type_name}WithoutWorkspace");
            let doc = format!("The operations under `/{resource}/*` that need no workspace.");
            workspace_less_accessors.push(quote! {
                #[cfg(feature = #resource)]
                #[doc = #doc]
                pub fn #module(&self) -> #module::#handle<'_> {
                    #module::#handle { seam: self.seam() }
                }
            });
        }
        let code = group_code(&context, resource, &path, group)?;
        resources.insert(resource.clone(), code);
    }
    let shared = quote! {
        use crate::client::{Seam, SeamWithoutWorkspace};

        impl Seam {
            #(#accessors)*
        }

        impl SeamWithoutWorkspace {
            #(#workspace_less_accessors)*
        }

        #(#declarations)*
    };
    Ok(Split { shared, resources })
}

struct Generation<'a, 'b> {
    types: &'a Types<'b>,
    read_methods: &'a [String],
}

/// `["acs", "users"]` → `AcsUsers`.
fn group_type(path: &[String]) -> Ident {
    format_ident!("{}", pascal_case(&path.join("_")))
}

/// The group's handle type, its methods and requests, and a module per
/// subgroup, as the items of one module.
fn group_code(context: &Generation, resource: &str, path: &[String], group: &Group) -> Result<TokenStream> {
    let type_name = group_type(path);
    let dotted = path.join(".");
    let mut methods = Vec::new();
    let mut requests = Vec::new();
    let mut without_workspace = Vec::new();
    for operation in &group.operations {
        let code = operation_code(context, resource, &type_name, operation)
            .with_context(|| format!("cannot generate the method for `{}`", operation.path))?;
        methods.push(code.method);
        requests.push(code.request);
        if operation.without_workspace {
            ensure!(
                path.len() == 1,
                "`{}` may be called without a workspace but is in SDK subgroup `{dotted}`; extend \
                 xtask/src/stages/facade/ to offer subgroups on SeamWithoutWorkspace",
                operation.path
            );
            without_workspace.push(code.delegate);
        }
    }
    let workspace_less = if without_workspace.is_empty() {
        quote! {}
    } else {
        let name = format_ident!("{type_name}WithoutWorkspace");
        let doc = format!(
            "The operations of `seam.{dotted}()` that a token without a workspace may call, from \
             [`SeamWithoutWorkspace::{dotted}`](crate::SeamWithoutWorkspace::{dotted})."
        );
        quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug)]
            pub struct #name<'a> {
                pub(crate) seam: &'a Seam,
            }

            impl<'a> #name<'a> {
                #(#without_workspace)*
            }
        }
    };
    let mut children = Vec::new();
    for (name, child) in &group.children {
        ensure!(
            !group.operations.iter().any(|o| &o.method == name),
            "SDK group `{dotted}` has both a method and a subgroup named `{name}`; extend xtask/src/stages/facade/ to rename one"
        );
        let module = ident(name, "SDK group")?;
        let child_path: Vec<String> = path.iter().cloned().chain([name.clone()]).collect();
        let child_type = group_type(&child_path);
        let doc = format!("Operations of `seam.{}`.", child_path.join("()."));
        methods.push(quote! {
            #[doc = #doc]
            pub fn #module(&self) -> #module::#child_type<'a> {
                #module::#child_type { seam: self.seam }
            }
        });
        let code = group_code(context, resource, &child_path, child)?;
        children.push(quote! {
            #[doc = #doc]
            pub mod #module {
                #code
            }
        });
    }
    let type_doc = format!("Operations of `seam.{}()`.", path.join("()."));
    Ok(quote! {
        #[allow(unused_imports)]
        use crate::{client::Seam, error::Result, response::ApiResponse, retry::Access, wire};

        #[doc = #type_doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #type_name<'a> {
            pub(crate) seam: &'a Seam,
        }

        impl<'a> #type_name<'a> {
            #(#methods)*
        }

        #workspace_less

        #(#requests)*

        #(#children)*
    })
}

/// The security schemes of a personal access token or console session
/// token sent without a workspace id.
const WITHOUT_WORKSPACE_SCHEMES: [&str; 2] = ["pat_without_workspace", "console_session_without_workspace"];

/// Every operation of the slice, in path order.
pub(crate) fn operations(document: &Value) -> Result<Vec<Operation<'_>>> {
    let body_mark = |post: &Value, mark: &str| -> Option<&Value> {
        let component = post
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))?;
        document.pointer(&format!("/components/schemas/{component}/{mark}"))
    };
    let names = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let at_least_one = |post: &Value| body_mark(post, AT_LEAST_ONE).map(names).unwrap_or_default();
    let members = |post: &Value| -> Vec<Vec<String>> {
        body_mark(post, ONE_OF_MEMBERS)
            .and_then(Value::as_array)
            .map(|members| members.iter().map(names).collect())
            .unwrap_or_default()
    };
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        bail!("the slice has no paths");
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(post) = item.get("post") else { bail!("`{path}` has no POST operation") };
        let text = |key: &str| post.get(key).and_then(Value::as_str);
        let operation_id = text("operationId").context("no operationId")?;
        let group: Vec<String> = post
            .get("x-fern-sdk-group-name")
            .and_then(Value::as_array)
            .map(|parts| parts.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        ensure!(!group.is_empty(), "`{path}` has no x-fern-sdk-group-name");
        let method = text("x-fern-sdk-method-name")
            .with_context(|| format!("`{path}` has no x-fern-sdk-method-name"))?
            .to_owned();
        ensure!(
            seen.insert((group.clone(), method.clone())),
            "`{path}` repeats {}.{method}",
            group.join(".")
        );
        let deprecated = match (text("x-deprecated"), post.get("deprecated").and_then(Value::as_bool)) {
            (Some(note), _) => Some(note.to_owned()),
            (None, Some(true)) => Some("deprecated by Seam".to_owned()),
            _ => None,
        };
        let has_response_body = post
            .get("responses")
            .and_then(Value::as_object)
            .and_then(|r| r.iter().find(|(status, _)| status.starts_with('2')))
            .is_some_and(|(_, response)| response.pointer("/content/application~1json/schema").is_some());
        let without_workspace = post.get("security").and_then(Value::as_array).is_some_and(|schemes| {
            schemes.iter().any(|scheme| {
                scheme
                    .as_object()
                    .is_some_and(|s| s.keys().any(|k| WITHOUT_WORKSPACE_SCHEMES.contains(&k.as_str())))
            })
        });
        out.push(Operation {
            without_workspace,
            path,
            operation_id,
            group,
            method,
            title: text("x-title"),
            description: text("description"),
            deprecated,
            has_body: post.pointer("/requestBody/content/application~1json/schema").is_some(),
            response_key: text("x-response-key"),
            has_response_body,
            at_least_one: at_least_one(post),
            members: members(post),
        });
    }
    Ok(out)
}

/// A body field's name in the wire struct and as an argument.
pub(crate) fn field_names(field: &Field) -> Result<(TokenStream, Ident)> {
    let name: TokenStream =
        field.ident.parse().map_err(|_| anyhow::anyhow!("`{}` is no identifier", field.ident))?;
    // A keyword field (`type`) is set by `type_`.
    let arg = match field.ident.strip_prefix("r#") {
        None => ident(&field.ident, "body property")?,
        Some(_) => format_ident!("{}", field.argument()),
    };
    Ok((name, arg))
}

/// The first paragraph of a description, for an argument list.
pub(crate) fn first_paragraph(text: &str) -> &str {
    text.split("\n\n").next().unwrap_or("").trim()
}

const KEYWORDS: [&str; 9] = ["type", "ref", "self", "crate", "super", "mod", "fn", "move", "async"];

pub(crate) fn ident(name: &str, what: &str) -> Result<Ident> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name);
    ensure!(
        valid,
        "{what} `{name}` is not a snake_case Rust identifier; extend xtask/src/stages/facade/ to rename it"
    );
    Ok(Ident::new(name, Span::call_site()))
}

#[cfg(test)]
mod tests;
