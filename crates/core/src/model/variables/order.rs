//! Resolution order of chained variables: each after the variables its query, regex or
//! datasource mentions; a cycle is an error that names it.

use std::collections::VecDeque;

use super::{Variable, VariableError};

/// Indices of `variables` in an order where every variable comes after those it depends on
/// (stable: otherwise the dashboard's order).
///
/// # Errors
/// [`VariableError::Cycle`] naming the variables of one cycle, e.g. `a → b → a`.
pub fn resolution_order(variables: &[Variable]) -> Result<Vec<usize>, VariableError> {
    let index_of = |name: &str| variables.iter().position(|v| v.name == name);
    let deps: Vec<Vec<usize>> = variables
        .iter()
        .map(|v| {
            v.depends_on
                .iter()
                .filter_map(|name| index_of(name))
                .collect()
        })
        .collect();
    let mut remaining: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); variables.len()];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
        }
    }
    let mut ready: VecDeque<usize> = (0..variables.len())
        .filter(|&i| remaining[i] == 0)
        .collect();
    let mut order = Vec::with_capacity(variables.len());
    while let Some(i) = ready.pop_front() {
        order.push(i);
        for &dependent in &dependents[i] {
            remaining[dependent] -= 1;
            if remaining[dependent] == 0 {
                ready.push_back(dependent);
            }
        }
    }
    if order.len() == variables.len() {
        return Ok(order);
    }
    // Walk dependencies among the unresolved until a variable repeats: that loop is a cycle.
    let mut path: Vec<usize> = Vec::new();
    let mut at = (0..variables.len())
        .find(|&i| remaining[i] > 0)
        .unwrap_or(0);
    loop {
        if let Some(start) = path.iter().position(|&p| p == at) {
            let mut names: Vec<String> = path[start..]
                .iter()
                .map(|&i| variables[i].name.clone())
                .collect();
            names.push(variables[at].name.clone());
            return Err(VariableError::Cycle { names });
        }
        path.push(at);
        at = deps[at]
            .iter()
            .copied()
            .find(|&d| remaining[d] > 0)
            .unwrap_or(at);
    }
}
