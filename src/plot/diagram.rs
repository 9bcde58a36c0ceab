//! Diagrams of networks and computational graphs, drawn from the numbers of a real run so that a
//! picture cannot drift from the code: units, bias units and edges, each optionally labelled.

use std::collections::HashMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{BLUE, DrawResult, RED};
use crate::network::Network;

/// What a node is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A unit: a circle.
    Unit,
    /// A bias unit, whose value is always 1: a small square.
    Bias,
    /// A step of a computation (z = w·x + b, a = σ(z), …): a rounded box.
    Step,
    /// Dots standing for units a schematic leaves out.
    Ellipsis,
}

/// One node, placed at `at` as fractions (0..1) of the drawing's width and height.
#[derive(Debug, Clone)]
pub struct Node {
    pub at: (f64, f64),
    pub shape: Shape,
    /// Written inside (or beside, for small shapes) the node.
    pub label: String,
    /// Written under the node: a value such as z, a or δ.
    pub note: Option<String>,
}

/// One edge from node `from` to node `to`.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// Written on the edge, on a white box.
    pub label: Option<String>,
    /// Where along the edge the label sits (0 at `from`, 1 at `to`).
    pub label_at: f64,
    pub colour: RGBColor,
    pub width: u32,
    /// Draw an arrowhead at `from` instead of `to`: something flowing back (the backward pass).
    pub backward: bool,
}

/// Nodes and edges, with captions over columns of nodes.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// (x as a fraction of the width, caption) written along the top.
    pub captions: Vec<(f64, String)>,
}

const UNIT_RADIUS: i32 = 24;
const GREY: RGBColor = RGBColor(150, 150, 150);

impl Graph {
    /// Adds a node and returns its index.
    pub fn node(&mut self, at: (f64, f64), shape: Shape, label: impl Into<String>) -> usize {
        self.nodes.push(Node {
            at,
            shape,
            label: label.into(),
            note: None,
        });
        self.nodes.len() - 1
    }

    /// Adds a plain edge and returns its index.
    pub fn edge(&mut self, from: usize, to: usize) -> usize {
        self.edges.push(Edge {
            from,
            to,
            label: None,
            label_at: 0.5,
            colour: GREY,
            width: 1,
            backward: false,
        });
        self.edges.len() - 1
    }

