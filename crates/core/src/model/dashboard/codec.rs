//! Reading typed structs out of parsed JSON, and writing them back without losing anything.
//!
//! Every struct of the schema keeps the members it does not understand in `extra`, and a
//! [`SourceForm`]: the original key order and the original spelling of values it reads in a
//! canonical form (`80.0` for `80`, `null` for an absent value). Writing puts known fields back
//! where they were, so an unchanged file comes out as it went in.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::diagnostics::{Diagnostic, DiagnosticKind, JsonPath, Severity};
use super::json::{Member, Node, NodeValue};

/// How an object was written in its source file: key order, original spellings, position.
///
/// This is formatting, not meaning: two `SourceForm`s always compare equal, so
/// `load(save(d)) == d` holds whatever order the keys were in.
#[derive(Debug, Clone, Default)]
pub struct SourceForm {
    order: Vec<String>,
    originals: Map<String, Value>,
    offset: Option<usize>,
}

impl PartialEq for SourceForm {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl SourceForm {
    /// Byte offset of the object in the source text, when it came from one.
    #[must_use]
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// Whether the source object had this key.
    #[must_use]
    pub fn had(&self, key: &str) -> bool {
        self.order.iter().any(|k| k == key)
    }
}

/// A scalar-like value read from one JSON member.
pub(crate) trait Field: Sized + PartialEq + Default {
    /// What the value should be, for messages: `a number`, `a string`.
    const EXPECTED: &'static str;
    fn decode(value: &Value) -> Option<Self>;
    /// `None` leaves the member out.
    fn encode(&self) -> Option<Value>;
}

impl Field for String {
    const EXPECTED: &'static str = "a string";
    fn decode(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
    fn encode(&self) -> Option<Value> {
        Some(Value::String(self.clone()))
    }
}

impl Field for bool {
    const EXPECTED: &'static str = "true or false";
    fn decode(value: &Value) -> Option<Self> {
        value.as_bool()
    }
    fn encode(&self) -> Option<Value> {
        Some(Value::Bool(*self))
    }
}

impl Field for u32 {
    const EXPECTED: &'static str = "a whole number";
    fn decode(value: &Value) -> Option<Self> {
        whole_number(value).and_then(|n| u32::try_from(n).ok())
    }
    fn encode(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Field for i64 {
    const EXPECTED: &'static str = "a whole number";
    fn decode(value: &Value) -> Option<Self> {
        whole_number(value)
    }
    fn encode(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Field for f64 {
    const EXPECTED: &'static str = "a number";
    fn decode(value: &Value) -> Option<Self> {
        value.as_f64()
    }
    fn encode(&self) -> Option<Value> {
        Some(number_value(*self))
    }
}

impl Field for Value {
    const EXPECTED: &'static str = "any value";
    fn decode(value: &Value) -> Option<Self> {
        Some(value.clone())
    }
    fn encode(&self) -> Option<Value> {
        Some(self.clone())
    }
}

impl Field for Vec<String> {
    const EXPECTED: &'static str = "a list of strings";
    fn decode(value: &Value) -> Option<Self> {
        value
            .as_array()?
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect()
    }
    fn encode(&self) -> Option<Value> {
        Some(Value::Array(
            self.iter().cloned().map(Value::String).collect(),
        ))
    }
}

/// `Option`s of the scalar fields: `null` reads as `None`.
macro_rules! optional_field {
    ($($ty:ty),*) => {$(
        impl Field for Option<$ty> {
            const EXPECTED: &'static str = <$ty as Field>::EXPECTED;
            fn decode(value: &Value) -> Option<Self> {
                if value.is_null() {
                    Some(None)
                } else {
                    <$ty as Field>::decode(value).map(Some)
                }
            }
            fn encode(&self) -> Option<Value> {
                self.as_ref().and_then(Field::encode)
            }
        }
    )*};
}
optional_field!(
    String,
    bool,
    u32,
    u64,
    crate::model::dashboard::datasource::DatasourceRef
);

/// Numbers also come as text in older files (`"80"`); `"null"` and `""` read as no number.
impl Field for Option<f64> {
    const EXPECTED: &'static str = "a number";
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            Value::String(text) if matches!(text.trim(), "" | "null") => Some(None),
            Value::String(text) => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some),
            _ => f64::decode(value).map(Some),
        }
    }
    fn encode(&self) -> Option<Value> {
        self.map(number_value)
    }
}

/// An integer, also from an integral float (`8.0`).
fn whole_number(value: &Value) -> Option<i64> {
    let number = value.as_number()?;
    if let Some(n) = number.as_i64() {
        return Some(n);
    }
    let f = number.as_f64()?;
    #[allow(clippy::cast_possible_truncation)]
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

/// A JSON number in its shortest form: integral values without `.0`.
#[must_use]
pub fn number_value(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        return Value::from(value as i64);
    }
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// Collects diagnostics while a document is read.
#[derive(Debug, Default)]
pub(crate) struct Cx {
    pub diagnostics: Vec<Diagnostic>,
}

impl Cx {
    pub fn error(&mut self, path: JsonPath, message: impl Into<String>, offset: Option<usize>) {
        self.diagnostics.push(Diagnostic::new(
            Severity::Error,
            DiagnosticKind::Schema,
            path,
            message,
            offset,
        ));
    }

    pub fn warn(
        &mut self,
        kind: DiagnosticKind,
        path: JsonPath,
        message: impl Into<String>,
        offset: Option<usize>,
    ) {
        self.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            kind,
            path,
            message,
            offset,
        ));
    }
}

/// A struct of the schema: read from an object node, written back to an object value.
pub(crate) trait Object: Sized {
    fn read(r: ObjectReader<'_>) -> Self;
    fn write(&self) -> Value;
}

/// Takes the members of one object, field by field; what is left becomes `extra`.
pub(crate) struct ObjectReader<'c> {
    pub cx: &'c mut Cx,
    pub path: JsonPath,
    members: Vec<Option<Member>>,
    form: SourceForm,
}

impl<'c> ObjectReader<'c> {
    /// A reader over `node`, or the node back (after reporting it) when it is not an object.
    pub fn new(node: Node, path: JsonPath, cx: &'c mut Cx) -> Result<Self, Node> {
        let offset = node.offset;
        match node.value {
            NodeValue::Object(members) => Ok(ObjectReader {
                cx,
                path,
                form: SourceForm {
                    order: members.iter().map(|m| m.key.clone()).collect(),
                    originals: Map::new(),
                    offset: Some(offset),
                },
                members: members.into_iter().map(Some).collect(),
            }),
            value => {
                let node = Node { offset, value };
                cx.error(
                    path,
                    format!("expected an object, found {}", node.describe()),
                    Some(offset),
                );
                Err(node)
            }
        }
    }

