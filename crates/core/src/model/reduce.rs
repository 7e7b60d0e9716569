//! Reducing a series to one number, as Grafana's stat, gauge, bar gauge and legend "calcs" do
//! (`lastNotNull`, `mean`, `max`…).

use std::fmt;
use std::str::FromStr;

/// A reduction of a series' values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reducer {
    /// The last finite value (Grafana's default, `lastNotNull`).
    LastNotNull,
    /// The last value, even when missing.
    Last,
    FirstNotNull,
    First,
    Mean,
    Min,
    Max,
    Sum,
    /// Number of finite values.
    Count,
    /// `max - min`.
    Range,
    /// `last - first` of the finite values.
    Delta,
    Median,
}

/// The reducers in the order a menu lists them.
pub const ALL_REDUCERS: [Reducer; 12] = [
    Reducer::LastNotNull,
    Reducer::Last,
    Reducer::FirstNotNull,
    Reducer::First,
    Reducer::Mean,
    Reducer::Min,
    Reducer::Max,
    Reducer::Sum,
    Reducer::Count,
    Reducer::Range,
    Reducer::Delta,
    Reducer::Median,
];

/// An id Grafana uses for a calculation that Sightline does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown calculation {0:?}")]
pub struct UnknownReducer(pub String);

impl FromStr for Reducer {
    type Err = UnknownReducer;

    /// Grafana's ids, plus the legacy graph-panel names (`avg`, `current`, `total`).
    fn from_str(id: &str) -> Result<Self, Self::Err> {
        Ok(match id {
            "lastNotNull" | "current" => Reducer::LastNotNull,
            "last" => Reducer::Last,
            "firstNotNull" => Reducer::FirstNotNull,
            "first" => Reducer::First,
            "mean" | "avg" => Reducer::Mean,
            "min" => Reducer::Min,
            "max" => Reducer::Max,
            "sum" | "total" => Reducer::Sum,
            "count" => Reducer::Count,
            "range" => Reducer::Range,
            "delta" | "diff" => Reducer::Delta,
            "median" => Reducer::Median,
            other => return Err(UnknownReducer(other.to_owned())),
        })
    }
}

impl Reducer {
    /// Grafana's id.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Reducer::LastNotNull => "lastNotNull",
            Reducer::Last => "last",
            Reducer::FirstNotNull => "firstNotNull",
            Reducer::First => "first",
            Reducer::Mean => "mean",
            Reducer::Min => "min",
            Reducer::Max => "max",
            Reducer::Sum => "sum",
            Reducer::Count => "count",
            Reducer::Range => "range",
            Reducer::Delta => "delta",
            Reducer::Median => "median",
        }
    }

    /// What a legend column or a stat label says.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Reducer::LastNotNull => "Last *",
            Reducer::Last => "Last",
            Reducer::FirstNotNull => "First *",
            Reducer::First => "First",
            Reducer::Mean => "Mean",
            Reducer::Min => "Min",
            Reducer::Max => "Max",
            Reducer::Sum => "Total",
            Reducer::Count => "Count",
            Reducer::Range => "Range",
            Reducer::Delta => "Delta",
            Reducer::Median => "Median",
        }
    }

    /// Applies the reduction; `None` when there is nothing to reduce (no finite values).
    #[must_use]
    pub fn apply(self, values: &[f64]) -> Option<f64> {
        let mut finite = values.iter().copied().filter(|v| v.is_finite());
        match self {
            Reducer::Last => values.last().copied(),
            Reducer::First => values.first().copied(),
            Reducer::LastNotNull => values.iter().rev().copied().find(|v| v.is_finite()),
            Reducer::FirstNotNull => finite.next(),
            Reducer::Mean => {
                let (sum, n) = finite.fold((0.0, 0u64), |(s, n), v| (s + v, n + 1));
                #[allow(clippy::cast_precision_loss)]
                (n > 0).then(|| sum / n as f64)
            }
            Reducer::Min => finite.reduce(f64::min),
            Reducer::Max => finite.reduce(f64::max),
            Reducer::Sum => {
                let mut any = false;
                let sum = finite.inspect(|_| any = true).sum();
                any.then_some(sum)
            }
            #[allow(clippy::cast_precision_loss)]
            Reducer::Count => Some(finite.count() as f64),
            Reducer::Range => {
                let (lo, hi) = crate::model::frame::finite_min_max(values)?;
                Some(hi - lo)
            }
            Reducer::Delta => {
                let first = finite.next()?;
                let last = values.iter().rev().copied().find(|v| v.is_finite())?;
                Some(last - first)
            }
            Reducer::Median => {
                let mut sorted: Vec<f64> = finite.collect();
                if sorted.is_empty() {
                    return None;
                }
                crate::sort::sort_by(&mut sorted, f64::total_cmp);
                let mid = sorted.len() / 2;
                Some(if sorted.len().is_multiple_of(2) {
                    (sorted[mid - 1] + sorted[mid]) / 2.0
                } else {
                    sorted[mid]
                })
            }
        }
    }
}

impl fmt::Display for Reducer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUES: [f64; 6] = [f64::NAN, 4.0, 1.0, 7.0, 2.0, f64::NAN];

    #[test]
    fn reductions_skip_missing_values_where_grafana_does() {
        assert_eq!(Reducer::LastNotNull.apply(&VALUES), Some(2.0));
        assert!(Reducer::Last.apply(&VALUES).is_some_and(f64::is_nan));
        assert_eq!(Reducer::FirstNotNull.apply(&VALUES), Some(4.0));
        assert_eq!(Reducer::Mean.apply(&VALUES), Some(3.5));
        assert_eq!(Reducer::Min.apply(&VALUES), Some(1.0));
        assert_eq!(Reducer::Max.apply(&VALUES), Some(7.0));
        assert_eq!(Reducer::Sum.apply(&VALUES), Some(14.0));
        assert_eq!(Reducer::Count.apply(&VALUES), Some(4.0));
        assert_eq!(Reducer::Range.apply(&VALUES), Some(6.0));
        assert_eq!(Reducer::Delta.apply(&VALUES), Some(-2.0));
        assert_eq!(Reducer::Median.apply(&VALUES), Some(3.0));
    }

    #[test]
    fn nothing_to_reduce_gives_none() {
        for r in ALL_REDUCERS {
            if r != Reducer::Count {
                assert_eq!(r.apply(&[]), None, "{r}");
            }
        }
        assert_eq!(Reducer::Sum.apply(&[f64::NAN]), None);
        assert_eq!(Reducer::Count.apply(&[]), Some(0.0));
    }

    #[test]
    fn ids_round_trip_and_legacy_names_map() {
        for r in ALL_REDUCERS {
            assert_eq!(r.id().parse::<Reducer>(), Ok(r));
        }
        assert_eq!("avg".parse::<Reducer>(), Ok(Reducer::Mean));
        assert_eq!("current".parse::<Reducer>(), Ok(Reducer::LastNotNull));
        assert!("p99".parse::<Reducer>().is_err());
    }
}
