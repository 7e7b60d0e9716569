//! Tests of the time-series chart: drawn into SVG through plotters' SVG backend.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::render::decimate::decimate;
use crate::render::palette::{series_color, DARK};
use plotters_svg::SVGBackend;

fn options(range: TimeRange) -> ChartOptions {
    ChartOptions {
        range,
        unit: Unit::Percent,
        right_unit: Unit::parse("watt"),
        fixed_min: None,
        fixed_max: None,
        soft_min: None,
        soft_max: None,
        scale: Scale::Linear,
        hide_left_labels: false,
        thresholds: vec![ThresholdLine {
            value: 80.0,
            color: Rgb(0xf2, 0x49, 0x5c),
        }],
        threshold_areas: false,
        utc_offset_minutes: 0,
        pixel_ratio: 1.0,
        gap_ms: Some(60_000),
        theme: DARK,
    }
}

fn render_svg(
    series: &[PlotSeries<'_>],
    options: &ChartOptions,
    w: u32,
    h: u32,
) -> (String, DrawStats) {
    let mut svg = String::new();
    let stats;
    {
        let mut backend = SVGBackend::with_string(&mut svg, (w, h));
        let layout = layout(series, options, w, h);
        stats = draw(&mut backend, series, options, &layout).unwrap();
    }
    (svg, stats)
}

#[test]
fn draws_axes_labels_thresholds_and_lines_into_svg() {
    let times: Vec<i64> = (0..240).map(|i| 1_700_000_000_000 + i * 15_000).collect();
    let values: Vec<f64> = (0..240)
        .map(|i| 50.0 + 30.0 * (f64::from(i) / 20.0).sin())
        .collect();
    let series = [PlotSeries {
        times_ms: &times,
        values: &values,
        color: series_color(0),
        line_width: 1.0,
        fill_opacity: 0.0,
        style: DrawStyle::Lines,
        interpolation: LineInterpolation::Linear,
        axis: AxisSide::Left,
        dash: None,
        show_points: ShowPoints::Never,
        point_size: 5.0,
    }];
    let range = TimeRange::new(times[0], times[239]);
    let (svg, stats) = render_svg(&series, &options(range), 800, 300);
    assert!(svg.contains("<polyline"), "series line missing");
    assert!(
        svg.contains("\n80%\n"),
        "the 80% tick label is missing: {svg}"
    );
    assert!(
        svg.contains("stroke=\"#F2495C\""),
        "the threshold line is missing"
    );
    assert!(stats.points > 0 && stats.points <= 4 * 800);
}

#[test]
fn values_outside_fixed_bounds_are_clipped_to_the_plot() {
    let times: Vec<i64> = (0..100).map(|i| i * 1000).collect();
    let values: Vec<f64> = (0..100)
        .map(|i| if i % 10 == 0 { 500.0 } else { 50.0 })
        .collect();
    let series = [PlotSeries {
        times_ms: &times,
        values: &values,
        color: series_color(1),
        line_width: 1.0,
        fill_opacity: 0.2,
        style: DrawStyle::Lines,
        interpolation: LineInterpolation::Linear,
        axis: AxisSide::Left,
        dash: None,
        show_points: ShowPoints::Never,
        point_size: 5.0,
    }];
    let mut opts = options(TimeRange::new(0, 99_000));
    opts.fixed_min = Some(0.0);
    opts.fixed_max = Some(100.0);
    let l = layout(&series, &opts, 600, 200);
    let segments = decimate(&times, &values, &l.projection, None);
    for seg in segments.iter().flat_map(|s| clip_polyline(s, &l.plot)) {
        for (x, y) in seg {
            assert!(l.plot.contains(x, y), "({x},{y}) outside {:?}", l.plot);
        }
    }
    let (svg, _) = render_svg(&series, &opts, 600, 200);
    assert!(
        svg.contains("<polygon") || svg.contains("<path"),
        "area fill missing"
    );
}

#[test]
fn an_empty_chart_still_draws_axes() {
    let (svg, stats) = render_svg(&[], &options(TimeRange::new(0, 3_600_000)), 400, 200);
    assert_eq!(stats.points, 0);
    assert!(svg.contains("<text"));
}

#[test]
fn layout_leaves_room_for_the_widest_label() {
    let times = [0, 1000];
    let values = [0.0, 123_456_789.0];
    let series = [PlotSeries {
        times_ms: &times,
        values: &values,
        color: series_color(0),
        line_width: 1.0,
        fill_opacity: 0.0,
        style: DrawStyle::Lines,
        interpolation: LineInterpolation::Linear,
        axis: AxisSide::Left,
        dash: None,
        show_points: ShowPoints::Never,
        point_size: 5.0,
    }];
    let mut opts = options(TimeRange::new(0, 1000));
    opts.unit = Unit::BytesIec { base: 1.0 };
    let l = layout(&series, &opts, 800, 300);
    let widest = l
        .y_axis
        .ticks
        .iter()
        .map(|t| t.label.len())
        .max()
        .unwrap_or(0);
    #[allow(clippy::cast_precision_loss)]
    let needed = widest as f64 * l.font_px * 0.6;
    assert!(l.plot.left >= needed, "{} < {needed}", l.plot.left);
}

fn line<'a>(times: &'a [i64], values: &'a [f64], axis: AxisSide) -> PlotSeries<'a> {
    PlotSeries {
        times_ms: times,
        values,
        color: series_color(0),
        line_width: 1.0,
        fill_opacity: 0.0,
        style: DrawStyle::Lines,
        interpolation: LineInterpolation::Linear,
        axis,
        dash: None,
        show_points: ShowPoints::Never,
        point_size: 5.0,
    }
}

#[test]
fn a_stepped_line_holds_each_value_until_the_next_sample() {
    // Four samples a minute apart over a 3-minute range: stepAfter turns each rise into a
    // horizontal run then a vertical jump, so every drawn segment is axis-aligned.
    let times: Vec<i64> = (0..4).map(|i| i * 60_000).collect();
    let values = [10.0, 40.0, 20.0, 60.0];
    let mut options = options(TimeRange::new(0, 180_000));
    options.thresholds.clear();
    let stepped = PlotSeries {
        interpolation: LineInterpolation::StepAfter,
        ..line(&times, &values, AxisSide::Left)
    };
    let l = layout(&[stepped], &options, 600, 300);
    let segments = line_segments(&stepped, &options, &l);
    assert_eq!(segments.len(), 1);
    let points = &segments[0];
    assert_eq!(points.len(), 7, "{points:?}");
    for pair in points.windows(2) {
        assert!(
            pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1,
            "{pair:?} is not a step"
        );
    }
    // The linear line has the four samples only, joined diagonally.
    let linear = line(&times, &values, AxisSide::Left);
    assert_eq!(line_segments(&linear, &options, &l)[0].len(), 4);
}

#[test]
fn a_series_on_the_right_axis_is_scaled_to_its_own_values_and_labelled_at_the_right() {
    let times: Vec<i64> = (0..100).map(|i| i * 1000).collect();
    let utilisation: Vec<f64> = (0..100).map(|i| f64::from(i % 50)).collect();
    let power: Vec<f64> = (0..100).map(|i| 300.0 + f64::from(i) * 4.0).collect();
    let series = [
        line(&times, &utilisation, AxisSide::Left),
        line(&times, &power, AxisSide::Right),
    ];
    let opts = options(TimeRange::new(0, 99_000));
    let l = layout(&series, &opts, 800, 300);
    let right = l.right.as_ref().expect("a second axis");
    // Each axis spans its own series: the left one percent (with the 80 % threshold), the right
    // one the 300–696 W of the power series.
    assert!(
        l.y_axis.max >= 80.0 && l.y_axis.max < 200.0,
        "{:?}",
        l.y_axis
    );
    assert!(
        right.y_axis.min <= 300.0 && right.y_axis.max >= 696.0,
        "{:?}",
        right.y_axis
    );
    assert!(
        right.y_axis.min > 100.0,
        "the right axis does not start at the left's range"
    );
    assert!(
        right.y_axis.ticks.iter().all(|t| t.label.ends_with(" W")),
        "{:?}",
        right.y_axis.ticks
    );
    // The plot leaves room for the right labels.
    let widest = right
        .y_axis
        .ticks
        .iter()
        .map(|t| t.label.chars().count())
        .max()
        .unwrap();
    #[allow(clippy::cast_precision_loss)]
    let needed = widest as f64 * l.font_px * 0.6;
    assert!(f64::from(l.width) - l.plot.right() >= needed);
    // The power line is drawn with the right projection: its last sample near the top.
    let segments = line_segments(&series[1], &opts, &l);
    let last = segments.last().and_then(|s| s.last()).copied().unwrap();
    assert!(
        f64::from(last.1) < l.plot.top + l.plot.height * 0.1,
        "{last:?} in {:?}",
        l.plot
    );
    let (svg, _) = render_svg(&series, &opts, 800, 300);
    let label = &right.y_axis.ticks[1].label;
    assert!(
        svg.contains(&format!("\n{label}\n")),
        "right label {label:?} missing"
    );
}

#[test]
fn when_every_series_is_on_the_right_one_axis_is_drawn_there() {
    let times: Vec<i64> = (0..10).map(|i| i * 1000).collect();
    let power: Vec<f64> = (0..10).map(|i| 300.0 + f64::from(i)).collect();
    let series = [line(&times, &power, AxisSide::Right)];
    let l = layout(&series, &options(TimeRange::new(0, 9_000)), 600, 200);
    assert!(l.right.is_none());
    assert!(l.labels_right);
    assert!(
        l.y_axis.ticks.iter().all(|t| t.label.ends_with(" W")),
        "{:?}",
        l.y_axis.ticks
    );
    // Labels at the right, a plain margin at the left.
    assert!(l.plot.left < l.font_px * 1.5, "{:?}", l.plot);
    assert!(
        f64::from(l.width) - l.plot.right() > l.font_px * 2.0,
        "{:?}",
        l.plot
    );
}

#[test]
fn soft_bounds_widen_the_axis_but_data_beyond_them_still_shows() {
    let times: Vec<i64> = (0..100).map(|i| i * 1000).collect();
    let values: Vec<f64> = (0..100).map(|i| 40.0 + f64::from(i % 20)).collect();
    let mut opts = options(TimeRange::new(0, 99_000));
    opts.thresholds.clear();
    let series = [line(&times, &values, AxisSide::Left)];
    let plain = layout(&series, &opts, 600, 300);
    assert!(plain.y_axis.min >= 30.0, "{:?}", plain.y_axis);
    // axisSoftMin 0 keeps zero in view; axisSoftMax 50 is below the data, which wins.
    opts.soft_min = Some(0.0);
    opts.soft_max = Some(50.0);
    let soft = layout(&series, &opts, 600, 300);
    assert!(soft.y_axis.min <= 0.0, "{:?}", soft.y_axis);
    assert!(soft.y_axis.max >= 59.0, "{:?}", soft.y_axis);
}

#[test]
fn a_log_axis_puts_each_decade_at_the_same_height() {
    // 1, 10, 100, 1000 a minute apart: on a log axis the line climbs in equal steps.
    let times: Vec<i64> = (0..4).map(|i| i * 60_000).collect();
    let values = [1.0, 10.0, 100.0, 1000.0];
    let mut opts = options(TimeRange::new(0, 180_000));
    opts.thresholds.clear();
    opts.scale = Scale::Log { base: 10.0 };
    let series = [line(&times, &values, AxisSide::Left)];
    let l = layout(&series, &opts, 600, 300);
    assert_eq!((l.y_axis.min, l.y_axis.max), (1.0, 1000.0));
    let points = &line_segments(&series[0], &opts, &l)[0];
    let rises: Vec<i32> = points.windows(2).map(|p| p[0].1 - p[1].1).collect();
    assert_eq!(rises.len(), 3, "{points:?}");
    assert!(rises[0] > 50, "{points:?}");
    assert!(
        rises.iter().all(|r| (r - rises[0]).abs() <= 1),
        "equal steps per decade: {points:?}"
    );
    let (svg, _) = render_svg(&series, &opts, 600, 300);
    for label in ["\n1%\n", "\n10%\n", "\n100%\n", "\n1000%\n"] {
        assert!(
            svg.contains(label),
            "decade label {label:?} missing: {svg:.600}"
        );
    }
}

#[test]
fn a_hidden_left_axis_draws_no_labels_and_gives_the_plot_their_room() {
    let times: Vec<i64> = (0..100).map(|i| i * 1000).collect();
    let values: Vec<f64> = (0..100).map(|i| 1000.0 + f64::from(i)).collect();
    let mut opts = options(TimeRange::new(0, 99_000));
    opts.thresholds.clear();
    let series = [line(&times, &values, AxisSide::Left)];
    let shown = layout(&series, &opts, 600, 300);
    opts.hide_left_labels = true;
    let hidden = layout(&series, &opts, 600, 300);
    assert!(hidden.plot.left < shown.plot.left, "{hidden:?}");
    let (svg, _) = render_svg(&series, &opts, 600, 300);
    let label = &shown.y_axis.ticks[1].label;
    assert!(!svg.contains(&format!("\n{label}\n")), "{label} drawn");
    // All on the right: that axis stays labelled.
    let right = [line(&times, &values, AxisSide::Right)];
    let (svg, _) = render_svg(&right, &opts, 600, 300);
    let l = layout(&right, &opts, 600, 300);
    assert!(svg.contains(&format!("\n{}\n", l.y_axis.ticks[1].label)));
}

#[test]
fn a_line_width_of_zero_draws_the_area_alone() {
    let times: Vec<i64> = (0..100).map(|i| i * 1000).collect();
    let values: Vec<f64> = (0..100).map(|i| f64::from(i % 7)).collect();
    let mut series = line(&times, &values, AxisSide::Left);
    series.fill_opacity = 0.3;
    let opts = options(TimeRange::new(0, 99_000));
    let (with_line, _) = render_svg(&[series], &opts, 600, 200);
    series.line_width = 0.0;
    let (area_only, _) = render_svg(&[series], &opts, 600, 200);
    assert!(with_line.contains("<polyline"), "the line is missing");
    assert!(!area_only.contains("<polyline"), "a line was drawn");
    assert!(
        area_only.contains("<polygon"),
        "the area is missing: {area_only}"
    );
}

#[test]
fn a_symmetric_log_axis_shows_values_on_both_sides_of_zero() {
    let times: Vec<i64> = (0..100).map(|i| i * 1000).collect();
    let values: Vec<f64> = (0..100)
        .map(|i| if i % 2 == 0 { 30_000.0 } else { -200.0 })
        .collect();
    let series = [line(&times, &values, AxisSide::Left)];
    let mut opts = options(TimeRange::new(0, 99_000));
    opts.thresholds.clear();
    opts.scale = Scale::SymLog {
        base: 10.0,
        threshold: 1.0,
    };
    let l = layout(&series, &opts, 600, 300);
    assert_eq!((l.y_axis.min, l.y_axis.max), (-1_000.0, 100_000.0));
    let p = l.projection;
    // Zero sits well inside the plot, and each decade gets the same height on either side.
    let (zero, up, down) = (p.y(0.0), p.y(1_000.0), p.y(-1_000.0));
    assert!(zero > l.plot.top && zero < l.plot.bottom());
    let decade = p.y(1_000.0) - p.y(10_000.0);
    assert!((decade - (p.y(100.0) - p.y(1_000.0))).abs() < 1.0);
    assert!(((zero - up) - (down - zero)).abs() < 1.0);
    let (svg, _) = render_svg(&series, &opts, 600, 300);
    assert!(svg.contains("<polyline"), "the series line is missing");
}

#[test]
fn a_dashed_series_is_stroked_in_pieces_and_its_area_stays_whole() {
    let times: Vec<i64> = (0..100).map(|i| i * 1000).collect();
    let values: Vec<f64> = vec![50.0; 100];
    let mut series = line(&times, &values, AxisSide::Left);
    series.fill_opacity = 0.2;
    let mut opts = options(TimeRange::new(0, 99_000));
    opts.thresholds.clear();
    let (solid, _) = render_svg(&[series], &opts, 600, 200);
    series.dash = Some(Dash {
        on: 10.0,
        off: 10.0,
    });
    let (dashed, _) = render_svg(&[series], &opts, 600, 200);
    let count = |svg: &str, tag: &str| svg.matches(tag).count();
    assert_eq!(count(&solid, "<polyline"), 1);
    // A flat line across a plot of about 550 px: one 10 px dash every 20 px.
    assert!(count(&dashed, "<polyline") > 20, "{dashed}");
    assert_eq!(count(&dashed, "<polygon"), count(&solid, "<polygon"));
}

#[test]
fn dots_show_at_sparse_samples_in_auto_mode_and_as_told_otherwise() {
    let dense_times: Vec<i64> = (0..300).map(|i| i * 1000).collect();
    let sparse_times: Vec<i64> = (0..10).map(|i| i * 33_000).collect();
    let dense_values = vec![5.0; 300];
    let sparse_values = vec![5.0; 10];
    let mut opts = options(TimeRange::new(0, 299_000));
    opts.thresholds.clear();
    let circles = |times: &[i64], values: &[f64], show: ShowPoints| {
        let mut series = line(times, values, AxisSide::Left);
        series.show_points = show;
        let (svg, _) = render_svg(&[series], &opts, 600, 200);
        svg.matches("<circle").count()
    };
    assert_eq!(circles(&sparse_times, &sparse_values, ShowPoints::Auto), 10);
    assert_eq!(circles(&dense_times, &dense_values, ShowPoints::Auto), 0);
    assert_eq!(circles(&sparse_times, &sparse_values, ShowPoints::Never), 0);
    // Always: one per sample, or fewer where decimation puts several in one pixel column.
    let always = circles(&dense_times, &dense_values, ShowPoints::Always);
    assert!(always > 100, "{always}");
}
