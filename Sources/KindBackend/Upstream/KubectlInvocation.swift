/// A kubectl command line taken apart the way kubectl's flag parsing does for the commands the harness emits:
/// global flags anywhere, the (sub)command, its positional arguments and its flags.
public struct KubectlInvocation: Sendable, Hashable {
    /// `--namespace`/`-n` when given on the command line (not the kubeconfig's default).
    public var namespace: String?
    /// `apply`, `delete`, `annotate`, `rollout restart`, `set env`, …
    public var verb: String
    public var arguments: [String]
    /// Flag values by long name without dashes (`filename`, `kustomize`, `field-manager`); `""` for a bare flag.
    public var flags: [String: [String]]
    public var input: String?

    /// Flags that take the next word as their value when written without `=`.
    static let valued: Set<String> = [
        "namespace", "n", "context", "kubeconfig", "cluster", "user", "server", "filename", "f", "kustomize", "k",
        "selector", "l", "output", "o", "field-manager", "type", "patch", "p", "timeout", "for", "subresource",
        "replicas", "field-selector", "container", "c",
    ]
    static let shortNames = [
        "n": "namespace", "f": "filename", "k": "kustomize", "l": "selector", "o": "output",
        "p": "patch", "c": "container",
    ]
    /// Commands with a subcommand word.
    static let grouped: Set<String> = ["rollout", "set", "create", "config", "auth"]

    /// nil when `command` is not kubectl or has no subcommand.
    public init?(_ command: Command) {
        guard command.executable == "kubectl" || command.executable.hasSuffix("/kubectl") else { return nil }
        var positional: [String] = []
        var flags: [String: [String]] = [:]
        var words = command.arguments[...]
        while let word = words.popFirst() {
            if word == "--" {
                positional += words
                break
            }
            guard word.hasPrefix("-"), word.count > 1 else {
                positional.append(word)
                continue
            }
            let body = String(word.drop { $0 == "-" })
            let name: String
            let value: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                value = String(body[body.index(after: equals)...])
            } else {
                name = body
                value = Self.valued.contains(body) ? words.popFirst() : nil
            }
            flags[Self.shortNames[name] ?? name, default: []].append(value ?? "")
        }
        guard let first = positional.first else { return nil }
        var verb = first
        positional.removeFirst()
        if Self.grouped.contains(first), let sub = positional.first {
            verb += " " + sub
            positional.removeFirst()
        }
        self.verb = verb
        arguments = positional
        namespace = flags["namespace"]?.last
        self.flags = flags
        input = command.input
    }

    public func flag(_ name: String) -> String? { flags[name]?.last }

    public func has(_ name: String) -> Bool { flags[name] != nil }

    /// The field manager kubectl records for this command: `--field-manager`, else kubectl's default for the
    /// command (its `--field-manager` flag default; `kubectl` for commands without the flag, from the user agent).
    public var fieldManager: String {
        if let explicit = flag("field-manager") { return explicit }
        switch verb {
        case "apply": return flag("server-side").map { $0 == "false" } ?? true ? "kubectl-client-side-apply" : "kubectl"
        case "annotate": return "kubectl-annotate"
        case "label": return "kubectl-label"
        case "patch": return "kubectl-patch"
        case "rollout restart": return "kubectl-rollout"
        case "set env", "set image", "set resources": return "kubectl-set"
        case "edit": return "kubectl-edit"
        case "replace": return "kubectl-replace"
        case "create": return "kubectl-create"
        default: return "kubectl"
        }
    }
}
