//! Calendar dates of entries: validation, ISO parsing, the build clock (Unix seconds), and the
//! Vietnamese (Nghị định 30/2020), English, short and RFC 3339 spellings.
//!
//! A date has no time zone of its own; feeds place it at midnight in Vietnam (UTC+7).

use std::fmt;

/// A valid proleptic Gregorian date (when made by [`Date::new`], [`Date::parse_iso`] or
/// [`Date::from_unix_seconds`]). Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2023.
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to the length of the month.
    pub day: u8,
}

/// The language of a long date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// "ngày 14 tháng 02 năm 2023"
    Vi,
    /// "14 February 2023"
    En,
}

const SECONDS_PER_DAY: i64 = 86_400;
/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
const DAYS_FROM_MARCH_YEAR_0: i64 = 719_468;
const DAYS_PER_400_YEARS: i64 = 146_097;

impl Date {
    /// None for impossible dates (2023-02-30, month 13, 2023-02-29 — leap years right).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Parse "YYYY-MM-DD" strictly: four-digit year, two-digit month and day, nothing else.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let bytes = s.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = parse_digits(&bytes[0..4])?;
        let month = parse_digits(&bytes[5..7])?;
        let day = parse_digits(&bytes[8..10])?;
        Date::new(
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// "2023-02-14"
    pub fn iso(&self) -> String {
        format!("{}-{:02}-{:02}", Year(self.year), self.month, self.day)
    }

    /// The date (UTC) of a Unix timestamp, for SOURCE_DATE_EPOCH or the system clock.
    /// Negative seconds are before 1970. Timestamps beyond the `i32` years saturate.
    pub fn from_unix_seconds(secs: i64) -> Date {
        Date::from_days_since_epoch(secs.div_euclid(SECONDS_PER_DAY))
    }

    /// The date `days` days after 1970-01-01 (before it when negative); saturates at the
    /// first and last dates an `i32` year can hold.
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days, with years starting on 1 March.
        let Some(shifted) = days.checked_add(DAYS_FROM_MARCH_YEAR_0) else {
            return Date::MAX;
        };
        let era = shifted.div_euclid(DAYS_PER_400_YEARS);
        let day_of_era = shifted.rem_euclid(DAYS_PER_400_YEARS); // 0..=146096
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153; // 0..=11
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1; // 1..=31
        let month = if month_from_march < 10 {
            month_from_march + 3
        } else {
            month_from_march - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        match i32::try_from(year) {
            // Both casts are in range: month is 1..=12 and day 1..=31 by construction.
            Ok(year) => Date {
                year,
                month: month as u8,
                day: day as u8,
            },
            Err(_) if year < 0 => Date::MIN,
            Err(_) => Date::MAX,
        }
    }

    /// Days from 1970-01-01 to this date (negative before it).
    pub fn days_since_epoch(&self) -> i64 {
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month_from_march = if month > 2 { month - 3 } else { month + 9 };
        let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * DAYS_PER_400_YEARS + day_of_era - DAYS_FROM_MARCH_YEAR_0
    }

    const MIN: Date = Date {
        year: i32::MIN,
        month: 1,
        day: 1,
    };
    const MAX: Date = Date {
        year: i32::MAX,
        month: 12,
        day: 31,
    };
}

impl fmt::Display for Date {
    /// The ISO form, "2023-02-14".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}-{:02}", Year(self.year), self.month, self.day)
    }
}

/// True for leap years of the Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in a month, or 0 for a month outside 1..=12.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Vietnamese per Nghị định 30/2020: "ngày 14 tháng 02 năm 2023": day always two digits, month
/// with a leading zero only for January and February ("ngày 05 tháng 3 năm 2025", "ngày 09
/// tháng 01 năm 2024", "ngày 20 tháng 10 năm 2024"). English: "14 February 2023" (no leading
/// zero on the day).
pub fn format_long(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Vi if d.month <= 2 => {
            format!("ngày {:02} tháng {:02} năm {}", d.day, d.month, d.year)
        }
        Lang::Vi => format!("ngày {:02} tháng {} năm {}", d.day, d.month, d.year),
        Lang::En => match english_month(d.month) {
            Some(month) => format!("{} {} {}", d.day, month, d.year),
            // Only reachable for a hand-built invalid Date; never panic on it.
            None => format!("{} {} {}", d.day, d.month, d.year),
        },
    }
}

/// "14/02/2023" (both languages).
pub fn format_short(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day, d.month, Year(d.year))
}

/// RFC 3339 midnight UTC+7 for feeds: "2023-02-14T00:00:00+07:00".
pub fn rfc3339(d: Date) -> String {
    format!("{d}T00:00:00+07:00")
}

fn english_month(month: u8) -> Option<&'static str> {
    const MONTHS: [&str; 12] = [
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
    MONTHS.get(usize::from(month).checked_sub(1)?).copied()
}

/// ASCII digits to a number; None for anything else.
fn parse_digits(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
    })
}

