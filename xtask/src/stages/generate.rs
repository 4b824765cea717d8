//! Stage 4: generate the HTTP layer and its httpmock helpers with
//! progenitor's positional interface, then split both per resource.
//!
//! Every component schema of the slice is replaced by a type the xtask
//! writes itself (models in seam-types, hoisted bodies in seam-api's
//! `wire`), so progenitor only writes requests and matches statuses. It
//! therefore reads a view of the slice whose schemas are empty, which
//! spares parsing 4 MB of schemas it would not use.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result, anyhow, bail, ensure};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::{Value, json};

/// Generated files, formatted: (path relative to the generated directory,
/// Rust source).
pub(crate) type Files = Vec<(String, String)>;

/// The HTTP layer (`crates/seam-api/src/generated/`) and its httpmock
/// helpers (`crates/seam-api-mock/src/generated/`).
pub(crate) struct Generated {
    pub(crate) client: Files,
    pub(crate) mock: Files,
}

/// Code split into what every resource shares and each resource's own part.
pub(crate) struct Split {
    /// The shared part: `mod.rs`, declaring each resource's module behind
    /// the cargo feature of the same name.
    pub(crate) shared: TokenStream,
    /// Resource → its module's code.
    pub(crate) resources: BTreeMap<String, TokenStream>,
}

/// The Rust path under which the mock code finds the client's `types`.
const MOCK_CRATE_PATH: &str = "seam_api::wire";

/// `document` is the normalized slice; `replacements` maps every component
/// schema to the Rust type that stands for it; `resources` and `paths`
/// map each operation id to its top-level resource and to its path (as
/// normalize found them). The client and the mock are
/// generated, split and formatted on two threads: parsing and printing
/// 30k lines is most of codegen's time.
pub(crate) fn files(
    document: &Value,
    replacements: &BTreeMap<String, String>,
    resources: &BTreeMap<String, String>,
    paths: &BTreeMap<String, String>,
    header: &str,
) -> Result<Generated> {
    let openapi = progenitor_view(document)?;
    let openapi = &openapi;
    let (client, mock) = quietly(|| {
        std::thread::scope(|scope| {
            let mock =
                scope.spawn(|| {
                    without_panics(|| -> Result<Files> {
                    let settings = settings(replacements);
                    let tokens = Generator::new(&settings).httpmock(openapi, MOCK_CRATE_PATH).map_err(|e| {
                        anyhow!("progenitor cannot generate httpmock helpers for the normalized slice: {e}")
                    })?;
                    print_files(split_mock(tokens, resources, paths)?, header)
                })
                .context("progenitor cannot generate httpmock helpers for the normalized slice")
                });
            let client = without_panics(|| -> Result<Files> {
                let settings = settings(replacements);
                let tokens = Generator::new(&settings)
                    .generate_tokens(openapi)
                    .map_err(|e| anyhow!("progenitor cannot generate the normalized slice: {e}"))?;
                print_files(split_client(tokens, resources)?, header)
            })
            .context("progenitor cannot generate the normalized slice");
            let mock = mock.join().unwrap_or_else(|_| Err(anyhow!("the mock's generation thread panicked")));
            (client, mock)
        })
    });
    Ok(Generated { client: client?, mock: mock? })
}

/// The slice as progenitor needs it: operations as they are, every schema
/// empty (each is replaced, so its contents are never read).
fn progenitor_view(document: &Value) -> Result<openapiv3::OpenAPI> {
    let mut view = serde_json::Map::new();
    for (key, value) in document.as_object().into_iter().flatten() {
        if key != "components" {
            view.insert(key.clone(), value.clone());
        }
    }
    let mut components = document.get("components").cloned().unwrap_or_else(|| json!({}));
    if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
        schemas.values_mut().for_each(|schema| *schema = json!({}));
    }
    view.insert("components".into(), components);
    serde_json::from_value(Value::Object(view))
        .context("the normalized slice is not a valid OpenAPI 3.0 document")
}

