//! `GET /v1/events/changes` across servers: writers and a reader spread over
//! three processes' worth of servers on one database, as behind a load
//! balancer, each page read from the next server with the cursor another gave.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration as StdDuration, Instant};

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;

use super::{manual_event, world, World};

#[tokio::test]
async fn writers_and_a_reader_spread_over_three_servers_see_every_change_once() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    // Three processes' worth of servers on one database, as behind a load balancer.
    let servers = [
        app.address.clone(),
        app.second_server().await,
        app.second_server().await,
    ];
    let done = AtomicBool::new(false);
    let reader = async {
        let mut seen: Vec<Value> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut page_no = 0;
        let mut empty_after_done = 0;
        let deadline = Instant::now() + StdDuration::from_secs(60);
        loop {
            let finished = done.load(Ordering::SeqCst);
            // Each page from the next server, with the cursor another gave.
            let base = &servers[page_no % 3];
            page_no += 1;
            let url = match &cursor {
                Some(c) => format!("{base}/v1/events/changes?limit=5&cursor={c}"),
                None => format!("{base}/v1/events/changes?limit=5"),
            };
            let page: Value = app
                .client
                .get(url)
                .send()
                .await
                .expect("read")
                .json()
                .await
                .expect("page");
            cursor = Some(page["next_cursor"].as_str().expect("cursor").to_owned());
            let items = page["items"].as_array().expect("items");
            if items.is_empty() {
                if finished {
                    empty_after_done += 1;
                    if empty_after_done == 3 {
                        break;
                    }
                }
                tokio::time::sleep(StdDuration::from_millis(5)).await;
            } else {
                empty_after_done = 0;
                seen.extend(items.iter().cloned());
            }
            assert!(Instant::now() < deadline, "the reader never caught up");
        }
        seen
    };
    let writers = async {
        let calls = (0..30).map(|i| {
            app.client
                .post(format!("{}/v1/groups/{group}/events", servers[i % 3]))
                .bearer_auth(&organizer.token)
                .json(&manual_event(&format!("spread {i}"), i as i64 + 1))
                .send()
        });
        for response in join_all(calls).await {
            assert_eq!(response.expect("create").status(), StatusCode::CREATED);
        }
        done.store(true, Ordering::SeqCst);
    };
    let (seen, ()) = tokio::join!(reader, writers);
    let created: Vec<&str> = seen
        .iter()
        .filter(|c| {
            c["kind"] == "created"
                && c["event"]["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("spread "))
        })
        .filter_map(|c| c["event_id"].as_str())
        .collect();
    let distinct: BTreeSet<&str> = created.iter().copied().collect();
    assert_eq!(created.len(), 30, "none missed, none repeated: {created:?}");
    assert_eq!(distinct.len(), 30);
    let changes: BTreeSet<(&str, &str)> = seen
        .iter()
        .filter_map(|c| Some((c["event_id"].as_str()?, c["kind"].as_str()?)))
        .collect();
    assert_eq!(changes.len(), seen.len(), "each change once");
}
