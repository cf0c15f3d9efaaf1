import YAML

/// Applies a commit's ``FileChange``s to file text, editing in place so the rest of the file (comments, order,
/// quoting) stays as written — the diff a reviewer would see in a real GitOps commit.
///
/// Scalars are replaced where they stand; a missing key or environment variable is added as new lines at the
/// indentation of its siblings. Block scalars (`|`, `>`) and flow collections cannot be edited in place.
public enum FileEditor {
    /// The file's new text, or nil when the change removes it. `text` is nil when the file does not exist.
    public static func apply(_ change: FileChange, to text: String?) throws -> String? {
        switch change.edit {
        case .content(let content): return content
        case .remove: return nil
        default: break
        }
        guard let text else { throw ScenarioBackendError("\(change.file): no such file in the repository") }
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: change.file)
        } catch {
            throw ScenarioBackendError("\(change.file): cannot edit, the file is not valid YAML: \(error)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch change.edit {
        case .image(let edit):
            let container = try findContainer(edit.container, in: documents, file: change.file)
            guard let image = container["image"], let current = image.scalarValue else {
                throw ScenarioBackendError("\(change.file): container has no image to change")
            }
            try replaceScalar(
                image,
                with: string(edit.apply(to: current), replacing: image),
                in: &lines,
                file: change.file
            )
        case .env(let edit):
            let container = try findContainer(edit.container, in: documents, file: change.file)
            try setEnv(edit, in: container, lines: &lines, file: change.file)
        case .set(let edit):
            try set(edit, in: documents, lines: &lines, file: change.file)
        case .content, .remove:
            break
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Finding

    private static let containerPaths = [
        ["spec", "template", "spec", "containers"], ["spec", "containers"],
        ["spec", "jobTemplate", "spec", "template", "spec", "containers"],
    ]

    private static func findContainer(_ name: String?, in documents: [YAMLDocument], file: String) throws -> Node {
        var all: [Node] = []
        for document in documents {
            for path in containerPaths {
                if let containers = document.node.find(path)?.items { all += containers }
            }
        }
        if let name {
            guard let container = all.first(where: { $0["name"]?.scalarValue == name }) else {
                let names = all.compactMap { $0["name"]?.scalarValue }.joined(separator: ", ")
                throw ScenarioBackendError(
                    "\(file): no container named '\(name)' (containers: \(names.isEmpty ? "none" : names))"
                )
            }
            return container
        }
        guard all.count == 1, let only = all.first else {
            throw ScenarioBackendError("\(file): \(all.count) containers; name the one to change with container:")
        }
        return only
    }

    // MARK: Editing

    private static func setEnv(_ edit: EnvEdit, in container: Node, lines: inout [String], file: String) throws {
        if let env = container["env"] {
            guard case .sequence(let items, _) = env else { throw ScenarioBackendError("\(file): env is not a list") }
            if let entry = items.first(where: { $0["name"]?.scalarValue == edit.name }) {
                if let value = entry["value"] {
                    try replaceScalar(value, with: string(edit.value, replacing: value), in: &lines, file: file)
                } else {
                    throw ScenarioBackendError(
                        "\(file): env \(edit.name) uses valueFrom; replace it with a set or content change"
                    )
                }
                return
            }
            guard let first = items.first else {
                throw ScenarioBackendError("\(file): env is an empty flow list; write it as a block list to edit it")
            }
            // A new entry just before the first one, with its dash at the same indentation.
            let lineIndex = first.mark.line - 1
            let indent = String(lines[lineIndex].prefix { $0 == " " })
            guard lines[lineIndex].dropFirst(indent.count).hasPrefix("-") else {
                throw ScenarioBackendError("\(file): env is a flow list; write it as a block list to edit it")
            }
            lines.insert(
                contentsOf: ["\(indent)- name: \(edit.name)", "\(indent)  value: \(quoted(edit.value))"],
                at: lineIndex
            )
            return
        }
        let (indent, at) = try insertionPoint(in: container, lines: lines, file: file)
        lines.insert(
            contentsOf: [
                "\(indent)env:", "\(indent)  - name: \(edit.name)", "\(indent)    value: \(quoted(edit.value))",
            ],
            at: at
        )
    }

    private static func set(_ edit: SetEdit, in documents: [YAMLDocument], lines: inout [String], file: String) throws {
        guard let components = edit.components, let key = components.last else {
            throw ScenarioBackendError("\(file): malformed path '\(edit.path)'")
        }
        let candidates = documents.map(\.node).filter { node in
            (edit.kind == nil || node["kind"]?.scalarValue == edit.kind)
                && (edit.name == nil || node.find(["metadata", "name"])?.scalarValue == edit.name)
        }
        guard candidates.count == 1, let document = candidates.first else {
            throw ScenarioBackendError(
                "\(file): \(candidates.count) documents match; give kind and name to pick the one to change"
            )
        }
        guard case .scalar = edit.value else {
            throw ScenarioBackendError("\(file): set takes a scalar value; use content to replace structure")
        }
        if let target = document.find(components) {
            guard case .scalar = target else {
                throw ScenarioBackendError("\(file): \(edit.path) is not a scalar; set replaces scalars only")
            }
            try replaceScalar(target, with: render(edit.value), in: &lines, file: file)
            return
        }
        guard let parent = document.find(Array(components.dropLast())), case .mapping = parent, Int(key) == nil else {
            throw ScenarioBackendError("\(file): cannot add \(edit.path): its parent is missing or not a mapping")
        }
        let (indent, at) = try insertionPoint(in: parent, lines: lines, file: file)
        lines.insert("\(indent)\(key): \(render(edit.value))", at: at)
    }

    /// Where a new key of a block mapping goes: after its first entry when that is a one-line scalar (the first
    /// key may share its line with a list dash), else before it.
    private static func insertionPoint(in mapping: Node, lines: [String], file: String) throws -> (String, Int) {
        guard let first = mapping.pairs?.first else {
            throw ScenarioBackendError("\(file): cannot add to an empty mapping in place")
        }
        let indent = String(repeating: " ", count: first.key.mark.column - 1)
        let line = first.key.mark.line - 1
        if case .scalar(let scalar) = first.value, scalar.mark.line == first.key.mark.line,
            !scalar.value.contains("\n"),
            scalar.style != .literal, scalar.style != .folded
        {
            return (indent, line + 1)
        }
        guard lines[line].prefix(first.key.mark.column - 1).allSatisfy({ $0 == " " }) else {
            throw ScenarioBackendError("\(file): cannot add a key next to '\(first.key.scalarValue ?? "")' in place")
        }
        return (indent, line)
    }

    /// Replaces a one-line scalar's source text (quotes included) with `replacement`.
    private static func replaceScalar(_ node: Node, with replacement: String, in lines: inout [String], file: String)
        throws
    {
        guard case .scalar(let scalar) = node else { throw ScenarioBackendError("\(file): not a scalar") }
        let lineIndex = scalar.mark.line - 1
        guard lines.indices.contains(lineIndex) else { throw ScenarioBackendError("\(file): scalar outside the file") }
        var characters = Array(lines[lineIndex].unicodeScalars)
        let start = scalar.mark.column - 1
        guard start <= characters.count else { throw ScenarioBackendError("\(file): scalar outside its line") }
        var end = start
        switch scalar.style {
        case .plain:
            guard !scalar.value.contains("\n") else {
                throw ScenarioBackendError("\(file):\(scalar.mark): a multi-line value cannot be edited in place")
            }
            end = start + scalar.value.unicodeScalars.count
        case .doubleQuoted:
            end = start + 1
            while end < characters.count, characters[end] != "\"" { end += characters[end] == "\\" ? 2 : 1 }
            end += 1
        case .singleQuoted:
            end = start + 1
            while end < characters.count {
                if characters[end] == "'" {
                    if end + 1 < characters.count, characters[end + 1] == "'" { end += 2; continue }
                    break
                }
                end += 1
            }
            end += 1
        case .literal, .folded:
            throw ScenarioBackendError("\(file):\(scalar.mark): a block scalar cannot be edited in place")
        }
        guard end <= characters.count else {
            throw ScenarioBackendError(
                "\(file):\(scalar.mark): a quoted value spanning lines cannot be edited in place"
            )
        }
        characters.replaceSubrange(start..<end, with: Array(replacement.unicodeScalars))
        var line = ""
        line.unicodeScalars.append(contentsOf: characters)
        lines[lineIndex] = line
    }

    /// A scalar as YAML text: strings double-quoted (so `6.0` or `yes` stay strings), other values as written.
    static func render(_ value: Node) -> String {
        guard case .scalar(let scalar) = value else { return "null" }
        switch scalar.resolved {
        case .string(let text): return quoted(text)
        case .null: return "null"
        default: return scalar.value
        }
    }

    /// A string value as YAML text: plain when the value it replaces was plain and the text cannot be read as
    /// anything but a string (keeps `image: repo:tag` diffs minimal), double-quoted otherwise.
    static func string(_ text: String, replacing node: Node) -> String {
        guard case .scalar(let old) = node, old.style == .plain, isPlainSafe(text) else { return quoted(text) }
        return text
    }

    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else {
            return false
        }
        let allowed = text.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._/:@".unicodeScalars.contains($0)
        }
        guard allowed, !text.hasSuffix(":"), !text.contains(": ") else { return false }
        guard case .string = Scalar(value: text).resolved else { return false }
        // YAML 1.1 readers (kubectl) take these for booleans, and digit-only text for numbers or times.
        if ["yes", "no", "on", "off", "y", "n"].contains(text.lowercased()) { return false }
        return text.unicodeScalars.contains { $0.properties.isAlphabetic }
    }

    /// A double-quoted YAML scalar: the YAML module's escaping (``JSONText/string(_:)``), which also escapes `\r`
    /// and other control characters that would otherwise change or break the file.
    static func quoted(_ text: String) -> String { JSONText.string(text) }
}
