//! The one door to the file system. Scanned code is untrusted (spec: "Trust"), so every read of
//! scanned content and every write of the program goes through here:
//! - reads are confined to the scan roots (the repository root of each scanned path, or the path
//!   itself outside a repository): a path, `..` climb or symlink that leaves them is refused;
//! - only regular files are read (never a device, FIFO or socket), opened without blocking, and
//!   every read stops at its limit by counting the bytes actually read;
//! - writes go through a temporary file in the destination's directory and an atomic rename, so
//!   a symlink at the destination is replaced, never followed.
//!
//! No other module reads scanned content or writes files with `std::fs`.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Scanned files larger than this are skipped with a notice.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file was not read. The messages never quote the file's content.
#[derive(Debug)]
pub enum ReadError {
    /// The path (after resolving `..` and symlinks) leaves every scan root.
    Outside,
    /// Not a regular file: a directory, device, FIFO or socket.
    NotRegular(&'static str),
    /// Larger than the limit (the size is known when the file system reported it).
    TooLarge { limit: u64, size: Option<u64> },
    /// The file system said no (missing, permissions, a symlink loop…).
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Outside => write!(
                f,
                "it leaves the scan root (use --allow-outside-root to read it anyway)"
            ),
            ReadError::NotRegular(kind) => write!(f, "it is not a regular file ({kind})"),
            ReadError::TooLarge { limit, size } => {
                let mb = |n: u64| n / (1024 * 1024);
                match size {
                    Some(s) => write!(
                        f,
                        "the file is {} MB, over the {} MB limit",
                        mb(*s),
                        mb(*limit)
                    ),
                    None => write!(f, "the file is over the {} MB limit", mb(*limit)),
                }
            }
            ReadError::Io(e) => write!(f, "cannot read it: {e}"),
        }
    }
}

/// Up to this many roots are compared one by one; more are looked up by ancestor.
const FEW_ROOTS: usize = 8;

/// The scan roots: reads inside them are allowed.
#[derive(Clone, Debug, Default)]
pub struct Roots {
    /// Canonical.
    roots: Vec<PathBuf>,
    /// As reached from the paths given (absolute, `..` resolved lexically, symlinks not).
    lexical: Vec<PathBuf>,
    allow_outside: bool,
    /// Canonical forms of the directories met, shared by clones: a scan resolves each
    /// directory once instead of every component of every file's path.
    dirs: std::sync::Arc<DirMemo<PathBuf>>,
    /// The repository root of each canonical directory asked about (shared by clones).
    repositories: std::sync::Arc<DirMemo<Option<PathBuf>>>,
    /// Texts that stand for files (by canonical path): a `--fix` or `--diff` run scans its
    /// edits again before anything is written.
    overlay: Option<Overlay>,
}

/// Edited texts of files, by canonical path.
pub type Overlay = std::sync::Arc<std::collections::HashMap<PathBuf, String>>;

/// What was found out about each key (a directory, a file, …), shared by the threads of a
/// scan.
#[derive(Debug)]
pub struct Memo<K, V>(std::sync::Mutex<std::collections::HashMap<K, V>>);

