//! Copies of fixture trees for tests that edit or pad them.

#![allow(dead_code)]

use std::path::Path;

/// Copies the regular files and directories under `from` into `to`, each file's bytes passed
/// through `map` with its name.
pub fn copy_dir_with(from: &Path, to: &Path, map: &dyn Fn(&str, Vec<u8>) -> Vec<u8>) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (p, t) = (e.path(), to.join(e.file_name()));
        let kind = e.file_type().unwrap();
        if kind.is_dir() {
            copy_dir_with(&p, &t, map);
        } else if kind.is_file() {
            let bytes = std::fs::read(&p).unwrap();
            std::fs::write(&t, map(&e.file_name().to_string_lossy(), bytes)).unwrap();
        }
    }
}

/// Copies the regular files and directories under `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    copy_dir_with(from, to, &|_, bytes| bytes);
}
