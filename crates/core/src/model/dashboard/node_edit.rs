//! Small helpers to read and edit parsed object nodes in place (used by the migrations).

use serde_json::Value;

use super::json::{Member, Node, NodeValue};

/// The members of an object node.
pub(crate) fn members_mut(node: &mut Node) -> Option<&mut Vec<Member>> {
    match &mut node.value {
        NodeValue::Object(members) => Some(members),
        _ => None,
    }
}

/// The member `key`.
pub(crate) fn get<'a>(members: &'a [Member], key: &str) -> Option<&'a Node> {
    members.iter().find(|m| m.key == key).map(|m| &m.node)
}

/// The member `key`, mutable.
pub(crate) fn get_mut<'a>(members: &'a mut [Member], key: &str) -> Option<&'a mut Node> {
    members
        .iter_mut()
        .find(|m| m.key == key)
        .map(|m| &mut m.node)
}

/// Removes the member `key`, keeping the order of the others.
pub(crate) fn remove(members: &mut Vec<Member>, key: &str) -> Option<Node> {
    let at = members.iter().position(|m| m.key == key)?;
    Some(members.remove(at).node)
}

/// Sets `key` in place if present, else appends it.
pub(crate) fn set(members: &mut Vec<Member>, key: &str, node: Node) {
    match get_mut(members, key) {
        Some(existing) => *existing = node,
        None => members.push(Member {
            key: key.to_owned(),
            key_offset: node.offset,
            node,
        }),
    }
}

/// Sets `key` only when it is absent or null.
pub(crate) fn set_default(members: &mut Vec<Member>, key: &str, node: Node) {
    if get(members, key).is_none_or(|n| n.value == NodeValue::Null) {
        set(members, key, node);
    }
}

/// Edits the object member `key`, created (empty) when absent or not an object.
pub(crate) fn edit_object(
    members: &mut Vec<Member>,
    key: &str,
    offset: usize,
    edit: impl FnOnce(&mut Vec<Member>),
) {
    let at = match members.iter().position(|m| m.key == key) {
        Some(at) => at,
        None => {
            members.push(Member {
                key: key.to_owned(),
                key_offset: offset,
                node: Node {
                    offset,
                    value: NodeValue::Null,
                },
            });
            members.len() - 1
        }
    };
    let node = &mut members[at].node;
    let mut inner = match std::mem::replace(&mut node.value, NodeValue::Null) {
        NodeValue::Object(inner) => inner,
        _ => Vec::new(),
    };
    edit(&mut inner);
    node.value = NodeValue::Object(inner);
}

/// A string member.
pub(crate) fn str_of<'a>(members: &'a [Member], key: &str) -> Option<&'a str> {
    get(members, key).and_then(Node::as_str)
}

/// A boolean member (`1`/`0` accepted, as old files use them).
pub(crate) fn bool_of(members: &[Member], key: &str) -> Option<bool> {
    match get(members, key).map(|n| &n.value) {
        Some(NodeValue::Bool(b)) => Some(*b),
        Some(NodeValue::Number(n)) => n.as_f64().map(|f| f != 0.0),
        _ => None,
    }
}

/// A number member, also from numeric text (`"100"`).
pub(crate) fn number_of(members: &[Member], key: &str) -> Option<f64> {
    match get(members, key).map(|n| &n.value) {
        Some(NodeValue::Number(n)) => n.as_f64(),
        Some(NodeValue::String(s)) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// A node made from a value, positioned at `offset`.
pub(crate) fn node(value: Value, offset: usize) -> Node {
    Node::from_value(value, offset)
}
