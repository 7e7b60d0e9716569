//! Value units, as named by Grafana's `fieldConfig.defaults.unit`, and readable value formatting.
//!
//! `format_value(42.0e9, &Unit::parse("bytes"), None)` gives `39.1 GiB`; ticks pass the decimals
//! their step needs so that neighbouring labels never read the same.

/// A unit Sightline knows how to scale and label. Unknown ids are kept as a custom suffix.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// Plain numbers with SI-style suffixes (K, Mil, Bil), Grafana's `short`.
    Short,
    /// No scaling and no suffix (`none`).
    None,
    /// 0–100 values shown with `%`.
    Percent,
    /// 0–1 values shown as percent.
    PercentUnit,
    /// Bytes with IEC prefixes (KiB, MiB…) from a base multiple: `bytes` = 1, `kbytes` = 1024, `mbytes` = 1024².
    BytesIec { base: f64 },
    /// Bytes with SI prefixes (kB, MB…): `decbytes` and friends.
    BytesSi { base: f64 },
    /// Bits per second with SI prefixes.
    BitsPerSecond,
    /// Bytes per second with SI prefixes.
    BytesPerSecond,
    /// Time with a base in seconds (`s` = 1, `ms` = 0.001, `µs`, `ns`), shown in the largest fitting unit.
    Time { base_secs: f64 },
    /// A physical quantity with SI prefixes: watts, hertz, joules…
    Si { symbol: &'static str, base: f64 },
    /// Degrees Celsius / Fahrenheit.
    Temperature { symbol: &'static str },
    /// Rates of things per second (`reqps`, `ops`, `cps`…).
    PerSecond { symbol: &'static str },
    /// An id Sightline does not know: the number as `short` followed by this text.
    Custom(String),
}

impl Unit {
    /// Maps a Grafana unit id to a [`Unit`]; unknown ids become [`Unit::Custom`] suffixes and the
    /// `suffix:` form of Grafana custom units is honoured.
    #[must_use]
    pub fn parse(id: &str) -> Unit {
        match id.trim() {
            "" | "short" => Unit::Short,
            "none" => Unit::None,
            "percent" => Unit::Percent,
            "percentunit" => Unit::PercentUnit,
            "bytes" => Unit::BytesIec { base: 1.0 },
            "kbytes" => Unit::BytesIec { base: 1024.0 },
            "mbytes" => Unit::BytesIec {
                base: 1024.0 * 1024.0,
            },
            "gbytes" => Unit::BytesIec {
                base: 1024.0 * 1024.0 * 1024.0,
            },
            "decbytes" => Unit::BytesSi { base: 1.0 },
            "deckbytes" => Unit::BytesSi { base: 1e3 },
            "decmbytes" => Unit::BytesSi { base: 1e6 },
            "decgbytes" => Unit::BytesSi { base: 1e9 },
            "bps" => Unit::BitsPerSecond,
            "Bps" | "binBps" => Unit::BytesPerSecond,
            "s" => Unit::Time { base_secs: 1.0 },
            "ms" => Unit::Time { base_secs: 1e-3 },
            "µs" | "us" => Unit::Time { base_secs: 1e-6 },
            "ns" => Unit::Time { base_secs: 1e-9 },
            "m" => Unit::Time { base_secs: 60.0 },
            "h" => Unit::Time { base_secs: 3600.0 },
            "d" => Unit::Time {
                base_secs: 86_400.0,
            },
            "watt" => Unit::Si {
                symbol: "W",
                base: 1.0,
            },
            "kwatt" => Unit::Si {
                symbol: "W",
                base: 1e3,
            },
            "mwatt" => Unit::Si {
                symbol: "W",
                base: 1e-3,
            },
            "hertz" => Unit::Si {
                symbol: "Hz",
                base: 1.0,
            },
            "rotmhz" => Unit::Si {
                symbol: "Hz",
                base: 1e6,
            },
            "rotkhz" => Unit::Si {
                symbol: "Hz",
                base: 1e3,
            },
            "rotghz" => Unit::Si {
                symbol: "Hz",
                base: 1e9,
            },
            "joule" => Unit::Si {
                symbol: "J",
                base: 1.0,
            },
            "mjoule" => Unit::Si {
                symbol: "J",
                base: 1e-3,
            },
            "volt" => Unit::Si {
                symbol: "V",
                base: 1.0,
            },
            "amp" => Unit::Si {
                symbol: "A",
                base: 1.0,
            },
            "celsius" => Unit::Temperature { symbol: "°C" },
            "fahrenheit" => Unit::Temperature { symbol: "°F" },
            "reqps" => Unit::PerSecond { symbol: "req/s" },
            "ops" => Unit::PerSecond { symbol: "ops/s" },
            "cps" => Unit::PerSecond { symbol: "c/s" },
            "wps" => Unit::PerSecond { symbol: "wps" },
            "rps" => Unit::PerSecond { symbol: "rps" },
            other => match other.strip_prefix("suffix:") {
                Some(suffix) => Unit::Custom(suffix.to_owned()),
                None => Unit::Custom(format!(" {other}")),
            },
        }
    }
}

impl Unit {
    /// The factor [`format_value`] divides a value of magnitude `value` by before printing it
    /// (`1024³` for GiB, `60` for minutes of a seconds unit…), in the unit's own base: axis ticks
    /// are chosen as nice numbers of the *displayed* quantity, so a bytes axis reads
    /// `0, 512 GiB, 1 TiB` rather than `0.95367 TiB`.
    #[must_use]
    pub fn display_factor(&self, value: f64) -> f64 {
        let abs = value.abs();
        let pick = |table: &[(f64, &str)], v: f64| {
            table
                .iter()
                .find(|(factor, _)| v >= *factor * 0.999_999)
                .map_or(1.0, |(factor, _)| *factor)
        };
        match self {
            Unit::BytesIec { base } => pick(&IEC_PREFIXES, abs * base) / base,
            Unit::BytesSi { base } => pick(&SI_PREFIXES, abs * base) / base,
            Unit::BitsPerSecond | Unit::BytesPerSecond => pick(&SI_PREFIXES, abs),
            Unit::Short | Unit::Custom(_) | Unit::PerSecond { .. } => pick(&SHORT_SUFFIXES, abs),
            Unit::Si { base, .. } => {
                let v = abs * base;
                let factor = if v != 0.0 && v < 1.0 {
                    SI_SMALL
                        .iter()
                        .find(|(factor, _)| v >= *factor * 0.999_999)
                        .map_or(1.0, |(factor, _)| *factor)
                } else {
                    pick(&SI_PREFIXES, v)
                };
                factor / base
            }
            Unit::Time { base_secs } => time_factor(abs * base_secs) / base_secs,
            Unit::None | Unit::Percent | Unit::PercentUnit | Unit::Temperature { .. } => 1.0,
        }
    }
}

fn time_factor(secs: f64) -> f64 {
    if secs == 0.0 {
        1.0
    } else if secs < 1e-6 {
        1e-9
    } else if secs < 1e-3 {
        1e-6
    } else if secs < 1.0 {
        1e-3
    } else if secs < 60.0 {
        1.0
    } else if secs < 3600.0 {
        60.0
    } else if secs < 86_400.0 {
        3600.0
    } else if secs < 604_800.0 {
        86_400.0
    } else if secs < 31_536_000.0 {
        604_800.0
    } else {
        31_536_000.0
    }
}

const SI_PREFIXES: [(f64, &str); 9] = [
    (1e24, "Y"),
    (1e21, "Z"),
    (1e18, "E"),
    (1e15, "P"),
    (1e12, "T"),
    (1e9, "G"),
    (1e6, "M"),
    (1e3, "k"),
    (1.0, ""),
];
const SI_SMALL: [(f64, &str); 4] = [(1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p")];
const IEC_PREFIXES: [(f64, &str); 7] = [
    (1_152_921_504_606_846_976.0, "Ei"),
    (1_125_899_906_842_624.0, "Pi"),
    (1_099_511_627_776.0, "Ti"),
    (1_073_741_824.0, "Gi"),
    (1_048_576.0, "Mi"),
    (1024.0, "Ki"),
    (1.0, ""),
];
const SHORT_SUFFIXES: [(f64, &str); 6] = [
    (1e15, " Quadr"),
    (1e12, " Tri"),
    (1e9, " Bil"),
    (1e6, " Mil"),
    (1e3, " K"),
    (1.0, ""),
];

/// Formats `value` in `unit`. `decimals` fixes the number of decimals after scaling; `None`
/// chooses a readable precision (up to 3 significant decimals, trailing zeros trimmed).
#[must_use]
pub fn format_value(value: f64, unit: &Unit, decimals: Option<usize>) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    match unit {
        Unit::None => number(value, decimals),
        Unit::Short => scaled(value, &SHORT_SUFFIXES, "", decimals),
        Unit::Percent => format!("{}%", number(value, decimals)),
        Unit::PercentUnit => format!("{}%", number(value * 100.0, decimals)),
        Unit::BytesIec { base } => scaled(value * base, &IEC_PREFIXES, "B", decimals),
        Unit::BytesSi { base } => scaled(value * base, &SI_PREFIXES, "B", decimals),
        Unit::BitsPerSecond => scaled(value, &SI_PREFIXES, "b/s", decimals),
        Unit::BytesPerSecond => scaled(value, &SI_PREFIXES, "B/s", decimals),
        Unit::Time { base_secs } => format_seconds(value * base_secs, decimals),
        Unit::Si { symbol, base } => si(value * base, symbol, decimals),
        Unit::Temperature { symbol } => format!("{}{symbol}", number(value, decimals)),
        Unit::PerSecond { symbol } => {
            format!("{} {symbol}", scaled(value, &SHORT_SUFFIXES, "", decimals))
        }
        Unit::Custom(suffix) => format!("{}{suffix}", scaled(value, &SHORT_SUFFIXES, "", decimals)),
    }
}

fn si(value: f64, symbol: &str, decimals: Option<usize>) -> String {
    let abs = value.abs();
    if abs != 0.0 && abs < 1.0 {
        for (factor, prefix) in SI_SMALL {
            if abs >= factor * 0.999_999 {
                return format!("{} {prefix}{symbol}", number(value / factor, decimals));
            }
        }
    }
    scaled(value, &SI_PREFIXES, symbol, decimals)
}

fn scaled(value: f64, table: &[(f64, &str)], symbol: &str, decimals: Option<usize>) -> String {
    let abs = value.abs();
    let (factor, prefix) = table
        .iter()
        .copied()
        .find(|(factor, _)| abs >= *factor * 0.999_999)
        .unwrap_or((1.0, ""));
    let text = number(value / factor, decimals);
    if symbol.is_empty() {
        format!("{text}{prefix}")
    } else {
        format!("{text} {prefix}{symbol}")
    }
}

fn format_seconds(secs: f64, decimals: Option<usize>) -> String {
    let abs = secs.abs();
    let (factor, label) = if abs == 0.0 {
        (1.0, "s")
    } else if abs < 1e-6 {
        (1e-9, "ns")
    } else if abs < 1e-3 {
        (1e-6, "µs")
    } else if abs < 1.0 {
        (1e-3, "ms")
    } else if abs < 60.0 {
        (1.0, "s")
    } else if abs < 3600.0 {
        (60.0, "min")
    } else if abs < 86_400.0 {
        (3600.0, "hour")
    } else if abs < 604_800.0 {
        (86_400.0, "day")
    } else if abs < 31_536_000.0 {
        (604_800.0, "week")
    } else {
        (31_536_000.0, "year")
    };
    format!("{} {label}", number(secs / factor, decimals))
}

/// A plain number with `decimals` decimals, or a readable automatic precision.
fn number(value: f64, decimals: Option<usize>) -> String {
    if let Some(d) = decimals {
        return format!("{value:.d$}");
    }
    let abs = value.abs();
    let auto = if abs == 0.0 || abs >= 100.0 {
        if abs.fract() == 0.0 || abs >= 1000.0 {
            0
        } else {
            1
        }
    } else if abs >= 1.0 {
        2
    } else {
        // Keep three significant digits for small magnitudes.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let leading_zeros = (-abs.log10()).floor().max(0.0) as usize;
        (leading_zeros + 3).min(12)
    };
    let text = format!("{value:.auto$}");
    if text.contains('.') {
        let trimmed = text.trim_end_matches('0').trim_end_matches('.');
        if trimmed == "-0" {
            "0".to_owned()
        } else {
            trimmed.to_owned()
        }
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64, unit: &str) -> String {
        format_value(v, &Unit::parse(unit), None)
    }

    #[test]
    fn bytes_use_iec_prefixes() {
        assert_eq!(f(42.0e9, "bytes"), "39.12 GiB");
        assert_eq!(f(1024.0, "bytes"), "1 KiB");
        assert_eq!(f(80_000.0, "mbytes"), "78.12 GiB");
        assert_eq!(f(512.0, "bytes"), "512 B");
    }

    #[test]
    fn si_units_scale_both_ways() {
        assert_eq!(f(350.0, "watt"), "350 W");
        assert_eq!(f(1410.0, "rotmhz"), "1.41 GHz");
        assert_eq!(f(0.004, "watt"), "4 mW");
        assert_eq!(f(1500.0, "decbytes"), "1.5 kB");
    }

    #[test]
    fn percent_and_temperature() {
        assert_eq!(f(87.5, "percent"), "87.5%");
        assert_eq!(f(0.875, "percentunit"), "87.5%");
        assert_eq!(f(71.0, "celsius"), "71°C");
    }

    #[test]
    fn time_picks_the_largest_fitting_unit() {
        assert_eq!(f(0.25, "s"), "250 ms");
        assert_eq!(f(90.0, "s"), "1.5 min");
        assert_eq!(f(7200.0, "s"), "2 hour");
        assert_eq!(f(1500.0, "ms"), "1.5 s");
    }

    #[test]
    fn short_and_custom_units() {
        assert_eq!(f(1_500_000.0, "short"), "1.5 Mil");
        assert_eq!(f(12.0, "suffix: GPUs"), "12 GPUs");
        assert_eq!(f(3.0, "widgets"), "3 widgets");
        assert_eq!(f(0.000_123_4, "none"), "0.000123");
    }

    #[test]
    fn special_values_are_spelled_out() {
        assert_eq!(f(f64::NAN, "bytes"), "NaN");
        assert_eq!(f(f64::INFINITY, "percent"), "+Inf");
        assert_eq!(f(f64::NEG_INFINITY, "short"), "-Inf");
    }

    #[test]
    fn display_factors_follow_the_printed_prefix() {
        assert_eq!(
            Unit::parse("bytes").display_factor(3.0e12),
            1_099_511_627_776.0
        );
        assert_eq!(
            Unit::parse("mbytes").display_factor(2_000_000.0),
            1_048_576.0
        );
        assert_eq!(Unit::parse("watt").display_factor(23_580.0), 1000.0);
        assert_eq!(Unit::parse("s").display_factor(7200.0), 3600.0);
        assert_eq!(Unit::parse("percent").display_factor(87.0), 1.0);
    }

    #[test]
    fn fixed_decimals_are_honoured() {
        assert_eq!(format_value(87.456, &Unit::Percent, Some(1)), "87.5%");
        assert_eq!(format_value(2.0, &Unit::Short, Some(2)), "2.00");
    }
}