/// A year padded to four digits, as ISO 8601 and RFC 3339 require for years 0 to 9999.
struct Year(i32);

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 >= 0 {
            write!(f, "{:04}", self.0)
        } else {
            write!(f, "-{:04}", self.0.unsigned_abs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert_eq!(Date::new(2023, 2, 30), None);
        assert_eq!(Date::new(2023, 2, 29), None);
        assert_eq!(Date::new(2023, 13, 1), None);
        assert_eq!(Date::new(2023, 0, 1), None);
        assert_eq!(Date::new(2023, 1, 0), None);
        assert_eq!(Date::new(2023, 4, 31), None);
        assert_eq!(Date::new(2023, 12, 32), None);
        assert_eq!(Date::new(2023, 12, 31), Some(date(2023, 12, 31)));
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2100, 2, 29).is_none());
        assert!(Date::new(2023, 2, 28).is_some());
    }

    #[test]
    fn parse_iso_is_strict() {
        assert_eq!(Date::parse_iso("2023-02-14"), Some(date(2023, 2, 14)));
        assert_eq!(Date::parse_iso("2024-02-29"), Some(date(2024, 2, 29)));
        for bad in [
            "2023-02-30",
            "2023-2-14",
            "2023-02-4",
            "23-02-14",
            "2023/02/14",
            " 2023-02-14",
            "2023-02-14 ",
            "2023-02-14T00:00:00",
            "+023-02-14",
            "2023-+2-14",
            "２０２３-02-14",
            "",
            "2023-13-01",
            "2023-00-10",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn iso_round_trips() {
        let d = date(2023, 2, 14);
        assert_eq!(d.iso(), "2023-02-14");
        assert_eq!(d.to_string(), "2023-02-14");
        assert_eq!(Date::parse_iso(&d.iso()), Some(d));
        assert_eq!(date(987, 1, 2).iso(), "0987-01-02");
    }

    #[test]
    fn ordering_is_chronological() {
        assert!(date(2023, 2, 14) < date(2023, 2, 15));
        assert!(date(2023, 12, 31) < date(2024, 1, 1));
        assert!(date(2023, 9, 30) < date(2023, 10, 1));
    }

    #[test]
    fn vietnamese_long_dates_pad_day_and_only_january_and_february() {
        assert_eq!(
            format_long(date(2024, 1, 9), Lang::Vi),
            "ngày 09 tháng 01 năm 2024"
        );
        assert_eq!(
            format_long(date(2023, 2, 14), Lang::Vi),
            "ngày 14 tháng 02 năm 2023"
        );
        assert_eq!(
            format_long(date(2025, 3, 5), Lang::Vi),
            "ngày 05 tháng 3 năm 2025"
        );
        assert_eq!(
            format_long(date(2024, 10, 20), Lang::Vi),
            "ngày 20 tháng 10 năm 2024"
        );
        assert_eq!(
            format_long(date(2024, 12, 1), Lang::Vi),
            "ngày 01 tháng 12 năm 2024"
        );
    }

    #[test]
    fn english_long_dates_have_no_leading_zero() {
        assert_eq!(format_long(date(2024, 1, 9), Lang::En), "9 January 2024");
        assert_eq!(format_long(date(2023, 2, 14), Lang::En), "14 February 2023");
        assert_eq!(format_long(date(2025, 3, 5), Lang::En), "5 March 2025");
        assert_eq!(format_long(date(2024, 10, 20), Lang::En), "20 October 2024");
    }

    #[test]
    fn hand_built_invalid_dates_format_without_panicking() {
        let bad = date(2023, 13, 40);
        assert_eq!(format_long(bad, Lang::En), "40 13 2023");
        assert_eq!(format_long(bad, Lang::Vi), "ngày 40 tháng 13 năm 2023");
        assert_eq!(format_short(bad), "40/13/2023");
    }

    #[test]
    fn short_dates_pad_day_and_month() {
        assert_eq!(format_short(date(2023, 2, 14)), "14/02/2023");
        assert_eq!(format_short(date(2025, 3, 5)), "05/03/2025");
    }

    #[test]
    fn rfc3339_is_midnight_in_vietnam() {
        assert_eq!(rfc3339(date(2023, 2, 14)), "2023-02-14T00:00:00+07:00");
        assert_eq!(rfc3339(date(2025, 11, 5)), "2025-11-05T00:00:00+07:00");
    }

    #[test]
    fn unix_seconds_give_utc_dates() {
        let cases = [
            (0, date(1970, 1, 1)),
            (86_399, date(1970, 1, 1)),
            (86_400, date(1970, 1, 2)),
            (-1, date(1969, 12, 31)),
            (-86_400, date(1969, 12, 31)),
            (-86_401, date(1969, 12, 30)),
            (951_782_400, date(2000, 2, 29)),
            (1_000_000_000, date(2001, 9, 9)),
            (1_676_332_800, date(2023, 2, 14)),
            (1_709_164_800, date(2024, 2, 29)),
            (2_147_483_647, date(2038, 1, 19)),
            (4_102_444_800, date(2100, 1, 1)),
            (-2_208_988_800, date(1900, 1, 1)),
            (-62_135_596_800, date(1, 1, 1)),
            (253_402_300_799, date(9999, 12, 31)),
        ];
        for (secs, expected) in cases {
            assert_eq!(Date::from_unix_seconds(secs), expected, "{secs}");
        }
    }

    #[test]
    fn extreme_unix_seconds_saturate() {
        assert_eq!(Date::from_unix_seconds(i64::MAX), Date::MAX);
        assert_eq!(Date::from_unix_seconds(i64::MIN), Date::MIN);
    }

    #[test]
    fn days_since_epoch_inverts_from_days() {
        for days in (-800_000..800_000)
            .step_by(997)
            .chain([-1, 0, 1, 59, 60, 365])
        {
            let d = Date::from_days_since_epoch(days);
            assert!(Date::new(d.year, d.month, d.day).is_some(), "{d:?}");
            assert_eq!(d.days_since_epoch(), days, "{d:?}");
        }
    }
}