/// What was found out about each directory.
pub type DirMemo<V> = Memo<PathBuf, V>;

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(Default::default())
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> Memo<K, V> {
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.lock().get(key).cloned()
    }

    pub fn put<Q>(&self, key: &Q, v: V)
    where
        Q: ToOwned<Owned = K> + ?Sized,
    {
        self.lock().insert(key.to_owned(), v);
    }

    /// The memo's lock (one poisoned by a panicking thread is still a valid memo).
    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<K, V>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Roots {
    /// Reads of these files give these texts instead.
    pub fn with_overlay(mut self, overlay: Option<Overlay>) -> Roots {
        self.overlay = overlay;
        self
    }

    /// The canonical form of a directory (cached).
    fn canonical_dir(&self, dir: &Path) -> std::io::Result<PathBuf> {
        if let Some(c) = self.dirs.get(dir) {
            return Ok(c);
        }
        let c = self.canonical(dir)?;
        self.dirs.put(dir, c.clone());
        Ok(c)
    }

    /// The canonical form of a path: a name that is not a symlink, `.` or `..` is its
    /// directory's canonical form (cached) joined with the name; anything else is resolved
    /// whole.
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf> {
        self.canonical_with_meta(path).map(|(c, _)| c)
    }

    /// [`Roots::canonical`], with the metadata of what the path names when it is not a
    /// symlink (read without following one).
    fn canonical_with_meta(
        &self,
        path: &Path,
    ) -> std::io::Result<(PathBuf, Option<std::fs::Metadata>)> {
        use std::path::Component;
        let Some(Component::Normal(name)) = path.components().next_back() else {
            return Ok((std::fs::canonicalize(path)?, None));
        };
        // `link/` and `link/.` name what a symlink leads to (the system follows it), though
        // their last component reads as the link's name: resolved whole.
        let raw = path.as_os_str().as_encoded_bytes();
        if raw.ends_with(b"/") || raw.ends_with(b"/.") {
            return Ok((std::fs::canonicalize(path)?, None));
        }
        let meta = std::fs::symlink_metadata(path)?;
        if meta.file_type().is_symlink() {
            return Ok((std::fs::canonicalize(path)?, None));
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Ok((self.canonical_dir(parent)?.join(name), Some(meta)))
    }

    /// The roots of a scan of `paths`: for each, the nearest ancestor holding `.git` (the path
    /// itself included), else the path itself (a file's directory for a file).
    pub fn new(paths: &[PathBuf], allow_outside: bool) -> Roots {
        let (mut roots, mut lexical): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.iter().filter_map(|p| scan_root(p)).unzip();
        roots.sort();
        roots.dedup();
        lexical.sort();
        lexical.dedup();
        Roots {
            roots,
            lexical,
            allow_outside,
            dirs: Default::default(),
            repositories: Default::default(),
            overlay: None,
        }
    }

    /// One root: a directory's own tree (for what a configuration file may name).
    pub fn at(dir: &Path) -> Roots {
        Roots {
            roots: std::fs::canonicalize(dir).into_iter().collect(),
            lexical: vec![lexical_absolute(dir)],
            allow_outside: false,
            dirs: Default::default(),
            repositories: Default::default(),
            overlay: None,
        }
    }

    /// Whether `path`, as written (symlinks not followed), lies inside a root: a file there is
    /// the scanned repository's, untrusted, even when the command line names it.
    pub fn lexically_inside(&self, path: &Path) -> bool {
        let p = lexical_absolute(path);
        self.lexical.iter().any(|r| p.starts_with(r))
    }

    /// A file the command line names (`--config`, `--baseline`): refused when it stands inside
    /// a root but leads out of it (a committed symlink), so the repository cannot make
    /// trailguard read what lies outside it.
    pub fn check_named(&self, path: &Path) -> Result<(), String> {
        if self.lexically_inside(path)
            && let Err(e) = self.admit(path)
            && matches!(e, ReadError::Outside)
        {
            return Err(format!("{}: not read: {e}", path.display()));
        }
        Ok(())
    }

    /// A file's path from the repository root that holds it (the nearest ancestor with
    /// `.git`), with forward slashes; `None` outside a repository.
    pub fn repository_relative(&self, path: &Path) -> Option<String> {
        let canonical = self.canonical(path).ok()?;
        let root = self.repository_of(canonical.parent()?)?;
        let rel = canonical.strip_prefix(root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    /// The nearest directory inside the roots holding `.git`, from a canonical directory up
    /// (cached per directory).
    fn repository_of(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.repositories.get(dir) {
            return found;
        }
        let found = if self.contains(dir) && dir.join(".git").exists() {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|p| self.repository_of(p))
        };
        self.repositories.put(dir, found.clone());
        found
    }

    /// The roots, canonical.
    pub fn paths(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Whether a directory lies inside the roots (ignoring `--allow-outside-root`), and
    /// whether it is one of them.
    pub fn place_of(&self, dir: &Path) -> (bool, bool) {
        match self.canonical_dir(dir) {
            Ok(c) => (self.contains(&c), self.is_root(&c)),
            Err(_) => (false, false),
        }
    }

    /// Whether a canonical path lies inside a root.
    fn contains(&self, canonical: &Path) -> bool {
        if self.roots.len() <= FEW_ROOTS {
            return self.roots.iter().any(|r| canonical.starts_with(r));
        }
        // Many roots (many paths named outside a repository): the path's ancestors are looked
        // up instead of every root compared.
        canonical.ancestors().any(|a| self.is_root(a))
    }

    /// Whether a canonical path is one of the roots (sorted: found by binary search).
    fn is_root(&self, canonical: &Path) -> bool {
        self.roots
            .binary_search_by(|r| r.as_path().cmp(canonical))
            .is_ok()
    }

    /// The canonical path of `path` when reads may go there.
    pub fn admit(&self, path: &Path) -> Result<PathBuf, ReadError> {
        self.admit_with_meta(path).map(|(c, _)| c)
    }

    /// [`Roots::admit`], with the metadata of what the path names when it is not a symlink.
    fn admit_with_meta(
        &self,
        path: &Path,
    ) -> Result<(PathBuf, Option<std::fs::Metadata>), ReadError> {
        let (canonical, meta) = self.canonical_with_meta(path).map_err(ReadError::Io)?;
        if self.allow_outside || self.contains(&canonical) {
            Ok((canonical, meta))
        } else {
            Err(ReadError::Outside)
        }
    }

    /// Whether `path` (which need not exist) stays inside the roots: its nearest existing
    /// ancestor is resolved and the rest is taken lexically.
    pub fn admits_dir(&self, path: &Path) -> bool {
        if self.allow_outside {
            return true;
        }
        let Ok(abs) = std::path::absolute(path) else {
            return false;
        };
        let abs = normalize(&abs);
        let mut existing = abs.as_path();
        loop {
            // Through the per-directory cache: module sources are asked about once per call.
            if let Ok(c) = self.canonical_dir(existing) {
                let rest = abs.strip_prefix(existing).unwrap_or(Path::new(""));
                return self.contains(&normalize(&c.join(rest)));
            }
            match existing.parent() {
                Some(p) => existing = p,
                None => return false,
            }
        }
    }

    /// Whether `--fix` may write `path`: a regular file, not a symlink, inside the roots
    /// (whatever `--allow-outside-root` lets a scan read).
    pub fn writable(&self, path: &Path) -> bool {
        // (No metadata: a symlink, or a path the system resolves whole, such as `dir/.`.)
        self.canonical_with_meta(path).is_ok_and(|(c, meta)| {
            meta.is_some_and(|m| m.file_type().is_file()) && self.contains(&c)
        })
    }

    /// Reads a file of the scan: inside the roots, regular, at most `limit` bytes.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let (canonical, meta) = self.admit_with_meta(path)?;
        if let Some(text) = self.overlay.as_ref().and_then(|o| o.get(&canonical)) {
            return Ok(text.as_bytes().to_vec());
        }
        match meta {
            // Not a symlink: what the path names is known already.
            Some(meta) => {
                check_regular(&meta, limit)?;
                read_opened(&canonical, limit)
            }
            None => read_regular(&canonical, limit),
        }
    }

    /// [`Roots::read`] for a file the walk found as a regular file (a directory's entry, not a
    /// path the command line names), in fewer system calls: its canonical path is its
    /// directory's (known) joined with its name, and it is opened without following a symlink
    /// and without blocking, then checked as [`Roots::read`] checks it. A file that is a
    /// symlink now, lies outside the roots by that path or cannot be opened so takes the
    /// general way, which decides.
    pub fn read_walked(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        use std::path::Component;
        let (Some(Component::Normal(name)), Some(parent)) =
            (path.components().next_back(), path.parent())
        else {
            return self.read(path, limit);
        };
        // The directory by its absolute name, as the walk's ignore-file lookups ask for it (one
        // resolution serves both), unless it climbs with `..`, which only the file system
        // resolves right.
        let absolute;
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else if parent
            .components()
            .any(|c| c == std::path::Component::ParentDir)
        {
            parent
        } else {
            absolute = lexical_absolute(parent);
            &absolute
        };
        let Ok(dir) = self.canonical_dir(parent) else {
            return self.read(path, limit);
        };
        let canonical = dir.join(name);
        if !(self.allow_outside || self.contains(&canonical)) {
            return self.read(path, limit);
        }
        if let Some(text) = self.overlay.as_ref().and_then(|o| o.get(&canonical)) {
            return Ok(text.as_bytes().to_vec());
        }
        match open_for_reading(&canonical, true) {
            Ok(file) => read_file(file, limit),
            Err(_) => self.read(path, limit),
        }
    }

    /// The files of a directory inside the roots whose names end with `suffix`, sorted (a
    /// directory outside them, or unreadable, has none).
    pub fn files_in(&self, dir: &Path, suffix: &str) -> Vec<PathBuf> {
        if !self.admits_dir(dir) {
            return vec![];
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return vec![];
        };
        let mut out: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.to_str().is_some_and(|s| s.ends_with(suffix)))
            .collect();
        out.sort();
        out
    }

    /// As [`Roots::read`], as UTF-8 text (`None` when it is not UTF-8).
    pub fn read_text(&self, path: &Path, limit: u64) -> Result<Option<String>, ReadError> {
        Ok(String::from_utf8(self.read(path, limit)?).ok())
    }
}

fn is_symlink(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

/// The scan root of one scanned path, canonical and as reached: the nearest ancestor (the path
/// itself included) holding `.git`, else the path itself (a file's directory). A symlink is
/// never a root: a scanned path that is one (a pull request can turn `infra/` into a link to
/// another repository) is judged from the directory that holds it, so what it leads to lies
/// outside.
fn scan_root(path: &Path) -> Option<(PathBuf, PathBuf)> {
    let abs = lexical_absolute(path);
    for d in abs.ancestors() {
        if !is_symlink(d) && d.join(".git").exists() {
            return Some((std::fs::canonicalize(d).ok()?, d.to_path_buf()));
        }
    }
    let base = if abs.is_dir() && !is_symlink(&abs) {
        abs.as_path()
    } else {
        abs.parent()?
    };
    Some((std::fs::canonicalize(base).ok()?, base.to_path_buf()))
}

/// What `path` is when it is a FIFO, device or socket (not followed if a symlink); `None`
/// for a regular file, a directory, a symlink or nothing.
pub fn special_file(path: &Path) -> Option<&'static str> {
    let t = std::fs::symlink_metadata(path).ok()?.file_type();
    (!t.is_file() && !t.is_dir() && !t.is_symlink()).then(|| kind_of(t))
}

/// What a file that is not a regular one is, for messages.
pub fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// Reads a regular file, at most `limit` bytes, counting the bytes read. FIFOs and devices are
/// refused before they are opened, and the file is opened without blocking in case it was
/// swapped for one in between.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    check_regular(&meta, limit)?;
    read_opened(path, limit)
}

