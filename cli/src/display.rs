//! Readable, bilingual text for search results: what a call-taker reads out.

use std::io::{self, Write};

use passerelle::{
    matching::{EligibilityStatus, Factor},
    model::{DeliveryMode, LangCode, Openness},
    Match, Navigator, Query, SearchResults,
};

/// The output language.
pub(crate) struct Lang {
    pub(crate) fr: bool,
    pub(crate) code: LangCode,
}

impl Lang {
    pub(crate) fn new(fr: bool) -> Self {
        let code = if fr { LangCode::fr() } else { LangCode::en() };
        Self { fr, code }
    }

    pub(crate) fn pick<'a>(&self, en: &'a str, fr: &'a str) -> &'a str {
        if self.fr {
            fr
        } else {
            en
        }
    }

    fn km(&self, m: f64) -> String {
        let s = format!("{:.1} km", m / 1_000.0);
        if self.fr {
            s.replace('.', ",")
        } else {
            s
        }
    }
}

fn via_text(lang: &Lang, mode: DeliveryMode) -> &'static str {
    match mode {
        DeliveryMode::InPerson => lang.pick("in person", "en personne"),
        DeliveryMode::Phone => lang.pick("by phone", "par téléphone"),
        DeliveryMode::Virtual => lang.pick("online", "en ligne"),
        DeliveryMode::HomeVisit => lang.pick("at home", "à domicile"),
        DeliveryMode::MobileOutreach => lang.pick("mobile outreach", "service mobile"),
        _ => lang.pick("other", "autre"),
    }
}

fn local_time(nav: &Navigator, lang: &Lang, t: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let zone = nav.time_zone();
    let local = t.to_zoned(zone.clone());
    let same_day = local.date() == now.to_zoned(zone.clone()).date();
    let time = if lang.fr && local.minute() == 0 {
        format!("{} h", local.hour())
    } else if lang.fr {
        format!("{} h {:02}", local.hour(), local.minute())
    } else {
        format!("{:02}:{:02}", local.hour(), local.minute())
    };
    if same_day {
        time
    } else if lang.fr {
        let days = [
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ];
        let d = days
            .get(usize::from(
                local.weekday().to_monday_zero_offset().unsigned_abs(),
            ))
            .copied()
            .unwrap_or_default();
        format!("{d} {time}")
    } else {
        format!("{} {time}", local.strftime("%a"))
    }
}

fn open_text(nav: &Navigator, lang: &Lang, m: &Match, at: jiff::Timestamp) -> String {
    if m.always_open {
        return lang
            .pick("open 24/7", "ouvert 24 h sur 24, 7 j sur 7")
            .to_owned();
    }
    match m.openness {
        Openness::Open { closes_at: Some(t) } => format!(
            "{} {}",
            lang.pick("open now, until", "ouvert, jusqu'à"),
            local_time(nav, lang, t, at)
        ),
        Openness::Open { closes_at: None } => lang.pick("open now", "ouvert").to_owned(),
        Openness::Closed {
            next_opens: Some(t),
        } => format!(
            "{} {}",
            lang.pick("closed, opens", "fermé, ouvre"),
            local_time(nav, lang, t, at)
        ),
        Openness::Closed { next_opens: None } => lang.pick("closed", "fermé").to_owned(),
        _ => lang.pick("hours unknown", "horaire inconnu").to_owned(),
    }
}

/// The facts' labels in the output language (`household_income` → "household income").
fn fact_labels(nav: &Navigator, lang: &Lang, facts: &[String]) -> String {
    let labels: Vec<&str> = facts
        .iter()
        .map(|f| {
            nav.catalog()
                .get(f)
                .map_or(f.as_str(), |d| lang.pick(d.label_en(), d.label_fr()))
        })
        .collect();
    labels.join(", ")
}

fn eligibility_text(nav: &Navigator, lang: &Lang, m: &Match) -> String {
    let e = &m.eligibility;
    match e.status {
        EligibilityStatus::Eligible => lang.pick("eligible", "admissible").to_owned(),
        EligibilityStatus::Unknown => format!(
            "{} {}",
            lang.pick("to confirm: ask about", "à confirmer : demander"),
            fact_labels(nav, lang, &e.missing_facts)
        ),
        _ => {
            let why: Vec<&str> = e.failed.iter().map(|r| r.text(&lang.code)).collect();
            format!(
                "{}: {}",
                lang.pick("not eligible", "non admissible"),
                why.join(" ")
            )
        }
    }
}

