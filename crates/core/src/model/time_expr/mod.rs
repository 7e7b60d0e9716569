//! Grafana's time range syntax: `now`, `now-6h`, `now/d`, `now-1d/d`, `now-1w/w`, `now/M`,
//! RFC 3339 and epoch milliseconds. Parse/display pairs, and resolution to Unix milliseconds given
//! "now" and the zone's UTC offset (rounding to days, weeks, months and years happens in that zone;
//! weeks start on Monday).

use std::fmt;
use std::str::FromStr;

use super::civil::{days_in_month, format_rfc3339, parse_rfc3339, CivilDateTime, DAY_MS};
use super::time_range::TimeRange;

/// A calendar or clock unit of date math.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl TimeUnit {
    const ALL: [TimeUnit; 7] = [
        TimeUnit::Second,
        TimeUnit::Minute,
        TimeUnit::Hour,
        TimeUnit::Day,
        TimeUnit::Week,
        TimeUnit::Month,
        TimeUnit::Year,
    ];

    /// Grafana's letter: `s m h d w M y`.
    #[must_use]
    pub fn letter(self) -> char {
        match self {
            TimeUnit::Second => 's',
            TimeUnit::Minute => 'm',
            TimeUnit::Hour => 'h',
            TimeUnit::Day => 'd',
            TimeUnit::Week => 'w',
            TimeUnit::Month => 'M',
            TimeUnit::Year => 'y',
        }
    }

    fn from_letter(c: char) -> Option<TimeUnit> {
        TimeUnit::ALL.into_iter().find(|u| u.letter() == c)
    }
}

/// One step after `now`: add (or subtract) an amount of a unit, or round to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MathOp {
    Add { amount: i64, unit: TimeUnit },
    Round(TimeUnit),
}

/// How an absolute time was written, so that it is written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AbsoluteForm {
    EpochMillis,
    Rfc3339,
}

/// One end of a time range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TimeExpr {
    /// `now` followed by date math.
    Relative(Vec<MathOp>),
    /// A fixed instant.
    Absolute { ms: i64, form: AbsoluteForm },
}

/// Why a time text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid time {input:?}: expected now, now-6h, now/d, now-1d/d, an RFC 3339 date or epoch milliseconds")]
pub struct TimeExprError {
    pub input: String,
}

/// Most date-math steps accepted after `now` (keeps resolution work bounded).
const MAX_OPS: usize = 16;
/// Largest amount accepted in one step.
const MAX_AMOUNT: i64 = 1_000_000;
/// "Now" is kept within ±200,000 years of 1970, so that the bounded date math (at most
/// [`MAX_OPS`] steps of [`MAX_AMOUNT`] units, in any zone) can never overflow (found by `fuzz/`).
const MAX_NOW_MS: i64 = 200_000 * 366 * DAY_MS;

impl FromStr for TimeExpr {
    type Err = TimeExprError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = || TimeExprError {
            input: input.to_owned(),
        };
        let text = input.trim();
        if let Some(mut rest) = text.strip_prefix("now") {
            let mut ops = Vec::new();
            while let Some(c) = rest.chars().next() {
                if ops.len() >= MAX_OPS {
                    return Err(err());
                }
                // `c` may be any character (`nowр` from a URL): step over all of its bytes.
                rest = &rest[c.len_utf8()..];
                match c {
                    '/' => {
                        let unit = rest
                            .chars()
                            .next()
                            .and_then(TimeUnit::from_letter)
                            .ok_or_else(err)?;
                        rest = &rest[1..];
                        ops.push(MathOp::Round(unit));
                    }
                    '+' | '-' => {
                        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                        let amount: i64 = if digits == 0 {
                            1
                        } else {
                            rest[..digits].parse().map_err(|_| err())?
                        };
                        if amount > MAX_AMOUNT {
                            return Err(err());
                        }
                        rest = &rest[digits..];
                        let unit = rest
                            .chars()
                            .next()
                            .and_then(TimeUnit::from_letter)
                            .ok_or_else(err)?;
                        rest = &rest[1..];
                        let amount = if c == '-' { -amount } else { amount };
                        ops.push(MathOp::Add { amount, unit });
                    }
                    _ => return Err(err()),
                }
            }
            return Ok(TimeExpr::Relative(ops));
        }
        if !text.is_empty() && text.len() <= 16 && text.bytes().all(|b| b.is_ascii_digit()) {
            let ms = text.parse().map_err(|_| err())?;
            return Ok(TimeExpr::Absolute {
                ms,
                form: AbsoluteForm::EpochMillis,
            });
        }
        parse_rfc3339(text)
            .map(|ms| TimeExpr::Absolute {
                ms,
                form: AbsoluteForm::Rfc3339,
            })
            .map_err(|_| err())
    }
}

