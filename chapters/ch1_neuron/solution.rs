//! Chapter 1's exercise, solved: the perceptron rule, written out in full.
//! `cargo xtask grade perceptron --file` this.

/// The unit step: class 1 (blue) for z > 0, else 0 (red): a point on the line is red.
fn step(z: f64) -> u8 {
    u8::from(z > 0.0)
}

/// Learns a line w·x + b = 0 that puts the points labelled 1 on its positive side and those
/// labelled 0 on the other, starting from w = 0, b = 0. Returns w, b and the number of
/// mistakes in each epoch (a pass over all points in order).
pub fn perceptron(
    points: &[[f64; 2]],
    labels: &[u8],
    learning_rate: f64,
    max_epochs: usize,
) -> ([f64; 2], f64, Vec<usize>) {
    let (mut w, mut b) = ([0.0, 0.0], 0.0);
    let mut mistakes = Vec::new();
    for _ in 0..max_epochs {
        let mut wrong = 0;
        for (x, &y) in points.iter().zip(labels) {
            let predicted = step(w[0] * x[0] + w[1] * x[1] + b);
            // y − ŷ is +1 (blue called red), −1 (red called blue) or 0 (right: no change).
            let error = f64::from(y) - f64::from(predicted);
            w[0] += learning_rate * error * x[0];
            w[1] += learning_rate * error * x[1];
            b += learning_rate * error;
            if error != 0.0 {
                wrong += 1;
            }
        }
        mistakes.push(wrong);
        // An epoch without a mistake: the line separates the points, and nothing would change.
        if wrong == 0 {
            break;
        }
    }
    (w, b, mistakes)
}
