import CurlHTTP
import Foundation

#if canImport(Glibc)
    /// `SOCK_STREAM`: an enum case in Glibc, an `Int32` in Darwin.
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
    private let streamSocket = SOCK_STREAM
#endif

/// `make bench`, section "load generator vs hey": both tools at concurrency 32 for 5 s each against the
/// same local nginx (keep-alive, `return 200`), then the ratio of their requests/s and the CPU each
/// tool spent per request.
///
/// nginx gets two workers: with one, nginx itself is the bottleneck and caps both tools at the same
/// figure. With two, tool and server share the machine's cores, and the tool that needs less CPU per
/// request leaves more to nginx and gets more requests through.
func runLoadGeneratorBench() async throws {
    let concurrency = 32
    let seconds = 5
    let workers = 2
    let hey = "/usr/bin/hey"
    guard FileManager.default.isExecutableFile(atPath: hey) else {
        throw BenchError("hey is not installed at \(hey): apt-get install -y hey")
    }
    let nginx = try BenchNginx(workers: workers)
    defer { nginx.stop() }
    let url = "http://127.0.0.1:\(nginx.port)/bench"
    print(
        "   nginx \(nginx.version) on 127.0.0.1:\(nginx.port), \(workers) workers; GET /bench; "
            + "c=\(concurrency), \(seconds) s each"
    )

    let ourCPUBefore = cpuSeconds(RUSAGE_SELF)
    let report = try await LoadGenerator(
        LoadSpec(url: url, mode: .concurrency(concurrency), limit: .duration(.seconds(seconds)))
    ).run()
    let ourCPU = cpuSeconds(RUSAGE_SELF) - ourCPUBefore
    guard report.requests > 0, report.count(200) == report.requests else {
        throw BenchError("the load generator got \(report.countsByStatus) and \(report.errors) errors")
    }
    print(
        "   rollout load generator: \(format(report.requestsPerSecond)) req/s "
            + "(\(report.requests) requests, p50 \(milliseconds(report.p50)), p99 \(milliseconds(report.p99)), "
            + "max \(milliseconds(report.max)), \(report.errors) errors, "
            + "\(report.connectionsOpened) connections)"
    )

    // hey's CPU: what reaped children used, measured around its run (nginx is not reaped until the end).
    let heyCPUBefore = cpuSeconds(RUSAGE_CHILDREN)
    let heyOutput = try runToEnd(hey, ["-c", String(concurrency), "-z", "\(seconds)s", url])
    let heyCPU = cpuSeconds(RUSAGE_CHILDREN) - heyCPUBefore
    guard let heyRate = requestsPerSecond(inHeyOutput: heyOutput) else {
        throw BenchError("no \"Requests/sec:\" in hey's output:\n\(heyOutput)")
    }
    let heyOK = heyOutput.split(separator: "\n").first { $0.contains("[200]") }?.trimmingCharacters(in: .whitespaces)
    print("   hey -c \(concurrency) -z \(seconds)s:          \(format(heyRate)) req/s (\(heyOK ?? "no 200 responses"))")
    let ratio = report.requestsPerSecond / heyRate
    print("   ratio: \(String(format: "%.2f", ratio))× hey (target ≥ 1.0×)")
    let heyRequests = heyRate * Double(seconds)
    print(
        "   CPU per request: rollout \(String(format: "%.1f", ourCPU / Double(report.requests) * 1e6)) µs, "
            + "hey \(String(format: "%.1f", heyCPU / heyRequests * 1e6)) µs"
    )
}

#if canImport(Glibc)
    /// `RUSAGE_SELF`/`RUSAGE_CHILDREN`: enum cases in Glibc, `Int32` in Darwin.
    private typealias UsageWho = __rusage_who
    private func resourceUsage(_ who: UsageWho, _ usage: inout rusage) -> Int32 {
        getrusage(__rusage_who_t(who.rawValue), &usage)
    }
#else
    private typealias UsageWho = Int32
    private func resourceUsage(_ who: UsageWho, _ usage: inout rusage) -> Int32 { getrusage(who, &usage) }
#endif

/// User plus system CPU seconds of this process (`RUSAGE_SELF`) or of its reaped children.
private func cpuSeconds(_ who: UsageWho) -> Double {
    var usage = rusage()
    guard resourceUsage(who, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// The `Requests/sec:` figure of hey's summary.
private func requestsPerSecond(inHeyOutput output: String) -> Double? {
    for line in output.split(separator: "\n") {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("Requests/sec:") {
            return Double(trimmed.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
        }
    }
    return nil
}

private func format(_ rate: Double) -> String { String(format: "%.0f", rate) }

private func milliseconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return String(format: "%.2f ms", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
}

/// Runs a command to its end and returns its standard output.
private func runToEnd(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw BenchError("\(executable) exited with \(process.terminationStatus): \(text)")
    }
    return text
}

/// A failed precondition of a bench section, with what to do about it.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// nginx on a free loopback port with its files in a temp directory; `stop()` ends and reaps it.
private final class BenchNginx {
    let port: Int
    let version: String
    private let directory: String
    private let process = Process()

    init(workers: Int) throws {
        let binary = "/usr/sbin/nginx"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("nginx is not installed at \(binary): apt-get install -y nginx-light")
        }
        version =
            (try? runToEnd(binary, ["-v"]))?.split(separator: "/").last.map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            } ?? "?"
        port = try freeLoopbackPort()
        directory = NSTemporaryDirectory() + "bench-nginx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = """
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
                server {
                    listen 127.0.0.1:\(port);
                    location / { return 200 'ok'; }
                }
            }
            """
        try config.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", directory, "-c", directory + "/nginx.conf", "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !acceptsConnections(port: port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw BenchError("nginx did not start on 127.0.0.1:\(port); see \(directory)/error.log")
            }
            usleep(20_000)
        }
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
private func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, streamSocket, 0)
    guard fd >= 0 else { throw BenchError("socket() failed: errno \(errno)") }
    defer { close(fd) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard bound else { throw BenchError("bind(127.0.0.1:0) failed: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

private func acceptsConnections(port: Int) -> Bool {
    let fd = socket(AF_INET, streamSocket, 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = loopbackAddress(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
