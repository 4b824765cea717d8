//! One operation's method and request type: its arguments, typed setters and `send()`.

use anyhow::{Context, Result};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::response::{ExtraCode, Returns, extra_code, response};
use super::{Generation, Operation, argument_order, field_names, first_paragraph, ident};
use crate::stages::generate::pascal_case;
use crate::stages::models::{DefKind, Field, Place, Ty, Types, clean_doc};

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
pub(super) struct OperationCode {
    /// The group's method that starts the request.
    pub(super) method: TokenStream,
    /// The request type and its methods.
    pub(super) request: TokenStream,
    /// The same method on a workspace-less handle, which hands the request
    /// to the group's method.
    pub(super) delegate: TokenStream,
}

pub(super) fn operation_code(
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
    let mut body_fields: &[Field] = &[];
    let body_type = if operation.has_body {
        let component = format!("{}_body", operation.operation_id);
        let (def, fields) = types.body(&component).with_context(|| {
            format!("the request body `{component}` is no struct of the generated wire types")
        })?;
        body_fields = fields;
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
    let member_check = member_check(operation, &operation_name, body_fields)?;
    let (body_field, body_init, body_moved, call) = match &body_type {
        Some(body_type) => (
            quote! { body: #body_type, },
            quote! { body: #body_type { #(#initial_fields),* }, },
            quote! { body: self.body, },
            quote! {
                let body = self.body;
                #member_check
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

/// For a body whose oneOf members each need several fields, the check
/// `send()` makes before sending (`crate::selector::one_member`): which of
/// each member's fields the body sets.
fn member_check(operation: &Operation, operation_name: &str, fields: &[Field]) -> Result<TokenStream> {
    if operation.members.is_empty() {
        return Ok(quote! {});
    }
    let mut members = Vec::new();
    for member in &operation.members {
        let mut checks = Vec::new();
        for json in member {
            let field = fields.iter().find(|f| &f.json == json).with_context(|| {
                format!("`{}`'s oneOf member needs `{json}`, which its body struct lacks", operation.path)
            })?;
            let (name, _) = field_names(field)?;
            // A field every member requires is an argument, always set.
            let set = if field.required {
                quote! { true }
            } else {
                quote! { body.#name.is_some() }
            };
            checks.push(quote! { (#json, #set) });
        }
        members.push(quote! { &[#(#checks),*] });
    }
    Ok(quote! { crate::selector::one_member(#operation_name, &[#(#members),*])?; })
}
