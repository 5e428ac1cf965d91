//! YAML content files: tables (grids, rankings, charts), figures, companies and registries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportgen::content::files::{Origin, decode};
use reportgen::content::registry::{Sector, Source, Term, parse_list};
use reportgen::content::{company, figure, table};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data.to_vec(), "content/tables/f.yaml") else { return };
    let origin = Origin { file: "content/tables/f.yaml".into(), text };
    let _ = table::parse(origin.clone());
    let _ = figure::parse(origin.clone(), std::path::Path::new("/nonexistent-assets"));
    let _ = company::parse(origin.clone());
    let _ = parse_list::<Sector>(&origin);
    let _ = parse_list::<Source>(&origin);
    let _ = parse_list::<Term>(&origin);
});
