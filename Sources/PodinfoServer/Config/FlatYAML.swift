/// The flat `key: value` YAML podinfo's config files use (viper keys are the flag names). Lists (`- item` lines or
/// `[a, b]`) come back comma-joined. Nested maps are not supported: podinfo has no nested keys.
enum FlatYAML {
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        var listKey: String?
        var listItems: [String] = []
        func flushList() {
            if let key = listKey { values[key] = listItems.joined(separator: ",") }
            listKey = nil
            listItems = []
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = stripComment(String(rawLine))
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed == "---" { continue }
            if trimmed.hasPrefix("- "), listKey != nil {
                listItems.append(unquote(String(trimmed.dropFirst(2)).trimmingWhitespace()))
                continue
            }
            flushList()
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let key = unquote(String(trimmed[..<colon]).trimmingWhitespace())
            let value = String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace()
            if value.isEmpty {
                listKey = key
                values[key] = ""
            } else if value.hasPrefix("[") && value.hasSuffix("]") {
                values[key] = value.dropFirst().dropLast().split(separator: ",")
                    .map { unquote(String($0).trimmingWhitespace()) }.joined(separator: ",")
            } else {
                values[key] = unquote(value)
            }
        }
        flushList()
        return values
    }

    private static func stripComment(_ line: String) -> String {
        var inSingle = false
        var inDouble = false
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if character == "'" && !inDouble { inSingle.toggle() }
            if character == "\"" && !inSingle { inDouble.toggle() }
            if character == "#" && !inSingle && !inDouble && previous.isWhitespace {
                return String(line.prefix(offset))
            }
            previous = character
        }
        return line
    }

    private static func unquote(_ value: String) -> String {
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}
