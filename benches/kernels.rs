//! Micro-benchmarks (criterion): each fast path next to the readable code it replaces, on the
//! exercise's shapes. `cargo bench --bench kernels`; `cargo xtask bench` times whole tasks.

use backprop_book::activation::Activation;
use backprop_book::fast::gemm::{Rows, dot_products, outer_products_add, padded};
use backprop_book::fast::{self, vmath};
use criterion::{Criterion, criterion_group, criterion_main};
use ndarray::Array2;
use rand::RngExt;
use std::hint::black_box;

fn random(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut rng = backprop_book::data::rng(seed);
    Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-1.0..1.0))
}

/// Rows `start..` of a standard-layout matrix, as the kernels take them.
fn rows_from(a: &Array2<f64>, start: usize) -> Rows<'_> {
    Rows {
        data: &a.as_slice().expect("standard layout")[start * a.ncols()..],
        stride: a.ncols(),
    }
}

/// The two big products of one evaluation, 5000 × 400 by 25, in the 60-row blocks the fast
/// cost and gradient uses, next to ndarray's `dot` of the whole matrices.
fn products(c: &mut Criterion) {
    let (m, n, h, block) = (5000, 400, 25, 60);
    let x = random(m, n, 1);
    let theta = random(h, n, 2);
    let width = padded(h);
    let zeros = vec![0.0; width];
    let mut out = vec![0.0; block * width];
    let w_rows = rows_from(&theta, 0);
    let mut g = c.benchmark_group("Z = X·Wᵀ, 5000×400 by 400×25");
    g.bench_function("ndarray dot", |b| b.iter(|| black_box(x.dot(&theta.t()))));
    g.bench_function("fast::gemm::dot_products", |b| {
        b.iter(|| {
            for start in (0..m).step_by(block) {
                let rows = block.min(m - start);
                let x_rows = rows_from(&x, start);
                dot_products(
                    x_rows,
                    w_rows,
                    n,
                    rows,
                    h,
                    &zeros,
                    width,
                    black_box(&mut out),
                );
            }
        })
    });
    g.bench_function("fast::gemm::dot_products, one block in cache", |b| {
        let x_rows = rows_from(&x, 0);
        b.iter(|| {
            for _ in 0..m / block {
                dot_products(
                    x_rows,
                    w_rows,
                    n,
                    block,
                    h,
                    &zeros,
                    width,
                    black_box(&mut out),
                );
            }
        })
    });
    g.finish();
    let d = random(m, width, 3);
    let mut acc = vec![0.0; h * n];
    let mut g = c.benchmark_group("Δ = δᵀ·X, 25×5000 by 5000×400");
    g.bench_function("ndarray dot", |b| b.iter(|| black_box(d.t().dot(&x))));
    g.bench_function("fast::gemm::outer_products_add", |b| {
        b.iter(|| {
            for start in (0..m).step_by(block) {
                let rows = block.min(m - start);
                let x_rows = rows_from(&x, start);
                let d_rows = rows_from(&d, start);
                outer_products_add(d_rows, x_rows, rows, h, n, black_box(&mut acc));
            }
        })
    });
    // One 60-row block over and over: the operands stay in cache, so this is the kernels' own
    // speed, without the trip to memory for X.
    g.bench_function("fast::gemm::outer_products_add, one block in cache", |b| {
        let x_rows = rows_from(&x, 0);
        let d_rows = rows_from(&d, 0);
        b.iter(|| {
            for _ in 0..m / block {
                outer_products_add(d_rows, x_rows, block, h, n, black_box(&mut acc));
            }
        })
    });
    g.finish();
}

fn elementwise(c: &mut Criterion) {
    let z = random(5000, 25, 4);
    let mut g = c.benchmark_group("σ of 5000×25");
    g.bench_function("readable mapv", |b| {
        b.iter(|| black_box(Activation::Sigmoid.apply_all(&z)))
    });
    g.bench_function("fast::vmath::sigmoid_in_place", |b| {
        let mut v = z.clone().into_raw_vec_and_offset().0;
        b.iter(|| vmath::sigmoid_in_place(black_box(&mut v)))
    });
    g.finish();
}

fn cost_and_gradient(c: &mut Criterion) {
    let x = random(5000, 400, 5).mapv(f64::abs);
    let classes: Vec<usize> = (0..5000).map(|i| i % 10).collect();
    let y = backprop_book::cost::one_hot(&classes, 10).unwrap();
    let net = backprop_book::init::uniform_network(
        &[400, 25, 10],
        0.12,
        &mut backprop_book::data::rng(6),
    )
    .unwrap();
    let mut g = c.benchmark_group("cost and gradient, 400-25-10 on 5000 examples");
    g.sample_size(20);
    g.bench_function("readable backprop::cost_and_gradient", |b| {
        b.iter(|| backprop_book::optimize::backpropagation(&net, x.view(), y.view(), 1.0).unwrap())
    });
    g.bench_function("fast::cost_and_gradient", |b| {
        b.iter(|| fast::cost_and_gradient(&net, x.view(), y.view(), 1.0).unwrap())
    });
    g.finish();
}

criterion_group!(benches, products, elementwise, cost_and_gradient);
criterion_main!(benches);
