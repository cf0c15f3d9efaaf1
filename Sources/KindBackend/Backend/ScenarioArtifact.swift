import Foundation
import YAML

/// What a scenario session pushes for Flux: a copy of the session's Git work tree in which every AlertProvider
/// that names an address outside the cluster (the real Slack webhook of the user's manifests) posts to the
/// harness's alert receiver instead, path kept, so the harness never posts outside and scenarios can assert on
/// every alert. The Git history keeps the files as the scenario wrote them.
public struct ScenarioArtifact: Sendable {
    /// `http://<host>:<port>` where the cluster reaches the alert receiver; nil leaves addresses alone.
    public var alertReceiver: String?
    /// Namespaces of the cluster: `http://<service>.<namespace>/` names a Service, not a host outside.
    public var namespaces: Set<String>

    public init(alertReceiver: String?, namespaces: Set<String> = []) {
        self.alertReceiver = alertReceiver
        self.namespaces = namespaces
    }

    /// Replaces `directory`'s contents with `workTree`'s (without `.git`), rewriting AlertProviders on the way.
    public func stage(workTree: String, into directory: String) throws {
        let files = FileManager.default
        do {
            try? files.removeItem(atPath: directory)
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in try files.contentsOfDirectory(atPath: workTree) where name != ".git" {
                try files.copyItem(atPath: workTree + "/" + name, toPath: directory + "/" + name)
            }
            guard let enumerator = files.enumerator(atPath: directory) else { return }
            while let relative = enumerator.nextObject() as? String {
                guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
                let path = directory + "/" + relative
                guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                    let rewritten = try rewrite(text, file: relative)
                else { continue }
                try Data(rewritten.utf8).write(to: URL(fileURLWithPath: path))
            }
        } catch let error as KindBackendError {
            throw error
        } catch {
            throw KindBackendError(
                .commandFailed,
                "cannot prepare the artifact of \(workTree) in \(directory): \(error)"
            )
        }
    }

    /// The file with its AlertProviders' outside addresses pointed at the receiver, or nil when nothing changes.
    public func rewrite(_ text: String, file: String) throws -> String? {
        guard let receiver = alertReceiver, text.contains("AlertProvider") else { return nil }
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: file)
        } catch {
            throw KindBackendError(.invalidConfig, "\(error)")
        }
        var changed = false
        let nodes = documents.map { document -> Node in
            guard document.node["kind"]?.scalarValue == "AlertProvider",
                let address = document.node.find(["spec", "address"])?.scalarValue,
                let redirected = Self.redirect(address, to: receiver, namespaces: namespaces)
            else { return document.node }
            changed = true
            return Self.replacingAddress(in: document.node, with: redirected)
        }
        guard changed else { return nil }
        return Node.yamlStream(nodes)
    }

    /// `https://hooks.slack.com/services/T/B/X` → `<receiver>/services/T/B/X`; nil for an address inside the
    /// cluster, which Flagger can reach as it is: a Service name (`alert-receiver`), `<service>.<namespace>` for a
    /// namespace in `namespaces`, `*.svc`, `*.svc.*`, `*.cluster.local`, or an IP address.
    public static func redirect(_ address: String, to receiver: String, namespaces: Set<String> = []) -> String? {
        guard let schemeEnd = address.range(of: "://") else { return nil }
        let rest = address[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let hostAndPort = authority.split(separator: "@").last.map(String.init) ?? ""
        let host = (hostAndPort.split(separator: ":").first.map(String.init) ?? "").lowercased()
        let labels = host.split(separator: ".")
        let inCluster =
            labels.count < 2 || host.hasSuffix(".svc") || host.contains(".svc.") || host.hasSuffix(".cluster.local")
            || (labels.count == 2 && namespaces.contains(String(labels[1])))
            || (labels.count == 4 && labels.allSatisfy { UInt8($0) != nil })
        guard !inCluster else { return nil }
        return receiver + rest[authorityEnd...]
    }

    private static func replacingAddress(in node: Node, with address: String) -> Node {
        guard case .mapping(let pairs, let mark) = node else { return node }
        return .mapping(
            pairs.map { pair in
                guard pair.key.scalarValue == "spec", case .mapping(let spec, let specMark) = pair.value else {
                    return pair
                }
                let rewritten = spec.map { entry in
                    entry.key.scalarValue == "address"
                        ? Pair(key: entry.key, value: .scalar(Scalar(value: address))) : entry
                }
                return Pair(key: pair.key, value: .mapping(rewritten, mark: specMark))
            },
            mark: mark
        )
    }
}