/// A regular file within the limit, by its metadata (checked before opening: a device is
/// never opened).
fn check_regular(meta: &std::fs::Metadata, limit: u64) -> Result<(), ReadError> {
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            limit,
            size: Some(meta.len()),
        });
    }
    Ok(())
}

/// Opens a file checked by [`check_regular`] without blocking, checks the opened file again
/// (it may have been replaced meanwhile) and reads it: the size the opened file has, or (a
/// file that says it is empty, such as a kernel's) up to the limit.
fn read_opened(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_file(open_for_reading(path, false).map_err(ReadError::Io)?, limit)
}

/// Opens a file for reading without blocking (a FIFO swapped in is not waited on), and, when
/// `no_follow`, refusing a symlink as the last component.
fn open_for_reading(path: &Path, no_follow: bool) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let follow = if no_follow { libc::O_NOFOLLOW } else { 0 };
        opts.custom_flags(libc::O_NONBLOCK | follow);
    }
    #[cfg(not(unix))]
    let _ = no_follow;
    opts.open(path)
}

/// Reads an opened file after checking it is regular and within the limit.
fn read_file(file: std::fs::File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata().map_err(ReadError::Io)?;
    check_regular(&meta, limit)?;
    // The bytes the file has now (one that grows meanwhile is read as it was); one that says
    // it is empty, up to the limit and one byte more, to tell one over it.
    let size = meta.len();
    let mut buf = Vec::with_capacity(size as usize);
    file.take(if size == 0 { limit + 1 } else { size })
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit, size: None });
    }
    Ok(buf)
}

