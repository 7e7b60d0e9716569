//! Colours: Grafana's classic series palette, threshold colour names, and the dark theme.

/// An opaque RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`
    #[must_use]
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Parses `#rgb`, `#rrggbb`, `rgb(r, g, b)`, `rgba(r, g, b, a)` (alpha ignored) or one of
    /// Grafana's colour names (`green`, `red`, `semi-dark-orange`…).
    #[must_use]
    pub fn parse(text: &str) -> Option<Rgb> {
        let t = text.trim().to_ascii_lowercase();
        if let Some(hex) = t.strip_prefix('#') {
            let digits: Vec<u8> = hex
                .chars()
                .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
                .collect::<Option<_>>()?;
            return match digits.as_slice() {
                [r, g, b] => Some(Rgb(r * 17, g * 17, b * 17)),
                [r1, r2, g1, g2, b1, b2] | [r1, r2, g1, g2, b1, b2, _, _] => {
                    Some(Rgb(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2))
                }
                _ => None,
            };
        }
        if let Some(inner) = t
            .strip_prefix("rgba(")
            .or_else(|| t.strip_prefix("rgb("))
            .and_then(|rest| rest.strip_suffix(')'))
        {
            let parts: Vec<u8> = inner
                .split(',')
                .take(3)
                .map(|p| {
                    p.trim()
                        .parse::<f64>()
                        .ok()
                        .map(|v| v.clamp(0.0, 255.0) as u8)
                })
                .collect::<Option<_>>()?;
            return match parts.as_slice() {
                [r, g, b] => Some(Rgb(*r, *g, *b)),
                _ => None,
            };
        }
        named_color(&t)
    }
}

/// Grafana's named colours (the "classic" and "semi-dark"/"dark"/"light" shades used in
/// thresholds and overrides).
fn named_color(name: &str) -> Option<Rgb> {
    let hex = match name {
        "green" => "#73bf69",
        "semi-dark-green" => "#56a64b",
        "dark-green" => "#37872d",
        "light-green" => "#96d98d",
        "yellow" => "#fade2a",
        "semi-dark-yellow" => "#f2cc0c",
        "dark-yellow" => "#e0b400",
        "light-yellow" => "#ffee52",
        "orange" => "#ff9830",
        "semi-dark-orange" => "#ff780a",
        "dark-orange" => "#fa6400",
        "light-orange" => "#ffb357",
        "red" => "#f2495c",
        "semi-dark-red" => "#e02f44",
        "dark-red" => "#c4162a",
        "light-red" => "#ff7383",
        "blue" => "#5794f2",
        "semi-dark-blue" => "#3274d9",
        "dark-blue" => "#1f60c4",
        "light-blue" => "#8ab8ff",
        "purple" => "#b877d9",
        "semi-dark-purple" => "#a352cc",
        "dark-purple" => "#8f3bb8",
        "light-purple" => "#ca95e5",
        "white" => "#ffffff",
        "black" => "#000000",
        "transparent" => "#000000",
        "text" => "#ccccdc",
        _ => return None,
    };
    Rgb::parse(hex)
}

/// Grafana's classic palette, in order.
pub const CLASSIC_PALETTE: [Rgb; 16] = [
    Rgb(0x7e, 0xb2, 0x6d),
    Rgb(0xea, 0xb8, 0x39),
    Rgb(0x6e, 0xd0, 0xe0),
    Rgb(0xef, 0x84, 0x3c),
    Rgb(0xe2, 0x4d, 0x42),
    Rgb(0x1f, 0x78, 0xc1),
    Rgb(0xba, 0x43, 0xa9),
    Rgb(0x70, 0x5d, 0xa0),
    Rgb(0x50, 0x86, 0x42),
    Rgb(0xcc, 0xa3, 0x00),
    Rgb(0x44, 0x7e, 0xbc),
    Rgb(0xc1, 0x5c, 0x17),
    Rgb(0xb7, 0xdb, 0xab),
    Rgb(0xf4, 0xd5, 0x98),
    Rgb(0x70, 0xdb, 0xed),
    Rgb(0xf9, 0xba, 0x8f),
];

/// The colour of the `index`-th series.
#[must_use]
pub fn series_color(index: usize) -> Rgb {
    CLASSIC_PALETTE[index % CLASSIC_PALETTE.len()]
}

/// Colours of chart furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub background: Rgb,
    pub text: Rgb,
    pub grid: Rgb,
    pub axis: Rgb,
}

/// The dark theme Sightline ships (close to Grafana's).
pub const DARK: Theme = Theme {
    background: Rgb(0x18, 0x1b, 0x1f),
    text: Rgb(0xcc, 0xcc, 0xdc),
    grid: Rgb(0x2c, 0x30, 0x35),
    axis: Rgb(0x46, 0x4c, 0x54),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_rgb_and_names() {
        assert_eq!(Rgb::parse("#7EB26D"), Some(Rgb(0x7e, 0xb2, 0x6d)));
        assert_eq!(Rgb::parse("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(
            Rgb::parse("rgba(237, 129, 40, 0.89)"),
            Some(Rgb(237, 129, 40))
        );
        assert_eq!(Rgb::parse("semi-dark-orange"), Some(Rgb(0xff, 0x78, 0x0a)));
        assert_eq!(Rgb::parse("not a colour"), None);
        assert_eq!(Rgb::parse("#12"), None);
        assert_eq!(Rgb(1, 2, 255).hex(), "#0102ff");
    }

    #[test]
    fn palette_wraps() {
        assert_eq!(series_color(0), series_color(16));
    }
}
