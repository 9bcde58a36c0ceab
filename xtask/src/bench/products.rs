//! cost_grad's two plain products, our kernels beside the `gemm` crate, as `tasks products`
//! printed them (`benches/tasks/products.rs`).

use serde_json::Value;

use crate::Result;

/// One product's median times: ours, the crate on the whole matrices, the crate on 60-row blocks.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Product {
    pub(super) name: String,
    pub(super) ours: f64,
    pub(super) gemm: f64,
    pub(super) gemm_blocks: f64,
    /// The largest difference between the results, relative to the largest entry.
    pub(super) difference: f64,
}

pub(super) fn parse(line: &str) -> Result<Vec<Product>> {
    let json: Value = serde_json::from_str(line).map_err(|e| format!("products: {e} in {line}"))?;
    let list = json["products"]
        .as_array()
        .ok_or(format!("products: no list \"products\" in {line}"))?;
    list.iter()
        .map(|p| {
            let num = |name: &str| {
                p[name]
                    .as_f64()
                    .ok_or(format!("products: no number {name:?} in {p}"))
            };
            let product = Product {
                name: p["product"]
                    .as_str()
                    .ok_or("products: a product without a name")?
                    .into(),
                ours: num("ours")?,
                gemm: num("gemm")?,
                gemm_blocks: num("gemm_blocks")?,
                difference: num("largest_difference")?,
            };
            if product.difference > 1e-12 {
                return Err(format!(
                    "products: {}: ours and the gemm crate differ by {:e} (relative), expected \
                     rounding only",
                    product.name, product.difference
                ));
            }
            Ok(product)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_products_and_refuses_results_that_differ() {
        let line = r#"{"task": "products", "products": [{"product": "Z = X·Wᵀ", "ours": 5e-3, "gemm": 8e-3, "gemm_blocks": 1e-2, "largest_difference": 1.4e-15}]}"#;
        let p = parse(line).unwrap();
        assert_eq!(p[0].name, "Z = X·Wᵀ");
        assert_eq!((p[0].ours, p[0].gemm, p[0].gemm_blocks), (5e-3, 8e-3, 1e-2));
        assert!(parse(&line.replace("1.4e-15", "1e-3")).is_err());
        assert!(parse("{}").is_err());
    }
}
