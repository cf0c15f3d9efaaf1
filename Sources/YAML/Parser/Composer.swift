internal import CLibYAML

/// Drives `yaml_parser_parse` and builds nodes without recursion (deep input cannot overflow the stack).
final class Composer {
    /// A sequence or mapping whose end event has not arrived yet.
    private struct Frame {
        var isMapping: Bool
        var mark: Mark
        var anchor: String?
        var items: [Node] = []
        var pairs: [Pair] = []
        var pendingKey: Node?
        /// Scalar keys written in this mapping, with their first mark.
        var keys: [String: Mark] = [:]
        /// `<<` values with the position in `pairs` where they were written.
        var merges: [(position: Int, value: Node)] = []
        /// Nodes in this subtree so far, this one included (aliases count their full expansion).
        var size = 1
    }

    private let file: String
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private var stack: [Frame] = []
    private var anchors: [String: (node: Node, size: Int)] = [:]
    private var documentSize = 0
    private var root: Node?
    private var documentMark = Mark(line: 1, column: 1)

    init(file: String) {
        self.file = file
        parser = .allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
    }

    deinit {
        parser.deinitialize(count: 1)
        parser.deallocate()
    }

    func compose(_ bytes: UnsafeMutableBufferPointer<UInt8>) throws -> [YAMLDocument] {
        guard yaml_parser_initialize(parser) == 1 else {
            throw Diagnostic(
                file: file,
                mark: Mark(line: 1, column: 1),
                message: "out of memory starting the YAML parser"
            )
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)

        var documents: [YAMLDocument] = []
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError(bytes) }
            defer { yaml_event_delete(&event) }
            let mark = Self.mark(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                documentSize = 0
                root = nil
                documentMark = mark
            case YAML_DOCUMENT_END_EVENT:
                let node = root ?? .scalar(Scalar(value: "", style: .plain, tag: nil, mark: documentMark))
                documents.append(YAMLDocument(node: node, mark: documentMark))
            case YAML_SCALAR_EVENT:
                let data = event.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
                let scalar = Scalar(
                    value: value,
                    style: Self.style(data.style),
                    tag: data.tag.map { String(cString: $0) },
                    mark: mark
                )
                let anchor = data.anchor.map { String(cString: $0) }
                try add(.scalar(scalar), size: 1, anchor: anchor)
            case YAML_ALIAS_EVENT:
                let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                guard let target = anchors[name] else {
                    throw Diagnostic(
                        file: file,
                        mark: mark,
                        message: "unknown alias '*\(name)' (no anchor '&\(name)' before it)"
                    )
                }
                try add(target.node, size: target.size, anchor: nil, at: mark)
            case YAML_SEQUENCE_START_EVENT:
                try push(
                    Frame(
                        isMapping: false,
                        mark: mark,
                        anchor: event.data.sequence_start.anchor.map { String(cString: $0) }
                    )
                )
            case YAML_MAPPING_START_EVENT:
                try push(
                    Frame(
                        isMapping: true,
                        mark: mark,
                        anchor: event.data.mapping_start.anchor.map { String(cString: $0) }
                    )
                )
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                let node: Node =
                    frame.isMapping
                    ? .mapping(try merged(frame), mark: frame.mark) : .sequence(frame.items, mark: frame.mark)
                try add(node, size: frame.size, anchor: frame.anchor, counted: true)
            default:
                continue
            }
        }
    }

    private func push(_ frame: Frame) throws {
        guard stack.count < YAMLParser.maxDepth else {
            throw Diagnostic(file: file, mark: frame.mark, message: "nesting deeper than \(YAMLParser.maxDepth) levels")
        }
        try count(1, at: frame.mark)
        stack.append(frame)
    }

    /// Charges `size` nodes to the document's budget.
    private func count(_ size: Int, at mark: Mark) throws {
        documentSize += size
        guard documentSize <= YAMLParser.nodeBudget else {
            throw Diagnostic(
                file: file,
                mark: mark,
                message: "document expands to more than \(YAMLParser.nodeBudget) nodes (too many or too nested aliases)"
            )
        }
    }

    /// Attaches a finished node to the open collection (or makes it the document root).
    /// `counted` is true for collections, which were charged when they started.
    private func add(_ node: Node, size: Int, anchor: String?, at mark: Mark? = nil, counted: Bool = false) throws {
        if !counted { try count(size, at: mark ?? node.mark) }
        if let anchor { anchors[anchor] = (node, size) }
        guard var frame = stack.popLast() else {
            root = node
            return
        }
        defer { stack.append(frame) }
        frame.size += size
        guard frame.isMapping else {
            frame.items.append(node)
            return
        }
        guard let key = frame.pendingKey else {
            frame.pendingKey = node
            if case .scalar(let scalar) = node, !Self.isMergeKey(scalar) {
                if let first = frame.keys[scalar.value] {
                    throw Diagnostic(
                        file: file,
                        mark: mark ?? node.mark,
                        message: "duplicate key '\(scalar.value)' (first defined at \(first))"
                    )
                }
                frame.keys[scalar.value] = mark ?? node.mark
            }
            return
        }
        frame.pendingKey = nil
        if case .scalar(let scalar) = key, Self.isMergeKey(scalar) {
            frame.merges.append((frame.pairs.count, node))
        } else {
            frame.pairs.append(Pair(key: key, value: node))
        }
    }

    /// The mapping's pairs with `<<` merges applied: explicit keys win, then earlier merge sources.
    private func merged(_ frame: Frame) throws -> [Pair] {
        guard !frame.merges.isEmpty else { return frame.pairs }
        var seen = Set(frame.keys.keys)
        var result: [Pair] = []
        var next = 0
        for merge in frame.merges {
            result.append(contentsOf: frame.pairs[next..<merge.position])
            next = merge.position
            let sources: [Node]
            switch merge.value {
            case .mapping: sources = [merge.value]
            case .sequence(let items, _) where items.allSatisfy({ $0.pairs != nil }): sources = items
            default:
                throw Diagnostic(
                    file: file,
                    mark: merge.value.mark,
                    message: "merge key '<<' needs a mapping or a sequence of mappings"
                )
            }
            for source in sources {
                for pair in source.pairs ?? [] {
                    if let key = pair.key.scalarValue {
                        guard seen.insert(key).inserted else { continue }
                    }
                    result.append(pair)
                }
            }
        }
        result.append(contentsOf: frame.pairs[next...])
        return result
    }

    private static func isMergeKey(_ scalar: Scalar) -> Bool {
        scalar.value == "<<" && scalar.style == .plain && (scalar.tag == nil || scalar.tag == "tag:yaml.org,2002:merge")
    }

    private func syntaxError(_ bytes: UnsafeMutableBufferPointer<UInt8>) -> Diagnostic {
        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "invalid YAML"
        switch parser.pointee.error {
        case YAML_READER_ERROR:
            let mark = Self.mark(ofByte: parser.pointee.problem_offset, in: bytes)
            return Diagnostic(file: file, mark: mark, message: problem)
        case YAML_MEMORY_ERROR:
            return Diagnostic(file: file, mark: Mark(line: 1, column: 1), message: "out of memory parsing YAML")
        default:
            var message = problem
            if let context = parser.pointee.context.map({ String(cString: $0) }) {
                message += " (\(context) at \(Self.mark(parser.pointee.context_mark)))"
            }
            let mark = Self.mark(parser.pointee.problem_mark)
            let explained = SyntaxHint.explain(problem: problem, message: message, at: mark, in: bytes)
            return Diagnostic(file: file, mark: explained.mark, message: explained.message)
        }
    }

    private static func mark(_ mark: yaml_mark_t) -> Mark {
        Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// The line and column (in Unicode scalars) of a byte offset, for reader errors that only give an offset.
    private static func mark(ofByte offset: Int, in bytes: UnsafeMutableBufferPointer<UInt8>) -> Mark {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Mark(line: line, column: column)
    }

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