    /// Removes and returns the member `key`.
    pub fn take(&mut self, key: &str) -> Option<Node> {
        self.members
            .iter_mut()
            .find(|m| m.as_ref().is_some_and(|m| m.key == key))
            .and_then(Option::take)
            .map(|m| m.node)
    }

    /// Keeps `node` verbatim as the original of `key`.
    pub fn keep_original(&mut self, key: &str, node: Node) {
        self.form
            .originals
            .insert(key.to_owned(), node.into_value());
    }

    /// Reads a scalar field; a wrong type is reported and the original kept for writing back.
    pub fn field<T: Field>(&mut self, key: &str) -> T {
        let Some(node) = self.take(key) else {
            return T::default();
        };
        let offset = node.offset;
        let description = node.describe();
        let value = node.into_value();
        if value.is_null() {
            // `null` means "not set" in Grafana's files: the default, with the null kept.
            let decoded = T::decode(&value).unwrap_or_default();
            self.form.originals.insert(key.to_owned(), value);
            return decoded;
        }
        match T::decode(&value) {
            Some(decoded) => {
                if decoded.encode().as_ref() != Some(&value) {
                    self.form.originals.insert(key.to_owned(), value);
                }
                decoded
            }
            None => {
                let message = format!("expected {}, found {description}", T::EXPECTED);
                self.cx.error(self.path.key(key), message, Some(offset));
                self.form.originals.insert(key.to_owned(), value);
                T::default()
            }
        }
    }

