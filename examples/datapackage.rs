//! Writes a schedule's Fiscal Data Package (`engine::to_data_package`) and unpacks it, so that
//! Frictionless can validate it: `scripts/validate-package.sh` runs this on the demo and then
//! `frictionless validate DIR/datapackage.json` (README "Fiscal Data Package").
//!
//! ```sh
//! cargo run --example datapackage -- tests/fixtures/cyps-savings-2017-21.csv /tmp/pkg
//! ```
//!
//! DIR gets the zip as the page downloads it (`<stem>-datapackage.zip`) and its entries beside
//! it (`datapackage.json`, `savings.csv`).

use std::fs;
use std::io::{Cursor, Read};
use std::path::Path;

use gapwise::engine::{checksum, import, to_data_package, ImportOptions, PackageSource};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, dir] = args.as_slice() else {
        eprintln!("usage: cargo run --example datapackage -- FILE DIR");
        std::process::exit(2);
    };
    let bytes = fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let name = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let schedule = import(&bytes, &name, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .schedule;
    let sha = checksum(&bytes);
    let zip = to_data_package(
        &schedule,
        &PackageSource {
            file_name: &name,
            sha256: Some(&sha),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let dir = Path::new(dir);
    fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    let zip_path = dir.join(format!("{stem}-datapackage.zip"));
    fs::write(&zip_path, &zip).unwrap_or_else(|e| panic!("{}: {e}", zip_path.display()));
    let mut archive = zip::ZipArchive::new(Cursor::new(&zip)).expect("the package is a zip");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("the entry reads");
        let path = dir.join(entry.name());
        fs::write(&path, &content).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("{}", path.display());
    }
}
