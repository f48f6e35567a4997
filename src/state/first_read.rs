//! The read of the page a visit starts on, sent as soon as the connection is known: before the
//! router, the header and the page are built (in a new tab, before their code is compiled on its
//! first call). The page takes the answer when it is built, instead of sending the same request.
//! The dashboard page and the dashboards list start this way; the other pages read nothing of
//! their own on the way in.

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::rc::Rc;
use std::task::{Poll, Waker};

use leptos::task::spawn_local;

use crate::api::models::{Dashboard, Page};
use crate::api::{ApiClient, ApiError};
use crate::logic::list_query::{ListQuery, ServerListParams};
use crate::logic::route::Route;
use crate::perf;

type DashboardAnswer = Result<Dashboard, ApiError>;
type ListAnswer = Result<Page<Dashboard>, ApiError>;

/// Where the answer is handed from the task that reads to the page that waits: both run on the
/// page's one thread (futures-channel's thread-safe oneshot added 1.3 kB to the first load).
struct HandOff<T> {
    answer: Option<T>,
    waiting: Option<Waker>,
}

type Slot<T> = Rc<RefCell<HandOff<T>>>;

/// A started read: what it asked for and where its answer arrives.
enum Started {
    Dashboard((i64, i64), Slot<DashboardAnswer>),
    List((i64, ServerListParams), Slot<ListAnswer>),
}

thread_local! {
    static STARTED: RefCell<Option<Started>> = const { RefCell::new(None) };
}

/// Sends the read of the page at `route` (with the address bar's `search`), if it has one.
pub fn start(client: ApiClient, route: Route, search: &str) {
    let started = match route {
        Route::Dashboard {
            project_id,
            dashboard_id,
        } => {
            perf::mark("dashdeck:dashboard-request");
            Started::Dashboard(
                (project_id, dashboard_id),
                send(async move {
                    client
                        .dashboard_of_page(project_id, dashboard_id, None)
                        .await
                }),
            )
        }
        Route::Dashboards { project_id } => {
            let params = ListQuery::from_query_string(search).server_params();
            let key = (project_id, params.clone());
            Started::List(
                key,
                send(async move { client.dashboards_of_page(project_id, &params, None).await }),
            )
        }
        _ => return,
    };
    STARTED.set(Some(started));
}

fn send<T: 'static>(read: impl Future<Output = T> + 'static) -> Slot<T> {
    let slot = Rc::new(RefCell::new(HandOff {
        answer: None,
        waiting: None,
    }));
    let hand_off = slot.clone();
    spawn_local(async move {
        let answer = read.await;
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
    slot
}

async fn answer<T>(slot: Slot<T>) -> T {
    poll_fn(|cx| {
        let mut hand_off = slot.borrow_mut();
        match hand_off.answer.take() {
            Some(answer) => Poll::Ready(answer),
            None => {
                hand_off.waiting = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    })
    .await
}

/// The answer of the read started for this dashboard, if one was; the first page built takes
/// (or drops) it, so a later visit to the same dashboard reads it afresh.
pub async fn take_dashboard(project_id: i64, dashboard_id: i64) -> Option<DashboardAnswer> {
    match STARTED.take()? {
        Started::Dashboard(key, slot) if key == (project_id, dashboard_id) => {
            Some(answer(slot).await)
        }
        _ => None,
    }
}

/// The answer of the read started for this page of the list, if one was; taken (or dropped) by
/// the first list built, like [`take_dashboard`].
pub async fn take_dashboards(project_id: i64, params: &ServerListParams) -> Option<ListAnswer> {
    match STARTED.take()? {
        Started::List((id, started), slot) if id == project_id && started == *params => {
            Some(answer(slot).await)
        }
        _ => None,
    }
}
