//! A map from small dense keys (document or service numbers) to values, reused across
//! queries: a slot per key and a bit per key that holds a value, so keys come out in order
//! from one pass over the bits (no hashing, no sort) and draining clears them.

/// Values by dense `u32` key; see the module docs. Grows to the largest key seen: about
/// `size_of::<T>() + 1/8` bytes per key.
#[derive(Debug)]
pub(crate) struct DenseMap<T> {
    vals: Vec<T>,
    live: Vec<u64>,
}

impl<T> Default for DenseMap<T> {
    fn default() -> Self {
        Self {
            vals: Vec::new(),
            live: Vec::new(),
        }
    }
}

impl<T: Copy> DenseMap<T> {
    /// The value of `key`, set to `init` when it holds none.
    pub(crate) fn entry(&mut self, key: u32, init: T) -> Option<&mut T> {
        let i = key as usize;
        if i >= self.vals.len() {
            self.vals.resize(i + 1, init);
            self.live.resize(i / 64 + 1, 0);
        }
        let (val, bits) = (self.vals.get_mut(i)?, self.live.get_mut(i / 64)?);
        let bit = 1u64 << (i % 64);
        if *bits & bit == 0 {
            *bits |= bit;
            *val = init;
        }
        Some(val)
    }

    /// The keys holding a value, in ascending order, with their values; every key is empty
    /// again once the iterator is consumed.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = (u32, T)> + '_ {
        let vals = &self.vals;
        self.live
            .iter_mut()
            .zip(0u32..)
            .flat_map(|(bits, w)| {
                let mut b = std::mem::take(bits);
                std::iter::from_fn(move || {
                    if b == 0 {
                        return None;
                    }
                    let key = w * 64 + b.trailing_zeros();
                    b &= b - 1;
                    Some(key)
                })
            })
            .filter_map(|key| vals.get(key as usize).map(|&v| (key, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_out_in_order_and_drain_clears_them() {
        let mut m: DenseMap<u32> = DenseMap::default();
        for k in [130u32, 3, 64, 3, 0, 63] {
            *m.entry(k, 0).unwrap() += k + 1;
        }
        assert_eq!(
            m.drain().collect::<Vec<_>>(),
            [(0, 1), (3, 8), (63, 64), (64, 65), (130, 131)]
        );
        assert_eq!(m.drain().count(), 0);
        *m.entry(5, 10).unwrap() += 1;
        assert_eq!(m.drain().collect::<Vec<_>>(), [(5, 11)]);
    }
}
