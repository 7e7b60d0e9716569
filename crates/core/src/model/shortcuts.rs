//! Grafana's dashboard keyboard shortcuts, as a small state machine over the DOM's
//! `KeyboardEvent.key` names: `t z` zooms the time range out, `t ←` / `t →` move it back and
//! forward, `d r` refreshes every panel, `Esc` leaves a panel shown full size. The browser layer
//! hands over only keys typed outside text fields and without Ctrl, Alt or Meta.

/// What a shortcut asks the dashboard to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DashboardShortcut {
    ZoomOut,
    ShiftBack,
    ShiftForward,
    Refresh,
    ExitPanelView,
}

/// How long the second key of a two-key shortcut may follow the first.
pub const SECOND_KEY_WITHIN_MS: i64 = 1500;

/// The shortcuts, as the page's help and the buttons' tooltips name them.
pub const SHORTCUT_KEYS: [(DashboardShortcut, &str); 5] = [
    (DashboardShortcut::ZoomOut, "t z"),
    (DashboardShortcut::ShiftBack, "t ←"),
    (DashboardShortcut::ShiftForward, "t →"),
    (DashboardShortcut::Refresh, "d r"),
    (DashboardShortcut::ExitPanelView, "Esc"),
];

/// The keys of `shortcut`, e.g. `"t z"`.
#[must_use]
pub fn keys_of(shortcut: DashboardShortcut) -> &'static str {
    SHORTCUT_KEYS
        .iter()
        .find(|(s, _)| *s == shortcut)
        .map_or("", |(_, keys)| keys)
}

/// The first key of a two-key shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Time,
    Dashboard,
}

/// Keys pressed so far: the first key of a two-key shortcut and when it came.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShortcutKeys {
    pending: Option<(Prefix, i64)>,
}

impl ShortcutKeys {
    /// Feeds one key pressed at `now_ms`; returns the shortcut it completes, if any. Any other
    /// key, or a second key later than [`SECOND_KEY_WITHIN_MS`], starts over.
    pub fn press(&mut self, key: &str, now_ms: i64) -> Option<DashboardShortcut> {
        let prefix = self
            .pending
            .take()
            .filter(|(_, at)| now_ms.saturating_sub(*at) <= SECOND_KEY_WITHIN_MS)
            .map(|(prefix, _)| prefix);
        match (prefix, key) {
            (_, "Escape") => Some(DashboardShortcut::ExitPanelView),
            (Some(Prefix::Time), "z" | "Z") => Some(DashboardShortcut::ZoomOut),
            (Some(Prefix::Time), "ArrowLeft") => Some(DashboardShortcut::ShiftBack),
            (Some(Prefix::Time), "ArrowRight") => Some(DashboardShortcut::ShiftForward),
            (Some(Prefix::Dashboard), "r" | "R") => Some(DashboardShortcut::Refresh),
            (_, "t" | "T") => {
                self.pending = Some((Prefix::Time, now_ms));
                None
            }
            (_, "d" | "D") => {
                self.pending = Some((Prefix::Dashboard, now_ms));
                None
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(keys: &[(&str, i64)]) -> Vec<DashboardShortcut> {
        let mut state = ShortcutKeys::default();
        keys.iter()
            .filter_map(|(key, at)| state.press(key, *at))
            .collect()
    }

    #[test]
    fn two_key_shortcuts_complete_on_their_second_key() {
        use DashboardShortcut::*;
        assert_eq!(typed(&[("t", 0), ("z", 100)]), [ZoomOut]);
        assert_eq!(typed(&[("t", 0), ("ArrowLeft", 100)]), [ShiftBack]);
        assert_eq!(typed(&[("T", 0), ("ArrowRight", 100)]), [ShiftForward]);
        assert_eq!(typed(&[("d", 0), ("r", 100)]), [Refresh]);
        assert_eq!(typed(&[("Escape", 0)]), [ExitPanelView]);
        // Repeated: each pair counts.
        assert_eq!(
            typed(&[("t", 0), ("ArrowLeft", 10), ("t", 20), ("ArrowLeft", 30)]),
            [ShiftBack, ShiftBack]
        );
    }

    #[test]
    fn a_lone_or_late_or_wrong_second_key_does_nothing() {
        assert!(typed(&[("z", 0)]).is_empty());
        assert!(typed(&[("r", 0)]).is_empty());
        assert!(typed(&[("ArrowLeft", 0)]).is_empty());
        assert!(typed(&[("t", 0), ("z", SECOND_KEY_WITHIN_MS + 1)]).is_empty());
        assert!(typed(&[("t", 0), ("r", 10)]).is_empty());
        assert!(typed(&[("d", 0), ("z", 10)]).is_empty());
        // Another key in between starts over.
        assert!(typed(&[("t", 0), ("x", 10), ("z", 20)]).is_empty());
    }

    #[test]
    fn a_new_first_key_replaces_the_pending_one() {
        use DashboardShortcut::*;
        assert_eq!(typed(&[("d", 0), ("t", 10), ("z", 20)]), [ZoomOut]);
        assert_eq!(typed(&[("t", 0), ("d", 10), ("r", 20)]), [Refresh]);
        // Escape works whatever is pending, and clears it.
        assert_eq!(
            typed(&[("t", 0), ("Escape", 10), ("z", 20)]),
            [ExitPanelView]
        );
    }

    #[test]
    fn every_shortcut_has_its_keys_named() {
        for shortcut in [
            DashboardShortcut::ZoomOut,
            DashboardShortcut::ShiftBack,
            DashboardShortcut::ShiftForward,
            DashboardShortcut::Refresh,
            DashboardShortcut::ExitPanelView,
        ] {
            assert!(!keys_of(shortcut).is_empty(), "{shortcut:?}");
        }
        assert_eq!(keys_of(DashboardShortcut::ZoomOut), "t z");
    }
}
