//! Stage 4b: generate the public methods of `seam-api`
//! (`crates/seam-api/src/resources.rs`) from the normalized slice: one
//! module per resource (`client_sessions`), one method per operation
//! (`get`, `create`, …) returning a request builder with a setter per body
//! property, whose `send()` returns what Seam's SDKs return (the object
//! under `x-response-key`, or nothing).
//!
//! Generating this layer too is what makes adding an operation one line in
//! `selection.toml`: a construct this stage cannot map is an error naming
//! it, to be fixed here rather than by hand-written code.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, bail, ensure};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::generate::pascal_case;

/// One operation, as the facade needs it.
struct Operation<'a> {
    path: &'a str,
    operation_id: &'a str,
    group: String,
    method: String,
    title: Option<&'a str>,
    description: Option<&'a str>,
    body: Option<&'a Value>,
    response_key: Option<&'a str>,
    success_schema: Option<&'a Value>,
}

/// The code of `resources.rs`.
pub(crate) fn tokens(
    document: &Value,
    models: &BTreeMap<String, String>,
    read_methods: &[String],
) -> Result<TokenStream> {
    let operations = operations(document)?;
    let mut groups: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in &operations {
        groups.entry(operation.group.as_str()).or_default().push(operation);
    }

    let mut accessors = Vec::new();
    let mut modules = Vec::new();
    for (group, operations) in &groups {
        let module = ident(group, "resource group")?;
        let resource = format_ident!("{}", pascal_case(group));
        let accessor_doc = format!("Operations under `/{group}/*`.");
        accessors.push(quote! {
            #[doc = #accessor_doc]
            pub fn #module(&self) -> #module::#resource<'_> {
                #module::#resource { seam: self }
            }
        });

        let mut methods = Vec::new();
        let mut requests = Vec::new();
        for operation in operations {
            let access = if read_methods.contains(&operation.method) {
                quote! { Access::Read }
            } else {
                quote! { Access::Write }
            };
            let (method, request) = operation_code(operation, &resource, access, models)
                .with_context(|| format!("cannot generate the method for `{}`", operation.path))?;
            methods.push(method);
            requests.push(request);
        }
        let resource_doc =
            format!("Operations under `/{group}/*`; from [`Seam::{group}`](crate::Seam::{group}).");
        modules.push(quote! {
            #[doc = #accessor_doc]
            pub mod #module {
                #[allow(unused_imports)]
                use crate::{client::Seam, error::Result, response::ApiResponse, retry::Access, wire};

                #[doc = #resource_doc]
                #[derive(Clone, Copy, Debug)]
                pub struct #resource<'a> {
                    pub(crate) seam: &'a Seam,
                }

                impl<'a> #resource<'a> {
                    #(#methods)*
                }

                #(#requests)*
            }
        });
    }

    let tokens = quote! {
        use crate::client::Seam;

        impl Seam {
            #(#accessors)*
        }

        #(#modules)*
    };
    Ok(tokens)
}

fn operations(document: &Value) -> Result<Vec<Operation<'_>>> {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        bail!("the slice has no paths");
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(post) = item.get("post") else { bail!("`{path}` has no POST operation") };
        let text = |key: &str| post.get(key).and_then(Value::as_str);
        let operation_id = text("operationId").context("no operationId")?;
        let group = post
            .get("x-fern-sdk-group-name")
            .and_then(Value::as_array)
            .map(|parts| parts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("_"))
            .filter(|g| !g.is_empty())
            .with_context(|| format!("`{path}` has no x-fern-sdk-group-name"))?;
        let method = text("x-fern-sdk-method-name")
            .with_context(|| format!("`{path}` has no x-fern-sdk-method-name"))?
            .to_owned();
        ensure!(seen.insert((group.clone(), method.clone())), "`{path}` repeats {group}.{method}");
        let success_schema = post
            .get("responses")
            .and_then(Value::as_object)
            .and_then(|r| r.iter().find(|(status, _)| status.starts_with('2')))
            .and_then(|(_, response)| response.pointer("/content/application~1json/schema"));
        out.push(Operation {
            path,
            operation_id,
            group,
            method,
            title: text("x-title"),
            description: text("description"),
            body: post.pointer("/requestBody/content/application~1json/schema"),
            response_key: text("x-response-key"),
            success_schema,
        });
    }
    Ok(out)
}

/// How a body property is set: its parameter type and how the argument
/// becomes the wire field's value.
struct Setter {
    parameter: TokenStream,
    generics: TokenStream,
    value: TokenStream,
}

