//! Threshold colours: Grafana's `thresholds` (a base colour plus steps, absolute or in percent of
//! the min–max range) mapped to a colour per value, and to lines drawn on charts.

use super::palette::Rgb;
use super::timeseries::ThresholdLine;

/// Threshold steps, sorted by value; values at or above a step take its colour.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdScale {
    /// Steps are percentages of `[min, max]` instead of values.
    pub percentage: bool,
    /// The colour below the first step.
    pub base: Rgb,
    pub steps: Vec<(f64, Rgb)>,
}

/// Grafana's default: green, red from 80.
#[must_use]
pub fn grafana_default() -> ThresholdScale {
    ThresholdScale {
        percentage: false,
        base: Rgb(0x73, 0xbf, 0x69),
        steps: vec![(80.0, Rgb(0xf2, 0x49, 0x5c))],
    }
}

impl ThresholdScale {
    /// Builds a scale from a dashboard's `mode` and `steps` (`value: None` is the base step).
    /// Unreadable colours fall back to Grafana's green.
    #[must_use]
    pub fn from_steps(mode: &str, steps: &[(Option<f64>, &str)]) -> Self {
        let fallback = Rgb(0x73, 0xbf, 0x69);
        let mut base = fallback;
        let mut sorted = Vec::new();
        for (value, color) in steps {
            let rgb = Rgb::parse(color).unwrap_or(fallback);
            match value {
                Some(v) if v.is_finite() => sorted.push((*v, rgb)),
                _ => base = rgb,
            }
        }
        crate::sort::sort_by(&mut sorted, |a, b| a.0.total_cmp(&b.0));
        ThresholdScale {
            percentage: mode == "percentage",
            base,
            steps: sorted,
        }
    }

    fn absolute(&self, step: f64, min: f64, max: f64) -> f64 {
        if self.percentage {
            min + (max - min) * step / 100.0
        } else {
            step
        }
    }

    /// The colour of `value` (with `min`/`max` for percentage steps).
    #[must_use]
    pub fn color_for(&self, value: f64, min: f64, max: f64) -> Rgb {
        if !value.is_finite() {
            return self.base;
        }
        self.steps
            .iter()
            .rev()
            .find(|(step, _)| value >= self.absolute(*step, min, max))
            .map_or(self.base, |(_, color)| *color)
    }

    /// Chart lines at each step's absolute value.
    #[must_use]
    pub fn lines(&self, min: f64, max: f64) -> Vec<ThresholdLine> {
        self.steps
            .iter()
            .map(|(step, color)| ThresholdLine {
                value: self.absolute(*step, min, max),
                color: *color,
            })
            .collect()
    }

    /// Bands `(from, to, colour)` covering `[min, max]`, for gauges.
    #[must_use]
    pub fn bands(&self, min: f64, max: f64) -> Vec<(f64, f64, Rgb)> {
        let mut bands = Vec::new();
        let mut start = min;
        let mut color = self.base;
        for (step, next) in &self.steps {
            let at = self.absolute(*step, min, max).clamp(min, max);
            if at > start {
                bands.push((start, at, color));
                start = at;
            }
            color = *next;
        }
        if max > start {
            bands.push((start, max, color));
        }
        bands
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GREEN: Rgb = Rgb(0x73, 0xbf, 0x69);
    const RED: Rgb = Rgb(0xf2, 0x49, 0x5c);

    fn scale(mode: &str) -> ThresholdScale {
        ThresholdScale::from_steps(
            mode,
            &[
                (None, "green"),
                (Some(80.0), "red"),
                (Some(60.0), "#fade2a"),
            ],
        )
    }

    #[test]
    fn values_take_the_colour_of_the_highest_step_they_reach() {
        let s = scale("absolute");
        assert_eq!(s.color_for(10.0, 0.0, 100.0), GREEN);
        assert_eq!(s.color_for(60.0, 0.0, 100.0), Rgb(0xfa, 0xde, 0x2a));
        assert_eq!(s.color_for(95.0, 0.0, 100.0), RED);
        assert_eq!(s.color_for(f64::NAN, 0.0, 100.0), GREEN);
    }

    #[test]
    fn percentage_steps_scale_with_min_and_max() {
        let s = scale("percentage");
        assert_eq!(s.color_for(850.0, 0.0, 1000.0), RED);
        assert_eq!(s.color_for(500.0, 0.0, 1000.0), GREEN);
        assert_eq!(s.lines(0.0, 1000.0)[1].value, 800.0);
    }

    #[test]
    fn bands_cover_the_range_in_order() {
        let bands = scale("absolute").bands(0.0, 100.0);
        assert_eq!(bands.len(), 3);
        assert_eq!((bands[0].0, bands[0].1), (0.0, 60.0));
        assert_eq!((bands[2].0, bands[2].1), (80.0, 100.0));
        assert_eq!(grafana_default().bands(0.0, 50.0), vec![(0.0, 50.0, GREEN)]);
    }
}