/// Reads a file the command line named (a configuration or baseline): regular, bounded, as
/// UTF-8 text.
pub fn read_named(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read_regular(path, limit).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", path.display()))
}

/// Writes `bytes` to `dest` through a temporary file in the same directory and an atomic
/// rename: a symlink at `dest` is replaced, never followed. An existing file keeps its
/// permissions; a new one gets 0644. A device or FIFO the command line names (`/dev/null`,
/// `/dev/stdout`, a named pipe) is written into, never renamed over (that would replace the
/// device node for the whole machine).
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: &dyn fmt::Display| format!("cannot write {}: {e}", dest.display());
    if let Some(stream) = stream_target(dest) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&stream)
            .map_err(|e| fail(&e))?;
        return f.write_all(bytes).map_err(|e| fail(&e));
    }
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if dest.file_name().is_none() {
        return Err(fail(&"not a file name"));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".trailguard-")
        .tempfile_in(&dir)
        .map_err(|e| fail(&e))?;
    tmp.write_all(bytes).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match std::fs::symlink_metadata(dest) {
            Ok(m) if m.is_file() => m.permissions().mode() & 0o7777,
            _ => 0o644,
        };
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| fail(&e))?;
    }
    tmp.persist(dest).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// The path to write into directly when `dest` is a device or FIFO, or one of the system's own
