//! A query's whole result, every need and every page, as an HSDS sub-directory (for example a
//! reintegration directory for people leaving incarceration, made from one query).

use crate::model::Directory;

use super::navigator::Navigator;
use super::query::{Query, MAX_LIMIT};

impl Navigator {
    /// Every match of `query` (all needs, all pages: `limit` and `offset` are ignored) as a
    /// self-contained HSDS directory, as [`Navigator::export_directory`] makes it for one page.
    /// Write it with [`export_json`](crate::hsds::export_json) or
    /// [`export_csv_tables`](crate::hsds::export_csv_tables).
    ///
    /// The search runs page by page ([`MAX_LIMIT`] matches per need per page) on this
    /// navigator, so the cost grows with the number of matches.
    ///
    /// # Errors
    /// As [`Navigator::search`] for an invalid query.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
    /// let q = Query::new([Need::text("food bank")]).limit(1);
    /// let page = nav.search(&q).unwrap();
    /// let sub = nav.export_query_directory(&q).unwrap();
    /// assert!(sub.services.len() <= page.needs[0].total);
    /// assert!(sub.services.len() > page.needs[0].matches.len());
    /// ```
    pub fn export_query_directory(&self, query: &Query) -> Result<Directory, crate::Error> {
        let mut q = query.clone();
        q.limit = i64::try_from(MAX_LIMIT).unwrap_or(i64::MAX);
        q.offset = 0;
        let mut all = self.search(&q)?;
        // Pin the instant so every page judges openness (and so filters) the same way.
        q.at = Some(all.at);
        let most = all.needs.iter().map(|n| n.total).max().unwrap_or(0);
        let mut offset = MAX_LIMIT;
        while offset < most {
            q.offset = offset;
            let page = self.search(&q)?;
            for (acc, more) in all.needs.iter_mut().zip(page.needs) {
                acc.matches.extend(more.matches);
            }
            offset = offset.saturating_add(MAX_LIMIT);
        }
        Ok(self.export_directory(&all))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Directory, Navigator, NavigatorOptions, Need, Query};

    #[test]
    fn every_page_is_exported() {
        let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
        let q = Query::new([Need::text("food")]).limit(1).offset(3);
        let full = nav
            .search(&Query::new([Need::text("food")]).limit(100))
            .unwrap();
        let sub = nav.export_query_directory(&q).unwrap();
        let mut want: Vec<&str> = full.matches().map(|m| m.service_id.as_str()).collect();
        want.sort_unstable();
        want.dedup();
        let mut got: Vec<&str> = sub.services.iter().map(|s| s.id.as_str()).collect();
        got.sort_unstable();
        assert_eq!(got, want);
    }
}
