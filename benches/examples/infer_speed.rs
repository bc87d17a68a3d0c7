//! Time of the eligibility text reader over every `eligibility_description` of a real HSDS
//! feed (the import cost of `infer_eligibility`), best of several passes.
//!
//! `cargo run --release -p passerelle-benches --example infer_speed -- DIR [PASSES]`
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: infer_speed DIR [PASSES]")?;
    let passes: usize = args.next().map(|p| p.parse()).transpose()?.unwrap_or(5);
    let mut rd = csv::Reader::from_path(std::path::Path::new(&dir).join("services.csv"))?;
    let col = rd
        .headers()?
        .iter()
        .position(|h| h == "eligibility_description")
        .ok_or("no eligibility_description column")?;
    let texts: Vec<String> = rd
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(col).map(str::to_owned))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let (mut best, mut read) = (f64::MAX, 0);
    for _ in 0..passes {
        let t = Instant::now();
        read = texts
            .iter()
            .map(|t| passerelle::rules::infer_conditions(t).len())
            .sum();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} texts, {} KB, {} conditions: best {:.1} ms ({:.1} µs per text)",
        texts.len(),
        bytes / 1024,
        read,
        best * 1e3,
        best * 1e6 / texts.len().max(1) as f64
    );
    Ok(())
}
