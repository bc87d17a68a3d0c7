//! The shortest useful program: build a navigator over the embedded sample, ask one question,
//! print the top results in French.
//!
//! ```sh
//! cargo run -p passerelle --example quickstart
//! ```

use passerelle::{
    matching::DeliveryPreference,
    model::{GeoPoint, LangCode},
    Directory, Navigator, NavigatorOptions, Need, Query,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (nav, _report) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
    let mut profile = nav.catalog().profile();
    profile.set("age", 78.into())?;
    let query = Query::new([Need::text("popote roulante")])
        .near(GeoPoint::new(45.4396, -75.6641)?, 5_000.0)
        .delivery(DeliveryPreference::HomeVisit)
        .profile(profile);
    let results = nav.search(&query)?;
    let fr = LangCode::fr();
    for m in results.matches() {
        println!("{}. {} ({})", m.rank, m.service_name.get(&fr), m.service_id);
        for reason in m.reasons.iter().take(2) {
            println!("   - {}", reason.text(&fr));
        }
    }
    Ok(())
}