fn settings(replacements: &BTreeMap<String, String>) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    // progenitor's positional interface (`client.op(&body)`), one method
    // per operation on the client itself: about half the code of the
    // builder interface, and the hand-written facade in front of it owns
    // the public API anyway.
    settings.with_interface(InterfaceStyle::Positional).with_tag(TagStyle::Merged);
    // Per-client settings the hand-written hooks read on every request
    // (the response size limit); crates/seam-api/src/hooks.rs defines it.
    settings.with_inner_type(quote! { crate::hooks::ClientSettings });
    for (schema, rust_type) in replacements {
        // typify looks replacements up by the PascalCase type name.
        settings.with_replacement(pascal_case(schema), rust_type, std::iter::empty());
    }
    settings
}

/// Split code as files: `mod.rs` and `<resource>.rs` (or, for the mock,
/// `operations/<resource>.rs`).
struct SplitFiles {
    shared: syn::File,
    resources: Vec<(String, syn::File)>,
}

fn print_files(split: SplitFiles, header: &str) -> Result<Files> {
    let mut files = vec![("mod.rs".to_owned(), format!("{header}{}", prettyplease::unparse(&split.shared)))];
    for (name, file) in split.resources {
        files.push((name, format!("{header}{}", prettyplease::unparse(&file))));
    }
    Ok(files)
}

fn file(items: Vec<syn::Item>) -> syn::File {
    syn::File { shebang: None, attrs: Vec::new(), items }
}

