//! CSV forms of referrals and unmet needs (JSON comes from their serde derives).
//!
//! Referral CSV columns: `id, need, service_id, service_at_location_id, referred_on, status,
//! follow_up_due, outcome, population, area, history` where `history` is
//! `status@YYYY-MM-DD` steps joined by `;`. Unmet-need CSV columns: `need, population, area,
//! date, reason`.

use jiff::civil::Date;

use super::lifecycle::{OutcomeReason, Referral, ReferralStatus, StatusChange};
use super::unmet::{AreaKey, UnmetNeed, UnmetReason};
use super::ReferralError;
use crate::model::TermCode;

const REFERRAL_HEADER: [&str; 11] = [
    "id",
    "need",
    "service_id",
    "service_at_location_id",
    "referred_on",
    "status",
    "follow_up_due",
    "outcome",
    "population",
    "area",
    "history",
];
const UNMET_HEADER: [&str; 5] = ["need", "population", "area", "date", "reason"];

/// Writes referrals as CSV text.
pub fn referrals_to_csv(referrals: &[Referral]) -> Result<String, ReferralError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    write_row(&mut w, REFERRAL_HEADER)?;
    for r in referrals {
        let history = r
            .history
            .iter()
            .map(|c| format!("{}@{}", c.status, c.on))
            .collect::<Vec<_>>()
            .join(";");
        write_row(
            &mut w,
            [
                r.id.as_str(),
                r.need.as_str(),
                &r.service_id,
                &r.service_at_location_id,
                &r.referred_on.to_string(),
                r.status.as_str(),
                &r.follow_up_due.map(|d| d.to_string()).unwrap_or_default(),
                r.outcome.map_or("", OutcomeReason::as_str),
                r.population.as_deref().unwrap_or(""),
                r.area.as_ref().map_or("", AreaKey::as_str),
                &history,
            ],
        )?;
    }
    finish(w)
}

/// Reads referrals from CSV, validating every row (see [`Referral::validate`]).
pub fn referrals_from_csv(data: &[u8]) -> Result<Vec<Referral>, ReferralError> {
    let mut out = Vec::new();
    for (row, rec) in rows(data, &REFERRAL_HEADER)? {
        let cell = |i: usize| rec.get(i).unwrap_or("");
        let field = |i: usize| REFERRAL_HEADER.get(i).copied().unwrap_or("?");
        let bad = |i: usize, why: String| ReferralError::Csv {
            row,
            field: field(i).to_owned(),
            why,
        };
        let need = TermCode::new(cell(1)).map_err(|e| bad(1, e.to_string()))?;
        let referred_on = parse_date(cell(4)).map_err(|why| bad(4, why))?;
        let status = parse_status(cell(5)).ok_or_else(|| bad(5, "unknown status".into()))?;
        let follow_up_due = opt(cell(6))
            .map(parse_date)
            .transpose()
            .map_err(|why| bad(6, why))?;
        let outcome = opt(cell(7))
            .map(|s| parse_outcome(s).ok_or_else(|| bad(7, "unknown outcome reason".into())))
            .transpose()?;
        let area = opt(cell(9))
            .map(|s| AreaKey::try_from(s.to_owned()).map_err(|e| bad(9, e.to_string())))
            .transpose()?;
        let history = cell(10)
            .split(';')
            .filter(|s| !s.is_empty())
            .map(|step| {
                let (s, d) = step
                    .split_once('@')
                    .ok_or_else(|| bad(10, "history steps are status@date".into()))?;
                Ok(StatusChange {
                    status: parse_status(s).ok_or_else(|| bad(10, "unknown status".into()))?,
                    on: parse_date(d).map_err(|why| bad(10, why))?,
                })
            })
            .collect::<Result<Vec<_>, ReferralError>>()?;
        let referral = Referral {
            id: cell(0).to_owned(),
            need,
            service_id: cell(2).to_owned(),
            service_at_location_id: cell(3).to_owned(),
            referred_on,
            status,
            follow_up_due,
            outcome,
            population: opt(cell(8)).map(str::to_owned),
            area,
            history,
        };
        referral.validate()?;
        out.push(referral);
    }
    Ok(out)
}

/// Writes unmet needs as CSV text.
pub fn unmet_needs_to_csv(needs: &[UnmetNeed]) -> Result<String, ReferralError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    write_row(&mut w, UNMET_HEADER)?;
    for n in needs {
        write_row(
            &mut w,
            [
                n.need.as_str(),
                n.population.as_deref().unwrap_or(""),
                n.area.as_str(),
                &n.date.to_string(),
                n.reason.as_str(),
            ],
        )?;
    }
    finish(w)
}

