//! Errors of the text stage.

/// An error from need-text analysis or from loading a lexicon.
///
/// Never quotes resident text: a too-long need is reported by its length only, and lexicon
/// errors name the line of the (deployer-supplied) lexicon file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// The need text is longer than [`MAX_NEED_BYTES`](crate::text::MAX_NEED_BYTES).
    #[error("need text is {len} bytes long; at most {max} bytes are accepted")]
    NeedTooLong {
        /// Length of the rejected text, in bytes.
        len: usize,
        /// The limit, in bytes.
        max: usize,
    },
    /// A lexicon row could not be read.
    #[error("lexicon line {line}: {reason}")]
    Lexicon {
        /// 1-based line number in the lexicon CSV (0 for entries added with `Lexicon::add`).
        line: u64,
        /// What is wrong with the row.
        reason: String,
    },
}
