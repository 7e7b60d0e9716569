//! Small serde pieces every decoder shares: object keys borrowed from the body, label sets read
//! straight into [`Labels`], and label lists.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::model::frame::Labels;

/// An object key, borrowed from the body when it has no escapes (almost always).
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A `{"name": "value", …}` object read into sorted [`Labels`] without an intermediate map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WireLabels(pub Labels);

impl<'de> Deserialize<'de> for WireLabels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LabelsVisitor;
        impl<'de> Visitor<'de> for LabelsVisitor {
            type Value = WireLabels;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of label names to string values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireLabels, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(pair) = map.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(WireLabels(Labels::new(pairs)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<WireLabels, E> {
                Ok(WireLabels::default())
            }
        }
        d.deserialize_any(LabelsVisitor)
    }
}

/// A JSON array of label sets (`series` answers of both APIs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WireLabelsList(pub Vec<Labels>);

impl<'de> Deserialize<'de> for WireLabelsList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = WireLabelsList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of label sets")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WireLabelsList, A::Error> {
                let mut all = Vec::with_capacity(seq.size_hint().unwrap_or(16));
                while let Some(WireLabels(labels)) = seq.next_element()? {
                    all.push(labels);
                }
                Ok(WireLabelsList(all))
            }
            fn visit_unit<E: de::Error>(self) -> Result<WireLabelsList, E> {
                Ok(WireLabelsList::default())
            }
        }
        d.deserialize_any(ListVisitor)
    }
}

/// `deserialize_with` helper: a label object (or `null`) as [`Labels`].
pub(crate) fn labels<'de, D: Deserializer<'de>>(d: D) -> Result<Labels, D::Error> {
    WireLabels::deserialize(d).map(|w| w.0)
}
