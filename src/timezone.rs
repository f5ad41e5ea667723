//! Display names of time zones, as BroadWorks returns them next to the zone
//! (`(GMT+01:00) Europe/Brussels`). The offsets are standard time. Shared by the simulator
//! (which refuses zones it does not know) and the REST layer (which derives the display name).

/// Standard offsets of the zones the simulator knows, in minutes east of GMT.
const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("Europe/London", 0),
    ("Europe/Dublin", 0),
    ("Europe/Lisbon", 0),
    ("Europe/Brussels", 60),
    ("Europe/Paris", 60),
    ("Europe/Amsterdam", 60),
    ("Europe/Berlin", 60),
    ("Europe/Madrid", 60),
    ("Europe/Rome", 60),
    ("Europe/Zurich", 60),
    ("Europe/Luxembourg", 60),
    ("Europe/Stockholm", 60),
    ("Europe/Warsaw", 60),
    ("Europe/Athens", 120),
    ("Europe/Helsinki", 120),
    ("Europe/Moscow", 180),
    ("Asia/Dubai", 240),
    ("Asia/Kolkata", 330),
    ("Asia/Singapore", 480),
    ("Asia/Shanghai", 480),
    ("Asia/Tokyo", 540),
    ("Australia/Sydney", 600),
    ("Pacific/Auckland", 720),
    ("America/Sao_Paulo", -180),
    ("America/Halifax", -240),
    ("America/New_York", -300),
    ("America/Chicago", -360),
    ("America/Denver", -420),
    ("America/Los_Angeles", -480),
    ("America/Anchorage", -540),
    ("Pacific/Honolulu", -600),
];

/// The display name of a known zone, or `None` for a zone BroadWorks would not accept.
pub fn display_name(zone: &str) -> Option<String> {
    let (_, offset) = ZONES.iter().find(|(name, _)| *name == zone)?;
    let sign = if *offset < 0 { '-' } else { '+' };
    let abs = offset.abs();
    Some(format!("(GMT{sign}{:02}:{:02}) {zone}", abs / 60, abs % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_offsets() {
        assert_eq!(
            display_name("Europe/Brussels").as_deref(),
            Some("(GMT+01:00) Europe/Brussels")
        );
        assert_eq!(
            display_name("Asia/Kolkata").as_deref(),
            Some("(GMT+05:30) Asia/Kolkata")
        );
        assert_eq!(
            display_name("America/New_York").as_deref(),
            Some("(GMT-05:00) America/New_York")
        );
        assert_eq!(display_name("Mars/Olympus"), None);
    }
}
