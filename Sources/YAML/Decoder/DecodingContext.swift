/// State shared by every decoder of one `YAMLDecoder.decode` call: which mapping keys were read.
final class DecodingContext {
    /// The keys of one mapping that some keyed container looked at.
    final class MappingUsage {
        let node: Node
        let path: [any CodingKey]
        var read: Set<String> = []
        /// Every key a container asked for, present or not: the vocabulary for "did you mean".
        var asked: Set<String> = []

        init(node: Node, path: [any CodingKey]) {
            self.node = node
            self.path = path
        }
    }

    let file: String
    let rejectUnknownKeys: Bool
    let userInfo: [CodingUserInfoKey: any Sendable]
    private var usages: [String: MappingUsage] = [:]
    /// Usage ids in creation order, so a failed attempt that was caught (`try?`) can be forgotten.
    private var order: [String] = []
    /// Rendered paths below which unknown keys are tolerated.
    private var openPaths: Set<String> = []

    init(file: String, rejectUnknownKeys: Bool, userInfo: [CodingUserInfoKey: any Sendable]) {
        self.file = file
        self.rejectUnknownKeys = rejectUnknownKeys
        self.userInfo = userInfo
    }

    /// The usage record for a mapping; containers over the same mapping at the same path share one.
    func usage(of node: Node, at path: [any CodingKey]) -> MappingUsage {
        let id = "\(CodingPath.render(path))@\(node.mark)"
        if let usage = usages[id] { return usage }
        let usage = MappingUsage(node: node, path: path)
        usages[id] = usage
        order.append(id)
        return usage
    }

    /// A point to roll back to if the decode started now fails.
    var checkpoint: Int { order.count }

    /// Forgets the mappings first seen after `checkpoint`: a failed decode that the caller caught must not make
    /// their keys look unknown when another type then reads the same mapping.
    func rollBack(to checkpoint: Int) {
        guard checkpoint < order.count else { return }
        for id in order[checkpoint...] { usages[id] = nil }
        order.removeSubrange(checkpoint...)
    }

    func tolerateUnknownKeys(below path: [any CodingKey]) {
        openPaths.insert(CodingPath.render(path))
    }

    /// One diagnostic per key never read, in source order.
    func unknownKeyDiagnostics() -> [Diagnostic] {
        guard rejectUnknownKeys else { return [] }
        var diagnostics: [Diagnostic] = []
        for usage in usages.values where !isOpen(CodingPath.render(usage.path)) {
            for pair in usage.node.pairs ?? [] {
                guard let key = pair.key.scalarValue, !usage.read.contains(key) else { continue }
                var message = "unknown key '\(key)'"
                if let suggestion = KeySuggestion.closest(to: key, in: usage.asked) {
                    message += " (did you mean '\(suggestion)'?)"
                }
                diagnostics.append(
                    Diagnostic(file: file, mark: pair.key.mark, message: CodingPath.message(usage.path, message))
                )
            }
        }
        return diagnostics.sorted { ($0.mark.line, $0.mark.column) < ($1.mark.line, $1.mark.column) }
    }

    private func isOpen(_ path: String) -> Bool {
        openPaths.contains { open in
            open.isEmpty || path == open || path.hasPrefix(open + ".") || path.hasPrefix(open + "[")
        }
    }

    func diagnostic(_ message: String, at node: Node, path: [any CodingKey]) -> Diagnostic {
        Diagnostic(file: file, mark: node.mark, message: CodingPath.message(path, message))
    }
}
