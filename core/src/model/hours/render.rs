//! Short English and French phrases for opening hours ("opens Monday at 9:00", "ouvre lundi
//! à 9 h", "open 24/7").

use jiff::civil::DateTime;
use jiff::Timestamp;

use super::rule::{day_number, weekday_index};
use super::{OpeningHours, Openness};
use crate::model::LangCode;

const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// See [`OpeningHours::describe`].
pub(super) fn describe(hours: &OpeningHours, now: Timestamp, lang: &LangCode) -> Option<String> {
    let fr = lang.primary() == "fr";
    let tz = hours.time_zone();
    let now_local = tz.to_datetime(now);
    let phrase = match hours.is_open_at(now) {
        Openness::Unknown => return None,
        Openness::Open { closes_at: None } if hours.is_always_open() => {
            if fr {
                "ouvert 24 h sur 24, 7 jours sur 7".to_owned()
            } else {
                "open 24/7".to_owned()
            }
        }
        Openness::Open { closes_at: None } => if fr { "ouvert" } else { "open" }.to_owned(),
        Openness::Open {
            closes_at: Some(close),
        } => {
            let when = When::new(tz.to_datetime(close), now_local);
            if fr {
                format!("ouvert {}", when.fr(true))
            } else {
                format!("open until {}", when.en(true))
            }
        }
        Openness::Closed {
            next_opens: Some(open),
        } => {
            let when = When::new(tz.to_datetime(open), now_local);
            if fr {
                format!("ouvre {}", when.fr(false))
            } else {
                format!("opens {}", when.en(false))
            }
        }
        Openness::Closed { next_opens: None } => if fr {
            "fermé, aucune ouverture prévue"
        } else {
            "closed, no upcoming hours"
        }
        .to_owned(),
    };
    Some(phrase)
}

/// A moment relative to now, ready to be worded.
struct When {
    at: DateTime,
    /// Days from today (local dates).
    days: i32,
}

impl When {
    fn new(at: DateTime, now: DateTime) -> Self {
        Self {
            at,
            days: day_number(at.date()) - day_number(now.date()),
        }
    }

    /// "today at 9:00", "Monday at 9:00", "on March 3 at 9:00"; after "until": "17:00",
    /// "tomorrow at 2:00", "March 3 at 9:00".
    fn en(&self, until: bool) -> String {
        let time = format!("{}:{:02}", self.at.hour(), self.at.minute());
        match self.days {
            0 if until => time,
            0 => format!("today at {time}"),
            1 => format!("tomorrow at {time}"),
            2..=6 => format!("{} at {time}", weekday(&WEEKDAYS_EN, self.at)),
            _ => {
                let on = if until { "" } else { "on " };
                let month = month(&MONTHS_EN, self.at);
                format!("{on}{month} {} at {time}", self.at.day())
            }
        }
    }

    /// "aujourd'hui à 9 h", "lundi à 9 h", "le 3 mars à 9 h"; with "jusqu'à": "jusqu'à 17 h",
    /// "jusqu'à demain à 2 h", "jusqu'au 3 mars à 9 h".
    fn fr(&self, until: bool) -> String {
        let time = match self.at.minute() {
            0 => format!("{} h", self.at.hour()),
            m => format!("{} h {m:02}", self.at.hour()),
        };
        let until_prefix = if until { "jusqu'à " } else { "" };
        match self.days {
            0 if until => format!("jusqu'à {time}"),
            0 => format!("aujourd'hui à {time}"),
            1 => format!("{until_prefix}demain à {time}"),
            2..=6 => format!("{until_prefix}{} à {time}", weekday(&WEEKDAYS_FR, self.at)),
            _ => {
                let day = match self.at.day() {
                    1 => "1er".to_owned(),
                    d => d.to_string(),
                };
                let article = if until { "jusqu'au" } else { "le" };
                format!("{article} {day} {} à {time}", month(&MONTHS_FR, self.at))
            }
        }
    }
}

fn weekday(names: &[&'static str; 7], at: DateTime) -> &'static str {
    names
        .get(usize::from(weekday_index(at.weekday())))
        .copied()
        .unwrap_or_default()
}

fn month(names: &[&'static str; 12], at: DateTime) -> &'static str {
    usize::try_from(at.month() - 1)
        .ok()
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or_default()
}
