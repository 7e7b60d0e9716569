//! Tests of the exporter's routing and of a real socket round trip.

use std::net::Shutdown;

use super::*;

fn request(addr: std::net::SocketAddr, raw: &[u8]) -> String {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        panic!("cannot connect to {addr}")
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.write_all(raw);
    let _ = stream.shutdown(Shutdown::Write);
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn metrics_are_served_as_text_format_0_0_4() {
    let r = respond(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!((r.status, r.content_type), (200, CONTENT_TYPE));
    let body = String::from_utf8_lossy(&r.body);
    assert!(body.contains("# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n"));
    assert!(body.contains("job=\"dcgm-exporter\""));
    let with_query = respond(b"GET /metrics?collect=all HTTP/1.0\r\n\r\n");
    assert_eq!(with_query.status, 200);
}

#[test]
fn other_paths_methods_and_garbage_get_errors() {
    assert_eq!(respond(b"GET /nope HTTP/1.1\r\n\r\n").status, 404);
    assert_eq!(respond(b"GET /health HTTP/1.1\r\n\r\n").body, b"OK\n");
    let post = respond(b"POST /metrics HTTP/1.1\r\n\r\n");
    assert!(post.status == 405 && post.allow);
    for garbage in [
        &b"\x00\xff\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET /metrics SPDY/9\r\n\r\n",
        b"GET metrics HTTP/1.1\r\n\r\n",
        b"",
    ] {
        assert_eq!(respond(garbage).status, 400, "{garbage:?}");
    }
    let head = respond(b"HEAD /metrics HTTP/1.1\r\n\r\n");
    assert!(head.head_only && head.status == 200);
}

#[test]
fn server_answers_over_tcp_and_stops_on_the_flag() {
    let Ok(listener) = TcpListener::bind("127.0.0.1:0") else {
        panic!("cannot bind")
    };
    let Ok(addr) = listener.local_addr() else {
        panic!("no address")
    };
    let stop = Arc::new(AtomicBool::new(false));
    let server = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || serve(&listener, &stop))
    };
    let ok = request(addr, b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
    assert!(
        ok.starts_with("HTTP/1.1 200 OK\r\n"),
        "{}",
        &ok[..ok.len().min(200)]
    );
    assert!(ok.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
    assert!(ok.contains("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{"));
    assert!(request(addr, b"GET /x HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
    assert!(request(addr, b"nonsense\n\n").starts_with("HTTP/1.1 400 "));
    let huge = vec![b'a'; MAX_HEAD_BYTES + 10];
    assert!(request(addr, &huge).starts_with("HTTP/1.1 431 "));
    assert_eq!(request(addr, b""), "", "a silent client just gets closed");
    let head = request(addr, b"HEAD /metrics HTTP/1.1\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 200 ") && head.ends_with("\r\n\r\n"));
    stop.store(true, Ordering::Relaxed);
    let joined = server.join();
    assert!(matches!(joined, Ok(Ok(()))));
}
