import ObjectModel
import YAML

/// A parsed TICKS.yaml: the ticks to replay through the engine for one Canary (DESIGN.md §6).
public struct TickScript: Sendable {
    public var ticks: [TickSpec]

    public init(ticks: [TickSpec]) {
        self.ticks = ticks
    }

    static let tickKeys = [
        "revision", "configs", "metrics", "webhooks", "canaryReady", "primaryReady", "primaryDeadlineExceeded",
        "canaryDeadlineExceeded",
    ]

    /// Parses `text` and checks it against `canary`: unknown keys, wrong types, and metric or webhook names the
    /// canary does not have are errors at their line and column. Throws ``Diagnostics``.
    public static func parse(_ text: String, file: String, canary: Canary) throws -> TickScript {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: file)
        } catch let many as Diagnostics {
            throw many
        } catch let one as Diagnostic {
            throw Diagnostics([one])
        }
        var problems: [Diagnostic] = []
        func error(_ node: Node, _ message: String) {
            problems.append(Diagnostic(file: file, mark: node.mark, message: message))
        }
        guard let root = documents.first?.node, !root.isNull else {
            throw Diagnostics([
                Diagnostic(
                    file: file,
                    mark: Mark(line: 1, column: 1),
                    message: "expected `ticks:` with a list of ticks"
                )
            ])
        }
        let list: [Node]
        if let items = root.items {
            list = items
        } else if let pairs = root.pairs {
            for pair in pairs where pair.key.scalarValue != "ticks" {
                let key = pair.key.scalarValue ?? "?"
                error(pair.key, "unknown key '\(key)'" + suggestion(key, ["ticks"]))
            }
            guard let ticks = root["ticks"] else {
                error(root, "missing key 'ticks'")
                throw Diagnostics(problems)
            }
            guard let items = ticks.items else {
                error(ticks, "ticks must be a list")
                throw Diagnostics(problems)
            }
            list = items
        } else {
            error(root, "expected `ticks:` with a list of ticks")
            throw Diagnostics(problems)
        }
        let metricNames = (canary.effectiveAnalysis?.metrics ?? []).map(\.name)
        let webhookNames = (canary.effectiveAnalysis?.webhooks ?? []).map(\.name)
        var ticks: [TickSpec] = []
        for item in list {
            var tick = TickSpec(mark: item.mark)
            if item.isNull {
                ticks.append(tick)
                continue
            }
            guard let pairs = item.pairs else {
                error(item, "a tick must be a mapping (use {} for a tick where everything is healthy)")
                continue
            }
            for pair in pairs {
                let key = pair.key.scalarValue ?? ""
                let value = pair.value
                switch key {
                case "revision", "configs":
                    guard let text = value.scalarValue, !value.isNull, !text.isEmpty else {
                        error(value, "\(key) must be a non-empty string")
                        continue
                    }
                    if key == "revision" { tick.revision = text } else { tick.configs = text }
                case "canaryReady", "primaryReady", "primaryDeadlineExceeded", "canaryDeadlineExceeded":
                    guard case .bool(let flag) = value.resolved else {
                        error(value, "\(key) must be true or false")
                        continue
                    }
                    switch key {
                    case "canaryReady": tick.canaryReady = flag
                    case "primaryReady": tick.primaryReady = flag
                    case "primaryDeadlineExceeded": tick.primaryDeadlineExceeded = flag
                    default: tick.canaryDeadlineExceeded = flag
                    }
                case "metrics":
                    guard let entries = value.pairs else {
                        error(value, "metrics must be a mapping of metric name to value")
                        continue
                    }
                    for entry in entries {
                        let name = entry.key.scalarValue ?? ""
                        guard metricNames.contains(name) else {
                            error(entry.key, unknownName("metric", name, metricNames))
                            continue
                        }
                        switch entry.value.resolved {
                        case .null: tick.metrics[name] = .noValues
                        case .int(let number): tick.metrics[name] = .value(Double(number))
                        case .float(let number): tick.metrics[name] = .value(number)
                        case .string(let message): tick.metrics[name] = .error(message)
                        default:
                            error(
                                entry.value,
                                "metric \(name) must be a number, null (no values found) or an error text"
                            )
                        }
                    }
                case "webhooks":
                    guard let entries = value.pairs else {
                        error(value, "webhooks must be a mapping of webhook name to HTTP status")
                        continue
                    }
                    for entry in entries {
                        let name = entry.key.scalarValue ?? ""
                        guard webhookNames.contains(name) else {
                            error(entry.key, unknownName("webhook", name, webhookNames))
                            continue
                        }
                        switch entry.value.resolved {
                        case .int(let status) where (100...599).contains(status):
                            tick.webhooks[name] = .status(status)
                        case .string("timeout"):
                            tick.webhooks[name] = .timeout
                        default:
                            error(entry.value, "webhook \(name) must answer an HTTP status (100-599) or \"timeout\"")
                        }
                    }
                default:
                    error(pair.key, "unknown key '\(key)'" + suggestion(key, tickKeys))
                }
            }
            ticks.append(tick)
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return TickScript(ticks: ticks)
    }

    private static func unknownName(_ kind: String, _ name: String, _ known: [String]) -> String {
        let list =
            known.isEmpty ? "the canary has no \(kind)s" : "the canary's \(kind)s are " + known.joined(separator: ", ")
        return "unknown \(kind) '\(name)'" + suggestion(name, known) + " (\(list))"
    }

    /// "; did you mean 'x'?" for a likely typo.
    static func suggestion(_ name: String, _ candidates: [String]) -> String {
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(Array(name.lowercased()), Array(candidate.lowercased()))
            if distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.1 <= max(1, min(3, name.count / 3)) else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