impl fmt::Display for TimeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeExpr::Relative(ops) => {
                f.write_str("now")?;
                for op in ops {
                    match op {
                        MathOp::Add { amount, unit } if *amount < 0 => {
                            write!(f, "-{}{}", amount.unsigned_abs(), unit.letter())?
                        }
                        MathOp::Add { amount, unit } => write!(f, "+{amount}{}", unit.letter())?,
                        MathOp::Round(unit) => write!(f, "/{}", unit.letter())?,
                    }
                }
                Ok(())
            }
            TimeExpr::Absolute {
                ms,
                form: AbsoluteForm::EpochMillis,
            } => write!(f, "{ms}"),
            TimeExpr::Absolute {
                ms,
                form: AbsoluteForm::Rfc3339,
            } => f.write_str(&format_rfc3339(*ms)),
        }
    }
}

impl TimeExpr {
    /// `now`.
    #[must_use]
    pub fn now() -> Self {
        TimeExpr::Relative(Vec::new())
    }

    /// Whether this moves with "now" (a relative expression).
    #[must_use]
    pub fn is_relative(&self) -> bool {
        matches!(self, TimeExpr::Relative(_))
    }

    /// Unix milliseconds of this expression. `offset_at(ms)` gives the zone's offset in minutes
    /// east of UTC at an instant. `round_up` rounds to the end of a unit (for the `to` end:
    /// `now/d` as `to` is the last millisecond of today), as Grafana does.
    #[must_use]
    pub fn resolve(&self, now_ms: i64, offset_at: &dyn Fn(i64) -> i32, round_up: bool) -> i64 {
        match self {
            TimeExpr::Absolute { ms, .. } => *ms,
            TimeExpr::Relative(ops) => ops
                .iter()
                .fold(now_ms.clamp(-MAX_NOW_MS, MAX_NOW_MS), |t, op| {
                    apply(t, *op, offset_at, round_up)
                }),
        }
    }
}

fn local(ms: i64, offset_at: &dyn Fn(i64) -> i32) -> CivilDateTime {
    CivilDateTime::from_millis(ms, offset_at(ms))
}

/// The instant of a wall-clock time, with the offset in force then (two passes across DST).
fn instant(civil: &CivilDateTime, hint_ms: i64, offset_at: &dyn Fn(i64) -> i32) -> i64 {
    let guess = civil.to_millis(offset_at(hint_ms));
    civil.to_millis(offset_at(guess))
}

fn apply(t: i64, op: MathOp, offset_at: &dyn Fn(i64) -> i32, round_up: bool) -> i64 {
    match op {
        MathOp::Add { amount, unit } => add(t, amount, unit, offset_at),
        MathOp::Round(unit) => {
            let start = start_of(t, unit, offset_at);
            if round_up {
                add(start, 1, unit, offset_at).saturating_sub(1)
            } else {
                start
            }
        }
    }
}

