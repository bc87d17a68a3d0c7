//! Reading the files of a feed folder: only regular files, symbolic links refused or kept
//! inside the folder, each read bounded by `max_file_bytes`.
//!
//! Feed folders often come from unpacked archives, which may hold a FIFO (opening it for
//! reading blocks until a writer appears), a device, or a link to `/etc/passwd`. An entry's
//! type is checked before it is opened and again on the open handle, so a file swapped for a
//! FIFO between the two checks is still refused before a byte is read; opening itself is
//! only ever attempted on an entry seen to be a regular file.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{FileProblem, ImportOptions, Symlinks};

/// Why a folder entry is refused.
pub(crate) fn describe(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// Resolves `path` (an entry of `folder`, or the input itself when `folder` is `None`) to a
/// regular file allowed by `opts.symlinks`.
pub(crate) fn check_entry(
    path: &Path,
    folder: Option<&Path>,
    opts: &ImportOptions,
) -> Result<PathBuf, FileProblem> {
    let meta = std::fs::symlink_metadata(path).map_err(FileProblem::Io)?;
    let target = if meta.file_type().is_symlink() {
        match (opts.symlinks, folder) {
            (Symlinks::Refuse, _) => {
                return Err(FileProblem::Refused(
                    "a symbolic link, and ImportOptions::symlinks is Refuse".into(),
                ))
            }
            (Symlinks::Follow, _) | (Symlinks::WithinFolder, None) => {
                std::fs::canonicalize(path).map_err(FileProblem::Io)?
            }
            (Symlinks::WithinFolder, Some(folder)) => {
                let real = std::fs::canonicalize(path).map_err(FileProblem::Io)?;
                let root = std::fs::canonicalize(folder).map_err(FileProblem::Io)?;
                if !real.starts_with(&root) {
                    return Err(FileProblem::Refused(
                        "a symbolic link to a file outside the feed folder (ImportOptions::symlinks is WithinFolder)".into(),
                    ));
                }
                real
            }
        }
    } else {
        path.to_owned()
    };
    let ft = std::fs::metadata(&target)
        .map_err(FileProblem::Io)?
        .file_type();
    if !ft.is_file() {
        return Err(FileProblem::Refused(format!(
            "{}, not a regular file",
            describe(&ft)
        )));
    }
    Ok(target)
}

/// Reads a checked regular file, refusing anything larger than `limit` bytes.
pub(crate) fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, FileProblem> {
    let file = File::open(path).map_err(FileProblem::Io)?;
    let meta = file.metadata().map_err(FileProblem::Io)?;
    if !meta.file_type().is_file() {
        return Err(FileProblem::Refused(format!(
            "{}, not a regular file",
            describe(&meta.file_type())
        )));
    }
    let len = meta.len();
    if len > limit {
        return Err(FileProblem::TooLarge(len));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FileProblem::Io)?;
    if bytes.len() as u64 > limit {
        return Err(FileProblem::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}
