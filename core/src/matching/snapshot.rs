//! Navigator snapshots: the validated directory of a navigator in a versioned, checksummed
//! binary file that opens without parsing or validating the feed again.
//!
//! Layout (little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `PSRLSNAP` |
//! | 4 | format version ([`SNAPSHOT_VERSION`]) |
//! | 4 | byte-order mark `0x0102_0304` |
//! | 8 | payload length |
//! | 4 | CRC-32 (IEEE) of the payload |
//! | n | payload: the [`Directory`] in [postcard](https://docs.rs/postcard) form |
//!
//! Opening checks, in order, before anything is decoded: the magic, the version, the byte
//! order, the length (no truncation, no trailing bytes) and the checksum; then the payload is
//! decoded with the same validation serde applies to every value (language and term codes,
//! coordinates) and the navigator is built from it as from an import.

use std::path::Path;
use std::sync::Arc;

use crate::model::Directory;

use super::navigator::{BuildReport, Navigator, NavigatorOptions};

/// The snapshot format version this library writes and reads.
pub const SNAPSHOT_VERSION: u32 = 2;

const MAGIC: &[u8; 8] = b"PSRLSNAP";
const BYTE_ORDER: u32 = 0x0102_0304;
const HEADER_LEN: usize = 28;

/// Why a snapshot cannot be opened or written. Never echoes the snapshot's content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The bytes do not start with the snapshot magic.
    #[error("not a passerelle snapshot (no PSRLSNAP header)")]
    NotASnapshot,
    /// Written by a library with another format version.
    #[error("snapshot format version {found}; this library reads version {supported}")]
    Version {
        /// The file's version.
        found: u32,
        /// [`SNAPSHOT_VERSION`].
        supported: u32,
    },
    /// Written on a machine of the other byte order.
    #[error("snapshot written with another byte order")]
    ByteOrder,
    /// Fewer or more bytes than the header announces.
    #[error("snapshot is {actual} bytes, its header announces {expected}")]
    Length {
        /// Header + payload length the header announces.
        expected: u64,
        /// Bytes present.
        actual: u64,
    },
    /// The payload does not match its checksum (corrupted or altered).
    #[error("snapshot checksum mismatch: the file is corrupted or was altered")]
    Checksum,
    /// The payload passed the checksum but does not decode into a valid directory.
    #[error("snapshot payload is not a valid directory: {0}")]
    Payload(String),
    /// The directory could not be encoded.
    #[error("cannot encode the snapshot: {0}")]
    Encode(String),
    /// Reading or writing the file failed.
    #[error("snapshot file {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// Checks the header and checksum; the payload on success.
fn payload(bytes: &[u8]) -> Result<&[u8], SnapshotError> {
    if bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err(SnapshotError::NotASnapshot);
    }
    let short = || SnapshotError::Length {
        expected: HEADER_LEN as u64,
        actual: bytes.len() as u64,
    };
    let version = u32_at(bytes, 8).ok_or_else(short)?;
    if version != SNAPSHOT_VERSION {
        return Err(SnapshotError::Version {
            found: version,
            supported: SNAPSHOT_VERSION,
        });
    }
    if u32_at(bytes, 12).ok_or_else(short)? != BYTE_ORDER {
        return Err(SnapshotError::ByteOrder);
    }
    let len = u64_at(bytes, 16).ok_or_else(short)?;
    let crc = u32_at(bytes, 24).ok_or_else(short)?;
    let expected = len.saturating_add(HEADER_LEN as u64);
    if expected != bytes.len() as u64 {
        return Err(SnapshotError::Length {
            expected,
            actual: bytes.len() as u64,
        });
    }
    let body = bytes.get(HEADER_LEN..).unwrap_or_default();
    if crc32fast::hash(body) != crc {
        return Err(SnapshotError::Checksum);
    }
    Ok(body)
}

