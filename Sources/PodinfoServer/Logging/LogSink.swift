import Foundation

/// Where ``JSONLogHandler`` writes: a file descriptor, one `write(2)` per line so lines from threads do not interleave.
public struct LogSink: Sendable {
    let fileDescriptor: Int32

    /// Standard error, as zap's production config uses.
    public static let standardError = LogSink(fileDescriptor: 2)

    func write(_ line: String) {
        var line = line
        line.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
