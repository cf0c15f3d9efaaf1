import Foundation
import Synchronization

/// What `/api/info` reports about the runtime. This is a Swift process, so `runtime` says so; `num_goroutine` is the
/// process's thread count, the nearest equivalent.
enum RuntimeInfo {
    /// `runtime.GOOS`: what Go would say on this machine.
    static var operatingSystem: String {
        #if os(macOS)
            "darwin"
        #else
            "linux"
        #endif
    }

    static var architecture: String {
        #if arch(x86_64)
            "amd64"
        #elseif arch(arm64)
            "arm64"
        #else
            "unknown"
        #endif
    }

    static var runtime: String {
        #if compiler(>=6.3)
            "swift6.3"
        #elseif compiler(>=6.2)
            "swift6.2"
        #else
            "swift6"
        #endif
    }

    /// The thread count, read from `/proc` at most once a second (`GET /` is the hot path of load tests).
    static func threadCount() -> Int {
        let now = ContinuousClock.now
        if let cached = cachedThreadCount.withLock({ $0 }), now - cached.at < .seconds(1) { return cached.count }
        var count = 1
        if let status = FileSystem.readText("/proc/self/status") {
            for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
                count = Int(line.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) ?? 1
            }
        }
        cachedThreadCount.withLock { $0 = (count, now) }
        return count
    }

    private static let cachedThreadCount = Mutex<(count: Int, at: ContinuousClock.Instant)?>(nil)

    static let processorCount = ProcessInfo.processInfo.activeProcessorCount
}
