//! What an operation's `send()` returns, and the extras a request gets for it: waiting for an action attempt, pages of a list.

use anyhow::{Context, Result, bail, ensure};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Generation, Operation, field_names};
use crate::stages::models::{Place, Ty, Types};

/// What `send()` returns and how.
pub(super) struct Returns {
    /// The Rust type `send()` returns.
    pub(super) ty: TokenStream,
    /// The body of `send()`.
    pub(super) send: TokenStream,
    /// How the docs describe it.
    pub(super) doc: String,
    /// The type `send_raw()` decodes.
    pub(super) raw_type: TokenStream,
    /// What else the request offers for it.
    pub(super) extra: Extra,
}

/// Behaviour a request adds around its response, as Seam's SDKs do.
pub(super) enum Extra {
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

/// The request field that names the device an action acts on.
const DEVICE_FIELD: &str = "device_id";

/// What `send()` returns.
pub(super) fn response(context: &Generation, place: &Place, operation: &Operation) -> Result<Returns> {
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
        // The device the request names, for the wait's span.
        let device_field = operation
            .has_body
            .then(|| types.body(&format!("{}_body", operation.operation_id)))
            .flatten()
            .and_then(|(_, fields)| fields.iter().find(|field| field.json == DEVICE_FIELD));
        let device = match device_field {
            Some(field) => {
                let ident = format_ident!("{}", field.ident);
                quote! { crate::trace::wait_device(&self.body.#ident) }
            }
            None => quote! { None },
        };
        return Ok(Returns {
            ty: quote! { #returns },
            send: quote! {
                let seam = self.seam;
                let polling = seam.action_attempt_polling(self.wait)?;
                let device = #device;
                let attempt = self.send_raw().await?.into_body().#accessor;
                seam.wait_for_action_attempt(attempt, polling, device).await
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
pub(super) struct ExtraCode {
    pub(super) field: TokenStream,
    pub(super) init: TokenStream,
    /// The field moved into the same request in another state.
    pub(super) moved: TokenStream,
    pub(super) derives: TokenStream,
    /// Methods that configure the request.
    pub(super) setters: TokenStream,
    /// Methods that send it.
    pub(super) methods: TokenStream,
    pub(super) items: TokenStream,
}

pub(super) fn extra_code(
    extra: &Extra,
    request: &Ident,
    has_body: bool,
    operation: &Operation,
) -> Result<ExtraCode> {
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