    /// Draws every edge, then every node, then the labels, so that no line crosses a label.
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (w, h) = root.dim_in_pixel();
        let px = |(x, y): (f64, f64)| ((x * f64::from(w)) as i32, (y * f64::from(h)) as i32);
        let font = ("sans-serif", 15).into_font();
        let small = ("sans-serif", 13).into_font();
        let centre = Pos::new(HPos::Center, VPos::Center);
        // Units shrink where a column is crowded, so that neighbours never overlap.
        let placed: Vec<(i32, i32)> = self.nodes.iter().map(|n| px(n.at)).collect();
        let crowded = placed
            .iter()
            .enumerate()
            .flat_map(|(i, a)| placed[i + 1..].iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.0 == b.0)
            .map(|(a, b)| (a.1 - b.1).abs())
            .min()
            .unwrap_or(i32::MAX);
        let radius = UNIT_RADIUS.min(crowded * 2 / 5).max(6);
        // Half the width and height of each node, where arrows stop.
        let extent = |node: &Node| match node.shape {
            Shape::Step => (text_width(root, &node.label, &font) / 2 + 10, 18),
            Shape::Bias => (radius * 2 / 3, radius * 2 / 3),
            _ => (radius, radius),
        };
        for edge in &self.edges {
            let (a, b) = (px(self.nodes[edge.from].at), px(self.nodes[edge.to].at));
            let style = edge.colour.stroke_width(edge.width);
            root.draw(&PathElement::new(vec![a, b], style))?;
            let (tip, tail, at) = if edge.backward {
                (a, b, &self.nodes[edge.from])
            } else {
                (b, a, &self.nodes[edge.to])
            };
            root.draw(&arrowhead(tail, tip, extent(at), edge.colour))?;
        }
        for node in &self.nodes {
            let at = px(node.at);
            match node.shape {
                Shape::Unit => {
                    root.draw(&Circle::new(at, radius, WHITE.filled()))?;
                    root.draw(&Circle::new(at, radius, BLACK.stroke_width(2)))?;
                }
                Shape::Bias => {
                    let r = radius * 2 / 3;
                    let corners = [(at.0 - r, at.1 - r), (at.0 + r, at.1 + r)];
                    root.draw(&Rectangle::new(corners, RGBColor(240, 240, 240).filled()))?;
                    root.draw(&Rectangle::new(corners, BLACK.stroke_width(1)))?;
                }
                Shape::Step => {
                    let (dx, dy) = (text_width(root, &node.label, &font) / 2 + 10, 18);
                    let corners = [(at.0 - dx, at.1 - dy), (at.0 + dx, at.1 + dy)];
                    root.draw(&Rectangle::new(corners, WHITE.filled()))?;
                    root.draw(&Rectangle::new(corners, BLACK.stroke_width(2)))?;
                }
                Shape::Ellipsis => {}
            }
            let style = TextStyle::from(font.clone()).pos(centre);
            root.draw(&Text::new(node.label.clone(), at, style))?;
            if let Some(note) = &node.note {
                let below = (at.0, at.1 + radius.max(18) + 13);
                label_box(root, note, below, &small)?;
            }
        }
        for edge in &self.edges {
            if let Some(label) = &edge.label {
                let (a, b) = (px(self.nodes[edge.from].at), px(self.nodes[edge.to].at));
                let t = edge.label_at;
                let at = (
                    a.0 + (f64::from(b.0 - a.0) * t) as i32,
                    a.1 + (f64::from(b.1 - a.1) * t) as i32,
                );
                label_box(root, label, at, &small)?;
            }
        }
        for (x, caption) in &self.captions {
            let style = TextStyle::from(font.clone()).pos(centre);
            root.draw(&Text::new(caption.clone(), px((*x, 0.05)), style))?;
        }
        Ok(())
    }
}

/// The width of `text` in pixels, as the backend lays it out.
fn text_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    font: &FontDesc,
) -> i32 {
    root.estimate_text_size(text, &TextStyle::from(font.clone()))
        .map_or(8 * text.len() as i32, |(w, _)| w as i32)
}

/// `text` centred at `at` on a white box, so that it stays legible over lines.
fn label_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    font: &FontDesc,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (dx, dy) = (text_width(root, text, font) / 2 + 3, 9);
    let corners = [(at.0 - dx, at.1 - dy), (at.0 + dx, at.1 + dy)];
    root.draw(&Rectangle::new(corners, WHITE.filled()))?;
    let style = TextStyle::from(font.clone()).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(text.to_string(), at, style))?;
    Ok(())
}

/// A filled triangle pointing from `tail` to `tip`, stopping where the line leaves a node of
/// half-width and half-height `extent` around `tip` (a circle's radius, or a box's sides).
fn arrowhead(
    tail: (i32, i32),
    tip: (i32, i32),
    extent: (i32, i32),
    colour: RGBColor,
) -> Polygon<(i32, i32)> {
    let (dx, dy) = (f64::from(tip.0 - tail.0), f64::from(tip.1 - tail.1));
    let length = dx.hypot(dy).max(1.0);
    let (ux, uy) = (dx / length, dy / length);
    let along = |half: i32, u: f64| f64::from(half) / u.abs().max(1e-9);
    // A circle (equal extents) stops at its radius; a box where the line crosses its border.
    let stop = if extent.0 == extent.1 {
        f64::from(extent.0)
    } else {
        along(extent.0, ux).min(along(extent.1, uy))
    } + 2.0;
    let end = (f64::from(tip.0) - ux * stop, f64::from(tip.1) - uy * stop);
    let back = (end.0 - ux * 10.0, end.1 - uy * 10.0);
    let point = |x: f64, y: f64| (x as i32, y as i32);
    Polygon::new(
        vec![
            point(end.0, end.1),
            point(back.0 - uy * 4.0, back.1 + ux * 4.0),
            point(back.0 + uy * 4.0, back.1 - ux * 4.0),
        ],
        colour.filled(),
    )
}