/// Reasons not already shown on the match's status line.
fn main_reasons<'a>(lang: &Lang, m: &'a Match) -> Vec<&'a str> {
    m.reasons
        .iter()
        .filter(|r| {
            !matches!(
                r.factor,
                Factor::Distance | Factor::Eligibility | Factor::Open
            )
        })
        .take(3)
        .map(|r| r.text(&lang.code))
        .collect()
}

fn write_match(
    out: &mut dyn Write,
    nav: &Navigator,
    lang: &Lang,
    m: &Match,
    at: jiff::Timestamp,
) -> io::Result<()> {
    let service = m.service_name.get(&lang.code);
    let org = m.organization_name.get(&lang.code);
    writeln!(out, "  {}. {service} — {org}", m.rank)?;
    let mut place = Vec::new();
    let location = m.location_name.get(&lang.code);
    if !location.is_empty() {
        place.push(location.to_owned());
    }
    if let Some(d) = m.distance_m {
        place.push(lang.km(d));
    }
    place.push(via_text(lang, m.via).to_owned());
    place.push(open_text(nav, lang, m, at));
    place.push(eligibility_text(nav, lang, m));
    writeln!(out, "     {}", place.join(" · "))?;
    let reasons = main_reasons(lang, m);
    if !reasons.is_empty() {
        writeln!(out, "     {}", reasons.join(" "))?;
    }
    Ok(())
}

/// Writes the results of one search as readable text.
pub(crate) fn write_results(
    out: &mut dyn Write,
    nav: &Navigator,
    lang: &Lang,
    query: &Query,
    res: &SearchResults,
) -> io::Result<()> {
    if let Some(c) = &res.crisis {
        writeln!(out, "  ! {}", c.message.text(&lang.code))?;
    }
    let many = res.needs.len() > 1;
    for need in &res.needs {
        if many {
            let text = query
                .needs
                .get(need.need_index)
                .and_then(|n| n.text.clone())
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {} « {text} » ({} {}){}",
                lang.pick("Need", "Besoin"),
                need.need_index + 1,
                need.total,
                lang.pick("found", "trouvés"),
                lang.pick(":", " :")
            )?;
        }
        if need.matches.is_empty() {
            let why = need
                .no_match_text
                .as_ref()
                .map_or("", |r| r.text(&lang.code));
            writeln!(
                out,
                "  {} {why}",
                lang.pick("No result.", "Aucun résultat.")
            )?;
            if !need.suggestions.is_empty() {
                let list: Vec<&str> = need.suggestions.iter().map(|s| s.text.as_str()).collect();
                writeln!(
                    out,
                    "  {} {}",
                    lang.pick("Try:", "Essayez :"),
                    list.join(", ")
                )?;
            }
        }
        for m in &need.matches {
            write_match(out, nav, lang, m, res.at)?;
        }
    }
    if let Some(hub) = res.multi_need.first() {
        let needs: Vec<String> = hub.needs.iter().map(|i| (i + 1).to_string()).collect();
        let dist = hub
            .distance_m
            .map(|d| format!(", {}", lang.km(d)))
            .unwrap_or_default();
        let services: Vec<&str> = hub
            .service_ids
            .iter()
            .map(|id| {
                nav.directory()
                    .services
                    .iter()
                    .find(|s| &s.id == id)
                    .map_or(id.as_str(), |s| s.name.get(&lang.code))
            })
            .collect();
        writeln!(
            out,
            "  {} {}{dist}, {} {}{} {}",
            lang.pick(
                "One stop for all your needs:",
                "Guichet unique pour tous vos besoins :"
            ),
            hub.location_name.get(&lang.code),
            lang.pick("needs", "besoins"),
            needs.join(" + "),
            lang.pick(":", " :"),
            services.join(" + ")
        )?;
    }
    if !res.next_questions.is_empty() {
        writeln!(out, "  {}", lang.pick("Ask next:", "À demander ensuite :"))?;
        for q in res.next_questions.iter().take(3) {
            let plural = if q.affects > 1 { "s" } else { "" };
            writeln!(
                out,
                "   - {} ({} {}{plural})",
                lang.pick(&q.en, &q.fr),
                q.affects,
                lang.pick("result", "résultat")
            )?;
        }
    }
    Ok(())
}
