//! Bulk actions on the dashboards list: which rows are selected (checkboxes, shift-click
//! ranges, all on the page) and the PATCH each selected dashboard gets, with its Undo.

use serde_json::{json, Value};

use super::edit::{with_tag, Edit};
use crate::api::models::Dashboard;

/// The selected dashboard ids, and the row last clicked (the anchor of a shift-click range).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    ids: Vec<i64>,
    anchor: Option<i64>,
}

impl Selection {
    pub fn contains(&self, id: i64) -> bool {
        self.ids.contains(&id)
    }

    pub fn ids(&self) -> &[i64] {
        &self.ids
    }

    fn set(&mut self, id: i64, on: bool) {
        self.ids.retain(|&x| x != id);
        if on {
            self.ids.push(id);
        }
    }

    /// Checks (`on`) or unchecks row `id`; with `range` (Shift held), every row of `order`
    /// from the last clicked one to `id` alike.
    pub fn click(&mut self, order: &[i64], id: i64, on: bool, range: bool) {
        let at = |id: i64| order.iter().position(|&x| x == id);
        match (range, self.anchor.and_then(at), at(id)) {
            (true, Some(a), Some(b)) => {
                for &x in &order[a.min(b)..=a.max(b)] {
                    self.set(x, on);
                }
            }
            _ => self.set(id, on),
        }
        self.anchor = Some(id);
    }

    /// Whether every row of `order` (and at least one) is selected.
    pub fn all(&self, order: &[i64]) -> bool {
        !order.is_empty() && order.iter().all(|&id| self.contains(id))
    }

    /// "Select all on this page" checked or unchecked.
    pub fn set_all(&mut self, order: &[i64], on: bool) {
        for &id in order {
            self.set(id, on);
        }
        self.anchor = None;
    }

    /// Keeps only `ids` (what failed in a batch stays selected for another try).
    pub fn keep(&mut self, ids: &[i64]) {
        self.ids.retain(|id| ids.contains(id));
        self.anchor = None;
    }
}

/// What a batch does to every selected dashboard.
#[derive(Clone, Debug, PartialEq)]
pub enum BulkAction {
    Pin,
    Unpin,
    AddTag(String),
    Delete,
}

/// One dashboard's share of a batch: the PATCH body and the body that undoes it.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkStep {
    pub id: i64,
    pub name: String,
    pub body: Value,
    pub undo: Value,
}

impl BulkAction {
    /// The steps for `targets`, leaving out dashboards already as asked (pinning a pinned one).
    pub fn steps(&self, targets: &[&Dashboard]) -> Vec<BulkStep> {
        targets
            .iter()
            .filter_map(|d| {
                let edit = match self {
                    BulkAction::Delete => None,
                    BulkAction::Pin => Some(Edit::Pinned(true)),
                    BulkAction::Unpin => Some(Edit::Pinned(false)),
                    BulkAction::AddTag(tag) => Some(Edit::Tags(with_tag(&d.tags, tag))),
                };
                let (body, undo) = match edit {
                    None => (json!({ "deleted": true }), json!({ "deleted": false })),
                    Some(edit) => {
                        let before = edit.inverse(d);
                        if before == edit {
                            return None;
                        }
                        (edit.body(), before.body())
                    }
                };
                let name = d.name.clone().filter(|n| !n.trim().is_empty());
                Some(BulkStep {
                    id: d.id,
                    name: name.unwrap_or_else(|| "Untitled".into()),
                    body,
                    undo,
                })
            })
            .collect()
    }

