//! The collaborators panel: restriction level, who can edit, the member picker, and for
//! dashboards on PostHog's newer model (`access_control_version` "v2") the access levels.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use crate::api::models::Dashboard;
use crate::api::sharing::{AccessControls, Collaborator, Member};
use crate::api::{ApiClient, ApiError};
use crate::components::dashboard_header::ShownDashboard;
use crate::components::dialog::Modal;
use crate::logic::format;
use crate::logic::sharing::{self as rules, ADMIN_LEVEL, LEVELS};

/// Everything the panel shows, loaded together.
#[derive(Clone, Default)]
struct People {
    members: Vec<Member>,
    collaborators: Vec<Collaborator>,
    me_email: String,
}

#[component]
pub fn CollaboratorsPanel(
    project_id: i64,
    dashboard: Dashboard,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    // The page's copy: a level set here shows in the header at once.
    let dash = ShownDashboard::use_or(dashboard);
    let id = dash.read_untracked().id;
    let people = RwSignal::new(None::<Result<People, ApiError>>);
    let access = RwSignal::new(None::<Result<AccessControls, ApiError>>);
    let (level_error, add_error, busy) = (
        RwSignal::new(None::<String>),
        RwSignal::new(None::<String>),
        RwSignal::new(false),
    );
    let query = RwSignal::new(String::new());
    let c = client.clone();
    let load = move || {
        let c = c.clone();
        spawn_local(async move {
            let fresh = c.dashboard(project_id, id, None).await;
            if let Ok(d) = &fresh {
                dash.try_set(d.clone());
            }
            let result = async {
                Ok(People {
                    members: c.members().await?.results,
                    collaborators: c.collaborators(project_id, id).await?,
                    me_email: c.current_user().await?.email,
                })
            }
            .await;
            people.try_set(Some(result));
            if dash.with_untracked(|d| d.access_control_version.as_deref() == Some("v2")) {
                access.try_set(Some(c.access_controls(project_id, id).await));
            }
        });
    };
    load();
    let owner_id = move || dash.read().created_by.as_ref().map(|u| u.id);
    let me = move |p: &People| {
        p.members
            .iter()
            .find(|m| m.user.email == p.me_email)
            .cloned()
    };
    let can_restrict = move || {
        people.with(|p| match p {
            Some(Ok(p)) => {
                me(p).is_some_and(|m| m.level >= ADMIN_LEVEL || Some(m.user.id) == owner_id())
            }
            _ => false,
        })
    };
    let effective = move || {
        dash.read()
            .effective_restriction_level
            .unwrap_or(dash.read().restriction_level)
    };
    let c2 = client.clone();
    let set_level = Callback::new(move |level: i64| {
        let c = c2.clone();
        busy.set(true);
        level_error.set(None);
        spawn_local(async move {
            match c
                .update_dashboard(project_id, id, &json!({ "restriction_level": level }))
                .await
            {
                Ok(d) => {
                    dash.try_set(d);
                }
                Err(e) => {
                    level_error.try_set(Some(e.user_message()));
                    dash.try_update(|_| ());
                }
            }
            busy.try_set(false);
        });
    });
    let c3 = client.clone();
    let change = move |who: String, uuid: String, add: bool| {
        let c = c3.clone();
        busy.set(true);
        add_error.set(None);
        spawn_local(async move {
            let result = if add {
                c.add_collaborator(project_id, id, &uuid).await.map(Some)
            } else {
                c.remove_collaborator(project_id, id, &uuid)
                    .await
                    .map(|_| None)
            };
            match result {
                Ok(added) => {
                    people.try_update(|p| {
                        if let Some(Ok(p)) = p {
                            p.collaborators.retain(|c| c.user.uuid != uuid);
                            p.collaborators.extend(added);
                        }
                    });
                }
                Err(e) => {
                    add_error.try_set(Some(rules::collaborator_refusal(&e, &who)));
                }
            }
            busy.try_set(false);
        });
    };
    let change2 = change.clone();
    let level_note = move || {
        if people.with(|p| p.is_none()) {
            None
        } else if !can_restrict() {
            let owner = dash
                .read()
                .created_by
                .as_ref()
                .map(format::user_display_name)
                .unwrap_or_else(|| "the owner".into());
            Some(format!(
                "Only the dashboard owner ({owner}) and project admins can change who may edit."
            ))
        } else if dash.read().restriction_level > 21 && effective() <= 21 {
            Some("Your organization's plan does not include access control, so PostHog keeps this dashboard editable by everyone in the project and collaborators cannot be added.".into())
        } else {
            None
        }
    };
    view! {
        <Modal title="Collaborators" id="collaborators-title" on_close=on_close>
            <fieldset>
                <legend>"Who can edit"</legend>
                {LEVELS.map(|(level, label)| view! {
                    <label class="check">
                        <input type="radio" name="restriction" value=level.to_string()
                            disabled=move || busy.get() || !can_restrict()
                            prop:checked=move || dash.read().restriction_level == level
                            on:change=move |_| set_level.run(level) />
                        {label}
                    </label>
                })}
                {move || level_note().map(|n| view! { <p class="lock-note">{n}</p> })}
                {move || level_error.get().map(|t| view! { <p class="error-message" role="alert">{t}</p> })}
            </fieldset>
            {move || match people.get() {
                None => view! { <p class="status" role="status">"Loading collaborators…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error-message" role="alert">{e.user_message()}</p> }.into_any(),
                Some(Ok(p)) => {
                    let owner = owner_id();
                    let admins: Vec<_> = p.members.iter().filter(|m| m.level >= ADMIN_LEVEL && Some(m.user.id) != owner).map(|m| (format::user_display_name(&m.user), m.user.email.clone())).collect();
                    let creator = dash.read_untracked().created_by.clone();
                    let editable = can_restrict() || dash.read_untracked().can_edit();
                    let restricted = effective() > 21;
                    let change = change2.clone();
                    let change3 = change2.clone();
                    view! {
                        <table class="people">
                            <caption>"Can edit"</caption>
                            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Access"</th><th>"Added"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {creator.map(|u| view! { <tr><td>{format::user_display_name(&u)}</td><td>{u.email.clone()}</td><td>"Owner (always can edit)"</td><td></td><td></td></tr> })}
                                {admins.into_iter().map(|(n, e)| view! { <tr><td>{n}</td><td>{e}</td><td>"Project admin (always can edit)"</td><td></td><td></td></tr> }).collect_view()}
                                {p.collaborators.iter().map(|c| {
                                    let who = format::user_display_name(&c.user);
                                    let (uuid, change) = (c.user.uuid.clone(), change.clone());
                                    let label = format!("Remove {who}");
                                    let access = if c.level >= 37 { "Can edit" } else { "Can view" };
                                    view! { <tr><td>{who.clone()}</td><td>{c.user.email.clone()}</td><td>{access}</td><td>{format::date(&c.added_at)}</td>
                                        <td>{editable.then(|| view! { <button type="button" class="secondary" aria-label=label disabled=move || busy.get()
                                            on:click=move |_| change(who.clone(), uuid.clone(), false)>"Remove"</button> })}</td></tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {move || add_error.get().map(|t| view! { <p class="error-message" role="alert">{t}</p> })}
                        {if !editable {
                            view! { <p class="lock-note">"You can't invite collaborators: you don't have edit rights to this dashboard."</p> }.into_any()
                        } else if !restricted {
                            view! { <p class="lock-note">"Collaborators can be invited only when only those invited to this dashboard can edit."</p> }.into_any()
                        } else {
                            view! {
                                <label>"Add a collaborator"
                                    <input type="search" placeholder="Search members by name or email" prop:value=move || query.get()
                                        on:input=move |e| query.set(event_target_value(&e)) />
                                </label>
                                {move || people.with(|p| p.as_ref().and_then(|p| p.as_ref().ok()).map(|p| {
                                    let (addable, hidden) = rules::picker(&p.members, owner_id(), &p.collaborators, &query.read());
                                    view! {
                                        <ul class="picker" aria-label="Members who can be added">
                                            {addable.into_iter().map(|m| {
                                                let who = format::user_display_name(&m.user);
                                                let (uuid, change) = (m.user.uuid.clone(), change3.clone());
                                                let label = format!("Add {who}");
                                                view! { <li>{who.clone()}" "<span class="muted">{m.user.email.clone()}</span>
                                                    <button type="button" aria-label=label disabled=move || busy.get()
                                                        on:click=move |_| change(who.clone(), uuid.clone(), true)>"Add"</button></li> }
                                            }).collect_view()}
                                        </ul>
                                        <ul class="muted" aria-label="Members not offered">
                                            {hidden.into_iter().map(|(who, why)| view! { <li>{who}" "{why}"."</li> }).collect_view()}
                                        </ul>
                                    }
                                }))}
                            }.into_any()
                        }}
                        {move || access.get().map(|a| view! { <AccessSection result=a members=p.members.clone() project_id=project_id id=id /> })}
                    }.into_any()
                }
            }}
        </Modal>
    }
}

/// Access levels of a "v2" dashboard: the default, each member's, and the user's own.
#[component]
fn AccessSection(
    result: Result<AccessControls, ApiError>,
    members: Vec<Member>,
    project_id: i64,
    id: i64,
) -> impl IntoView {
    let a = match result {
        Ok(a) => a,
        Err(e) => {
            return view! { <p class="error-message" role="alert">{e.user_message()}</p> }
                .into_any()
        }
    };
    let client = expect_context::<ApiClient>();
    let error = RwSignal::new(None::<String>);
    let editable = a.user_can_edit_access_levels;
    let levels = a.available_access_levels.clone();
    let default = a
        .access_controls
        .iter()
        .find(|r| r.organization_member.is_none() && r.role.is_none())
        .map(|r| r.access_level.clone())
        .or(a.default_access_level.clone())
        .unwrap_or_default();
    let put = move |member: Option<String>, level: String| {
        let client = client.clone();
        error.set(None);
        spawn_local(async move {
            let level = (!level.is_empty()).then_some(level);
            if let Err(e) = client
                .set_access_level(project_id, id, member.as_deref(), level.as_deref())
                .await
            {
                error.try_set(Some(e.user_message()));
            }
        });
    };
    let select = move |label: String, member: Option<String>, value: String, inherit: bool| {
        let put = put.clone();
        view! {
            <select aria-label=label disabled=!editable on:change=move |e| put(member.clone(), event_target_value(&e))>
                {inherit.then(|| view! { <option value="" selected=value.is_empty()>"Default"</option> })}
                {levels.iter().map(|l| view! { <option value=l.clone() selected=*l == value>{l.clone()}</option> }).collect_view()}
            </select>
        }
    };
    let rows = members
        .iter()
        .map(|m| {
            let who = format::user_display_name(&m.user);
            let level = a.access_controls.iter().find(|r| r.organization_member.as_deref() == Some(&m.id)).map(|r| r.access_level.clone()).unwrap_or_default();
            view! { <li>{who.clone()}" "{select(format!("Access level of {who}"), Some(m.id.clone()), level, true)}</li> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="access-title">
            <h3 id="access-title">"Access control"</h3>
            <p>"Your access level: "<strong>{a.user_access_level.clone().unwrap_or_else(|| "none".into())}</strong></p>
            {(!editable).then(|| view! { <p class="lock-note">"Only managers of this dashboard can change access levels."</p> })}
            <label>"Default access level" {select("Default access level".into(), None, default, false)}</label>
            <ul class="people">{rows}</ul>
            {move || error.get().map(|t| view! { <p class="error-message" role="alert">{t}</p> })}
        </section>
    }
    .into_any()
}
