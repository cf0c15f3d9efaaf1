import Foundation
import TestSupport

/// A real nginx on 127.0.0.1 with its config, pid, logs and temp files in a fresh temp directory.
/// It is stopped (and reaped) by ``stop()`` or when released.
final class NginxServer: @unchecked Sendable {
    let port: Int
    let directory: String
    private let process: BackgroundProcess

    /// Starts nginx with one default `server` whose body is `serverBody`, plus `extraHTTP` inside `http`
    /// (more `server` blocks, `split_clients`, …). `{port}` in either is replaced by the listening port.
    init(serverBody: String, extraHTTP: String = "", workers: Int = 1) throws {
        let nginx = try requireBinary("nginx", debianPackage: "nginx-light")
        port = try freePort()
        directory = NSTemporaryDirectory() + "nginx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = """
            # Workers run as root so they can use the temp directory that this (root) process made.
            user root;
            worker_processes \(workers);
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                keepalive_requests 1000000;
                client_body_temp_path \(directory)/client_body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                \(extraHTTP)
                server {
                    listen 127.0.0.1:{port} default_server;
                    server_name _;
                    \(serverBody)
                }
            }
            """.replacingOccurrences(of: "{port}", with: String(port))
        let configPath = directory + "/nginx.conf"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        process = try BackgroundProcess(nginx, ["-p", directory, "-c", configPath, "-g", "daemon off;"])
        let port = port
        let process = process
        guard waitUntil(timeout: 10, { isListening(port: port) || !process.isRunning }), process.isRunning else {
            let output = process.output
            process.stop()
            throw TestSupportError("nginx did not start on 127.0.0.1:\(port): \(output)")
        }
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Stops nginx (fast shutdown) and removes its directory.
    func stop() {
        // SIGQUIT lets the workers finish; SIGTERM is a fast shutdown, which is all a test needs.
        process.stop(signal: SIGTERM, timeout: 10)
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }
}
