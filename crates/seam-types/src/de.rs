//! Deserializers that accept the variations real servers send.

use serde::{Deserialize, Deserializer, de};

/// A count the spec types as `number`: accepts `4` and `4.0`, rejects
/// negative, fractional and non-finite values with a message naming them.
#[derive(Default)]
pub(crate) struct Count(pub(crate) u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        count(deserializer).map(Count)
    }
}

fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Int(u64),
        Float(f64),
    }
    match Number::deserialize(deserializer)? {
        Number::Int(n) => Ok(n),
        // 2^53: beyond it an f64 no longer holds every integer exactly.
        Number::Float(f) if f.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&f) => Ok(f as u64),
        Number::Float(f) => {
            Err(de::Error::custom(format_args!("expected a non-negative whole number, got {f}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Counted {
        #[serde(deserialize_with = "super::count")]
        n: u64,
    }

    fn parse(json: &str) -> Result<u64, String> {
        serde_json::from_str::<Counted>(json).map(|c| c.n).map_err(|e| e.to_string())
    }

    #[test]
    fn accepts_integers_and_integral_floats() {
        assert_eq!(parse(r#"{"n": 4}"#), Ok(4));
        assert_eq!(parse(r#"{"n": 4.0}"#), Ok(4));
        assert_eq!(parse(r#"{"n": 0}"#), Ok(0));
    }

    #[test]
    fn rejects_what_is_not_a_count() {
        for bad in [r#"{"n": -1}"#, r#"{"n": 1.5}"#, r#"{"n": 1e300}"#, r#"{"n": "4"}"#, r#"{"n": null}"#] {
            assert!(parse(bad).is_err(), "{bad} decoded");
        }
        assert!(parse(r#"{"n": 1.5}"#).unwrap_err().contains("got 1.5"));
    }
}