/// Reads unmet needs from CSV.
pub fn unmet_needs_from_csv(data: &[u8]) -> Result<Vec<UnmetNeed>, ReferralError> {
    let mut out = Vec::new();
    for (row, rec) in rows(data, &UNMET_HEADER)? {
        let cell = |i: usize| rec.get(i).unwrap_or("");
        let bad = |i: usize, why: String| ReferralError::Csv {
            row,
            field: UNMET_HEADER.get(i).copied().unwrap_or("?").to_owned(),
            why,
        };
        out.push(UnmetNeed {
            need: TermCode::new(cell(0)).map_err(|e| bad(0, e.to_string()))?,
            population: opt(cell(1)).map(str::to_owned),
            area: AreaKey::try_from(cell(2).to_owned()).map_err(|e| bad(2, e.to_string()))?,
            date: parse_date(cell(3)).map_err(|why| bad(3, why))?,
            reason: UnmetReason::parse(cell(4))
                .ok_or_else(|| bad(4, "unknown unmet reason".into()))?,
        });
    }
    Ok(out)
}

fn rows(data: &[u8], header: &[&str]) -> Result<Vec<(u64, csv::StringRecord)>, ReferralError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(data);
    let found = reader.headers().map_err(|e| ReferralError::Csv {
        row: 0,
        field: "header".into(),
        why: e.to_string(),
    })?;
    if found.iter().ne(header.iter().copied()) {
        return Err(ReferralError::Csv {
            row: 0,
            field: "header".into(),
            why: format!("expected columns {}", header.join(",")),
        });
    }
    reader
        .records()
        .enumerate()
        .map(|(i, rec)| {
            let row = i as u64 + 1;
            rec.map(|r| (row, r)).map_err(|e| ReferralError::Csv {
                row,
                field: "row".into(),
                why: e.to_string(),
            })
        })
        .collect()
}

fn write_row<'a>(
    w: &mut csv::Writer<Vec<u8>>,
    cells: impl IntoIterator<Item = &'a str>,
) -> Result<(), ReferralError> {
    w.write_record(cells).map_err(|e| ReferralError::Csv {
        row: 0,
        field: "write".into(),
        why: e.to_string(),
    })
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, ReferralError> {
    let bytes = w.into_inner().map_err(|e| ReferralError::Csv {
        row: 0,
        field: "write".into(),
        why: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| ReferralError::Csv {
        row: 0,
        field: "write".into(),
        why: e.to_string(),
    })
}

fn opt(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|_| "expected a date YYYY-MM-DD".to_owned())
}

fn parse_status(s: &str) -> Option<ReferralStatus> {
    use ReferralStatus::*;
    [Referred, Contacted, Connected, NotConnected, Closed]
        .into_iter()
        .find(|st| st.as_str() == s.trim())
}

fn parse_outcome(s: &str) -> Option<OutcomeReason> {
    use OutcomeReason::*;
    [
        NoAnswer,
        NotEligible,
        WaitlistFull,
        TooFar,
        Language,
        Cost,
        VirtualOnly,
        ClosedAtNeededTimes,
        Declined,
        Other,
    ]
    .into_iter()
    .find(|o| o.as_str() == s.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn sample() -> Vec<Referral> {
        let mut a = Referral::new(
            "r1",
            TermCode::new("housing.utilities").unwrap(),
            "svc-a",
            "sal-a",
            date(2026, 3, 1),
        );
        a.population = Some("black".into());
        a.area = Some(AreaKey::from_postal_code("K1K 1A1").unwrap());
        a.follow_up_due = Some(date(2026, 3, 8));
        a.advance(ReferralStatus::Contacted, date(2026, 3, 2))
            .unwrap();
        a.not_connected(OutcomeReason::Language, date(2026, 3, 4))
            .unwrap();
        let b = Referral::new(
            "r2, with comma",
            TermCode::new("food.bank").unwrap(),
            "svc-b",
            "sal-b",
            date(2026, 3, 3),
        );
        vec![a, b]
    }

    #[test]
    fn referral_csv_and_json_round_trip() {
        let rs = sample();
        let csv = referrals_to_csv(&rs).unwrap();
        assert_eq!(referrals_from_csv(csv.as_bytes()).unwrap(), rs);
        let json = serde_json::to_string(&rs).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Referral>>(&json).unwrap(), rs);
    }

    #[test]
    fn bad_rows_name_row_and_field() {
        let csv = referrals_to_csv(&sample()).unwrap();
        let broken = csv.replacen("not_connected@", "teleported@", 1);
        match referrals_from_csv(broken.as_bytes()) {
            Err(ReferralError::Csv { row, field, .. }) => {
                assert_eq!((row, field.as_str()), (1, "history"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let bad_area = csv.replacen("fsa:K1K", "fsa:K1K1A1", 1);
        assert!(matches!(
            referrals_from_csv(bad_area.as_bytes()),
            Err(ReferralError::Csv { row: 1, ref field, .. }) if field == "area"
        ));
        assert!(referrals_from_csv(b"id,need\nx,y\n").is_err());
    }

    #[test]
    fn unmet_csv_round_trip() {
        let needs = vec![UnmetNeed {
            need: TermCode::new("employment.jobsearch").unwrap(),
            population: None,
            area: AreaKey::named("Orléans").unwrap(),
            date: date(2026, 5, 5),
            reason: UnmetReason::Language,
        }];
        let csv = unmet_needs_to_csv(&needs).unwrap();
        assert!(csv.starts_with("need,population,area,date,reason\n"));
        assert_eq!(unmet_needs_from_csv(csv.as_bytes()).unwrap(), needs);
    }
}