    /// "Pinning" (while it runs).
    pub fn verb(&self) -> &'static str {
        match self {
            BulkAction::Pin => "Pinning",
            BulkAction::Unpin => "Unpinning",
            BulkAction::AddTag(_) => "Tagging",
            BulkAction::Delete => "Deleting",
        }
    }

    /// "Pinned 3 dashboards." or "Deleted 2 of 3 dashboards." when some failed.
    pub fn done_message(&self, done: usize, total: usize) -> String {
        let past = match self {
            BulkAction::Pin => "Pinned",
            BulkAction::Unpin => "Unpinned",
            BulkAction::AddTag(_) => "Tagged",
            BulkAction::Delete => "Deleted",
        };
        let noun = if total == 1 {
            "dashboard"
        } else {
            "dashboards"
        };
        if done == total {
            format!("{past} {total} {noun}.")
        } else {
            format!("{past} {done} of {total} {noun}.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: [i64; 6] = [10, 11, 12, 13, 14, 15];

    #[test]
    fn clicks_toggle_one_row() {
        let mut s = Selection::default();
        s.click(&ORDER, 12, true, false);
        s.click(&ORDER, 14, true, false);
        assert_eq!(s.ids(), [12, 14]);
        s.click(&ORDER, 12, false, false);
        assert_eq!(s.ids(), [14]);
    }

    #[test]
    fn shift_click_selects_or_clears_the_range_from_the_last_click_either_way() {
        let mut s = Selection::default();
        s.click(&ORDER, 11, true, false);
        s.click(&ORDER, 14, true, true);
        assert!([11, 12, 13, 14].iter().all(|&id| s.contains(id)));
        assert!(!s.contains(10) && !s.contains(15));
        // Upwards from the new anchor (14), unchecking.
        s.click(&ORDER, 12, false, true);
        assert_eq!(s.ids(), [11]);
        // Without an anchor on the page, shift-click is a plain click.
        let mut fresh = Selection::default();
        fresh.click(&ORDER, 13, true, true);
        assert_eq!(fresh.ids(), [13]);
    }

    #[test]
    fn select_all_on_the_page() {
        let mut s = Selection::default();
        assert!(!s.all(&ORDER) && !s.all(&[]));
        s.click(&ORDER, 12, true, false);
        s.set_all(&ORDER, true);
        assert!(s.all(&ORDER));
        assert_eq!(s.ids().len(), 6, "no duplicates");
        s.set_all(&ORDER, false);
        assert!(s.ids().is_empty());
        s.set_all(&ORDER, true);
        s.keep(&[13, 99]);
        assert_eq!(s.ids(), [13]);
    }

    fn dashboard(id: i64, pinned: bool, tags: &[&str]) -> Dashboard {
        serde_json::from_value(json!({
            "id": id, "name": format!("D{id}"), "pinned": pinned, "tags": tags,
        }))
        .unwrap()
    }

    #[test]
    fn steps_skip_no_ops_and_carry_their_undo() {
        let (a, b) = (dashboard(1, true, &["kpi"]), dashboard(2, false, &[]));
        let pin = BulkAction::Pin.steps(&[&a, &b]);
        assert_eq!(pin.len(), 1);
        assert_eq!(
            (pin[0].id, &pin[0].body, &pin[0].undo),
            (2, &json!({ "pinned": true }), &json!({ "pinned": false }))
        );
        let tag = BulkAction::AddTag(" KPI ".into()).steps(&[&a, &b]);
        assert_eq!(tag.len(), 1);
        assert_eq!(tag[0].body, json!({ "tags": ["kpi"] }));
        assert_eq!(tag[0].undo, json!({ "tags": [] }));
        let delete = BulkAction::Delete.steps(&[&a, &b]);
        assert_eq!(delete[1].body, json!({ "deleted": true }));
        assert_eq!(delete[1].undo, json!({ "deleted": false }));
        assert_eq!(delete[0].name, "D1");
    }

    #[test]
    fn messages() {
        assert_eq!(BulkAction::Pin.done_message(3, 3), "Pinned 3 dashboards.");
        assert_eq!(
            BulkAction::Delete.done_message(2, 3),
            "Deleted 2 of 3 dashboards."
        );
        assert_eq!(
            BulkAction::Unpin.done_message(1, 1),
            "Unpinned 1 dashboard."
        );
    }
}
