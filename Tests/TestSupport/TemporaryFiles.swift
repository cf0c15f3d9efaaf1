import Foundation

/// Writes `files` (relative path → text, subdirectories created) into a new temporary directory and returns its path.
/// An empty `files` still creates the directory, so it can serve as a working directory.
public func temporaryDirectory(prefix: String, files: [String: String] = [:]) throws -> String {
    let dir = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (name, text) in files {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    return dir
}
