//! `cargo bench -p seam-api --bench client`: what the SDK costs per call
//! next to a raw `reqwest` + `serde_json` baseline that sends the identical
//! request and decodes the identical body into the identical struct.
//!
//! 1. Per-call cost against an in-process HTTP/1.1 keep-alive server, the
//!    two clients interleaved in rounds; reported as medians and their ratio.
//! 2. Decode cost of a client session response, an error body, and the
//!    fake's device and event lists (`-- decode` runs only these).
//! 3. Calls per second against Seam's fake server (when `cargo xtask test`
//!    has installed it), sequential and 64 in flight, both clients in the
//!    same run.
//! 4. Client CPU time per call against Seam's fake (getrusage of this
//!    process, which the fake is not part of), 1 and 64 in flight,
//!    interleaved rounds, medians: what the client itself costs, which
//!    wall time against a server mostly hides.
//! 5. `-- instructions`: instructions per call in the client process,
//!    counted by `valgrind --tool=callgrind` (which repeats to 0.1%, where
//!    CPU time on a shared machine swings by 5%), sequentially against
//!    Seam's fake, seam-api beside raw reqwest decoding with serde's
//!    derive: the difference between 300 and 900 calls, over 600, so
//!    start-up cancels out. The callgrind files stay in
//!    `target/callgrind/` for `callgrind_annotate`.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use seam_api::{ApiErrorResponse, Seam, wire};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const API_KEY: &str = "seam_apikey1_token";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

/// A keep-alive HTTP/1.1 server on loopback answering every request with
/// `body`, on its own runtime thread so it does not share the clients'.
fn start_server(body: Vec<u8>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
            tx.send(format!("http://{}", listener.local_addr().expect("address"))).expect("report address");
            let response: Arc<[u8]> = {
                let mut r = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\nseam-request-id: request1\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                r.extend_from_slice(&body);
                r.into()
            };
            while let Ok((mut socket, _)) = listener.accept().await {
                let response = response.clone();
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 16 * 1024];
                    let mut pending: Vec<u8> = Vec::new();
                    loop {
                        // One request: head, then Content-Length bytes.
                        let complete = loop {
                            if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                                let head = String::from_utf8_lossy(&pending[..end]).to_ascii_lowercase();
                                let length = head
                                    .lines()
                                    .find_map(|l| l.strip_prefix("content-length:"))
                                    .and_then(|v| v.trim().parse::<usize>().ok())
                                    .unwrap_or(0);
                                if pending.len() >= end + 4 + length {
                                    break Some(end + 4 + length);
                                }
                            }
                            match socket.read(&mut buffer).await {
                                Ok(0) | Err(_) => break None,
                                Ok(n) => pending.extend_from_slice(&buffer[..n]),
                            }
                        };
                        let Some(consumed) = complete else { return };
                        pending.drain(..consumed);
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    });
    rx.recv().expect("server address")
}

fn sdk_client(endpoint: &str) -> Seam {
    Seam::builder().api_key(API_KEY).endpoint(endpoint).build().expect("SDK client")
}

/// The baseline: the same headers on a plain reqwest client.
fn raw_client() -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {API_KEY}")).expect("header"));
    headers.insert("seam-sdk-name", HeaderValue::from_static("seam-api (rust)"));
    headers.insert("seam-sdk-version", HeaderValue::from_static(env!("CARGO_PKG_VERSION")));
    reqwest::Client::builder()
        .default_headers(headers)
        .user_agent(concat!("seam-api-rust/", env!("CARGO_PKG_VERSION")))
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("raw client")
}

async fn sdk_call(seam: &Seam) {
    let session = seam.client_sessions().get().client_session_id("cst1").send().await.expect("SDK call");
    black_box(session);
}