fn setter(name: &str, schema: &Value, required: bool) -> Result<Setter> {
    let kind = schema.get("type").and_then(Value::as_str).unwrap_or("");
    let format = schema.get("format").and_then(Value::as_str);
    let arg = format_ident!("{}", name);
    let wrap = |value: TokenStream| {
        if required {
            value
        } else {
            quote! { Some(#value) }
        }
    };
    let setter = match (kind, format) {
        ("string", Some("date-time")) => Setter {
            parameter: quote! { crate::Timestamp },
            generics: quote! {},
            value: wrap(quote! { #arg }),
        },
        ("string", None) if schema.get("enum").is_none() => Setter {
            parameter: quote! { impl Into<String> },
            generics: quote! {},
            value: wrap(quote! { #arg.into() }),
        },
        ("boolean", _) => {
            Setter { parameter: quote! { bool }, generics: quote! {}, value: wrap(quote! { #arg }) }
        }
        ("integer", _) => {
            Setter { parameter: quote! { i64 }, generics: quote! {}, value: wrap(quote! { #arg }) }
        }
        ("number", _) => {
            Setter { parameter: quote! { f64 }, generics: quote! {}, value: wrap(quote! { #arg }) }
        }
        ("array", _)
            if schema.pointer("/items/type").and_then(Value::as_str) == Some("string")
                && schema.pointer("/items/format").is_none()
                && schema.pointer("/items/enum").is_none() =>
        {
            // typify types optional arrays as Vec with a serde default.
            Setter {
                parameter: quote! { I },
                generics: quote! { <I, S>(mut self, #arg: I) -> Self where I: IntoIterator<Item = S>, S: Into<String> },
                value: quote! { #arg.into_iter().map(Into::into).collect() },
            }
        }
        _ => bail!(
            "property `{name}` is {schema}; the facade maps strings, date-times, booleans, numbers and string \
             arrays only: extend xtask/src/facade.rs"
        ),
    };
    Ok(setter)
}

fn operation_code(
    operation: &Operation,
    resource: &Ident,
    access: TokenStream,
    models: &BTreeMap<String, String>,
) -> Result<(TokenStream, TokenStream)> {
    let method = ident(&operation.method, "method name")?;
    let request = format_ident!("{}Request", pascal_case(&operation.method));
    let body_type = format_ident!("{}Body", pascal_case(operation.operation_id));
    let response_type = format_ident!("{}Response", pascal_case(operation.operation_id));
    let generated_method = format_ident!("{}", operation.operation_id);

    // Body properties: required ones are arguments of the resource method,
    // optional ones are setters on the request.
    let empty = serde_json::Map::new();
    let properties =
        operation.body.and_then(|b| b.get("properties")).and_then(Value::as_object).unwrap_or(&empty);
    let required: BTreeSet<&str> = operation
        .body
        .and_then(|b| b.get("required"))
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();

    let mut arguments = Vec::new();
    let mut initial_fields = Vec::new();
    let mut setters = Vec::new();
    let mut argument_docs = Vec::new();
    for (name, schema) in properties {
        let field = ident(name, "body property")?;
        let is_required = required.contains(name.as_str());
        let Setter { parameter, generics, value } = setter(name, schema, is_required)?;
        let description = schema.get("description").and_then(Value::as_str).unwrap_or("");
        if is_required {
            ensure!(generics.is_empty(), "required property `{name}` must be a scalar to be an argument");
            arguments.push(quote! { #field: #parameter });
            initial_fields.push(quote! { #field: #value });
            argument_docs.push(format!("- `{name}`: {description}"));
            continue;
        }
        let empty_value = if schema.get("type").and_then(Value::as_str) == Some("array") {
            quote! { Vec::new() }
        } else {
            quote! { None }
        };
        initial_fields.push(quote! { #field: #empty_value });
        let deprecated = schema.get("deprecated").and_then(Value::as_bool).unwrap_or(false).then(|| {
            let note = schema.get("x-deprecated").and_then(Value::as_str).unwrap_or("deprecated by Seam");
            quote! { #[deprecated(note = #note)] }
        });
        let signature = if generics.is_empty() {
            quote! { (mut self, #field: #parameter) -> Self }
        } else {
            generics
        };
        setters.push(quote! {
            #[doc = #description]
            #deprecated
            pub fn #field #signature {
                self.body.#field = #value;
                self
            }
        });
    }

    let title = operation.title.unwrap_or(operation.operation_id);
    let mut method_doc = format!("{title}: `POST {}`.", operation.path);
    if let Some(description) = operation.description {
        method_doc.push_str("\n\n");
        method_doc.push_str(description);
    }
    if !argument_docs.is_empty() {
        method_doc.push_str("\n\n");
        method_doc.push_str(&argument_docs.join("\n"));
    }
    method_doc.push_str(&format!("\n\nReturns a [`{request}`]; send it with [`send`]({request}::send)."));
    let request_doc = format!("A `POST {}` request, from [`{resource}::{method}`].", operation.path);

    let (returns, send_body, returns_doc) = response(operation, models)?;
    let send_doc = format!("Sends the request and returns {returns_doc}.");

    let method_code = quote! {
        #[doc = #method_doc]
        pub fn #method(&self, #(#arguments),*) -> #request<'a> {
            #request {
                seam: self.seam,
                body: wire::#body_type { #(#initial_fields),* },
            }
        }
    };
    let request_code = quote! {
        #[doc = #request_doc]
        #[derive(Debug)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #request<'a> {
            seam: &'a Seam,
            body: wire::#body_type,
        }

        impl #request<'_> {
            #(#setters)*

            #[doc = #send_doc]
            pub async fn send(self) -> Result<#returns> {
                #send_body
            }

            /// Sends the request and returns the whole response: status,
            /// headers and the decoded body.
            pub async fn send_raw(self) -> Result<ApiResponse<wire::#response_type>> {
                self.seam.call(#access, |api| api.#generated_method().body(self.body.clone()).send()).await
            }
        }
    };
    Ok((method_code, request_code))
}

/// What `send()` returns: the Rust type, the body of `send()`, and how the
/// docs describe it.
fn response(
    operation: &Operation,
    models: &BTreeMap<String, String>,
) -> Result<(TokenStream, TokenStream, String)> {
    let Some(key) = operation.response_key else {
        return Ok((quote! { () }, quote! { self.send_raw().await?; Ok(()) }, "nothing".into()));
    };
    let field = ident(key, "response key")?;
    let schema = operation
        .success_schema
        .and_then(|s| s.pointer(&format!("/properties/{key}")))
        .with_context(|| format!("x-response-key `{key}` is not a property of the 200 body"))?;
    let model = |schema: &Value| -> Result<(TokenStream, String)> {
        let reference = schema.get("$ref").and_then(Value::as_str).unwrap_or("");
        let name = reference.strip_prefix("#/components/schemas/").unwrap_or("");
        let rust = models.get(name).with_context(|| {
            format!("`{key}` is {schema}; the facade returns only models listed in selection.toml [models]")
        })?;
        let path: syn::Type = syn::parse_str(rust).with_context(|| format!("`{rust}` is not a Rust type"))?;
        Ok((quote! { #path }, rust.rsplit("::").next().unwrap_or(rust).to_owned()))
    };
    let (returns, doc) = if schema.get("type").and_then(Value::as_str) == Some("array") {
        let (item, name) = model(schema.get("items").unwrap_or(&Value::Null))?;
        (quote! { Vec<#item> }, format!("the `{key}`, as `Vec<{name}>`"))
    } else {
        let (item, name) = model(schema)?;
        (item, format!("the `{key}` ([`{name}`](seam_types::{name}))"))
    };
    Ok((returns, quote! { Ok(self.send_raw().await?.into_body().#field) }, doc))
}

const KEYWORDS: [&str; 9] = ["type", "ref", "self", "crate", "super", "mod", "fn", "move", "async"];

fn ident(name: &str, what: &str) -> Result<Ident> {
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

    fn document(body: Value) -> Value {
        json!({"paths": {"/things/get": {"post": {
            "operationId": "things_get",
            "x-fern-sdk-group-name": ["things"],
            "x-fern-sdk-method-name": "get",
            "x-response-key": null,
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"200": {"content": {"application/json": {"schema": {"properties": {"ok": {"type": "boolean"}}}}}}}
        }}}})
    }

    #[test]
    fn an_unmappable_property_names_itself() {
        let body = json!({"properties": {"shape": {"type": "object", "properties": {}}}});
        let error = tokens(&document(body), &BTreeMap::new(), &[]).unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("`/things/get`") && message.contains("property `shape`"), "{message}");
    }

    #[test]
    fn a_keyword_property_is_an_error_not_broken_code() {
        let body = json!({"properties": {"type": {"type": "string"}}});
        let message = format!("{:#}", tokens(&document(body), &BTreeMap::new(), &[]).unwrap_err());
        assert!(message.contains("body property `type`"), "{message}");
    }

    #[test]
    fn required_properties_become_arguments_and_reads_are_reads() {
        let body = json!({"properties": {"id": {"type": "string"}, "flag": {"type": "boolean"}}, "required": ["id"]});
        let code =
            crate::format::rust(tokens(&document(body), &BTreeMap::new(), &["get".into()]).unwrap(), "")
                .unwrap();
        assert!(code.contains("pub fn get(&self, id: impl Into<String>) -> GetRequest<'a>"), "{code}");
        assert!(code.contains("pub fn flag(mut self, flag: bool) -> Self"), "{code}");
        assert!(code.contains("Access::Read"), "{code}");
        assert!(code.contains("pub async fn send(self) -> Result<()>"), "{code}");
    }
}