impl Navigator {
    /// The navigator's directory as snapshot bytes (see the [module docs](self) for the
    /// layout). Open them with [`Navigator::from_snapshot`]: no CSV or JSON parsing and no
    /// validation again, the same answers.
    ///
    /// # Errors
    /// [`SnapshotError::Encode`] if the directory cannot be encoded (not expected for a
    /// directory that came from an import).
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
    /// let bytes = nav.to_snapshot()?;
    /// let (again, _) = Navigator::from_snapshot(&bytes, NavigatorOptions::default())?;
    /// let q = Query::new([Need::text("food bank")]).at("2026-11-18T15:00:00-05:00".parse()?);
    /// assert_eq!(nav.search(&q)?, again.search(&q)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_snapshot(&self) -> Result<Vec<u8>, SnapshotError> {
        let body = postcard::to_extend(self.directory(), Vec::new())
            .map_err(|e| SnapshotError::Encode(e.to_string()))?;
        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
        out.extend_from_slice(&BYTE_ORDER.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Builds a navigator from snapshot bytes made by [`Navigator::to_snapshot`], with
    /// `options` (weights, catalogue, lexicon and gazetteer are the caller's, as for
    /// [`Navigator::build`]).
    ///
    /// # Errors
    /// A [`SnapshotError`] for bytes that are not a snapshot, another format version or byte
    /// order, a truncated or altered file, or a payload that is not a valid directory; all
    /// checked before the directory is used. A build error ([`crate::Error`]) is wrapped as
    /// [`SnapshotError::Payload`].
    pub fn from_snapshot(
        bytes: &[u8],
        options: NavigatorOptions,
    ) -> Result<(Self, BuildReport), SnapshotError> {
        let body = payload(bytes)?;
        let directory: Directory =
            postcard::from_bytes(body).map_err(|e| SnapshotError::Payload(e.to_string()))?;
        Self::build(Arc::new(directory), options).map_err(|e| SnapshotError::Payload(e.to_string()))
    }

    /// Writes [`Navigator::to_snapshot`] to `path` (through a temporary file in the same
    /// folder, renamed into place, so a reader never sees half a snapshot).
    ///
    /// # Errors
    /// [`SnapshotError::Io`] when the file cannot be written.
    pub fn save_snapshot(&self, path: impl AsRef<Path>) -> Result<(), SnapshotError> {
        let path = path.as_ref();
        let io = |source| SnapshotError::Io {
            path: path.to_owned(),
            source,
        };
        let bytes = self.to_snapshot()?;
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Opens a snapshot file written by [`Navigator::save_snapshot`]; see
    /// [`Navigator::from_snapshot`].
    ///
    /// # Errors
    /// [`SnapshotError::Io`] when the file cannot be read, else as
    /// [`Navigator::from_snapshot`].
    pub fn open_snapshot(
        path: impl AsRef<Path>,
        options: NavigatorOptions,
    ) -> Result<(Self, BuildReport), SnapshotError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| SnapshotError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_snapshot(&bytes, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Navigator {
        Navigator::build(Directory::sample(), NavigatorOptions::default())
            .unwrap()
            .0
    }

    #[test]
    fn round_trip_keeps_the_directory() {
        let nav = sample();
        let bytes = nav.to_snapshot().unwrap();
        let (again, _) = Navigator::from_snapshot(&bytes, NavigatorOptions::default()).unwrap();
        assert_eq!(again.directory(), nav.directory());
    }

    #[test]
    fn every_damage_is_a_typed_error() {
        let bytes = sample().to_snapshot().unwrap();
        let open = |b: &[u8]| Navigator::from_snapshot(b, NavigatorOptions::default()).err();
        assert!(matches!(open(b"hello"), Some(SnapshotError::NotASnapshot)));
        assert!(matches!(
            open(&bytes[..20]),
            Some(SnapshotError::Length { .. })
        ));
        assert!(matches!(
            open(&bytes[..bytes.len() - 1]),
            Some(SnapshotError::Length { .. })
        ));
        let mut v3 = bytes.clone();
        v3[8] = 3;
        assert!(matches!(
            open(&v3),
            Some(SnapshotError::Version { found: 3, .. })
        ));
        let mut be = bytes.clone();
        be[12..16].copy_from_slice(&BYTE_ORDER.to_be_bytes());
        assert!(matches!(open(&be), Some(SnapshotError::ByteOrder)));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(matches!(open(&flipped), Some(SnapshotError::Checksum)));
        // Altered and re-checksummed: the payload itself is checked.
        let mut forged = bytes[..HEADER_LEN].to_vec();
        let body = vec![0xff; 64];
        forged[16..24].copy_from_slice(&(body.len() as u64).to_le_bytes());
        forged[24..28].copy_from_slice(&crc32fast::hash(&body).to_le_bytes());
        forged.extend_from_slice(&body);
        assert!(matches!(open(&forged), Some(SnapshotError::Payload(_))));
    }
}