fn add(t: i64, amount: i64, unit: TimeUnit, offset_at: &dyn Fn(i64) -> i32) -> i64 {
    let clock = |unit_ms: i64| t.saturating_add(amount.saturating_mul(unit_ms));
    match unit {
        TimeUnit::Second => clock(1000),
        TimeUnit::Minute => clock(60_000),
        TimeUnit::Hour => clock(3_600_000),
        TimeUnit::Day | TimeUnit::Week => {
            let days = if unit == TimeUnit::Week {
                amount * 7
            } else {
                amount
            };
            let mut civil = local(t, offset_at);
            let (year, month, day) = super::civil::civil_from_days(
                super::civil::days_from_civil(civil.year, civil.month, civil.day) + days,
            );
            (civil.year, civil.month, civil.day) = (year, month, day);
            instant(
                &civil,
                t.saturating_add(days.saturating_mul(DAY_MS)),
                offset_at,
            )
        }
        TimeUnit::Month | TimeUnit::Year => {
            let months = if unit == TimeUnit::Year {
                amount * 12
            } else {
                amount
            };
            let mut civil = local(t, offset_at);
            let index = civil.year * 12 + i64::from(civil.month) - 1 + months;
            civil.year = index.div_euclid(12);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            {
                civil.month = index.rem_euclid(12) as u32 + 1;
            }
            civil.day = civil.day.min(days_in_month(civil.year, civil.month));
            instant(&civil, t, offset_at)
        }
    }
}

fn start_of(t: i64, unit: TimeUnit, offset_at: &dyn Fn(i64) -> i32) -> i64 {
    let mut civil = local(t, offset_at);
    let clear_below = |c: &mut CivilDateTime, level: TimeUnit| {
        c.millisecond = 0;
        if level != TimeUnit::Second {
            c.second = 0;
        }
        if !matches!(level, TimeUnit::Second | TimeUnit::Minute) {
            c.minute = 0;
        }
        if !matches!(level, TimeUnit::Second | TimeUnit::Minute | TimeUnit::Hour) {
            c.hour = 0;
        }
    };
    clear_below(&mut civil, unit);
    match unit {
        TimeUnit::Week => {
            let days = super::civil::days_from_civil(civil.year, civil.month, civil.day)
                - i64::from(civil.weekday_from_monday());
            (civil.year, civil.month, civil.day) = super::civil::civil_from_days(days);
        }
        TimeUnit::Month => civil.day = 1,
        TimeUnit::Year => {
            civil.day = 1;
            civil.month = 1;
        }
        _ => {}
    }
    instant(&civil, t, offset_at)
}

/// A time range as written: `from` and `to` expressions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RangeExpr {
    pub from: TimeExpr,
    pub to: TimeExpr,
}

impl RangeExpr {
    /// Parses both ends.
    ///
    /// # Errors
    /// The [`TimeExprError`] of the first end that does not parse.
    pub fn parse(from: &str, to: &str) -> Result<Self, TimeExprError> {
        Ok(RangeExpr {
            from: from.parse()?,
            to: to.parse()?,
        })
    }

    /// Grafana's default, the last 6 hours.
    #[must_use]
    pub fn last_6_hours() -> Self {
        RangeExpr {
            from: TimeExpr::Relative(vec![MathOp::Add {
                amount: -6,
                unit: TimeUnit::Hour,
            }]),
            to: TimeExpr::now(),
        }
    }

    /// Whether both ends keep a fixed distance from "now" (`now-6h` to `now`, `now-7d` to
    /// `now-1d`): no rounding (`now/d`), no months or years (their length varies), nothing
    /// absolute. Such a range resolved later is the same range moved by the time passed (days
    /// and weeks are calendar days, so a daylight-saving change in the zone is the exception).
    #[must_use]
    pub fn follows_now(&self) -> bool {
        let fixed = |end: &TimeExpr| {
            match end {
            TimeExpr::Relative(ops) => ops.iter().all(|op| {
                matches!(op, MathOp::Add { unit, .. } if !matches!(unit, TimeUnit::Month | TimeUnit::Year))
            }),
            TimeExpr::Absolute { .. } => false,
        }
        };
        fixed(&self.from) && fixed(&self.to)
    }

    /// The absolute range at `now_ms` in a zone (`from` rounds down, `to` rounds up).
    #[must_use]
    pub fn resolve(&self, now_ms: i64, offset_at: &dyn Fn(i64) -> i32) -> TimeRange {
        TimeRange::new(
            self.from.resolve(now_ms, offset_at, false),
            self.to.resolve(now_ms, offset_at, true),
        )
    }
}

#[cfg(test)]
mod tests;
