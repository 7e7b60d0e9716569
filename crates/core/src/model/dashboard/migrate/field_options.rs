//! Grafana 6 field options: `options.fieldOptions` → `fieldConfig` + `options.reduceOptions`, and
//! bare threshold lists → `{mode, steps}`.

use serde_json::json;

use super::super::json::{Member, Node, NodeValue};
use super::super::node_edit::{edit_object, get_mut, node, remove, set, set_default};
use super::rows::member;

/// Grafana 6 `options.fieldOptions {calcs, values, defaults, overrides}` → `fieldConfig` and
/// `options.reduceOptions`.
pub(super) fn field_options_to_field_config(members: &mut Vec<Member>, offset: usize) {
    let mut field_options = Vec::new();
    edit_object(members, "options", offset, |options| {
        // `reduceOptions` takes the place of `fieldOptions`, so the key order stays close.
        if let Some(member) = options.iter_mut().find(|m| m.key == "fieldOptions") {
            member.key = "reduceOptions".to_owned();
            if let NodeValue::Object(fo) =
                std::mem::replace(&mut member.node.value, NodeValue::Object(Vec::new()))
            {
                field_options = fo;
            }
        }
    });
    let defaults = remove(&mut field_options, "defaults");
    let overrides = remove(&mut field_options, "overrides");
    edit_object(members, "fieldConfig", offset, |config| {
        if let Some(defaults) = defaults {
            set_default(config, "defaults", defaults);
        }
    });
    wrap_threshold_list(members, offset);
    edit_object(members, "fieldConfig", offset, |config| {
        if let Some(overrides) = overrides {
            set_default(config, "overrides", overrides);
        }
    });
    edit_object(members, "options", offset, |options| {
        let mut reduce = Vec::new();
        for key in ["calcs", "values", "limit", "fields"] {
            if let Some(node) = remove(&mut field_options, key) {
                set(&mut reduce, key, node);
            }
        }
        set(
            options,
            "reduceOptions",
            Node {
                offset,
                value: NodeValue::Object(reduce),
            },
        );
        if !field_options.is_empty() {
            set(
                options,
                "fieldOptions",
                Node {
                    offset,
                    value: NodeValue::Object(field_options),
                },
            );
        }
    });
}

/// Grafana 6.5 wrote `fieldConfig.defaults.thresholds` as a bare list of steps; Grafana 7 wraps it
/// as `{mode: "absolute", steps}`. Returns whether it did.
pub(super) fn wrap_threshold_list(members: &mut [Member], offset: usize) -> bool {
    let Some(thresholds) = get_mut(members, "fieldConfig")
        .and_then(|c| super::super::node_edit::members_mut(c))
        .and_then(|c| get_mut(c, "defaults"))
        .and_then(|d| super::super::node_edit::members_mut(d))
        .and_then(|d| get_mut(d, "thresholds"))
    else {
        return false;
    };
    if !matches!(thresholds.value, NodeValue::Array(_)) {
        return false;
    }
    let steps = std::mem::replace(
        thresholds,
        Node {
            offset,
            value: NodeValue::Null,
        },
    );
    *thresholds = Node {
        offset: steps.offset,
        value: NodeValue::Object(vec![
            member("mode", node(json!("absolute"), steps.offset)),
            member("steps", steps),
        ]),
    };
    true
}