    /// Reads a nested object; `None` when absent, `null`, or (reported) not an object.
    pub fn child<T: Object>(&mut self, key: &str) -> Option<T> {
        let node = self.take(key)?;
        if node.value == NodeValue::Null {
            self.keep_original(key, node);
            return None;
        }
        match ObjectReader::new(node, self.path.key(key), self.cx) {
            Ok(reader) => Some(T::read(reader)),
            Err(node) => {
                self.keep_original(key, node);
                None
            }
        }
    }

    /// Reads an array of objects; items that are not objects are reported and kept verbatim.
    pub fn list<T: Object>(&mut self, key: &str) -> Vec<T> {
        self.list_with(key, |reader| Item::Model(T::read(reader)))
            .into_iter()
            .filter_map(|item| match item {
                Item::Model(model) => Some(model),
                Item::Verbatim(_) => None,
            })
            .collect()
    }

    /// Reads an array item by item; `read` sees each object item. Non-objects come back verbatim.
    pub fn list_with<T>(
        &mut self,
        key: &str,
        mut read: impl FnMut(ObjectReader<'_>) -> Item<T>,
    ) -> Vec<Item<T>> {
        let Some(node) = self.take(key) else {
            return Vec::new();
        };
        let path = self.path.key(key);
        match node.value {
            NodeValue::Array(items) => items
                .into_iter()
                .enumerate()
                .map(
                    |(i, item)| match ObjectReader::new(item, path.index(i), self.cx) {
                        Ok(reader) => read(reader),
                        Err(node) => Item::Verbatim(node.into_value()),
                    },
                )
                .collect(),
            NodeValue::Null => {
                self.keep_original(
                    key,
                    Node {
                        offset: node.offset,
                        value: NodeValue::Null,
                    },
                );
                Vec::new()
            }
            value => {
                let node = Node {
                    offset: node.offset,
                    value,
                };
                self.cx.error(
                    path,
                    format!("expected a list, found {}", node.describe()),
                    Some(node.offset),
                );
                self.keep_original(key, node);
                Vec::new()
            }
        }
    }

    /// The untaken members (in source order) and the source form.
    pub fn finish(self) -> (Map<String, Value>, SourceForm) {
        let mut extra = Map::new();
        for member in self.members.into_iter().flatten() {
            extra.insert(member.key, member.node.into_value());
        }
        (extra, self.form)
    }
}

/// An array item: a typed model, or a value that was not an object, kept verbatim.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<T> {
    Model(T),
    Verbatim(Value),
}

/// Builds an object from typed fields, honouring the [`SourceForm`] it was read with.
pub(crate) struct ObjectWriter<'f> {
    form: &'f SourceForm,
    members: Vec<(String, Value)>,
}

impl<'f> ObjectWriter<'f> {
    pub fn new(form: &'f SourceForm) -> Self {
        ObjectWriter {
            form,
            members: Vec::new(),
        }
    }

    /// Writes a scalar field: its original spelling when the meaning is unchanged, nothing when it
    /// is the default and the source did not have it.
    pub fn field<T: Field>(&mut self, key: &str, value: &T) {
        if let Some(original) = self.form.originals.get(key) {
            let same = match T::decode(original) {
                Some(decoded) => decoded == *value,
                None => *value == T::default(),
            };
            if same {
                self.members.push((key.to_owned(), original.clone()));
                return;
            }
        } else if *value == T::default() && !self.form.had(key) {
            return;
        }
        if let Some(encoded) = value.encode() {
            self.members.push((key.to_owned(), encoded));
        }
    }

