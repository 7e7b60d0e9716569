//! Plotters styles for the chart: strokes, colours and axis-label text (drawn by the browser;
//! the size estimate only matters to rasterising backends), and pixel rounding.

use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, FontFamily, FontStyle,
    FontTransform,
};

use super::AVERAGE_CHAR_WIDTH_EM;
use crate::render::palette::Rgb;

pub(crate) struct Stroke {
    pub(crate) color: BackendColor,
    pub(crate) width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

pub(crate) fn color(rgb: Rgb, alpha: f64) -> BackendColor {
    BackendColor {
        alpha,
        rgb: (rgb.0, rgb.1, rgb.2),
    }
}

/// A text style for axis labels: the browser measures and draws real text; the size estimate is
/// only used by rasterising backends, which Sightline does not use.
pub(crate) struct Label {
    pub(crate) color: BackendColor,
    pub(crate) size: f64,
    pub(crate) anchor: Pos,
}

impl BackendTextStyle for Label {
    type FontError = std::fmt::Error;
    fn color(&self) -> BackendColor {
        self.color
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        FontTransform::None
    }
    fn style(&self) -> FontStyle {
        FontStyle::Normal
    }
    fn anchor(&self) -> Pos {
        self.anchor
    }
    fn family(&self) -> FontFamily<'_> {
        FontFamily::SansSerif
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        let w = (text.chars().count() as f64 * self.size * AVERAGE_CHAR_WIDTH_EM) as i32;
        Ok(((0, 0), (w, self.size as i32)))
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        Ok(Ok(()))
    }
}

#[allow(clippy::cast_possible_truncation)]
pub(crate) fn px(v: f64) -> i32 {
    v.round().clamp(-1.0e6, 1.0e6) as i32
}
