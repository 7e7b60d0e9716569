//! Query results as a table: one row per series, a column per label, a time column and a value
//! column (the series reduced, `lastNotNull` by default), sortable by any column.

use std::cmp::Ordering;

use super::frame::Series;
use super::reduce::Reducer;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Time,
    Label,
    Value,
}

/// A column header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

/// A cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// Unix ms.
    Time(i64),
    Empty,
}

/// A table built from series.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Index of the series each row came from (rows keep it through sorting).
    pub series_index: Vec<usize>,
}

/// One row per series: `Time` (of the last sample), every label (`__name__` first, shown as
/// `Metric`), and `Value` reduced with `reducer`.
#[must_use]
pub fn from_series(series: &[Series], reducer: Reducer) -> Table {
    let mut label_names: Vec<&str> = Vec::new();
    for s in series {
        for (name, _) in s.labels.iter() {
            if !label_names.contains(&name) {
                label_names.push(name);
            }
        }
    }
    crate::sort::sort_by_key(&mut label_names, |n| (*n != "__name__", *n));
    let mut columns = vec![Column {
        name: "Time".to_owned(),
        kind: ColumnKind::Time,
    }];
    columns.extend(label_names.iter().map(|n| Column {
        name: if *n == "__name__" {
            "Metric".to_owned()
        } else {
            (*n).to_owned()
        },
        kind: ColumnKind::Label,
    }));
    columns.push(Column {
        name: "Value".to_owned(),
        kind: ColumnKind::Value,
    });
    let rows = series
        .iter()
        .map(|s| {
            let mut row = Vec::with_capacity(columns.len());
            row.push(s.times_ms.last().map_or(Cell::Empty, |t| Cell::Time(*t)));
            for name in &label_names {
                row.push(
                    s.labels
                        .get(name)
                        .map_or(Cell::Empty, |v| Cell::Text(v.to_owned())),
                );
            }
            row.push(reducer.apply(&s.values).map_or(Cell::Empty, Cell::Number));
            row
        })
        .collect();
    Table {
        columns,
        rows,
        series_index: (0..series.len()).collect(),
    }
}

fn compare(a: &Cell, b: &Cell) -> Ordering {
    match (a, b) {
        (Cell::Number(x), Cell::Number(y)) => x.total_cmp(y),
        (Cell::Time(x), Cell::Time(y)) => x.cmp(y),
        (Cell::Text(x), Cell::Text(y)) => natural_cmp(x, y),
        (Cell::Empty, Cell::Empty) => Ordering::Equal,
        // Empty cells sort last whatever the direction is.
        (Cell::Empty, _) => Ordering::Greater,
        (_, Cell::Empty) => Ordering::Less,
        (x, y) => cell_rank(x).cmp(&cell_rank(y)),
    }
}

fn cell_rank(cell: &Cell) -> u8 {
    match cell {
        Cell::Number(_) => 0,
        Cell::Time(_) => 1,
        Cell::Text(_) => 2,
        Cell::Empty => 3,
    }
}

/// Compares text with embedded numbers by value (`gpu-2` < `gpu-10`).
#[must_use]
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    while !x.is_empty() && !y.is_empty() {
        if x[0].is_ascii_digit() && y[0].is_ascii_digit() {
            let xn = x.iter().take_while(|c| c.is_ascii_digit()).count();
            let yn = y.iter().take_while(|c| c.is_ascii_digit()).count();
            let (xd, yd) = (trim_zeros(&x[..xn]), trim_zeros(&y[..yn]));
            let ord = xd.len().cmp(&yd.len()).then_with(|| xd.cmp(yd));
            if ord != Ordering::Equal {
                return ord;
            }
            x = &x[xn..];
            y = &y[yn..];
        } else {
            let ord = x[0].cmp(&y[0]);
            if ord != Ordering::Equal {
                return ord;
            }
            x = &x[1..];
            y = &y[1..];
        }
    }
    x.len().cmp(&y.len())
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .take_while(|d| **d == b'0')
        .count()
        .min(digits.len().saturating_sub(1));
    &digits[start..]
}

impl Table {
    /// Sorts rows by `column` (stable; empty cells last in both directions).
    pub fn sort_by(&mut self, column: usize, descending: bool) {
        if column >= self.columns.len() {
            return;
        }
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        crate::sort::sort_by(&mut order, |&a, &b| {
            let (ca, cb) = (&self.rows[a][column], &self.rows[b][column]);
            let ord = compare(ca, cb);
            let empty = matches!(ca, Cell::Empty) || matches!(cb, Cell::Empty);
            if descending && !empty {
                ord.reverse()
            } else {
                ord
            }
        });
        self.rows = order
            .iter()
            .map(|&i| std::mem::take(&mut self.rows[i]))
            .collect();
        self.series_index = order.iter().map(|&i| self.series_index[i]).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::frame::Labels;

    fn series(gpu: &str, host: &str, values: &[f64]) -> Series {
        Series {
            labels: Labels::new(vec![
                ("__name__".into(), "DCGM_FI_DEV_GPU_UTIL".into()),
                ("gpu".into(), gpu.into()),
                ("Hostname".into(), host.into()),
            ]),
            times_ms: (0..values.len() as i64).collect(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn one_row_per_series_with_label_columns_and_the_last_value() {
        let t = from_series(
            &[series("0", "a", &[1.0, 5.0]), series("10", "b", &[3.0])],
            Reducer::LastNotNull,
        );
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["Time", "Metric", "Hostname", "gpu", "Value"]);
        assert_eq!(t.rows[0][4], Cell::Number(5.0));
        assert_eq!(t.rows[0][0], Cell::Time(1));
    }

    #[test]
    fn sorting_is_natural_for_text_and_numeric_for_values() {
        let mut t = from_series(
            &[
                series("10", "a", &[1.0]),
                series("2", "b", &[f64::NAN]),
                series("1", "c", &[7.0]),
            ],
            Reducer::LastNotNull,
        );
        t.sort_by(3, false);
        let gpus: Vec<_> = t.rows.iter().map(|r| r[3].clone()).collect();
        assert_eq!(
            gpus,
            vec![
                Cell::Text("1".into()),
                Cell::Text("2".into()),
                Cell::Text("10".into())
            ]
        );
        t.sort_by(4, true);
        assert_eq!(t.rows[0][4], Cell::Number(7.0));
        assert_eq!(t.rows[2][4], Cell::Empty, "no value sorts last");
        assert_eq!(t.series_index, vec![2, 0, 1]);
    }

    #[test]
    fn natural_order() {
        assert_eq!(natural_cmp("gpu-2", "gpu-10"), Ordering::Less);
        assert_eq!(natural_cmp("gpu-010", "gpu-10"), Ordering::Equal);
        assert_eq!(natural_cmp("a", "b"), Ordering::Less);
    }
}