/// A layered network as a [`Graph`]: layer l's units in column l, the bias unit on top of every
/// layer but the last, an edge for every weight Θ^(l)_ij. Units and edges are addressed as in
/// Θ: unit 0 of a layer is its bias, units 1.. its real units.
#[derive(Debug, Clone)]
pub struct NetworkDiagram {
    pub graph: Graph,
    units: Vec<HashMap<usize, usize>>,
    edges: HashMap<(usize, usize, usize), usize>,
}

impl NetworkDiagram {
    /// Every unit of layers of `sizes` (without bias), with a caption over each layer; at most
    /// `shown` units are drawn per layer, the rest stand behind dots (a schematic).
    pub fn new(sizes: &[usize], captions: &[&str], shown: usize) -> Self {
        let mut graph = Graph::default();
        let layers = sizes.len();
        let column = |l: usize| 0.1 + 0.8 * l as f64 / (layers - 1).max(1) as f64;
        let mut units = Vec::new();
        for (l, &n) in sizes.iter().enumerate() {
            let bias = l + 1 < layers;
            // Which of units 1..=n are drawn: all, or the first shown − 1 and the last one.
            let drawn: Vec<Option<usize>> = if n <= shown {
                (1..=n).map(Some).collect()
            } else {
                (1..shown).map(Some).chain([None, Some(n)]).collect()
            };
            let rows = drawn.len() + usize::from(bias);
            let row = |r: usize| 0.18 + 0.74 * (r as f64 + 0.5) / rows as f64;
            let mut index = HashMap::new();
            if bias {
                index.insert(0, graph.node((column(l), row(0)), Shape::Bias, "+1"));
            }
            for (r, unit) in drawn.iter().enumerate() {
                let at = (column(l), row(r + usize::from(bias)));
                match unit {
                    Some(j) => {
                        index.insert(*j, graph.node(at, Shape::Unit, ""));
                    }
                    None => {
                        graph.node(at, Shape::Ellipsis, "⋮");
                    }
                }
            }
            units.push(index);
            let caption = captions.get(l).map_or(String::new(), |c| c.to_string());
            graph.captions.push((column(l), caption));
        }
        let mut edges = HashMap::new();
        for l in 0..layers - 1 {
            let (from_units, to_units) = (&units[l], &units[l + 1]);
            let mut sources: Vec<_> = from_units.iter().collect();
            sources.sort();
            let mut targets: Vec<_> = to_units.iter().filter(|(j, _)| **j > 0).collect();
            targets.sort();
            for &(&i, &to) in &targets {
                for &(&j, &from) in &sources {
                    let e = graph.edge(from, to);
                    edges.insert((l, i - 1, j), e);
                }
            }
        }
        NetworkDiagram {
            graph,
            units,
            edges,
        }
    }

    /// The diagram of `net`, each edge coloured by its weight's sign (blue positive, red
    /// negative) and as thick as its size, the largest weight 4 pixels.
    pub fn of(net: &Network, captions: &[&str], shown: usize) -> Self {
        let mut diagram = NetworkDiagram::new(&net.sizes(), captions, shown);
        let largest = net
            .thetas()
            .iter()
            .flat_map(|t| t.iter())
            .fold(0.0f64, |m, w| m.max(w.abs()))
            .max(f64::MIN_POSITIVE);
        for (&(l, i, j), &e) in &diagram.edges {
            let w = net.thetas()[l][[i, j]];
            let edge = &mut diagram.graph.edges[e];
            edge.colour = if w >= 0.0 { BLUE } else { RED };
            edge.width = 1 + (3.0 * w.abs() / largest).round() as u32;
        }
        diagram
    }

