import Foundation

/// Turning command-line paths into files to read, with usage errors (exit 2) that say what was wrong.
enum InputFiles {
    /// Files as given, and the .yaml/.yml files under directories (sorted, hidden entries skipped).
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError.badInput("\(path): no such file or directory")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let base = URL(fileURLWithPath: path)
            let enumerator = manager.enumerator(
                at: base,
                includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles]
            )
            var found: [String] = []
            while let url = enumerator?.nextObject() as? URL {
                guard ["yaml", "yml"].contains(url.pathExtension) else { continue }
                let relative = String(url.path.dropFirst(base.path.count).drop { $0 == "/" })
                found.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
            }
            files += found.sorted()
        }
        return files
    }

    /// A file's text as UTF-8.
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.badInput("\(path): cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError.badInput("\(path): not UTF-8 text")
        }
        return text
    }
}
