//! Micro-benchmarks (criterion): each fast path next to the readable code it replaces, on the
//! exercise's shapes. `cargo bench --bench kernels`; `cargo xtask bench` times whole tasks.

use backprop_book::activation::Activation;
use backprop_book::fast::gemm::{Rows, padded, product_into, transposed_product_add};
use backprop_book::fast::{self, vmath};
use criterion::{Criterion, criterion_group, criterion_main};
use ndarray::Array2;
use rand::RngExt;
use std::hint::black_box;

fn random(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut rng = backprop_book::data::rng(seed);
    Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-1.0..1.0))
}

fn products(c: &mut Criterion) {
    let (m, n, h) = (5000, 400, 25);
    let x = random(m, n, 1);
    let w = random(n, h, 2);
    let width = padded(h);
    let mut w_pad = vec![0.0; n * width];
    for ((k, j), v) in w.indexed_iter() {
        w_pad[k * width + j] = *v;
    }
    let init = vec![0.0; width];
    let mut out = vec![0.0; m * width];
    let rows = Rows {
        data: x.as_slice().unwrap(),
        stride: n,
    };
    let mut g = c.benchmark_group("X·W, 5000×400 by 400×25");
    g.bench_function("ndarray dot", |b| b.iter(|| black_box(x.dot(&w))));
    g.bench_function("fast::gemm::product_into", |b| {
        b.iter(|| product_into(rows, n, m, &w_pad, &init, width, black_box(&mut out)))
    });
    g.finish();
    let d = random(m, width, 3);
    let mut acc = vec![0.0; n * width];
    let mut g = c.benchmark_group("Xᵀ·δ, 400×5000 by 5000×25");
    g.bench_function("ndarray dot", |b| b.iter(|| black_box(x.t().dot(&d))));
    g.bench_function("fast::gemm::transposed_product_add", |b| {
        b.iter(|| {
            transposed_product_add(
                rows,
                n,
                m,
                d.as_slice().unwrap(),
                width,
                black_box(&mut acc),
            )
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
        b.iter(|| fast::backprop::readable(&net, x.view(), y.view(), 1.0).unwrap())
    });
    g.bench_function("fast::cost_and_gradient", |b| {
        b.iter(|| fast::cost_and_gradient(&net, x.view(), y.view(), 1.0).unwrap())
    });
    g.finish();
}

criterion_group!(benches, products, elementwise, cost_and_gradient);
criterion_main!(benches);