/// links in `/dev` (`/dev/stdout`, `/dev/fd/1`: no repository can plant those). Any other
/// symlink is not followed.
fn stream_target(dest: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(dest).ok()?;
    let t = meta.file_type();
    if !t.is_file() && !t.is_dir() && !t.is_symlink() {
        return Some(dest.to_path_buf());
    }
    let in_dev = || {
        let parent = dest.parent().filter(|p| !p.as_os_str().is_empty())?;
        std::fs::canonicalize(parent).ok()
    };
    (t.is_symlink() && in_dev().is_some_and(|p| p.starts_with("/dev"))).then(|| dest.to_path_buf())
}

/// A path named on the command line, as the system reads it: one whose `..` follows a symlink
/// that stays inside the scan root (`repo/link/..`, the parent of the link's target) becomes
/// its canonical form, so that the walk, ignore files and reported names are those of the
/// directory actually read. Any other path is kept as given: a `..` that means the same
/// either way, and one through a symlink that leaves the root (judged as written, it is a
/// notice: "leaves the scan root").
pub fn as_the_system_reads(p: &Path) -> PathBuf {
    if !p.components().any(|c| c == std::path::Component::ParentDir) {
        return p.to_path_buf();
    }
    let (Ok(physical), Some((root, _))) = (std::fs::canonicalize(p), scan_root(p)) else {
        return p.to_path_buf();
    };
    if physical.starts_with(&root)
        && std::fs::canonicalize(lexical_absolute(p)).ok().as_ref() != Some(&physical)
    {
        physical
    } else {
        p.to_path_buf()
    }
}

/// A path made absolute with `..` resolved lexically (symlinks not followed); as given when the
/// working directory cannot be known.
pub fn lexical_absolute(p: &Path) -> PathBuf {
    normalize(&absolute(p))
}

/// `p` made absolute against the working directory (asked once: a scan never changes it),
/// not normalized. A path that cannot be made absolute stays as it is.
fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return p.to_path_buf();
    }
    match working_dir() {
        Some(cwd) if !p.as_os_str().is_empty() => cwd.join(p),
        _ => std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
    }
}

/// The working directory, normalized; asked once (a scan never changes it).
pub fn working_dir() -> Option<&'static Path> {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok().map(|c| normalize(&c)))
        .as_deref()
}

