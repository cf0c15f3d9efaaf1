import Dispatch
import Foundation
import Logging
import Synchronization

/// podinfo's `fscache`: the files of `--config-path` (name → content) for `GET /configs`. Entries whose name contains
/// `..` and directories are skipped; symlinks are followed (ConfigMap volumes). podinfo reloads only on the kubelet's
/// `..data` swap; this watcher reloads on any change in the directory, which includes that swap: through inotify on
/// Linux; on macOS (laptops), which has no inotify, through a kqueue `EVFILT_VNODE` watch on the directory (entries
/// added, removed or renamed) plus a one-second poll that catches files rewritten in place.
///
/// `@unchecked Sendable`: the dispatch sources are assigned once during `init` and DispatchSource itself is
/// thread-safe.
public final class ConfigWatcher: @unchecked Sendable {
    public let directory: String
    private let snapshot = Mutex<[String: String]>([:])
    private var sources: [any DispatchSourceProtocol] = []
    private let logger: Logger

    /// Reads the directory once and starts watching it; nil when `directory` is not a directory.
    public init?(directory: String, logger: Logger) {
        guard FileSystem.isDirectory(directory) else { return nil }
        self.directory = directory
        self.logger = logger
        reload()
        startWatching()
        logger.info("fscache start watcher for \(directory)")
    }

    /// The current name → content map.
    public var files: [String: String] {
        snapshot.withLock { $0 }
    }

    func reload() {
        var files: [String: String] = [:]
        for name in FileSystem.entries(of: directory) ?? [] where !name.contains("..") {
            let path = directory + "/" + name
            if FileSystem.isDirectory(path) { continue }
            if let content = FileSystem.readText(path) { files[name] = content }
        }
        snapshot.withLock { $0 = files }
    }

    #if canImport(Darwin)
        private func startWatching() {
            let descriptor = open(directory, O_EVTONLY)
            guard descriptor >= 0 else {
                logger.info("fswatcher \(directory) error open: \(systemErrorText(errno))")
                return
            }
            let queue = DispatchQueue(label: "podinfo.fscache")
            let directorySource = DispatchSource.makeFileSystemObjectSource(
                fileDescriptor: descriptor,
                eventMask: [.write, .link, .rename, .delete, .extend, .attrib],
                queue: queue
            )
            directorySource.setEventHandler { [weak self] in self?.reloadIfChanged() }
            directorySource.setCancelHandler { close(descriptor) }
            // A file rewritten in place changes no directory entry, so kqueue on the directory does not see it.
            let poll = DispatchSource.makeTimerSource(queue: queue)
            poll.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1))
            poll.setEventHandler { [weak self] in self?.reloadIfChanged() }
            directorySource.resume()
            poll.resume()
            sources = [directorySource, poll]
        }

        /// Reloads, and logs like the inotify path, only when a file was added, removed or changed (the poll fires
        /// every second).
        private func reloadIfChanged() {
            let before = files
            reload()
            guard files != before else { return }
            logger.info("fscache reload \(directory)")
        }
    #else
        private func startWatching() {
            let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard descriptor >= 0 else {
                logger.info("fswatcher \(directory) error inotify_init1: \(systemErrorText(errno))")
                return
            }
            let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM)
            guard inotify_add_watch(descriptor, directory, mask) >= 0 else {
                logger.info("fswatcher \(directory) error inotify_add_watch: \(systemErrorText(errno))")
                close(descriptor)
                return
            }
            let readSource = DispatchSource.makeReadSource(
                fileDescriptor: descriptor,
                queue: DispatchQueue(label: "podinfo.fscache")
            )
            readSource.setEventHandler { [weak self] in
                var buffer = [UInt8](repeating: 0, count: 4096)
                while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress!, $0.count) }) > 0 {}
                guard let self else { return }
                self.reload()
                self.logger.info("fscache reload \(self.directory)")
            }
            readSource.setCancelHandler { close(descriptor) }
            readSource.resume()
            sources = [readSource]
        }
    #endif

    /// Stops watching.
    public func stop() {
        for source in sources { source.cancel() }
    }
}
