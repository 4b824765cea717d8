//! Rust names and doc text for what the spec names and describes.

use std::fmt::Write as _;

use serde_json::Value;

/// The doc text of a schema: its description, with markdown that rustdoc
/// would misread (indented blocks, bare fences) made plain.
pub(crate) fn doc_text(schema: &Value) -> String {
    let description = schema.get("description").and_then(Value::as_str).unwrap_or("").trim();
    clean_doc(description)
}

pub(crate) fn clean_doc(text: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(lang) = line.strip_prefix("```") {
            // A fence without a language would be compiled as a doctest.
            let opening = !in_fence;
            in_fence = !in_fence;
            if opening && lang.trim().is_empty() {
                let _ = writeln!(out, "```text");
                continue;
            }
        }
        let _ = writeln!(out, "{line}");
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

pub(crate) fn deprecation(schema: &Value) -> Option<String> {
    let deprecated = schema.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
    let note = schema.get("x-deprecated").and_then(Value::as_str);
    match (deprecated, note) {
        (_, Some(note)) if !note.trim().is_empty() => Some(note.trim().to_owned()),
        (true, _) => Some("deprecated by Seam".to_owned()),
        _ => None,
    }
}

const KEYWORDS: [&str; 51] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual",
    "yield", "try", "gen",
];

/// A JSON property name as a snake_case Rust field name (`r#type` for a
/// keyword).
pub(crate) fn field_ident(json_name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in json_name.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            out.push('_');
            previous_lower = false;
        }
    }
    let out = out.trim_start_matches('_').to_owned();
    let out = if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n_{out}")
    } else {
        out
    };
    if matches!(out.as_str(), "self" | "super" | "crate") {
        format!("{out}_")
    } else if KEYWORDS.contains(&out.as_str()) {
        format!("r#{out}")
    } else {
        out
    }
}

/// An enum value as a PascalCase variant name: `device.connected` →
/// `DeviceConnected`, `UNLOCK_DOOR` → `UnlockDoor`, `1` → `V1`. The value
/// `unknown` is `UnknownValue`, since `Unknown` holds the values this
/// version does not know.
pub(crate) fn variant_name(value: &str) -> String {
    let mut name = String::new();
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = if word.chars().all(|c| !c.is_ascii_lowercase()) {
            word.to_ascii_lowercase()
        } else {
            word.to_owned()
        };
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = spelled_number(&name);
    }
    if name == "Unknown" {
        name = "UnknownValue".into();
    }
    name
}

/// A name that starts with a number, with the number in words where it is
/// small (`1hour` → `OneHour`, `1d` → `OneD`) and after an `N` where not
/// (`24h` → `N24H`): an identifier cannot start with a digit.
fn spelled_number(name: &str) -> String {
    const WORDS: [&str; 21] = [
        "Zero",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "Eleven",
        "Twelve",
        "Thirteen",
        "Fourteen",
        "Fifteen",
        "Sixteen",
        "Seventeen",
        "Eighteen",
        "Nineteen",
        "Twenty",
    ];
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = name.split_at(digits);
    let mut rest_chars = rest.chars();
    let rest = match rest_chars.next() {
        Some(first) => format!("{}{}", first.to_ascii_uppercase(), rest_chars.as_str()),
        None => String::new(),
    };
    match number.parse::<usize>().ok().and_then(|n| WORDS.get(n)) {
        Some(word) => format!("{word}{rest}"),
        None => format!("N{number}{rest}"),
    }
}

/// The method that returns a union's tag: `event_type()`, `type_()`.
pub(super) fn tag_accessor(tag: &str) -> String {
    let ident = field_ident(tag);
    match ident.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => ident,
    }
}

/// `Device` + `DeviceType` → `DeviceType`: a word repeated at the join
/// is said once.
pub(super) fn join_names(parent: &str, child: &str) -> String {
    let last_word = parent.rfind(|c: char| c.is_ascii_uppercase()).map_or(parent, |at| &parent[at..]);
    match child.strip_prefix(last_word) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => format!("{parent}{rest}"),
        _ => format!("{parent}{child}"),
    }
}