/// The order of `Path`'s `Ord` on normalized absolute paths (component by component), found
/// by comparing bytes with the separator below every other byte: as exact, several times faster.
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (x, y) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
        let common = x.iter().zip(y).take_while(|(c, d)| c == d).count();
        let rank = |c: u8| if c == b'/' { 0 } else { u16::from(c) + 1 };
        match (x.get(common), y.get(common)) {
            (Some(&c), Some(&d)) => rank(c).cmp(&rank(d)),
            _ => x.len().cmp(&y.len()),
        }
    }
    #[cfg(not(unix))]
    a.cmp(b)
}

pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::with_capacity(p.as_os_str().len());
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte order used to sort discovered files and directories is `Path`'s order on
    /// normalized absolute paths, over names built from bytes that sort around the separator
    /// (`-`, `.`, `0`, `a`, non-ASCII).
    #[test]
    fn path_order_is_the_order_of_paths() {
        let atoms = ["a", "a-b", "a.b", "ab", "b", "a0", "\u{e9}", "A", "a b"];
        let mut paths = vec![PathBuf::from("/")];
        for x in atoms {
            paths.push(Path::new("/").join(x));
            for y in atoms {
                paths.push(Path::new("/").join(x).join(y));
                paths.push(Path::new("/").join(format!("{x}{y}")).join(x));
            }
        }
        for a in &paths {
            for b in &paths {
                assert_eq!(path_order(a, b), a.cmp(b), "{a:?} vs {b:?}");
            }
        }
        let mut mine = paths.clone();
        mine.sort_by(|a, b| path_order(a, b));
        paths.sort();
        assert_eq!(mine, paths);
    }

    #[test]
    fn reads_stop_at_the_limit_whatever_the_reported_size() {
        // /dev/zero reports size 0 and never ends: refused as a device before it is opened.
        #[cfg(unix)]
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular("a device"))
        ));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, vec![b'a'; 100]).unwrap();
        assert_eq!(read_regular(&p, 100).unwrap().len(), 100);
        assert!(matches!(
            read_regular(&p, 99),
            Err(ReadError::TooLarge {
                size: Some(100),
                ..
            })
        ));
    }

    #[test]
    fn roots_refuse_paths_that_climb_out() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("sub")).unwrap();
        std::fs::write(repo.join("sub/in.json"), "{}").unwrap();
        std::fs::write(dir.path().join("out.json"), "secret").unwrap();
        let roots = Roots::new(&[repo.join("sub")], false);
        assert_eq!(roots.paths(), [std::fs::canonicalize(&repo).unwrap()]);
        // A scanned path that is a symlink to another repository is not a root.
        let other = dir.path().join("other");
        std::fs::create_dir_all(other.join(".git")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&other, repo.join("infra")).unwrap();
            let r = Roots::new(&[repo.join("infra")], false);
            assert_eq!(r.paths(), [std::fs::canonicalize(&repo).unwrap()]);
            assert!(matches!(
                r.admit(&repo.join("infra")),
                Err(ReadError::Outside)
            ));
            assert!(
                r.check_named(&repo.join("infra/x")).is_ok(),
                "missing: not refused"
            );
        }
        assert!(roots.read(&repo.join("sub/in.json"), 10).is_ok());
        assert!(matches!(
            roots.read(&repo.join("sub/../../out.json"), 10),
            Err(ReadError::Outside)
        ));
        assert!(roots.admits_dir(&repo.join("sub/not-yet/x")));
        assert!(!roots.admits_dir(&repo.join("../elsewhere")));
        let lifted = Roots::new(&[repo.join("sub")], true);
        assert_eq!(
            lifted.read(&dir.path().join("out.json"), 10).unwrap(),
            b"secret"
        );
    }

    /// With many roots (each a folder named outside any repository), a path is inside exactly
    /// when some root is an ancestor of it, as with a few.
    #[test]
    fn many_roots_contain_what_a_few_do() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        let named: Vec<PathBuf> = (0..20).map(|i| base.join(format!("d{i}"))).collect();
        for d in &named {
            std::fs::create_dir_all(d.join("sub")).unwrap();
        }
        let many = Roots::new(&named, false);
        assert!(many.roots.len() > FEW_ROOTS);
        let few = Roots::new(&named[..3], false);
        for probe in [
            base.join("d0/sub/x.json"),
            base.join("d19/x.json"),
            base.join("d1"),
            base.join("d2x/x.json"),
            base.join("d20/x.json"),
            base.clone(),
            PathBuf::from("/"),
        ] {
            let linear = many.roots.iter().any(|r| probe.starts_with(r));
            assert_eq!(many.contains(&probe), linear, "{probe:?}");
            let linear = few.roots.iter().any(|r| probe.starts_with(r));
            assert_eq!(few.contains(&probe), linear, "{probe:?}");
        }
        assert!(many.contains(&base.join("d7/sub/a.tf")));
        assert!(!many.contains(&base.join("d7x/a.tf")));
        assert_eq!(many.place_of(&base.join("d7")), (true, true));
        assert_eq!(many.place_of(&base.join("d7/sub")), (true, false));
    }

    /// The walk's shortcut reads what the general read reads and refuses what it refuses:
    /// symlinks in and out of the roots, a symlinked directory, a FIFO, a directory, a file
    /// over the limit, a missing file, an overlay's text.
    #[test]
    fn walked_reads_agree_with_reads() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("sub/dir.json")).unwrap();
        std::fs::write(repo.join("sub/in.json"), "inside").unwrap();
        std::fs::write(repo.join("sub/big.json"), "x".repeat(20)).unwrap();
        std::fs::write(repo.join("sub/edited.json"), "on disk").unwrap();
        std::fs::create_dir_all(dir.path().join("away")).unwrap();
        std::fs::write(dir.path().join("away/out.json"), "secret").unwrap();
        let mut names = vec![
            "sub/in.json",
            "sub/big.json",
            "sub/edited.json",
            "sub/dir.json",
            "sub/missing.json",
            "sub/../sub/in.json",
        ];
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(repo.join("sub/in.json"), repo.join("sub/link-in.json")).unwrap();
            symlink(
                dir.path().join("away/out.json"),
                repo.join("sub/link-out.json"),
            )
            .unwrap();
            symlink(dir.path().join("away"), repo.join("away")).unwrap();
            symlink(repo.join("sub"), dir.path().join("away/back")).unwrap();
            let fifo =
                std::ffi::CString::new(repo.join("sub/fifo.json").to_str().unwrap()).unwrap();
            // SAFETY: a valid C string.
            assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
            names.extend([
                "sub/link-in.json",
                "sub/link-out.json",
                "away/out.json",
                "away/back/in.json",
                "sub/fifo.json",
            ]);
        }
        let edited = std::fs::canonicalize(repo.join("sub/edited.json")).unwrap();
        let overlay = std::sync::Arc::new(std::collections::HashMap::from([(
            edited,
            "edited".to_string(),
        )]));
        for allow_outside in [false, true] {
            let roots = Roots::new(std::slice::from_ref(&repo), allow_outside)
                .with_overlay(Some(overlay.clone()));
            for name in &names {
                let path = repo.join(name);
                let show = |r: Result<Vec<u8>, ReadError>| match r {
                    Ok(b) => format!("ok {}", String::from_utf8_lossy(&b)),
                    Err(e) => format!("error {e}"),
                };
                let general = show(roots.read(&path, 10));
                assert_eq!(show(roots.read_walked(&path, 10)), general, "{name}");
                if *name == "sub/in.json" {
                    assert_eq!(general, "ok inside");
                }
                if *name == "sub/edited.json" {
                    assert_eq!(general, "ok edited");
                }
                if *name == "sub/link-out.json" && !allow_outside {
                    assert!(general.contains("leaves the scan root"), "{general}");
                }
            }
        }
    }

    #[test]
    fn atomic_writes_replace_a_symlink_instead_of_following_it() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let link = dir.path().join("report.txt");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        write_atomic(&link, b"report").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");
        assert!(
            !std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
