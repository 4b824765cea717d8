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

use crate::generate::{Split, pascal_case};
use crate::models::{DefKind, Field, Place, Ty, Types, clean_doc};
use crate::normalize::AT_LEAST_ONE;

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
                 xtask/src/facade.rs to offer subgroups on SeamWithoutWorkspace",
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
            "SDK group `{dotted}` has both a method and a subgroup named `{name}`; extend xtask/src/facade.rs to rename one"
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
    let at_least_one = |post: &Value| -> Vec<String> {
        let component = post
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"));
        component
            .and_then(|name| document.pointer(&format!("/components/schemas/{name}/{AT_LEAST_ONE}")))
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
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
        });
    }
    Ok(out)
}

/// How a body property is passed: its parameter type and how the argument
/// becomes the wire field's value.
struct Parameter {
    ty: TokenStream,
    value: TokenStream,
}

/// Strings and enums take anything that converts (`"august_lock"` or
/// `DeviceType::AugustLock`), date-times any chrono date-time or
/// `SystemTime`, arrays anything iterable; the rest their own type.
fn parameter(types: &Types, ty: &Ty, from: &Place, arg: &Ident) -> Result<Parameter> {
    let rust = |ty: &Ty| -> Result<TokenStream> {
        let source = types.rust(ty, from);
        let parsed: syn::Type =
            syn::parse_str(&source).with_context(|| format!("`{source}` is not a Rust type"))?;
        Ok(quote! { #parsed })
    };
    let converts = |ty: &Ty| {
        matches!(ty, Ty::String | Ty::Timestamp)
            || types.def(ty).is_some_and(|def| matches!(def.kind, DefKind::Enum { .. }))
    };
    Ok(match ty {
        Ty::Option(inner) => {
            let Parameter { ty, value } = parameter(types, inner, from, arg)?;
            Parameter { ty, value: quote! { Some(#value) } }
        }
        ty if converts(ty) => {
            let ty = rust(ty)?;
            Parameter { ty: quote! { impl Into<#ty> }, value: quote! { #arg.into() } }
        }
        Ty::Vec(item) if converts(item) => {
            let item = rust(item)?;
            Parameter {
                ty: quote! { impl IntoIterator<Item = impl Into<#item>> },
                value: quote! { #arg.into_iter().map(Into::into).collect() },
            }
        }
        Ty::Vec(item) => {
            let item = rust(item)?;
            Parameter {
                ty: quote! { impl IntoIterator<Item = #item> },
                value: quote! { #arg.into_iter().collect() },
            }
        }
        ty => Parameter { ty: rust(ty)?, value: quote! { #arg } },
    })
}

/// The code of one operation.
struct OperationCode {
    /// The group's method that starts the request.
    method: TokenStream,
    /// The request type and its methods.
    request: TokenStream,
    /// The same method on a workspace-less handle, which hands the request
    /// to the group's method.
    delegate: TokenStream,
}

fn operation_code(
    context: &Generation,
    resource: &str,
    group_type: &Ident,
    operation: &Operation,
) -> Result<OperationCode> {
    let types = context.types;
    let place = Place::Wire(resource.to_owned());
    let method = ident(&operation.method, "method name")?;
    let request = format_ident!("{}Request", pascal_case(&operation.method));
    let generated_method = format_ident!("{}", operation.operation_id);

    // Body properties: required ones are arguments of the group's method,
    // optional ones are setters on the request.
    let mut arguments = Vec::new();
    let mut argument_names = Vec::new();
    let mut initial_fields = Vec::new();
    let mut setters = Vec::new();
    let mut argument_docs = Vec::new();
    let body_type = if operation.has_body {
        let component = format!("{}_body", operation.operation_id);
        let (def, fields) = types.body(&component).with_context(|| {
            format!("the request body `{component}` is no struct of the generated wire types")
        })?;
        for field in argument_order(fields) {
            let (_, arg) = field_names(field)?;
            let Parameter { ty, .. } = parameter(types, &field.ty, &place, &arg)?;
            arguments.push(quote! { #arg: #ty });
            argument_names.push(arg.clone());
            argument_docs.push(format!("- `{}`: {}", field.json, first_paragraph(&clean_doc(&field.doc))));
        }
        for field in fields {
            let (name, arg) = field_names(field)?;
            let Parameter { ty, value } = parameter(types, &field.ty, &place, &arg)?;
            let description = clean_doc(&field.doc);
            if field.required {
                // `is_managed` rather than `is_managed: is_managed`.
                let shorthand = arg == value.to_string() && arg == name.to_string();
                initial_fields.push(if shorthand {
                    quote! { #arg }
                } else {
                    quote! { #name: #value }
                });
                continue;
            }
            initial_fields.push(quote! { #name: None });
            let value = match &field.ty {
                Ty::Option(_) => value,
                _ => quote! { Some(#value) },
            };
            let deprecated = field.deprecated.as_ref().map(|note| quote! { #[deprecated(note = #note)] });
            let doc = if description.is_empty() { format!("Sets `{}`.", field.json) } else { description };
            // Setting one of the fields a call needs makes it sendable.
            let (returns, done) = if operation.at_least_one.contains(&field.json) {
                (quote! { #request<'a> }, quote! { self.select() })
            } else {
                (quote! { Self }, quote! { self })
            };
            setters.push(quote! {
                #[doc = #doc]
                #deprecated
                pub fn #arg(mut self, #arg: #ty) -> #returns {
                    self.body.#name = #value;
                    #done
                }
            });
        }
        let name = format_ident!("{}", types.body_name(&component).unwrap_or(&def.name));
        Some(quote! { wire::#name })
    } else {
        None
    };

    let title = operation.title.unwrap_or(operation.operation_id);
    let mut method_doc = format!("{title}: `POST {}`.", operation.path);
    if let Some(description) = operation.description {
        method_doc.push_str("\n\n");
        method_doc.push_str(&clean_doc(description));
    }
    if !argument_docs.is_empty() {
        method_doc.push_str("\n\n");
        method_doc.push_str(&argument_docs.join("\n"));
    }
    if let Some((last, others)) = operation.at_least_one.split_last() {
        let others: Vec<String> = others.iter().map(|name| format!("`{name}`")).collect();
        let fields = if others.is_empty() {
            format!("`{last}`")
        } else {
            format!("{} or `{last}`", others.join(", "))
        };
        method_doc.push_str(&format!(
            "\n\nSet {fields} before sending: Seam needs one of them, and the request has no `send()` until then \
             (see [`Unselected`](crate::Unselected))."
        ));
    }
    method_doc.push_str(&format!("\n\nReturns a [`{request}`]; send it with [`send`]({request}::send)."));
    let request_doc = format!("A `POST {}` request, from [`{group_type}::{method}`].", operation.path);
    let deprecated = operation.deprecated.as_ref().map(|note| quote! { #[deprecated(note = #note)] });

    let Returns { ty: returns, send: send_body, doc: returns_doc, raw_type, extra } =
        response(context, &place, operation)?;
    let send_doc = format!("Sends the request and returns {returns_doc}.");
    let ExtraCode {
        field: extra_field,
        init: extra_init,
        moved: extra_moved,
        derives,
        setters: extra_setters,
        methods: extra_methods,
        items: extra_items,
    } = extra_code(&extra, &request, body_type.is_some(), operation)?;
    let access = if context.read_methods.contains(&operation.method) {
        quote! { Access::Read }
    } else {
        quote! { Access::Write }
    };

    let operation_name = format!("{}.{}", operation.group.join("."), operation.method);
    let path = operation.path;
    let traced = quote! { crate::trace::Operation { name: #operation_name, path: #path } };
    let (body_field, body_init, body_moved, call) = match &body_type {
        Some(body_type) => (
            quote! { body: #body_type, },
            quote! { body: #body_type { #(#initial_fields),* }, },
            quote! { body: self.body, },
            quote! {
                let body = self.body;
                self.seam.call(#traced, #access, |api| api.#generated_method(&body)).await
            },
        ),
        None => (
            quote! {},
            quote! {},
            quote! {},
            quote! { self.seam.call(#traced, #access, |api| api.#generated_method()).await },
        ),
    };
    // A request that needs one of several fields carries whether one is
    // set in its type: `send()` exists only on `#request<'a, Selected>`,
    // the default.
    let needs_selector = !operation.at_least_one.is_empty();
    let (state_param, state_field, state_init, starts_as, select) = if needs_selector {
        (
            quote! { , S = crate::Selected },
            quote! { selector: std::marker::PhantomData<S>, },
            quote! { selector: std::marker::PhantomData, },
            quote! { #request<'a, crate::Unselected> },
            quote! {
                fn select(self) -> #request<'a> {
                    #request { seam: self.seam, #body_moved #extra_moved selector: std::marker::PhantomData }
                }
            },
        )
    } else {
        (quote! {}, quote! {}, quote! {}, quote! { #request<'a> }, quote! {})
    };
    let generic_impl = if needs_selector {
        quote! { impl<'a, S> #request<'a, S> }
    } else {
        quote! { impl<'a> #request<'a> }
    };
    let method_code = quote! {
        #[doc = #method_doc]
        #deprecated
        pub fn #method(&self, #(#arguments),*) -> #starts_as {
            #request {
                seam: self.seam,
                #body_init
                #extra_init
                #state_init
            }
        }
    };
    let request_code = quote! {
        #[doc = #request_doc]
        #derives
        #[must_use = "a request does nothing until it is sent"]
        pub struct #request<'a #state_param> {
            seam: &'a Seam,
            #body_field
            #extra_field
            #state_field
        }

        #generic_impl {
            #(#setters)*

            #extra_setters

            #select
        }

        impl<'a> #request<'a> {
            #extra_methods

            #[doc = #send_doc]
            pub async fn send(self) -> Result<#returns> {
                #send_body
            }

            /// Sends the request and returns the whole response: status,
            /// headers and the decoded body.
            pub async fn send_raw(self) -> Result<ApiResponse<#raw_type>> {
                #call
            }
        }

        #extra_items
    };
    let delegate = quote! {
        #[doc = #method_doc]
        #deprecated
        pub fn #method(&self, #(#arguments),*) -> #starts_as {
            #group_type { seam: self.seam }.#method(#(#argument_names),*)
        }
    };
    Ok(OperationCode { method: method_code, request: request_code, delegate })
}

/// The required fields of a request body, in the order its method takes
/// them: the id of the object acted on first (the first required field, in
/// Seam's order, whose name ends in `_id`: `device_id` in
/// `configure_auto_lock(device_id, auto_lock_enabled)`), then the others in
/// the order Seam's definition lists them (`starts_daily_at` before
/// `ends_daily_at`), not the spec's alphabetical property order.
pub(crate) fn argument_order(fields: &[Field]) -> Vec<&Field> {
    let mut required: Vec<&Field> = fields.iter().filter(|field| field.required).collect();
    required.sort_by_key(|field| field.required_position.unwrap_or(usize::MAX));
    if let Some(at) = required.iter().position(|field| field.json.ends_with("_id")) {
        let id = required.remove(at);
        required.insert(0, id);
    }
    required
}

/// A body field's name in the wire struct and as an argument.
pub(crate) fn field_names(field: &Field) -> Result<(TokenStream, Ident)> {
    let name: TokenStream =
        field.ident.parse().map_err(|_| anyhow::anyhow!("`{}` is no identifier", field.ident))?;
    let bare = field.ident.trim_start_matches("r#");
    // A keyword field (`type`) is set by `type_`.
    let arg = if bare == field.ident { ident(bare, "body property")? } else { format_ident!("{bare}_") };
    Ok((name, arg))
}

/// The first paragraph of a description, for an argument list.
pub(crate) fn first_paragraph(text: &str) -> &str {
    text.split("\n\n").next().unwrap_or("").trim()
}

/// What `send()` returns and how.
struct Returns {
    /// The Rust type `send()` returns.
    ty: TokenStream,
    /// The body of `send()`.
    send: TokenStream,
    /// How the docs describe it.
    doc: String,
    /// The type `send_raw()` decodes.
    raw_type: TokenStream,
    /// What else the request offers for it.
    extra: Extra,
}

/// Behaviour a request adds around its response, as Seam's SDKs do.
enum Extra {
    None,
    /// The response is an action attempt, which `send()` waits for.
    ActionAttempt,
    /// The response is one page of a list of `item`s, under `field`.
    Paginated {
        item: TokenStream,
        field: TokenStream,
    },
}

/// What an operation's `send()` returns, as the CLI prints it.
#[derive(Clone, Debug)]
pub(crate) enum Sends {
    /// Nothing.
    Nothing,
    /// A value under the response key.
    Value,
    /// An action attempt, once it has finished.
    ActionAttempt,
    /// One page of a list, whose request also has `send_page()` and
    /// `items()`; the list is the response body's field `items`.
    Paginated { items: TokenStream },
}

/// What `operation`'s `send()` returns.
pub(crate) fn sends(types: &Types, operation: &Operation) -> Result<Sends> {
    let context = Generation { types, read_methods: &[] };
    let place = Place::Wire(operation.group[0].clone());
    let returns = response(&context, &place, operation)?;
    Ok(match returns.extra {
        Extra::ActionAttempt => Sends::ActionAttempt,
        Extra::Paginated { field, .. } => Sends::Paginated { items: field },
        Extra::None if returns.ty.to_string() == "()" => Sends::Nothing,
        Extra::None => Sends::Value,
    })
}

/// The model whose operations `send()` waits for.
const ACTION_ATTEMPT_MODEL: &str = "ActionAttempt";

/// What `send()` returns.
fn response(context: &Generation, place: &Place, operation: &Operation) -> Result<Returns> {
    let nothing = |raw_type| Returns {
        ty: quote! { () },
        send: quote! { self.send_raw().await?; Ok(()) },
        doc: "nothing".into(),
        raw_type,
        extra: Extra::None,
    };
    if !operation.has_response_body {
        return Ok(nothing(quote! { () }));
    }
    let types = context.types;
    let component = format!("{}_response", operation.operation_id);
    let (def, fields) = types.body(&component).with_context(|| {
        format!("the response body `{component}` is no struct of the generated wire types")
    })?;
    let name = format_ident!("{}", types.body_name(&component).unwrap_or(&def.name));
    let raw_type = quote! { wire::#name };
    let Some(key) = operation.response_key else {
        return Ok(nothing(raw_type));
    };
    let field = fields
        .iter()
        .find(|f| f.json == key)
        .with_context(|| format!("x-response-key `{key}` is not a property of the 200 body"))?;
    let source = types.rust(&field.ty, place);
    let returns: syn::Type =
        syn::parse_str(&source).with_context(|| format!("`{source}` is not a Rust type"))?;
    let (accessor, _) = field_names(field)?;
    let shown = source.replace("seam_types::", "").replace("crate::wire::", "");
    let doc = format!("the `{key}` (`{shown}`)");

    let is_model = |ty: &Ty, name: &str| {
        types.def(ty).is_some_and(|def| def.name == name && matches!(def.place, Place::Model(_)))
    };
    if is_model(&field.ty, ACTION_ATTEMPT_MODEL) {
        return Ok(Returns {
            ty: quote! { #returns },
            send: quote! {
                let seam = self.seam;
                let polling = seam.action_attempt_polling(self.wait)?;
                let attempt = self.send_raw().await?.into_body().#accessor;
                seam.wait_for_action_attempt(attempt, polling).await
            },
            doc: format!(
                "{doc}, once it has finished (see [`wait_for_action_attempt`](Self::wait_for_action_attempt))"
            ),
            raw_type,
            extra: Extra::ActionAttempt,
        });
    }
    let extra = match (&field.ty, fields.iter().any(|f| f.json == "pagination")) {
        (Ty::Vec(item), true) => {
            let source = types.rust(item, place);
            let item: syn::Type =
                syn::parse_str(&source).with_context(|| format!("`{source}` is not a Rust type"))?;
            Extra::Paginated { item: quote! { #item }, field: accessor.clone() }
        }
        (_, true) => bail!("`{}` carries `pagination` but its `{key}` is no list", operation.path),
        _ => Extra::None,
    };
    let doc = match extra {
        Extra::Paginated { .. } => format!(
            "{doc} of the first page (of the page at `page_cursor`, if set); [`items`](Self::items) follows every page"
        ),
        _ => doc,
    };
    Ok(Returns {
        ty: quote! { #returns },
        send: quote! { Ok(self.send_raw().await?.into_body().#accessor) },
        doc,
        raw_type,
        extra,
    })
}

/// The setters, fields and trait implementations a request gets for
/// `extra`.
struct ExtraCode {
    field: TokenStream,
    init: TokenStream,
    /// The field moved into the same request in another state.
    moved: TokenStream,
    derives: TokenStream,
    /// Methods that configure the request.
    setters: TokenStream,
    /// Methods that send it.
    methods: TokenStream,
    items: TokenStream,
}

fn extra_code(extra: &Extra, request: &Ident, has_body: bool, operation: &Operation) -> Result<ExtraCode> {
    let mut code = ExtraCode {
        field: quote! {},
        init: quote! {},
        moved: quote! {},
        derives: quote! { #[derive(Debug)] },
        setters: quote! {},
        methods: quote! {},
        items: quote! {},
    };
    match extra {
        Extra::None => {}
        Extra::ActionAttempt => {
            code.field = quote! { wait: crate::action_attempt::WaitSettings, };
            code.init = quote! { wait: crate::action_attempt::WaitSettings::default(), };
            code.moved = quote! { wait: self.wait, };
            code.setters = quote! {
                /// Whether `send()` waits for the action attempt to finish,
                /// overriding the client's
                /// [`wait_for_action_attempts`](crate::SeamBuilder::wait_for_action_attempts)
                /// (on by default).
                pub fn wait_for_action_attempt(mut self, wait: bool) -> Self {
                    self.wait.wait = Some(wait);
                    self
                }
                /// Waits for the action attempt for at most `timeout` in
                /// all (and waits, whatever the client's setting).
                pub fn action_attempt_timeout(mut self, timeout: std::time::Duration) -> Self {
                    self.wait.wait = Some(true);
                    self.wait.timeout = Some(timeout);
                    self
                }
                /// Reads the action attempt back every `interval` while
                /// waiting (and waits, whatever the client's setting).
                pub fn action_attempt_polling_interval(mut self, interval: std::time::Duration) -> Self {
                    self.wait.wait = Some(true);
                    self.wait.polling_interval = Some(interval);
                    self
                }
            };
        }
        Extra::Paginated { item, field } => {
            ensure!(
                has_body,
                "`{}` carries `pagination` but takes no body to carry `page_cursor`",
                operation.path
            );
            code.derives = quote! { #[derive(Clone, Debug)] };
            code.methods = quote! {
                /// Sends the request and returns one page: its items and
                /// the cursor of the next (for paging by hand with
                /// `page_cursor`).
                // `#[inline]` here and below: the stream machinery is built
                // in the crates that use it, not for all 16 lists in every
                // build of this one.
                #[inline]
                pub async fn send_page(self) -> Result<crate::Page<#item>> {
                    crate::pagination::page(self).await
                }
                /// Every page, from the first (or the one at `page_cursor`)
                /// to the last, each fetched when the stream reaches it.
                #[inline]
                pub fn pages(self) -> futures_core::stream::BoxStream<'a, Result<crate::Page<#item>>> {
                    crate::pagination::pages(self)
                }
                /// The items of every page, in order, each page fetched
                /// when the stream reaches it.
                #[inline]
                pub fn items(self) -> futures_core::stream::BoxStream<'a, Result<#item>> {
                    crate::pagination::items(self)
                }
            };
            code.items = quote! {
                impl crate::pagination::Paginated for #request<'_> {
                    type Item = #item;
                    fn set_page_cursor(&mut self, cursor: String) {
                        self.body.page_cursor = Some(cursor);
                    }
                    async fn fetch(self) -> Result<crate::pagination::Fetched<#item>> {
                        let response = self.send_raw().await?;
                        let request_id = response.request_id().map(str::to_owned);
                        let body = response.into_body();
                        Ok(crate::pagination::Fetched { items: body.#field, pagination: body.pagination, request_id })
                    }
                }
            };
        }
    }
    Ok(code)
}

const KEYWORDS: [&str; 9] = ["type", "ref", "self", "crate", "super", "mod", "fn", "move", "async"];

pub(crate) fn ident(name: &str, what: &str) -> Result<Ident> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name);
    ensure!(
        valid,
        "{what} `{name}` is not a snake_case Rust identifier; extend xtask/src/facade.rs to rename it"
    );
    Ok(Ident::new(name, Span::call_site()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{models, normalize};

    /// The facade code of one operation `things.<group…>.<method>` with
    /// request body `body`, through normalize and models as codegen runs them.
    fn generate(group: &[&str], method: &str, body: Value, extra: Value) -> Result<String> {
        let mut post = json!({
            "x-fern-sdk-group-name": group,
            "x-fern-sdk-method-name": method,
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"ok": {"type": "boolean"}}
            }}}}}
        });
        if let (Some(post), Some(extra)) = (post.as_object_mut(), extra.as_object()) {
            post.extend(extra.clone());
        }
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {format!("/{}/{method}", group.join("/")): {"post": post}},
            "components": {"schemas": {}}
        });
        let normalized = normalize::normalize(document, &BTreeMap::new())?;
        let hand_written = BTreeMap::new();
        let types = models::resolve_all(&normalized.document, &hand_written, &normalized.wire)?;
        let split = tokens(&normalized.document, &types, &["get".to_owned()])?;
        let code = split.resources.get(group[0]).context("no code for the resource")?.clone();
        crate::format::rust(code, "")
    }

    #[test]
    fn required_properties_become_arguments_and_optional_ones_typed_setters() {
        let body = json!({
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "flag": {"type": "boolean"},
                "kind": {"type": "string", "enum": ["round", "square"]},
                "tags": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["id"]
        });
        let code = generate(&["things"], "get", body, json!({})).unwrap();
        assert!(code.contains("pub fn get(&self, id: impl Into<String>) -> GetRequest<'a>"), "{code}");
        assert!(code.contains("pub fn flag(mut self, flag: bool) -> Self"), "{code}");
        assert!(code.contains("kind: impl Into<crate::wire::ThingsGetBodyKind>"), "{code}");
        assert!(code.contains("tags: impl IntoIterator<Item = impl Into<String>>"), "{code}");
        assert!(code.contains("Access::Read"), "{code}");
        assert!(code.contains("pub async fn send(self) -> Result<()>"), "{code}");
    }

    #[test]
    fn arguments_take_the_acted_on_id_first_then_seams_order() {
        // As noise_thresholds/create and configure_auto_lock list them;
        // the spec's properties are alphabetical.
        let body = json!({"type": "object", "required": ["device_id", "starts_daily_at", "ends_daily_at"], "properties": {
            "device_id": {"type": "string"}, "ends_daily_at": {"type": "string"}, "starts_daily_at": {"type": "string"},
        }});
        let code = generate(&["things"], "create", body, json!({})).unwrap();
        assert!(
            code.contains("device_id: impl Into<String>,\n        starts_daily_at: impl Into<String>,\n        ends_daily_at: impl Into<String>,"),
            "{code}"
        );
        let body = json!({"type": "object", "required": ["device_id", "auto_lock_enabled"], "properties": {
            "auto_lock_enabled": {"type": "boolean"}, "device_id": {"type": "string"},
        }});
        let code = generate(&["things"], "configure_auto_lock", body, json!({})).unwrap();
        assert!(code.contains("device_id: impl Into<String>,\n        auto_lock_enabled: bool,"), "{code}");
        // The id comes first even where Seam lists it later
        // (acs/users/create: full_name, acs_system_id).
        let body = json!({"type": "object", "required": ["full_name", "acs_system_id"], "properties": {
            "acs_system_id": {"type": "string"}, "full_name": {"type": "string"},
        }});
        let code = generate(&["things"], "create", body, json!({})).unwrap();
        assert!(
            code.contains("acs_system_id: impl Into<String>,\n        full_name: impl Into<String>,"),
            "{code}"
        );
    }

    #[test]
    fn the_real_operations_take_their_arguments_in_order() {
        let workspace = crate::paths::Workspace::locate().unwrap();
        let slice: Value =
            serde_json::from_str(&std::fs::read_to_string(workspace.slice()).unwrap()).unwrap();
        let names = |component: &str| -> Vec<String> {
            let hand_written = BTreeMap::new();
            let types = models::resolve_all(&slice, &hand_written, &BTreeMap::new()).unwrap();
            let (_, fields) = types.body(component).unwrap();
            argument_order(fields).iter().map(|f| f.json.clone()).collect()
        };
        assert_eq!(names("locks_configure_auto_lock_body"), ["device_id", "auto_lock_enabled"]);
        assert_eq!(
            names("noise_sensors_noise_thresholds_create_body"),
            ["device_id", "starts_daily_at", "ends_daily_at"]
        );
    }

    #[test]
    fn a_date_time_setter_takes_anything_that_becomes_a_timestamp() {
        let body = json!({"type": "object", "properties": {
            "starts_at": {"type": "string", "format": "date-time"},
            "between": {"type": "array", "items": {"type": "string", "format": "date-time"}},
        }});
        let code = generate(&["things"], "list", body, json!({})).unwrap();
        assert!(
            code.contains("pub fn starts_at(mut self, starts_at: impl Into<seam_types::Timestamp>) -> Self"),
            "{code}"
        );
        assert!(
            code.contains("between: impl IntoIterator<Item = impl Into<seam_types::Timestamp>>"),
            "{code}"
        );
    }

    #[test]
    fn a_request_that_needs_one_of_several_fields_cannot_be_sent_without_one() {
        let body = json!({"type": "object", "oneOf": [
            {"type": "object", "required": ["thing_id"], "properties": {"thing_id": {"type": "string"}}},
            {"type": "object", "required": ["thing_key"], "properties": {"thing_key": {"type": "string"}}},
        ]});
        let code = generate(&["things"], "get", body, json!({})).unwrap();
        assert!(code.contains("pub fn get(&self) -> GetRequest<'a, crate::Unselected>"), "{code}");
        assert!(code.contains("pub struct GetRequest<'a, S = crate::Selected>"), "{code}");
        assert!(
            code.contains("pub fn thing_id(mut self, thing_id: impl Into<String>) -> GetRequest<'a>"),
            "{code}"
        );
        assert!(code.contains("Set `thing_id` or `thing_key` before sending"), "{code}");
        // send() only where a selector is set.
        let sendable = code.find("impl<'a> GetRequest<'a> {").expect("an impl of the sendable state");
        assert!(code[sendable..].contains("pub async fn send(self)"), "{code}");
        assert!(!code[..sendable].contains("pub async fn send(self)"), "{code}");
        // A body any call satisfies has no selector state.
        let body = json!({"type": "object", "properties": {"thing_id": {"type": "string"}}});
        let code = generate(&["things"], "get", body, json!({})).unwrap();
        assert!(code.contains("pub fn get(&self) -> GetRequest<'a>"), "{code}");
    }

    #[test]
    fn a_keyword_property_is_set_with_a_trailing_underscore() {
        let body = json!({"type": "object", "properties": {"type": {"type": "string"}}});
        let code = generate(&["things"], "create", body, json!({})).unwrap();
        assert!(code.contains("pub fn type_(mut self, type_: impl Into<String>) -> Self"), "{code}");
        assert!(code.contains("self.body.r#type = Some(type_.into())"), "{code}");
        assert!(code.contains("Access::Write"), "{code}");
    }

    #[test]
    fn sdk_subgroups_are_nested_modules_and_deprecations_carry_their_note() {
        let body = json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]});
        let deprecated = json!({"x-deprecated": "Use `/things/get` instead."});
        let code = generate(&["things", "parts"], "get", body, deprecated).unwrap();
        assert!(code.contains("pub fn parts(&self) -> parts::ThingsParts<'a>"), "{code}");
        assert!(code.contains("pub mod parts {"), "{code}");
        assert!(code.contains("#[deprecated(note = \"Use `/things/get` instead.\")]"), "{code}");
    }

    #[test]
    fn a_list_with_pagination_can_be_followed_and_one_without_cannot() {
        let body = json!({"type": "object", "properties": {"page_cursor": {"type": "string"}, "limit": {"type": "integer"}}});
        let response = |with_pagination: bool| {
            let mut properties = json!({
                "ok": {"type": "boolean"},
                "things": {"type": "array", "items": {"type": "string"}}
            });
            if with_pagination {
                properties["pagination"] =
                    json!({"type": "object", "properties": {"has_next_page": {"type": "boolean"}}});
            }
            json!({"x-response-key": "things", "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                "type": "object", "properties": properties, "required": ["ok", "things"]
            }}}}}})
        };
        let code = generate(&["things"], "list", body.clone(), response(true)).unwrap();
        assert!(code.contains("pub async fn send_page(self) -> Result<crate::Page<String>>"), "{code}");
        assert!(
            code.contains("pub fn items(self) -> futures_core::stream::BoxStream<'a, Result<String>>"),
            "{code}"
        );
        assert!(code.contains("impl crate::pagination::Paginated for ListRequest<'_>"), "{code}");
        assert!(code.contains("self.body.page_cursor = Some(cursor)"), "{code}");
        assert!(code.contains("#[derive(Clone, Debug)]"), "{code}");

        let code = generate(&["things"], "list", body, response(false)).unwrap();
        assert!(!code.contains("send_page") && !code.contains("Paginated"), "{code}");
    }

    #[test]
    fn a_method_and_a_subgroup_of_one_name_is_an_error() {
        let body = json!({"type": "object", "properties": {}});
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/things/parts": {"post": {
                    "x-fern-sdk-group-name": ["things"], "x-fern-sdk-method-name": "parts",
                    "requestBody": {"content": {"application/json": {"schema": body.clone()}}},
                    "responses": {"200": {"description": "OK"}}
                }},
                "/things/parts/get": {"post": {
                    "x-fern-sdk-group-name": ["things", "parts"], "x-fern-sdk-method-name": "get",
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {"200": {"description": "OK"}}
                }}
            },
            "components": {"schemas": {}}
        });
        let normalized = normalize::normalize(document, &BTreeMap::new()).unwrap();
        let hand_written = BTreeMap::new();
        let types = models::resolve_all(&normalized.document, &hand_written, &normalized.wire).unwrap();
        let message = format!("{:#}", tokens(&normalized.document, &types, &[]).err().expect("an error"));
        assert!(message.contains("both a method and a subgroup named `parts`"), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }
}
