import YAML

/// KUTTL-style partial object matching: every key of the expected mapping must be present in the actual one with
/// a matching value; keys not given are ignored; sequences match element by element and must be as long.
public enum PartialMatch {
    /// Where `actual` differs from `expected`, one line each (`spec.replicas: expected 2, found 1`); empty on a match.
    public static func mismatches(expected: Node, actual: Node, path: String = "") -> [String] {
        let here = path.isEmpty ? "(root)" : path
        switch (expected, actual) {
        case (.mapping(let pairs, _), .mapping):
            var result: [String] = []
            for pair in pairs {
                let key = pair.key.scalarValue ?? "?"
                let child = path.isEmpty ? key : path + "." + key
                guard let value = actual[key] else {
                    result.append("\(child): missing (expected \(render(pair.value)))")
                    continue
                }
                result += mismatches(expected: pair.value, actual: value, path: child)
            }
            return result
        case (.sequence(let expectedItems, _), .sequence(let actualItems, _)):
            guard expectedItems.count == actualItems.count else {
                return ["\(here): expected \(expectedItems.count) element(s), found \(actualItems.count)"]
            }
            return zip(expectedItems, actualItems).enumerated().flatMap { index, pair in
                mismatches(expected: pair.0, actual: pair.1, path: "\(path)[\(index)]")
            }
        case (.scalar(let lhs), .scalar(let rhs)):
            if lhs.resolved == rhs.resolved || (expected.isNull && actual.isNull) || lhs.value == rhs.value {
                return []
            }
            return ["\(here): expected \(render(expected)), found \(render(actual))"]
        default:
            return ["\(here): expected \(render(expected)), found \(render(actual))"]
        }
    }

    /// A short rendering of a node for messages.
    static func render(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.value.isEmpty ? "an empty value" : scalar.value
        case .sequence(let items, _): "a list of \(items.count)"
        case .mapping: "a mapping"
        }
    }
}