    /// The edge of Θ^(l)[i, j] (layer l 0-based, i its row, j its column: 0 for the bias).
    pub fn edge_mut(&mut self, l: usize, i: usize, j: usize) -> Option<&mut Edge> {
        let e = *self.edges.get(&(l, i, j))?;
        Some(&mut self.graph.edges[e])
    }

    /// Labels the edge of Θ^(l)[i, j]; places the label nearer the source for the first target
    /// unit and nearer the target for the second, so that crossing edges keep their labels apart.
    pub fn label_edge(&mut self, l: usize, i: usize, j: usize, label: impl Into<String>) {
        if let Some(edge) = self.edge_mut(l, i, j) {
            edge.label = Some(label.into());
            edge.label_at = if i.is_multiple_of(2) { 0.3 } else { 0.7 };
        }
    }

    /// Writes `label` inside unit `j` (1-based, as Θ's columns count) of layer `l`.
    pub fn label_unit(&mut self, l: usize, j: usize, label: impl Into<String>) {
        if let Some(&n) = self.units.get(l).and_then(|u| u.get(&j)) {
            self.graph.nodes[n].label = label.into();
        }
    }

    /// Writes `note` under unit `j` of layer `l`: a value such as z, a or δ.
    pub fn note_unit(&mut self, l: usize, j: usize, note: impl Into<String>) {
        if let Some(&n) = self.units.get(l).and_then(|u| u.get(&j)) {
            self.graph.nodes[n].note = Some(note.into());
        }
    }

    /// Turns every edge's arrow around: the backward pass.
    pub fn backward(&mut self) {
        for edge in &mut self.graph.edges {
            edge.backward = true;
        }
    }

    /// Draws the diagram on `root`.
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        self.graph.draw(root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worked::{NOTE_NET, PARAMETERS};

    /// The text of every `<text>` element of an SVG, in order.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .and_then(|(_, rest)| rest.split_once("</text>"))
            })
            .map(|(inner, _)| inner.trim().to_string())
            .collect()
    }

    fn draw(diagram: &NetworkDiagram) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
            diagram.draw(&root).unwrap();
            root.present().unwrap();
        }
        svg
    }

    #[test]
    fn the_w5_edge_shows_the_networks_w5() {
        let net = NOTE_NET.network().unwrap();
        let mut diagram = NetworkDiagram::of(&net, &["input", "hidden", "output"], 6);
        for (name, l, i, j) in PARAMETERS {
            let value = net.thetas()[l][[i, j]];
            diagram.label_edge(l, i, j, format!("{name} = {value:.2}"));
        }
        let labels = texts(&draw(&diagram));
        let w5 = labels
            .iter()
            .find_map(|t| t.strip_prefix("w5 = "))
            .expect("the w5 edge is labelled");
        let (l, i, j) = (1, 0, 1); // w5: hidden unit 1 to output unit 1
        assert_eq!(w5.parse::<f64>().unwrap(), net.thetas()[l][[i, j]]);
        assert_eq!(labels.iter().filter(|t| t.contains(" = ")).count(), 12);
        assert!(labels.iter().any(|t| t == "+1"), "bias units are drawn");
    }

    #[test]
    fn a_schematic_draws_some_units_and_dots() {
        let diagram = NetworkDiagram::new(&[400, 25, 10], &["400", "25", "10"], 5);
        let units = |shape| {
            diagram
                .graph
                .nodes
                .iter()
                .filter(|n| n.shape == shape)
                .count()
        };
        assert_eq!(
            (
                units(Shape::Unit),
                units(Shape::Ellipsis),
                units(Shape::Bias)
            ),
            (15, 3, 2)
        );
        // Edges join drawn units only: (bias + 5) × 5 + (bias + 5) × 5.
        assert_eq!(diagram.graph.edges.len(), 60);
        assert!(texts(&draw(&diagram)).iter().any(|t| t == "⋮"));
    }

    #[test]
    fn the_same_diagram_draws_the_same_bytes() {
        let net = NOTE_NET.network().unwrap();
        let diagram = NetworkDiagram::of(&net, &[], 6);
        assert_eq!(draw(&diagram), draw(&diagram));
    }
}
