import Foundation
import Logging

/// A swift-log handler that writes podinfo's zap production format: one JSON object per line on stderr with
/// `level`, `ts` (ISO 8601, milliseconds), `caller` (`Module/File.swift:line`), `msg`, then the metadata fields.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: LogSink

    /// - Parameters:
    ///   - label: the logger's label (not printed; zap's `logger` key is unused by podinfo).
    ///   - level: the lowest level written.
    ///   - sink: where lines go; stderr by default.
    public init(label: String, level: Logger.Level, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        if let error = event.error { fields["error"] = .string("\(error)") }
        var line = "{\"level\":\""
        line += Self.zapLevel(event.level)
        line += "\",\"ts\":\""
        line += Self.timestamp()
        line += "\",\"caller\":"
        GoJSON.appendQuoted("\(event.file):\(event.line)", to: &line)
        line += ",\"msg\":"
        GoJSON.appendQuoted(event.message.description, to: &line)
        for key in fields.keys.sorted() {
            line += ","
            GoJSON.appendQuoted(key, to: &line)
            line += ":"
            Self.append(fields[key]!, to: &line)
        }
        line += "}\n"
        sink.write(line)
    }

    /// zap's level names.
    static func zapLevel(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error: "error"
        case .critical: "fatal"
        }
    }

    /// swift-log's level for one of zap's names (`debug`, `info`, `warn`, `error`, `fatal`, `panic`).
    public static func level(named name: String) -> Logger.Level {
        switch name.lowercased() {
        case "debug": .debug
        case "warn", "warning": .warning
        case "error": .error
        case "fatal", "panic", "dpanic": .critical
        default: .info
        }
    }

    /// Numbers and booleans stay JSON numbers/booleans (zap writes `"timeout":5`); everything else is a string.
    private static func append(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            GoJSON.appendQuoted(text, to: &line)
        case .stringConvertible(let convertible):
            let text = convertible.description
            if convertible is Int || convertible is Double || convertible is Bool || convertible is Int64 {
                line += text
            } else {
                GoJSON.appendQuoted(text, to: &line)
            }
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                append(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                GoJSON.appendQuoted(key, to: &line)
                line += ":"
                append(dictionary[key]!, to: &line)
            }
            line += "}"
        }
    }

    /// `2006-01-02T15:04:05.000Z0700` in UTC.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = Int32(now.tv_nsec / 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}