fn module_declarations(
    resources: impl Iterator<Item = impl AsRef<str>>,
    public: bool,
) -> Result<Vec<syn::Item>> {
    let mut out = Vec::new();
    for resource in resources {
        let resource = resource.as_ref();
        let module: syn::Ident = syn::parse_str(resource)
            .with_context(|| format!("resource `{resource}` cannot name a Rust module"))?;
        out.push(syn::parse_quote! { #[cfg(feature = #resource)] mod #module; });
        if public {
            out.push(syn::parse_quote! { #[cfg(feature = #resource)] pub use #module::*; });
        }
    }
    Ok(out)
}

fn parse_file(tokens: TokenStream, what: &str) -> Result<syn::File> {
    syn::parse2(tokens).with_context(|| format!("progenitor's {what} does not parse"))
}

/// The client's operations (one `impl Client` block, one method each) go
/// to their resource's file; the rest stays shared.
fn split_client(tokens: TokenStream, resources: &BTreeMap<String, String>) -> Result<SplitFiles> {
    let parsed = parse_file(tokens, "client")?;
    let mut shared = Vec::new();
    let mut methods: BTreeMap<String, Vec<syn::ImplItem>> = BTreeMap::new();
    let mut operations_impl = None;
    let exchanges = exchanges();
    let is_operation = |item: &syn::ImplItem| matches!(item, syn::ImplItem::Fn(f) if resources.contains_key(&f.sig.ident.to_string()));
    for item in parsed.items {
        match item {
            syn::Item::Impl(mut block) if block.trait_.is_none() && block.items.iter().any(is_operation) => {
                for method in std::mem::take(&mut block.items) {
                    let syn::ImplItem::Fn(function) = &method else {
                        bail!("progenitor's operations block holds something other than methods");
                    };
                    let name = function.sig.ident.to_string();
                    let resource = resources.get(&name).with_context(|| {
                        format!("progenitor generated `{name}`, which is no operation of the slice")
                    })?;
                    let method = lean_operation(&method, &exchanges)
                        .with_context(|| format!("cannot make progenitor's `{name}` lean"))?;
                    methods.entry(resource.clone()).or_default().push(method);
                }
                operations_impl = Some(block);
            }
            syn::Item::Mod(module) if module.ident == "types" => {
                check_everything_replaced(&module)?;
                shared.push(syn::Item::Mod(module));
            }
            other => shared.push(other),
        }
    }
    let block = operations_impl.context("progenitor generated no operations")?;
    erase_http_client(&mut shared)?;
    shared.extend(module_declarations(methods.keys(), false)?);
    let mut files = Vec::new();
    for (resource, methods) in methods {
        let mut operations = block.clone();
        operations.items = methods;
        let glob: syn::Item = syn::parse_quote! {
            #[allow(unused_imports)]
            use super::*;
        };
        files.push((format!("{resource}.rs"), file(vec![glob, syn::Item::Impl(operations)])));
    }
    Ok(SplitFiles { shared: file(shared), resources: files })
}

/// The client's `reqwest::Client` held as `crate::hooks::HttpClient`, a
/// trait object (the type's comment says why: debug info the application
/// would otherwise describe again in each codegen unit that holds a call).
/// progenitor writes the field and `new_with_client`, which takes the
/// client: both are rewritten, and either not found as expected is an error
/// naming this stage. progenitor's `new` goes: it panics when reqwest
/// cannot build a client, and nothing calls it (`SeamBuilder` builds the
/// client and reports that error).
fn erase_http_client(items: &mut [syn::Item]) -> Result<()> {
    let printed = |ty: &syn::Type| quote!(#ty).to_string();
    let (mut field, mut constructor) = (false, false);
    for item in items {
        match item {
            syn::Item::Struct(client) if client.ident == "Client" => {
                let syn::Fields::Named(fields) = &mut client.fields else {
                    bail!("progenitor's `Client` has no named fields");
                };
                for named in &mut fields.named {
                    if named.ident.as_ref().is_some_and(|ident| ident == "client") {
                        ensure!(
                            printed(&named.ty) == "reqwest :: Client",
                            "progenitor's `Client.client` is a `{}`",
                            printed(&named.ty)
                        );
                        named.ty = syn::parse_quote!(crate::hooks::HttpClient);
                        field = true;
                    }
                }
            }
            syn::Item::Impl(block) if block.trait_.is_none() && printed(&block.self_ty) == "Client" => {
                block.items.retain(
                    |member| !matches!(member, syn::ImplItem::Fn(function) if function.sig.ident == "new"),
                );
                for member in &mut block.items {
                    let syn::ImplItem::Fn(function) = member else { continue };
                    if function.sig.ident != "new_with_client" {
                        continue;
                    }
                    for input in &mut function.sig.inputs {
                        let syn::FnArg::Typed(argument) = input else { continue };
                        let pattern = &argument.pat;
                        if quote!(#pattern).to_string() == "client"
                            && printed(&argument.ty) == "reqwest :: Client"
                        {
                            *argument.ty = syn::parse_quote!(crate::hooks::HttpClient);
                            constructor = true;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    ensure!(
        field && constructor,
        "progenitor's `Client` no longer holds `client: reqwest::Client` given to `new_with_client`; update \
         erase_http_client in xtask/src/stages/generate.rs for this progenitor version"
    );
    Ok(())
}

/// progenitor's per-request work that this client does not need, as its
/// tokens print (`quote`'s spacing), and what replaces it. Each operation
/// sends an `api-version` header Seam does not define (a header map built
/// and merged per call): most of what a call cost beyond raw reqwest.
const LEAN_REWRITES: [(&str, &str); 2] = [
    (
        "let mut header_map = :: reqwest :: header :: HeaderMap :: with_capacity (1usize) ; header_map . append \
         (:: reqwest :: header :: HeaderName :: from_static (\"api-version\") , :: reqwest :: header :: \
         HeaderValue :: from_static (Self :: api_version ()) ,) ;",
        "",
    ),
    (". headers (header_map)", ""),
];

/// progenitor builds each request's URL with `format!("{}/path",
/// self.baseurl,)`: formatting costs a call more than a thousand
/// instructions, a tenth of what the client adds to a call, where one
/// concatenation costs a hundred. Seam's paths take no parameters, so the
/// path is one literal; anything else is an error naming this stage.
fn concat_url(code: &str) -> Result<String> {
    const START: &str = "format ! (\"{}";
    const END: &str = "\" , self . baseurl ,)";
    let Some((before, rest)) = code.split_once(START) else {
        bail!(
            "progenitor no longer builds the URL with `format!(\"{{}}/path\", self.baseurl,)`; update concat_url in xtask/src/stages/generate.rs"
        );
    };
    let Some((path, after)) = rest.split_once(END) else {
        bail!(
            "progenitor's URL is no longer `format!(\"{{}}/path\", self.baseurl,)`; update concat_url in xtask/src/stages/generate.rs"
        );
    };
    ensure!(
        path.starts_with('/') && !path.contains(['{', '}', '"', '\\']),
        "progenitor's URL path `{path}` is not one literal path; update concat_url in xtask/src/stages/generate.rs"
    );
    Ok(format!("{before}[self . baseurl . as_str () , \"{path}\"] . concat (){after}"))
}

/// What each operation does once its request is built, as progenitor
/// writes it: the `pre`, `exec` and `post` hooks (this client overrides
/// only `exec`), then a match on the status that ends in `success` for 200
/// and decodes Seam's error for 4xx and 5xx.
fn progenitor_exchange(success: &syn::Expr) -> Vec<syn::Stmt> {
    syn::parse_quote! {
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => {
                #success
            }
            400u16..=499u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            500u16..=599u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}

/// One operation with [`LEAN_REWRITES`] applied and its exchange
/// ([`progenitor_exchange`]) replaced by one call of `hooks::exchange`,
/// which does the same for every operation: written once, the 201
/// operations are a third of the code rustc checks and compiles, and none
/// of them holds reqwest's futures. Any trace of what these remove left
/// behind means progenitor's output changed shape: an error naming this
/// stage, rather than a silently slower client.
fn lean_operation(method: &syn::ImplItem, exchanges: &[Exchange]) -> Result<syn::ImplItem> {
    let mut code = quote!(#method).to_string();
    for (from, to) in LEAN_REWRITES {
        code = code.replace(from, to);
    }
    for trace in ["header_map", "api-version"] {
        ensure!(
            !code.contains(trace),
            "`{trace}` is still there after the rewrites; update LEAN_REWRITES in xtask/src/stages/generate.rs for this \
             progenitor version"
        );
    }
    code = concat_url(&code)?;
    ensure!(
        !code.contains("format !"),
        "the operation formats a string besides its URL; update concat_url in xtask/src/stages/generate.rs"
    );
    let mut method: syn::ImplItemFn =
        syn::parse_str(&code).context("the rewritten operation does not parse")?;
    let statements = &mut method.block.stmts;
    let ends_with = |tail: &[String]| {
        let start = statements.len().checked_sub(tail.len())?;
        let same = statements[start..].iter().zip(tail).all(|(a, b)| quote!(#a).to_string() == *b);
        same.then_some(start)
    };
    let Some((start, call)) =
        exchanges.iter().find_map(|exchange| Some((ends_with(&exchange.tail)?, &exchange.call)))
    else {
        bail!(
            "the operation no longer ends as `progenitor_exchange` says (its hooks and status match); update it in \
             xtask/src/stages/generate.rs for this progenitor version"
        );
    };
    statements.truncate(start);
    statements.push(syn::Stmt::Expr(call.clone(), None));
    Ok(syn::ImplItem::Fn(method))
}

/// One ending of an operation that [`lean_operation`] replaces: the
/// statements as their tokens print, and the hook call that does the same.
struct Exchange {
    tail: Vec<String>,
    call: syn::Expr,
}

/// What a 200 does as progenitor writes it, and the hook that does the
/// same: decode the body, or (an operation that returns nothing) not.
/// Built once for all operations.
fn exchanges() -> Vec<Exchange> {
    let shapes: [(syn::Expr, syn::Expr); 2] = [
        (
            syn::parse_quote!(ResponseValue::from_response(response).await),
            syn::parse_quote!(crate::hooks::exchange(self, request, &info).await),
        ),
        (
            syn::parse_quote!(Ok(ResponseValue::empty(response))),
            syn::parse_quote!(crate::hooks::exchange_empty(self, request, &info).await),
        ),
    ];
    shapes
        .into_iter()
        .map(|(success, call)| Exchange {
            tail: progenitor_exchange(&success)
                .iter()
                .map(|statement| quote!(#statement).to_string())
                .collect(),
            call,
        })
        .collect()
}

/// Every schema is replaced, so progenitor's own `types` module must hold
/// no type: one would mean a replacement was missed and a schema turned
/// into a placeholder.
fn check_everything_replaced(module: &syn::ItemMod) -> Result<()> {
    let Some((_, items)) = &module.content else { return Ok(()) };
    for item in items {
        let name = match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        };
        if let Some(name) = name {
            bail!(
                "progenitor generated its own type `{name}`: a schema has no replacement; \
                 extend the replacements in xtask/src/stages/models/"
            );
        }
    }
    Ok(())
}

/// The mock's `operations` module is split by resource; the extension
/// trait's methods and their implementations are gated by feature. Each
/// implementation renews the fallback for unmatched requests
/// (`crates/seam-api-mock/src/fallback.rs`), whose operation table this
/// adds, and each `When` gains a partial body match.
fn split_mock(
    tokens: TokenStream,
    resources: &BTreeMap<String, String>,
    paths: &BTreeMap<String, String>,
) -> Result<SplitFiles> {
    let by_type: BTreeMap<String, &String> =
        resources.iter().map(|(operation, resource)| (pascal_case(operation), resource)).collect();
    let resource_of_type = |name: &str| -> Result<String> {
        let stem = name.strip_suffix("When").or_else(|| name.strip_suffix("Then")).unwrap_or(name);
        by_type
            .get(stem)
            .map(|r| (*r).clone())
            .with_context(|| format!("progenitor's mock has `{name}`, which belongs to no operation"))
    };
    let parsed = parse_file(tokens, "mock")?;
    let mut shared = Vec::new();
    let mut resource_items: BTreeMap<String, Vec<syn::Item>> = BTreeMap::new();
    for item in parsed.items {
        match item {
            syn::Item::Mod(mut module) if module.ident == "operations" => {
                let Some((brace, items)) = module.content.take() else {
                    bail!("the mock's operations module is empty")
                };
                // Every type is named by its absolute path, so progenitor's
                // `use` of the client's types is left behind.
                for mut item in items.into_iter().filter(|i| !matches!(i, syn::Item::Use(_))) {
                    if let syn::Item::Impl(block) = &mut item {
                        add_partial_body_match(block)?;
                    }
                    let name = match &item {
                        syn::Item::Struct(s) => s.ident.to_string(),
                        syn::Item::Impl(block) => match &*block.self_ty {
                            syn::Type::Path(path) => {
                                path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
                            }
                            _ => String::new(),
                        },
                        _ => bail!("the mock's operations module holds an item that is no struct or impl"),
                    };
                    resource_items.entry(resource_of_type(&name)?).or_default().push(item);
                }
                module.content = Some((brace, module_declarations(resource_items.keys(), true)?));
                shared.push(syn::Item::Mod(module));
            }
            syn::Item::Trait(mut definition) => {
                for member in &mut definition.items {
                    if let syn::TraitItem::Fn(function) = member {
                        gate_operation(&mut function.attrs, &function.sig.ident, resources)?;
                    }
                }
                seal(&mut definition, &mut shared);
                shared.push(syn::Item::Trait(definition));
            }
            syn::Item::Impl(mut block) => {
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(function) = member {
                        gate_operation(&mut function.attrs, &function.sig.ident, resources)?;
                        let body = &function.block;
                        function.block = syn::parse_quote!({
                            let mock = #body;
                            crate::fallback::renew(self);
                            mock
                        });
                    }
                }
                shared.push(syn::Item::Impl(block));
            }
            other => shared.push(other),
        }
    }
    shared.push(operation_table(resources, paths)?);
    let files = resource_items
        .into_iter()
        .map(|(resource, items)| (format!("operations/{resource}.rs"), file(items)))
        .collect();
    Ok(SplitFiles { shared: file(shared), resources: files })
}

/// `OPERATIONS`: each operation's path and name, sorted by path, for the
/// fallback to name the operation of a request no mock matched.
fn operation_table(
    resources: &BTreeMap<String, String>,
    paths: &BTreeMap<String, String>,
) -> Result<syn::Item> {
    let mut rows = Vec::new();
    for operation in resources.keys() {
        let path =
            paths.get(operation).with_context(|| format!("the operation `{operation}` has no path"))?;
        rows.push((path.as_str(), operation.as_str()));
    }
    rows.sort();
    ensure!(rows.windows(2).all(|pair| pair[0].0 != pair[1].0), "two operations share a path");
    let rows = rows.iter().map(|(path, operation)| quote!((#path, #operation)));
    Ok(syn::parse_quote! {
        /// Each operation's path and name, sorted by path.
        pub(crate) const OPERATIONS: &[(&str, &str)] = &[#(#rows),*];
    })
}

/// Beside a `When`'s `body` (the exact body), `body_includes`: the fields
/// the given body holds (its required ones, and the optional ones set),
/// whatever else the request has.
fn add_partial_body_match(block: &mut syn::ItemImpl) -> Result<()> {
    let body_type = block.items.iter().find_map(|member| match member {
        syn::ImplItem::Fn(function) if function.sig.ident == "body" => {
            match function.sig.inputs.iter().nth(1) {
                Some(syn::FnArg::Typed(argument)) => Some(argument.ty.clone()),
                _ => None,
            }
        }
        _ => None,
    });
    let Some(body_type) = body_type else { return Ok(()) };
    block.items.push(syn::parse_quote! {
        /// Matches a request whose body holds this body's fields: its
        /// required ones and the optional ones set (not `None`), whatever
        /// else the request sends. [`body`](Self::body) matches the whole
        /// body.
        pub fn body_includes(self, value: #body_type) -> Self {
            let value = ::serde_json::to_string(value)
                .unwrap_or_else(|error| panic!("the body cannot be written as JSON: {error}"));
            Self(self.0.json_body_includes(value))
        }
    });
    Ok(())
}

/// Seals the mock's extension trait: only `httpmock::MockServer` can
/// implement it (its supertrait is public in a private module), so a new
/// operation's method is an additive change, as `cargo xtask semver` and
/// cargo-semver-checks judge a sealed trait.
fn seal(definition: &mut syn::ItemTrait, shared: &mut Vec<syn::Item>) {
    definition.supertraits.push(syn::parse_quote!(sealed::Sealed));
    shared.push(syn::parse_quote! {
        mod sealed {
            /// Implemented by `httpmock::MockServer` alone.
            pub trait Sealed {}
            impl Sealed for ::httpmock::MockServer {}
        }
    });
}

fn gate_operation(
    attributes: &mut Vec<syn::Attribute>,
    name: &syn::Ident,
    resources: &BTreeMap<String, String>,
) -> Result<()> {
    let resource = resources
        .get(&name.to_string())
        .with_context(|| format!("progenitor's mock has a method `{name}` that is no operation"))?;
    attributes.push(syn::parse_quote! { #[cfg(feature = #resource)] });
    Ok(())
}

/// progenitor asserts on some inputs (several success types, unsupported
/// body kinds) instead of returning an error. normalize rejects the known
/// ones first; this turns any other into an error instead of a crash.
/// Run inside [`quietly`], so the panic prints nothing.
fn without_panics<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        Err(anyhow!("progenitor panicked: {message}"))
    })
}

/// Runs `f` with panic messages silenced (the panics [`without_panics`]
/// catches become errors of their own).
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = f();
    std::panic::set_hook(previous);
    result
}

/// `client_sessions` → `ClientSessions`, as typify names types.
pub(crate) fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_matches_typify_names() {
        assert_eq!(pascal_case("client_session"), "ClientSession");
        assert_eq!(pascal_case("api_error_response"), "ApiErrorResponse");
    }

    #[test]
    fn the_http_client_is_held_erased_and_a_changed_shape_is_an_error() {
        let client: syn::Item = syn::parse_quote! {
            pub struct Client {
                pub(crate) baseurl: String,
                pub(crate) client: reqwest::Client,
                pub(crate) inner: Settings,
            }
        };
        let constructors: syn::Item = syn::parse_quote! {
            impl Client {
                pub fn new(baseurl: &str, inner: Settings) -> Self {
                    Self::new_with_client(baseurl, reqwest::ClientBuilder::new().build().unwrap(), inner)
                }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client, inner: Settings) -> Self {
                    Self { baseurl: baseurl.to_string(), client, inner }
                }
            }
        };
        let mut items = vec![client.clone(), constructors];
        erase_http_client(&mut items).unwrap();
        let code = items.iter().map(|item| quote!(#item).to_string()).collect::<String>();
        assert!(code.contains("pub (crate) client : crate :: hooks :: HttpClient ,"), "{code}");
        assert!(code.contains("client : crate :: hooks :: HttpClient , inner : Settings"), "{code}");
        assert!(!code.contains("reqwest") && !code.contains("unwrap"), "{code}");

        let error = erase_http_client(&mut [client]).unwrap_err();
        assert!(error.to_string().contains("erase_http_client"), "{error}");
    }

    #[test]
    fn lean_rewrites_apply_and_a_changed_shape_is_an_error() {
        let exchange = progenitor_exchange(&syn::parse_quote!(ResponseValue::from_response(response).await));
        let lean: syn::ImplItem = syn::parse_quote! {
            async fn op(&self) -> Result<ResponseValue<T>, Error<E>> {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                );
                let url = format!("{}/locks/get", self.baseurl,);
                let request = self.client.post(url).json(&body).headers(header_map).build()?;
                let info = OperationInfo { operation_id: "op" };
                #(#exchange)*
            }
        };
        let code = quote!(#lean).to_string();
        let rewritten = lean_operation(&lean, &exchanges()).unwrap();
        let rewritten = quote!(#rewritten).to_string();
        assert!(code.contains("api-version") && !rewritten.contains("api-version"), "{rewritten}");
        assert!(
            rewritten.ends_with("let info = OperationInfo { operation_id : \"op\" } ; crate :: hooks :: exchange (self , request , & info) . await }"),
            "{rewritten}"
        );
        assert!(!rewritten.contains("self . pre") && !rewritten.contains("from_response"), "{rewritten}");
        assert!(
            rewritten.contains("let url = [self . baseurl . as_str () , \"/locks/get\"] . concat () ;"),
            "{rewritten}"
        );

        // A URL with a parameter, or built another way.
        for url in [quote!(format!("{}/locks/{}", self.baseurl, id)), quote!(self.baseurl.clone())] {
            let other_url: syn::ImplItem = syn::parse_quote! { async fn op(&self) { let url = #url; } };
            let error =
                lean_operation(&other_url, &exchanges()).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.contains("concat_url"), "{error}");
        }

        let changed: syn::ImplItem = syn::parse_quote! {
            async fn op(&self) { let mut header_map = HeaderMap::new(); }
        };
        let error = lean_operation(&changed, &exchanges()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("LEAN_REWRITES"), "{error}");

        // A status progenitor matches that this client does not expect.
        let other_status: syn::ImplItem = syn::parse_quote! {
            async fn op(&self) {
                let url = format!("{}/locks/get", self.baseurl,);
                let response = result?;
                match response.status().as_u16() { 204u16 => Ok(ResponseValue::empty(response)), _ => todo!() }
            }
        };
        let error =
            lean_operation(&other_status, &exchanges()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("progenitor_exchange"), "{error}");
    }

    #[test]
    fn a_progenitor_panic_becomes_an_error() {
        let error =
            quietly(|| without_panics(|| -> Result<()> { panic!("assertion failed: x") })).unwrap_err();
        assert_eq!(error.to_string(), "progenitor panicked: assertion failed: x");
    }
}

#[cfg(test)]
mod construct_tests {
    use serde_json::json;

    use super::*;
    use crate::stages::normalize::normalize;

    /// A construct that passes normalize but progenitor cannot generate:
    /// a path parameter the operation does not declare.
    #[test]
    fn an_ungeneratable_construct_is_an_error() {
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things/{id}/get": {"post": {
                "x-fern-sdk-group-name": ["things"], "x-fern-sdk-method-name": "get",
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }}},
            "components": {"schemas": {}}
        });
        let normalized = normalize(document, &std::collections::BTreeMap::new(), None).unwrap();
        let replacements =
            BTreeMap::from([("things_get_response".to_owned(), "::x::ThingsGetResponse".to_owned())]);
        let resources = BTreeMap::from([("things_get".to_owned(), "things".to_owned())]);
        let error = files(&normalized.document, &replacements, &resources, &normalized.operation_paths, "")
            .err()
            .expect("an error");
        let message = format!("{error:#}");
        assert!(message.contains("progenitor cannot generate") && !message.contains('\n'), "{message}");
    }
}
