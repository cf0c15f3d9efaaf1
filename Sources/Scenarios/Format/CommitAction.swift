import YAML

/// `commit`: change files in the scenario's Git repository on a branch and push, so GitOps picks it up.
public struct CommitAction: Decodable, Sendable {
    /// The branch to commit to; default: the first of `spec.git.branches`.
    public var branch: String?
    public var message: String?
    public var changes: [FileChange]
    /// Whether the step waits until Flux has applied the commit and fails when it cannot (default true). `false`
    /// pushes and requests a reconcile only: a commit Flux cannot build (`broken-commit`) leaves its Kustomization
    /// not Ready, which the scenario then waits for and asserts on.
    public var waitForFlux: Bool?

    public init(branch: String? = nil, message: String? = nil, changes: [FileChange], waitForFlux: Bool? = nil) {
        self.branch = branch
        self.message = message
        self.changes = changes
        self.waitForFlux = waitForFlux
    }
}

/// `merge`: merge `from` into `into` (both in the scenario's repository) and push — the "promote staging to main"
/// step of a pipeline.
public struct MergeAction: Decodable, Sendable {
    public var from: String
    public var into: String
    public var message: String?

    public init(from: String, into: String, message: String? = nil) {
        self.from = from
        self.into = into
        self.message = message
    }
}

/// One file change in a commit: `file` (relative to the repository root) and exactly one edit.
public struct FileChange: Decodable, Sendable, Hashable {
    /// What to do to the file.
    public enum Edit: Sendable, Hashable {
        /// Set a container's image (its tag, or the whole reference).
        case image(ImageEdit)
        /// Set (or add) a container's environment variable.
        case env(EnvEdit)
        /// Set the value at a YAML path.
        case set(SetEdit)
        /// Replace the whole file (or create it).
        case content(String)
        /// Delete the file.
        case remove
    }

    public var file: String
    public var edit: Edit
    public var mark: Mark

    public init(file: String, edit: Edit, mark: Mark = Mark(line: 1, column: 1)) {
        self.file = file
        self.edit = edit
        self.mark = mark
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case file, image, env, set, content, remove
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mark = decoder.yamlNode?.mark ?? Mark(line: 1, column: 1)
        file = try container.decode(String.self, forKey: .file)
        let edits = CodingKeys.allCases.filter { $0 != .file && container.contains($0) }
        guard edits.count == 1, let key = edits.first else {
            let found = edits.isEmpty ? "none" : edits.map { "'\($0.rawValue)'" }.joined(separator: " and ")
            throw decoder.yamlError("a change needs exactly one of image, env, set, content, remove; found \(found)")
        }
        switch key {
        case .image: edit = .image(try container.decode(ImageEdit.self, forKey: key))
        case .env: edit = .env(try container.decode(EnvEdit.self, forKey: key))
        case .set: edit = .set(try container.decode(SetEdit.self, forKey: key))
        case .content: edit = .content(try container.decode(String.self, forKey: key))
        case .remove:
            guard try container.decode(Bool.self, forKey: key) else {
                throw decoder.yamlError("remove: false does nothing; leave the change out")
            }
            edit = .remove
        case .file: preconditionFailure("not an edit key")
        }
    }
}

/// `image`: the container (default: the only one) and either a new `tag` or a whole `image` reference.
public struct ImageEdit: Decodable, Sendable, Hashable {
    public var container: String?
    public var tag: String?
    public var image: String?

    public init(container: String? = nil, tag: String? = nil, image: String? = nil) {
        self.container = container
        self.tag = tag
        self.image = image
    }

    /// The new reference for a container whose image is `current`.
    public func apply(to current: String) -> String {
        if let image { return image }
        guard let tag else { return current }
        // The tag follows the last ':' after the last '/' (a registry port is not a tag).
        let lastSlash = current.lastIndex(of: "/") ?? current.startIndex
        var repository = current
        if let at = current.lastIndex(of: "@") { repository = String(current[..<at]) }
        if let colon = repository[lastSlash...].lastIndex(of: ":") { repository = String(repository[..<colon]) }
        return repository + ":" + tag
    }
}

/// `env`: set `name` to `value` in a container (default: the only one), adding the variable if missing.
public struct EnvEdit: Decodable, Sendable, Hashable {
    public var container: String?
    public var name: String
    public var value: String

    public init(container: String? = nil, name: String, value: String) {
        self.container = container
        self.name = name
        self.value = value
    }
}

/// `set`: the value at a dotted path (`spec.replicas`, `spec.template.spec.containers[0].image`), in the document
/// of `kind`/`name` when the file holds several.
public struct SetEdit: Decodable, Sendable, Hashable {
    public var path: String
    public var value: Node
    public var kind: String?
    public var name: String?

    public init(path: String, value: Node, kind: String? = nil, name: String? = nil) {
        self.path = path
        self.value = value
        self.kind = kind
        self.name = name
    }

    /// The path's components: `a.b[0].c` → `["a", "b", "0", "c"]`; `nil` when it is malformed.
    public var components: [String]? { Self.components(of: path) }

    static func components(of path: String) -> [String]? {
        var result: [String] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            guard let bracket = rest.firstIndex(of: "[") else {
                guard !rest.isEmpty else { return nil }
                result.append(String(rest))
                continue
            }
            let key = rest[..<bracket]
            if !key.isEmpty { result.append(String(key)) }
            rest = rest[bracket...]
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
                    index >= 0
                else { return nil }
                result.append(String(index))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { return nil }
        }
        return result.isEmpty ? nil : result
    }
}
