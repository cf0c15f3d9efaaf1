import Foundation

/// The few file operations podinfo needs, with errors turned into optionals or messages.
public enum FileSystem {
    /// A file's contents as UTF-8 text, or nil when it cannot be read.
    public static func readText(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// A file's bytes, or nil when it cannot be read.
    public static func readBytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// Writes `bytes` to `path` with mode 0644, replacing it; returns an error message on failure.
    public static func write(_ bytes: [UInt8], to path: String) -> String? {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Whether `path` is an existing directory (symlinks followed).
    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Names of the entries of a directory, or nil when it cannot be listed.
    public static func entries(of path: String) -> [String]? {
        try? FileManager.default.contentsOfDirectory(atPath: path)
    }
}
