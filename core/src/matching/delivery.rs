//! Filter and factor: delivery. Whether a SAL can serve the resident the way they need
//! (in person within the radius, by phone or online, at home), how well that fits their
//! preference ([`Factor::Delivery`](super::Factor::Delivery)) and the proximity value
//! ([`Factor::Distance`](super::Factor::Distance)).

use crate::model::DeliveryMode;

use super::candidates::QueryContext;
use super::index::modes;
use super::navigator::Navigator;
use super::query::DeliveryPreference;
use super::score::proximity;

impl Navigator {
    /// `(fit, proximity, how the resident receives it)` or `None` when the SAL cannot serve the
    /// resident the way they need.
    pub(super) fn delivery_fit(
        &self,
        ctx: &QueryContext<'_>,
        bits: u8,
        distance_m: f64,
        has_area: bool,
        pinned: bool,
    ) -> Option<(f32, f32, DeliveryMode)> {
        let q = ctx.query;
        let remote_prox = self.weights.remote_proximity as f32;
        let reachable = if distance_m.is_nan() {
            // No resident location or no SAL point: area-wide services stay.
            has_area && bits & modes::VISIT != 0
        } else {
            distance_m <= q.max_distance_m
        };
        // Only a visited site is scored by its distance: the exponential waits until then.
        let prox = || {
            if distance_m.is_nan() {
                remote_prox.min(0.5)
            } else {
                proximity(distance_m, &self.weights, q.travel) as f32
            }
        };
        let visit = bits & modes::VISIT != 0;
        let remote = bits & modes::REMOTE != 0;
        let home = bits & modes::HOME != 0;
        let home_reach = home && (distance_m.is_nan() || distance_m <= q.max_distance_m);
        // Mobile outreach comes to the resident; only a site is visited in person.
        let visit_mode = if bits & modes::IN_PERSON != 0 {
            DeliveryMode::InPerson
        } else {
            DeliveryMode::MobileOutreach
        };
        let remote_mode = if bits & modes::PHONE != 0 {
            DeliveryMode::Phone
        } else {
            DeliveryMode::Virtual
        };
        match q.delivery {
            DeliveryPreference::RemoteAcceptable => {
                if visit && reachable {
                    Some((1.0, prox(), visit_mode))
                } else if remote || pinned && bits != 0 {
                    Some((0.8, remote_prox, remote_mode))
                } else if home_reach {
                    Some((0.9, remote_prox, DeliveryMode::HomeVisit))
                } else {
                    None
                }
            }
            DeliveryPreference::InPersonOnly => {
                // A crisis line beyond the radius is offered by phone, not as a far visit.
                if visit && (reachable || pinned && !remote) {
                    Some((1.0, prox(), visit_mode))
                } else if pinned && remote {
                    Some((0.5, remote_prox, remote_mode))
                } else {
                    None
                }
            }
            DeliveryPreference::HomeVisit => {
                if home_reach {
                    Some((1.0, 1.0, DeliveryMode::HomeVisit))
                } else if remote {
                    Some((0.6, remote_prox, remote_mode))
                } else {
                    None
                }
            }
            DeliveryPreference::PhoneOnly => {
                if bits & modes::PHONE != 0 {
                    Some((1.0, remote_prox, DeliveryMode::Phone))
                } else {
                    None
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{NavigatorOptions, Need, Query};
    use crate::model::Directory;

    fn fit(pref: DeliveryPreference, bits: u8, distance_m: f64) -> Option<(f32, DeliveryMode)> {
        let (nav, _) = Navigator::build(Directory::default(), NavigatorOptions::default()).unwrap();
        let q = Query::new([Need::text("x")]).delivery(pref);
        let ctx = QueryContext::new(&nav, &q, jiff::Timestamp::UNIX_EPOCH);
        nav.delivery_fit(&ctx, bits, distance_m, false, false)
            .map(|(f, _, via)| (f, via))
    }

    #[test]
    fn each_preference_takes_the_modes_it_can_use() {
        use DeliveryPreference::*;
        let far = 1.0e7;
        assert_eq!(
            fit(RemoteAcceptable, modes::IN_PERSON, 100.0),
            Some((1.0, DeliveryMode::InPerson))
        );
        assert_eq!(fit(RemoteAcceptable, modes::IN_PERSON, far), None);
        assert_eq!(
            fit(RemoteAcceptable, modes::IN_PERSON | modes::PHONE, far),
            Some((0.8, DeliveryMode::Phone))
        );
        assert_eq!(fit(InPersonOnly, modes::PHONE, 100.0), None);
        assert_eq!(
            fit(HomeVisit, modes::HOME, 100.0),
            Some((1.0, DeliveryMode::HomeVisit))
        );
        assert_eq!(
            fit(HomeVisit, modes::VIRTUAL, far),
            Some((0.6, DeliveryMode::Virtual))
        );
        assert_eq!(
            fit(PhoneOnly, modes::IN_PERSON | modes::VIRTUAL, 100.0),
            None
        );
        assert_eq!(
            fit(PhoneOnly, modes::PHONE, far),
            Some((1.0, DeliveryMode::Phone))
        );
    }
}
