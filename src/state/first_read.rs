//! The read of the page a visit starts on, sent as soon as the connection is known: before the
//! router, the header and the page are built (in a new tab, before their code is compiled on its
//! first call). The page takes the answer when it is built, instead of sending the same request.
//! Only the dashboard page starts this way: its read is the slow one (a 100-tile dashboard).

use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};

use leptos::task::spawn_local;

use crate::api::models::Dashboard;
use crate::api::{ApiClient, ApiError};
use crate::perf;

type Answer = Result<Dashboard, ApiError>;

/// Where the answer is handed from the task that reads to the page that waits: both run on the
/// page's one thread (futures-channel's thread-safe oneshot added 1.3 kB to the first load).
#[derive(Default)]
struct HandOff {
    answer: Option<Answer>,
    waiting: Option<Waker>,
}

/// A started read: (project id, dashboard id) and where its answer arrives.
type Started = ((i64, i64), Rc<RefCell<HandOff>>);

thread_local! {
    static STARTED: RefCell<Option<Started>> = const { RefCell::new(None) };
}

/// Sends the read of dashboard `dashboard_id` of project `project_id`.
pub fn start_dashboard(client: ApiClient, project_id: i64, dashboard_id: i64) {
    let hand_off = Rc::new(RefCell::new(HandOff::default()));
    STARTED.set(Some(((project_id, dashboard_id), hand_off.clone())));
    perf::mark("dashdeck:dashboard-request");
    spawn_local(async move {
        let answer = client.dashboard(project_id, dashboard_id, None).await;
        let page = {
            let mut hand_off = hand_off.borrow_mut();
            hand_off.answer = Some(answer);
            hand_off.waiting.take()
        };
        // Woken with the hand-off released: the page's poll borrows it.
        if let Some(page) = page {
            page.wake();
        }
    });
}

/// The answer of the read started for this dashboard, if one was; the first page built takes
/// (or drops) it, so a later visit to the same dashboard reads it afresh.
pub async fn take_dashboard(project_id: i64, dashboard_id: i64) -> Option<Answer> {
    let (started, hand_off) = STARTED.take()?;
    if started != (project_id, dashboard_id) {
        return None;
    }
    Some(
        poll_fn(|cx| {
            let mut hand_off = hand_off.borrow_mut();
            match hand_off.answer.take() {
                Some(answer) => Poll::Ready(answer),
                None => {
                    hand_off.waiting = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await,
    )
}
