//! Figures: drawn with plotters into memory, then written whole (see [`crate::output`]).
//! SVG for charts; the text is laid out with the machine's DejaVu fonts but nothing of the
//! machine (paths, dates) ends up in the file, so a redraw is byte-for-byte the same.

use std::path::{Path, PathBuf};

use plotters::coord::{ReverseCoordTranslate, Shift};
use plotters::prelude::*;

use crate::output::write_atomic;

pub mod diagram;
use crate::{Error, Result};

/// Class 0 ("red") in every figure.
pub const RED: RGBColor = RGBColor(214, 39, 40);
/// Class 1 ("blue") in every figure.
pub const BLUE: RGBColor = RGBColor(31, 119, 180);
/// Colours for several curves in one chart.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// What a drawing closure returns: any plotters error, turned into [`Error::Plot`] by the caller.
pub type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// Draws an SVG of `size` pixels with `draw` and writes it to `dir/file`; returns the path.
pub fn save_svg(
    dir: &Path,
    file: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> DrawResult,
) -> Result<PathBuf> {
    let plot_error = |e: Box<dyn std::error::Error>| Error::Plot {
        figure: file.to_string(),
        message: e.to_string(),
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_error(e.into()))?;
        draw(&root).map_err(plot_error)?;
        root.present().map_err(|e| plot_error(e.into()))?;
    }
    let path = dir.join(file);
    write_atomic(&path, svg.as_bytes())?;
    eprintln!("wrote {}", path.display());
    Ok(path)
}

/// Draws a PNG of `size` pixels with `draw` and writes it to `dir/file`; returns the path.
/// For pixel grids (digits, decision regions evaluated on a fine grid).
pub fn save_png(
    dir: &Path,
    file: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> DrawResult,
) -> Result<PathBuf> {
    let plot_error = |e: Box<dyn std::error::Error>| Error::Plot {
        figure: file.to_string(),
        message: e.to_string(),
    };
    let mut pixels = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_error(e.into()))?;
        draw(&root).map_err(plot_error)?;
        root.present().map_err(|e| plot_error(e.into()))?;
    }
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &pixels,
        size.0,
        size.1,
        image::ColorType::Rgb8,
    )
    .map_err(|e| plot_error(e.into()))?;
    let path = dir.join(file);
    write_atomic(&path, &png)?;
    eprintln!("wrote {}", path.display());
    Ok(path)
}

/// Tints every pixel of the chart's plotting area by `p` (see [`region_colour`]) evaluated at
/// the point of the grid with spacing `step` (anchored at the chart's lower-left corner) nearest
/// to that pixel. Only grid points that some pixel shows are evaluated, in one batch: one row of
/// the matrix passed to `p` per point, so a network evaluates them all in one forward pass.
pub fn draw_grid<DB: DrawingBackend>(
    chart: &ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    step: f64,
    p: impl Fn(ndarray::ArrayView2<f64>) -> Result<Vec<f64>>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let area = chart.plotting_area();
    let (x0, y0) = (area.get_x_range().start, area.get_y_range().start);
    let snap = |v: f64, origin: f64| origin + ((v - origin) / step).round() * step;
    let (xs, ys) = area.get_pixel_range();
    let spec = chart.as_coord_spec();
    let pixels: Vec<(f64, f64)> = xs
        .flat_map(|px| ys.clone().map(move |py| (px, py)))
        .filter_map(|pixel| spec.reverse_translate(pixel))
        .collect();
    let points = ndarray::Array2::from_shape_fn((pixels.len(), 2), |(i, c)| {
        if c == 0 {
            snap(pixels[i].0, x0)
        } else {
            snap(pixels[i].1, y0)
        }
    });
    let values = p(points.view())?;
    for (&(x, y), &v) in pixels.iter().zip(&values) {
        area.draw_pixel((x, y), &region_colour(v))?;
    }
    Ok(())
}