    /// Writes a nested object, or its original when it could not be read.
    pub fn child<T: Object>(&mut self, key: &str, value: Option<&T>) {
        match value {
            Some(model) => self.members.push((key.to_owned(), model.write())),
            None => {
                if let Some(original) = self.form.originals.get(key) {
                    self.members.push((key.to_owned(), original.clone()));
                }
            }
        }
    }

    /// Writes an array of objects (left out when empty and absent from the source).
    pub fn list<T: Object>(&mut self, key: &str, items: &[T]) {
        self.list_values(key, items.iter().map(Object::write).collect());
    }

    /// Writes an array of already written values.
    pub fn list_values(&mut self, key: &str, items: Vec<Value>) {
        if items.is_empty() {
            if let Some(original) = self.form.originals.get(key) {
                self.members.push((key.to_owned(), original.clone()));
                return;
            }
            if !self.form.had(key) {
                return;
            }
        }
        self.members.push((key.to_owned(), Value::Array(items)));
    }

    /// Adds the extra members (known ones win) and orders everything as in the source.
    pub fn finish(self, extra: &Map<String, Value>) -> Value {
        let mut members = self.members;
        for (key, value) in extra {
            if !members.iter().any(|(k, _)| k == key) {
                members.push((key.clone(), value.clone()));
            }
        }
        if !self.form.order.is_empty() {
            let rank: HashMap<&str, usize> = self
                .form
                .order
                .iter()
                .enumerate()
                .map(|(i, k)| (k.as_str(), i))
                .collect();
            crate::sort::sort_by_key(&mut members, |(key, _)| {
                rank.get(key.as_str()).copied().unwrap_or(usize::MAX)
            });
        }
        Value::Object(members.into_iter().collect())
    }
}

/// Declares a schema struct and its [`Object`] impl from a list of members:
/// `field` (a [`Field`]), `child` (an `Option` of an [`Object`]) or `list` (a `Vec` of them).
macro_rules! object_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $kind:ident $field:ident : $ty:ty = $key:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Members Sightline does not read, in source order, written back unchanged.
            pub extra: serde_json::Map<String, serde_json::Value>,
            /// Key order and original spellings, so that an unchanged object is written back as read.
            pub form: $crate::model::dashboard::codec::SourceForm,
        }

        impl $crate::model::dashboard::codec::Object for $name {
            fn read(mut r: $crate::model::dashboard::codec::ObjectReader<'_>) -> Self {
                $( let $field = $crate::model::dashboard::codec::object_model!(@read $kind r $key); )*
                let (extra, form) = r.finish();
                $name { $($field,)* extra, form }
            }

            fn write(&self) -> serde_json::Value {
                let mut w = $crate::model::dashboard::codec::ObjectWriter::new(&self.form);
                $( $crate::model::dashboard::codec::object_model!(@write $kind w $key self.$field); )*
                w.finish(&self.extra)
            }
        }
    };
    (@read field $r:ident $key:literal) => { $r.field($key) };
    (@read child $r:ident $key:literal) => { $r.child($key) };
    (@read list $r:ident $key:literal) => { $r.list($key) };
    (@write field $w:ident $key:literal $value:expr) => { $w.field($key, &$value) };
    (@write child $w:ident $key:literal $value:expr) => { $w.child($key, $value.as_ref()) };
    (@write list $w:ident $key:literal $value:expr) => { $w.list($key, &$value) };
}
pub(crate) use object_model;

impl Field for u64 {
    const EXPECTED: &'static str = "a whole number";
    fn decode(value: &Value) -> Option<Self> {
        whole_number(value).and_then(|n| u64::try_from(n).ok())
    }
    fn encode(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}
