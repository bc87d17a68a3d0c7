//! Navigator snapshots: a built navigator in a versioned, checksummed binary file that opens
//! without parsing, validating or indexing the feed again.
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
//! | n | payload in [postcard](https://docs.rs/postcard) form: the [`Directory`], a fingerprint of the build options, the build report, the built index (`index/stored.rs`) and the text index |
//!
//! Opening checks, in order, before anything is decoded: the magic, the version, the byte
//! order, the length (no truncation, no trailing bytes) and the checksum. The payload is then
//! decoded with the validation serde applies to every value (language and term codes,
//! coordinates), and every index a search reads is checked against the directory (service
//! and SAL ranges, record, location, rule, hours, area and posting references, the text
//! index's offsets and ids), so an altered payload is refused with
//! [`SnapshotError::Payload`] before any use.
//!
//! What opening still computes: the distinct eligibility rules and opening hours and the
//! service-area groups are compiled again from what they were made of (kept in the
//! snapshot; a rule or a schedule once, not once per service), the need resolver's lexicon
//! and typo dictionary, the gazetteer-dependent parts of the index and the contact index.
//!
//! Options at open: the weights, the lexicon and the gazetteer may differ from the build's
//! (they are applied at open). The catalogue, the tables, `infer_eligibility` and the crisis
//! lists shape the built index: when they differ from the build's (compared by fingerprint),
//! opening builds the index again from the snapshot's directory, as [`Navigator::build`]
//! does, with the same answers as a build with those options.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::Directory;
use crate::text::TextIndex;

use super::index::{merged_tables, Compile, Index, Stored, StoredRef, Terms};
use super::navigator::{BuildProblem, BuildReport, Navigator, NavigatorOptions};

/// The snapshot format version this library writes and reads.
pub const SNAPSHOT_VERSION: u32 = 3;

const MAGIC: &[u8; 8] = b"PSRLSNAP";
const BYTE_ORDER: u32 = 0x0102_0304;
const HEADER_LEN: usize = 28;

/// What a navigator keeps of its build for its snapshot.
#[derive(Debug, Clone, Default)]
pub(super) struct BuildRecord {
    /// [`options_fingerprint`] of the build options.
    options: u64,
    report: BuildReport,
}

impl BuildRecord {
    pub(super) fn new(options: &NavigatorOptions, report: BuildReport) -> Self {
        Self {
            options: options_fingerprint(options),
            report,
        }
    }
}

/// FNV-1a (64 bits) of the options that shape the built index: the catalogue, the tables,
/// `infer_eligibility` and the crisis lists (their `Debug` forms, which list every value in
/// a fixed order).
fn options_fingerprint(o: &NavigatorOptions) -> u64 {
    let text = format!(
        "{:?}|{:?}|{}|{:?}|{:?}",
        o.catalog, o.tables, o.infer_eligibility, o.crisis_services, o.crisis_terms
    );
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A map written as a list of entries sorted by key, so equal maps encode to equal bytes
/// whatever their hasher's seed.
pub(crate) mod sorted_map {
    use std::hash::{BuildHasher, Hash};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<K, V, H, S>(
        map: &std::collections::HashMap<K, V, H>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>
    where
        K: Serialize + Ord,
        V: Serialize,
        S: Serializer,
    {
        let mut entries: Vec<(&K, &V)> = map.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries.serialize(serializer)
    }

    pub(crate) fn deserialize<'de, K, V, H, D>(
        deserializer: D,
    ) -> Result<std::collections::HashMap<K, V, H>, D::Error>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        H: BuildHasher + Default,
        D: Deserializer<'de>,
    {
        let entries: Vec<(K, V)> = Vec::deserialize(deserializer)?;
        let n = entries.len();
        let mut map = std::collections::HashMap::with_capacity_and_hasher(n, H::default());
        map.extend(entries);
        if map.len() != n {
            return Err(serde::de::Error::custom("repeated key"));
        }
        Ok(map)
    }
}

/// The payload as written (field order is the format: keep it equal to [`Body`]'s).
#[derive(Serialize)]
struct BodyRef<'a> {
    directory: &'a Directory,
    options: u64,
    report: (usize, usize, usize, Vec<(&'a str, &'a str)>),
    index: StoredRef<'a>,
    text: &'a TextIndex,
}