/// Draws square images in a grid of `cols` columns, each image `scale` screen pixels per image
/// pixel with a 2-pixel gap, in grey levels stretched to each image's own range (dark = low), as
/// the course's `displayData` does. `root` must be at least [`image_grid_size`] large.
pub fn draw_images(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    images: &[ndarray::Array2<f64>],
    cols: usize,
    scale: u32,
) -> DrawResult {
    let gap = 2;
    for (k, image) in images.iter().enumerate() {
        let (lo, hi) = image
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        let span = if hi > lo { hi - lo } else { 1.0 };
        let side = image.nrows() as u32;
        let (x0, y0) = (
            gap + (k % cols) as u32 * (side * scale + gap),
            gap + (k / cols) as u32 * (side * scale + gap),
        );
        for ((r, c), &v) in image.indexed_iter() {
            let level = (255.0 * (v - lo) / span).round() as u8;
            let (x, y) = (
                (x0 + c as u32 * scale) as i32,
                (y0 + r as u32 * scale) as i32,
            );
            for (dx, dy) in
                (0..scale as i32).flat_map(|dx| (0..scale as i32).map(move |dy| (dx, dy)))
            {
                root.draw_pixel((x + dx, y + dy), &RGBColor(level, level, level))?;
            }
        }
    }
    Ok(())
}

/// The pixel size of a grid of `count` images of `side` × `side` drawn by [`draw_images`].
pub fn image_grid_size(count: usize, cols: usize, side: usize, scale: u32) -> (u32, u32) {
    let rows = count.div_ceil(cols) as u32;
    let cell = side as u32 * scale + 2;
    (2 + cols as u32 * cell, 2 + rows * cell)
}

/// Mixes `a` and `b`: t = 0 gives `a`, t = 1 gives `b`.
pub fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let c = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

/// The tint of a decision region where the network outputs `p` = P(class 1): pale red through
/// white (undecided, p = 0.5) to pale blue.
pub fn region_colour(p: f64) -> RGBColor {
    let pale = |c: RGBColor| mix(c, WHITE, 0.7);
    if p < 0.5 {
        mix(pale(RED), WHITE, p * 2.0)
    } else {
        mix(WHITE, pale(BLUE), (p - 0.5) * 2.0)
    }
}

/// Fills the plotting area of `chart` with `cells × cells` rectangles tinted by `p(x, y)`.
pub fn draw_regions<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    x: (f64, f64),
    y: (f64, f64),
    cells: usize,
    p: impl Fn(f64, f64) -> f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (dx, dy) = ((x.1 - x.0) / cells as f64, (y.1 - y.0) / cells as f64);
    let rects = (0..cells)
        .flat_map(|i| (0..cells).map(move |j| (i, j)))
        .map(|(i, j)| {
            let (x0, y0) = (x.0 + i as f64 * dx, y.0 + j as f64 * dy);
            let colour = region_colour(p(x0 + dx / 2.0, y0 + dy / 2.0));
            Rectangle::new([(x0, y0), (x0 + dx, y0 + dy)], colour.filled())
        });
    chart.draw_series(rects)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_colours_run_from_red_through_white_to_blue() {
        assert_eq!(region_colour(0.5), WHITE);
        assert_eq!(region_colour(0.0), mix(RED, WHITE, 0.7));
        assert_eq!(region_colour(1.0), mix(BLUE, WHITE, 0.7));
    }

    #[test]
    fn svg_is_written_and_identical_on_redraw() {
        let dir = tempfile::tempdir().unwrap();
        let draw = |root: &DrawingArea<SVGBackend, Shift>| -> DrawResult {
            let mut chart = ChartBuilder::on(root)
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(30)
                .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
            chart.configure_mesh().draw()?;
            chart.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], &BLUE))?;
            Ok(())
        };
        let first =
            std::fs::read(save_svg(dir.path(), "a.svg", (200, 150), draw).unwrap()).unwrap();
        let second =
            std::fs::read(save_svg(dir.path(), "b.svg", (200, 150), draw).unwrap()).unwrap();
        assert_eq!(first, second);
        let text = String::from_utf8(first).unwrap();
        assert!(text.starts_with("<svg") && !text.contains(dir.path().to_str().unwrap()));
    }
}