async fn raw_call(client: &reqwest::Client, url: &str) {
    let mut body = wire::ClientSessionsGetBody::default();
    body.client_session_id = Some("cst1".into());
    let response = client
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .json(&body)
        .send()
        .await
        .expect("raw call");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("raw body");
    let decoded: wire::ClientSessionsGetResponse = serde_json::from_slice(&bytes).expect("raw decode");
    black_box(decoded.client_session);
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn per_call_cost(runtime: &tokio::runtime::Runtime) {
    let endpoint = start_server(fixture("../seam-types/tests/fixtures/fake_client_sessions_get.json"));
    let url = format!("{endpoint}/client_sessions/get");
    let seam = sdk_client(&endpoint);
    let raw = raw_client();
    const ROUNDS: usize = 21;
    const CALLS: usize = 2_000;
    let (mut sdk, mut baseline) = (Vec::new(), Vec::new());
    runtime.block_on(async {
        for _ in 0..1_000 {
            sdk_call(&seam).await;
            raw_call(&raw, &url).await;
        }
        for round in 0..ROUNDS {
            // Alternate which goes first, so neither always runs warmer.
            for first in [round % 2 == 0, round % 2 != 0] {
                let started = Instant::now();
                for _ in 0..CALLS {
                    if first {
                        sdk_call(&seam).await;
                    } else {
                        raw_call(&raw, &url).await;
                    }
                }
                let micros = started.elapsed().as_secs_f64() * 1e6 / CALLS as f64;
                if first { sdk.push(micros) } else { baseline.push(micros) }
            }
        }
    });
    let (sdk, baseline) = (median(&mut sdk), median(&mut baseline));
    println!("per call, in-process server ({ROUNDS} rounds x {CALLS} calls, medians):");
    println!("  seam-api client_sessions().get()   {sdk:8.2} us");
    println!("  raw reqwest + serde_json           {baseline:8.2} us");
    println!("  ratio                              {:8.3}x", sdk / baseline);
}

fn decode_cost() {
    let session = fixture("../seam-types/tests/fixtures/fake_client_sessions_get.json");
    let error = fixture("../seam-types/tests/fixtures/fake_error_invalid_input.json");
    let devices = fixture("../seam-types/tests/fixtures/fake/devices__list.json");
    let events = fixture("../seam-types/tests/fixtures/fake/events__list__after_lock_and_unlock.json");
    let time = |name: &str, f: &dyn Fn()| {
        const N: u32 = 100_000;
        for _ in 0..N / 10 {
            f();
        }
        let mut samples: Vec<f64> = (0..7)
            .map(|_| {
                let started = Instant::now();
                for _ in 0..N {
                    f();
                }
                started.elapsed().as_secs_f64() * 1e9 / f64::from(N)
            })
            .collect();
        println!("  {name:<34} {:8.0} ns", median(&mut samples));
    };
    println!("decode (7 x 100,000, median):");
    time("client session response", &|| {
        black_box(
            serde_json::from_slice::<wire::ClientSessionsGetResponse>(black_box(&session)).expect("decodes"),
        );
    });
    time("error body (invalid_input)", &|| {
        black_box(serde_json::from_slice::<ApiErrorResponse>(black_box(&error)).expect("decodes"));
    });
    time("device list (the fake's 5 devices)", &|| {
        black_box(serde_json::from_slice::<wire::DevicesListResponse>(black_box(&devices)).expect("decodes"));
    });
    time("event list (the fake's 5 events)", &|| {
        black_box(serde_json::from_slice::<wire::EventsListResponse>(black_box(&events)).expect("decodes"));
    });
}

// The fake's starter that the end-to-end tests use too.
#[path = "../tests/fake-seam-connect/launch.rs"]
mod launch;

/// Seam's fake, if `cargo xtask test` installed it; stops with this process.
fn start_fake() -> Option<(std::process::Child, String)> {
    start_fake_with(Command::new("node"))
}

/// [`start_fake`] with `node` run by `command` (`taskset` pins it).
fn start_fake_with(command: Command) -> Option<(std::process::Child, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fake-seam-connect");
    if !launch::is_installed(&dir) {
        return None;
    }
    let launch::Launched { child, ready } = launch::launch(command, &dir, Duration::from_secs(60)).ok()?;
    let endpoint = ready["endpoint"].as_str()?.to_owned();
    Some((child, endpoint))
}

fn fake_throughput(runtime: &tokio::runtime::Runtime) {
    let Some((mut child, endpoint)) = start_fake() else {
        println!("calls per second against Seam's fake: skipped (run `cargo xtask test` once to install it)");
        return;
    };
    let url = format!("{endpoint}/client_sessions/get");
    let seam = sdk_client(&endpoint);
    let raw = raw_client();
    const WINDOW: Duration = Duration::from_secs(3);
    // `in_flight` workers, each calling in a loop until the window closes.
    let rate = |in_flight: usize, use_sdk: bool| -> f64 {
        runtime.block_on(async {
            let started = Instant::now();
            let mut workers = tokio::task::JoinSet::new();
            for _ in 0..in_flight {
                let (seam, raw, url) = (seam.clone(), raw.clone(), url.clone());
                workers.spawn(async move {
                    let mut done = 0u64;
                    while started.elapsed() < WINDOW {
                        if use_sdk {
                            sdk_call(&seam).await;
                        } else {
                            raw_call(&raw, &url).await;
                        }
                        done += 1;
                    }
                    done
                });
            }
            let mut done = 0u64;
            while let Some(count) = workers.join_next().await {
                done += count.expect("worker");
            }
            done as f64 / started.elapsed().as_secs_f64()
        })
    };
    rate(8, true);
    rate(8, false);
    println!("calls per second against Seam's fake (3 s windows, best of 2):");
    for in_flight in [1usize, 64] {
        let sdk = rate(in_flight, true).max(rate(in_flight, true));
        let raw_rate = rate(in_flight, false).max(rate(in_flight, false));
        println!(
            "  {in_flight:>2} in flight: seam-api {sdk:8.0}/s   raw {raw_rate:8.0}/s   raw/sdk {:.3}",
            raw_rate / sdk
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// User plus system CPU time this process has used so far.
/// What the raw baseline of the instruction count decodes into: the
/// client session as serde's derive reads it (the fields seam-api's
/// `ClientSession` has, as their types).
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read only by `black_box`
struct DerivedSession {
    client_session_id: String,
    workspace_id: String,
    created_at: chrono::DateTime<chrono::Utc>,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    token: String,
    user_identifier_key: Option<String>,
    device_count: u64,
    connected_account_ids: Vec<String>,
    connect_webview_ids: Vec<String>,
    user_identity_ids: Vec<String>,
    user_identity_id: Option<String>,
    customer_key: Option<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct DerivedResponse {
    client_session: DerivedSession,
    ok: bool,
}

/// The raw baseline of the instruction count: reqwest, and serde's derive.
async fn derived_call(client: &reqwest::Client, url: &str) {
    let mut body = wire::ClientSessionsGetBody::default();
    body.client_session_id = Some("cst1".into());
    let response = client
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .json(&body)
        .send()
        .await
        .expect("raw call");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("raw body");
    let decoded: DerivedResponse = serde_json::from_slice(&bytes).expect("raw decode");
    black_box(decoded.client_session);
}

/// `-- calls sdk|raw N ENDPOINT`, run under callgrind by
/// [`instructions_per_call`]: N sequential calls, nothing else.
fn calls(runtime: &tokio::runtime::Runtime, client: &str, n: usize, endpoint: &str) {
    let url = format!("{endpoint}/client_sessions/get");
    let seam = sdk_client(endpoint);
    let raw = raw_client();
    runtime.block_on(async {
        for _ in 0..n {
            if client == "sdk" {
                sdk_call(&seam).await;
            } else {
                derived_call(&raw, &url).await;
            }
        }
    });
}

/// Instructions the client process executes for `n` calls by `client`,
/// counted by callgrind; its output file stays in `out`.
fn count_instructions(client: &str, n: usize, endpoint: &str, out: &std::path::Path) -> Option<u64> {
    let file = out.join(format!("{client}-{n}.out"));
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", file.display()))
        .arg(std::env::current_exe().ok()?)
        .args(["--bench", "calls", client, &n.to_string(), endpoint])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    // callgrind writes `summary: <instructions>` (or `totals:`) near the end.
    let text = std::fs::read_to_string(&file).ok()?;
    text.lines()
        .rev()
        .find_map(|line| line.strip_prefix("summary: ").or_else(|| line.strip_prefix("totals: ")))
        .and_then(|count| count.split_whitespace().next()?.parse().ok())
}

fn instructions_per_call() {
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("instructions per call: skipped (valgrind is not installed)");
        return;
    }
    let Some((mut child, endpoint)) = start_fake() else {
        println!("instructions per call: skipped (run `cargo xtask test` once to install Seam's fake)");
        return;
    };
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/callgrind");
    let _ = std::fs::create_dir_all(&out);
    const FEW: usize = 300;
    const MANY: usize = 900;
    println!(
        "instructions per call in the client process (callgrind, {MANY} minus {FEW} calls, sequential, against Seam's fake):"
    );
    let mut per_call = Vec::new();
    for (client, name) in [("sdk", "seam-api client_sessions().get()"), ("raw", "raw reqwest + serde derive")]
    {
        let few = count_instructions(client, FEW, &endpoint, &out);
        let many = count_instructions(client, MANY, &endpoint, &out);
        let (Some(few), Some(many)) = (few, many) else {
            println!("  {name}: valgrind failed");
            let _ = child.kill();
            return;
        };
        let count = (many.saturating_sub(few)) as f64 / (MANY - FEW) as f64;
        println!("  {name:<34} {count:10.0}");
        per_call.push(count);
    }
    if let [sdk, raw] = per_call[..] {
        println!("  ratio                              {:10.3}x", sdk / raw);
    }
    println!("  (files: {})", out.display());
    let _ = child.kill();
    let _ = child.wait();
}

fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Runs this thread, and so the current-thread runtime, on CPU 0 only.
fn pin_to_first_cpu() -> bool {
    // SAFETY: the set is initialised before use and only read by the call.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(0, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

fn fake_cpu_per_call(runtime: &tokio::runtime::Runtime) {
    // The client on CPU 0 and the fake on the others: neither evicts the
    // other's caches or steals its core mid-measurement, which otherwise
    // moves single rounds by 10% or more.
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pinned = cpus > 1 && pin_to_first_cpu();
    let node = if pinned {
        let mut taskset = Command::new("taskset");
        taskset.args(["-c", &format!("1-{}", cpus - 1), "node"]);
        taskset
    } else {
        Command::new("node")
    };
    let Some((mut child, endpoint)) = start_fake_with(node) else {
        println!(
            "client CPU per call against Seam's fake: skipped (run `cargo xtask test` once to install it)"
        );
        return;
    };
    let url = format!("{endpoint}/client_sessions/get");
    let seam = sdk_client(&endpoint);
    let raw = raw_client();
    const ROUNDS: usize = 41;
    const CALLS: usize = 512;
    // CPU microseconds per call for `CALLS` calls, `in_flight` at a time.
    let measure = |in_flight: usize, use_sdk: bool| -> f64 {
        runtime.block_on(async {
            let before = cpu_time();
            let mut workers = tokio::task::JoinSet::new();
            for _ in 0..in_flight {
                let (seam, raw, url) = (seam.clone(), raw.clone(), url.clone());
                workers.spawn(async move {
                    for _ in 0..CALLS / in_flight {
                        if use_sdk {
                            sdk_call(&seam).await;
                        } else {
                            raw_call(&raw, &url).await;
                        }
                    }
                });
            }
            while let Some(done) = workers.join_next().await {
                done.expect("worker");
            }
            (cpu_time() - before).as_secs_f64() * 1e6 / CALLS as f64
        })
    };
    println!(
        "client CPU per call against Seam's fake ({ROUNDS} rounds x {CALLS} calls each, interleaved; \
         medians, and the median of each round's ratio; client {}):",
        if pinned { "on CPU 0, fake on the others" } else { "not pinned" }
    );
    for in_flight in [1usize, 64] {
        measure(in_flight, true);
        measure(in_flight, false);
        let (mut sdk, mut baseline, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            // Alternate which goes first; each round's pair ran back to
            // back, so its ratio is free of the drift between rounds.
            let sdk_first = round % 2 == 0;
            let first = measure(in_flight, sdk_first);
            let second = measure(in_flight, !sdk_first);
            let (s, b) = if sdk_first { (first, second) } else { (second, first) };
            sdk.push(s);
            baseline.push(b);
            ratios.push(s / b);
        }
        let (sdk, baseline, ratio) = (median(&mut sdk), median(&mut baseline), median(&mut ratios));
        println!(
            "  {in_flight:>2} in flight: seam-api {sdk:7.1} us   raw {baseline:7.1} us   ratio {:.3}x (medians), \
             {ratio:.3}x (paired)",
            sdk / baseline
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it short.
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("client bench: run with `cargo bench -p seam-api --bench client`");
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    println!("machine: {} cores", std::thread::available_parallelism().map_or(0, |n| n.get()));
    // `-- info`: with a tracing subscriber at INFO (as an application that
    // logs would have), formatting to nowhere; without it, no subscriber.
    if args.iter().any(|a| a == "info") {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_writer(std::io::sink)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        println!("tracing: a subscriber at INFO");
    } else {
        println!("tracing: no subscriber");
    }
    // Under callgrind, for `-- instructions`.
    if let Some(at) = args.iter().position(|a| a == "calls") {
        let (Some(client), Some(n), Some(endpoint)) = (args.get(at + 1), args.get(at + 2), args.get(at + 3))
        else {
            eprintln!("usage: client --bench calls sdk|raw N ENDPOINT");
            std::process::exit(2);
        };
        calls(&runtime, client, n.parse().expect("a number of calls"), endpoint);
        return;
    }
    if args.iter().any(|a| a == "instructions") {
        instructions_per_call();
        return;
    }
    // `-- cpu` runs only the CPU measurement, `-- decode` only the decoding.
    if args.iter().any(|a| a == "cpu") {
        fake_cpu_per_call(&runtime);
        return;
    }
    if args.iter().any(|a| a == "decode") {
        decode_cost();
        return;
    }
    per_call_cost(&runtime);
    decode_cost();
    fake_throughput(&runtime);
    fake_cpu_per_call(&runtime);
    instructions_per_call();
}
