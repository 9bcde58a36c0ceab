//! The grader's printout: the compiler's messages when the file does not build, the notes on
//! which inputs were used, one table row per part, and the total.

use crate::Outcome;

/// How wide the feedback column may run before it wraps.
const FEEDBACK_WIDTH: usize = 72;

/// `text` cut into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("at least one line");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n)))
}

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    if let Some(messages) = &outcome.compiler {
        out += messages.trim_end();
        out += "\n\nThe file does not compile, so every part gets 0 points. It may use std, ndarray and\n\
                 rand (not the book's library: the exercise is to write it). The grader calls:\n";
        for sig in &outcome.signatures {
            out += &format!("    {sig}\n");
        }
        out += "\n";
    }
    out += &format!(
        "{}: {}\nfile: {}\n",
        outcome.exercise.name,
        outcome.exercise.title,
        outcome.file.display()
    );
    for note in &outcome.notes {
        for line in wrap(note, FEEDBACK_WIDTH + 28) {
            out += &format!("{line}\n");
        }
    }
    out += "\n";
    let header = ["part", "what it checks", "result", "points", "feedback"];
    let cells: Vec<[String; 4]> = outcome
        .rows
        .iter()
        .map(|row| {
            let points = if row.part.points == 0 {
                "ungraded".to_string()
            } else {
                format!("{}/{}", row.points(), row.part.points)
            };
            [
                row.part.id.to_string(),
                row.part.checks.to_string(),
                row.word().to_string(),
                points,
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            cells
                .iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lead: usize = widths.iter().map(|w| w + 2).sum();
    let line = |cols: [&str; 4], feedback: &str| {
        let mut s = String::new();
        for (c, text) in cols.iter().enumerate() {
            s += &pad(text, widths[c] + 2);
        }
        (s + feedback).trim_end().to_string() + "\n"
    };
    out += &line([header[0], header[1], header[2], header[3]], header[4]);
    for (row, cols) in outcome.rows.iter().zip(&cells) {
        let feedback = wrap(&row.feedback(), FEEDBACK_WIDTH);
        out += &line([&cols[0], &cols[1], &cols[2], &cols[3]], &feedback[0]);
        for more in &feedback[1..] {
            out += &format!("{}{more}\n", " ".repeat(lead));
        }
    }
    let total = format!("{}/{}", outcome.score(), outcome.possible());
    out += &line(["total", "", "", &total], "");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_feedback_wraps_at_spaces() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("", 6), [""]);
        assert_eq!(pad("λ", 3), "λ  ");
    }
}