/// The payload as read.
#[derive(Serialize, Deserialize)]
struct Body {
    directory: Directory,
    options: u64,
    report: (usize, usize, usize, Vec<(String, String)>),
    index: Stored,
    text: TextIndex,
}

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
    /// The payload passed the checksum but does not decode into a valid directory and index.
    #[error("snapshot payload is not a valid directory and index: {0}")]
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

/// `body` behind the snapshot header (magic, version, byte order, length, checksum).
fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
    out.extend_from_slice(&BYTE_ORDER.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    out.extend_from_slice(body);
    out
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
    /// The navigator as snapshot bytes: its directory and its built index (see the
    /// [module docs](self) for the layout). Open them with [`Navigator::from_snapshot`]: no
    /// CSV or JSON parsing, no validation and no index build again, the same answers.
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
        let r = &self.record.report;
        let body = BodyRef {
            directory: self.directory(),
            options: self.record.options,
            report: (
                r.services,
                r.service_at_locations,
                r.terms,
                r.problems
                    .iter()
                    .map(|p| (p.record_id.as_str(), p.message.as_str()))
                    .collect(),
            ),
            index: self.idx.to_stored(),
            text: self.resolver.text_index(),
        };
        let body = postcard::to_extend(&body, Vec::new())
            .map_err(|e| SnapshotError::Encode(e.to_string()))?;
        Ok(framed(&body))
    }

    /// Opens snapshot bytes made by [`Navigator::to_snapshot`], with `options`: the weights,
    /// lexicon and gazetteer are the caller's; when the catalogue, tables, eligibility
    /// inference or crisis lists differ from the saved build's, the index is built again
    /// from the snapshot's directory (see the [module docs](self)). The report is the saved
    /// build's (or the new build's).
    ///
    /// # Errors
    /// A [`SnapshotError`] for bytes that are not a snapshot, another format version or byte
    /// order, a truncated or altered file, or a payload that is not a valid directory and
    /// index; all checked before the navigator is used. Invalid options ([`crate::Error`])
    /// are wrapped as [`SnapshotError::Payload`].
    pub fn from_snapshot(
        bytes: &[u8],
        options: NavigatorOptions,
    ) -> Result<(Self, BuildReport), SnapshotError> {
        let payload_error = |e: String| SnapshotError::Payload(e);
        let body = payload(bytes)?;
        let body: Body = postcard::from_bytes(body).map_err(|e| payload_error(e.to_string()))?;
        options
            .weights
            .validate()
            .map_err(|e| payload_error(e.to_string()))?;
        let dir = Arc::new(body.directory);
        if body.options != options_fingerprint(&options) {
            return Self::build(dir, options).map_err(|e| payload_error(e.to_string()));
        }
        let mut scratch = BuildReport::default();
        let tz = Self::time_zone_of(&dir, &mut scratch);
        let tables = merged_tables(&options.tables, &dir, &mut scratch);
        let idx = Index::from_stored(
            body.index,
            Compile {
                dir: &dir,
                codes: Terms::new(&dir).codes,
                catalog: &options.catalog,
                tables: &tables,
                tz: &tz,
            },
        )
        .map_err(payload_error)?;
        body.text.check(dir.services.len()).map_err(payload_error)?;
        let (services, service_at_locations, terms, problems) = body.report;
        let report = BuildReport {
            services,
            service_at_locations,
            terms,
            problems: problems
                .into_iter()
                .map(|(record_id, message)| BuildProblem { record_id, message })
                .collect(),
        };
        Ok(Self::assemble(dir, options, idx, body.text, tz, report))
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
    use crate::matching::{Need, Query};
    use crate::model::GeoPoint;

    fn sample() -> Navigator {
        Navigator::build(Directory::sample(), NavigatorOptions::sample())
            .unwrap()
            .0
    }

    fn queries() -> Vec<Query> {
        let at: jiff::Timestamp = "2026-11-18T15:00:00-05:00".parse().unwrap();
        let here = GeoPoint::new(45.43, -75.66).unwrap();
        [
            "food bank",
            "shelter",
            "counselling",
            "aide alimentaire",
            "legal",
        ]
        .iter()
        .flat_map(|n| {
            [
                Query::new([Need::text(*n)]).at(at),
                Query::new([Need::text(*n)]).near(here, 5_000.0).at(at),
            ]
        })
        .collect()
    }

    /// `body` wrapped in a valid header with the right checksum.
    fn wrap(body: &Body) -> Vec<u8> {
        framed(&postcard::to_allocvec(body).unwrap())
    }

    #[test]
    fn round_trip_keeps_the_directory_index_report_and_answers() {
        let (nav, built) =
            Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
        let bytes = nav.to_snapshot().unwrap();
        let (again, report) = Navigator::from_snapshot(&bytes, NavigatorOptions::sample()).unwrap();
        assert_eq!(again.directory(), nav.directory());
        assert_eq!(report, built);
        assert_eq!(again.idx.sal.site_only, nav.idx.sal.site_only);
        assert_eq!(again.idx.sal.cos_lat, nav.idx.sal.cos_lat);
        assert_eq!(again.idx.rules.len(), nav.idx.rules.len());
        assert_eq!(again.idx.hours, nav.idx.hours);
        for q in queries() {
            assert_eq!(again.search(&q).unwrap(), nav.search(&q).unwrap());
        }
        // Saving the opened navigator gives the same bytes.
        assert_eq!(again.to_snapshot().unwrap(), bytes);
    }

    #[test]
    fn other_index_options_build_again_with_the_same_answers() {
        let nav = sample();
        let bytes = nav.to_snapshot().unwrap();
        let infer = NavigatorOptions {
            infer_eligibility: true,
            crisis_services: vec!["svc-vanier-popote".into()],
            ..NavigatorOptions::sample()
        };
        let (opened, report) = Navigator::from_snapshot(&bytes, infer.clone()).unwrap();
        let (built, built_report) = Navigator::build(Directory::sample(), infer.clone()).unwrap();
        assert_eq!(report, built_report);
        for q in queries() {
            assert_eq!(opened.search(&q).unwrap(), built.search(&q).unwrap());
        }
        // The opened navigator's own snapshot opens fast with those options, same answers.
        let again = opened.to_snapshot().unwrap();
        assert_eq!(again, built.to_snapshot().unwrap());
        let (reopened, _) = Navigator::from_snapshot(&again, infer).unwrap();
        for q in queries() {
            assert_eq!(reopened.search(&q).unwrap(), built.search(&q).unwrap());
        }
    }

    #[test]
    fn a_tampered_index_is_a_payload_error() {
        let bytes = sample().to_snapshot().unwrap();
        let decode = || -> Body { postcard::from_bytes(payload(&bytes).unwrap()).unwrap() };
        let open = |b: &Body| Navigator::from_snapshot(&wrap(b), NavigatorOptions::sample());
        assert!(open(&decode()).is_ok());
        let n_sal = u32::try_from(decode().index.sal.service.len()).unwrap();
        type Tamper = fn(&mut Body, u32);
        let tampers: Vec<(&str, Tamper)> = vec![
            ("SAL end past the SALs", |b, n| {
                b.index.svc.sal_end[0] = n + 5
            }),
            ("SAL range backwards", |b, _| b.index.svc.sal_end[0] = 0),
            ("SAL of another service", |b, _| b.index.sal.service[0] = 1),
            ("short column", |b, _| {
                b.index.sal.hours.pop();
            }),
            ("record past the records", |b, _| {
                b.index.sal.record[0] = 1 << 30
            }),
            ("location past the locations", |b, _| {
                b.index.sal.location[0] = 1 << 30
            }),
            ("hours past the hours", |b, _| {
                b.index.sal.hours[0] = 1 << 30
            }),
            ("area past the areas", |b, _| b.index.sal.area[0] = 1 << 30),
            ("rule past the rules", |b, _| b.index.svc.rule[0] = 1 << 30),
            ("organisation past", |b, _| b.index.svc.org[0] = 1 << 30),
            ("posting past the services", |b, _| {
                b.index.postings[0].push(1 << 30);
            }),
            ("one posting list too many", |b, _| {
                b.index.postings.push(vec![0])
            }),
            ("schedule row past the rows", |b, _| {
                b.index.hours[0].push(1 << 30)
            }),
            ("capacity above 1", |b, _| b.index.svc.capacity[0] = 7.0),
            ("assured date past year 9999", |b, _| {
                b.index.svc.assured_day[0] = i32::MAX;
            }),
            ("more services than the directory", |b, _| {
                b.directory.services.truncate(1);
            }),
        ];
        for (what, tamper) in tampers {
            let mut b = decode();
            tamper(&mut b, n_sal);
            assert!(matches!(open(&b), Err(SnapshotError::Payload(_))), "{what}");
        }
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
        let mut v2 = bytes.clone();
        v2[8] = 2;
        assert!(matches!(
            open(&v2),
            Some(SnapshotError::Version { found: 2, .. })
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
