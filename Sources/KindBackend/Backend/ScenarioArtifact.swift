import Foundation
import YAML

/// What a scenario session pushes for Flux: a copy of the session's Git work tree in which every AlertProvider
/// that names an address outside the cluster (the real Slack webhook of the user's manifests) posts to the
/// harness's alert receiver instead, path kept, so the harness never posts outside and scenarios can assert on
/// every alert. With a webhook recorder, a Canary's webhooks to the flagger-loadtester go through the recorder
/// (which forwards them), so scenarios can assert on the calls. The Git history keeps the files as the scenario
/// wrote them.
public struct ScenarioArtifact: Sendable {
    /// `http://<host>:<port>` where the cluster reaches the alert receiver; nil leaves addresses alone.
    public var alertReceiver: String?
    /// Namespaces of the cluster: `http://<service>.<namespace>/` names a Service, not a host outside.
    public var namespaces: Set<String>
    /// `http://<host>:<port>` where the cluster reaches the webhook recorder; nil leaves webhooks alone.
    public var webhookRecorder: String?
    /// The loadtester's namespace (its Service is `flagger-loadtester.<namespace>`).
    public var loadtesterNamespace: String

    public init(
        alertReceiver: String?,
        namespaces: Set<String> = [],
        webhookRecorder: String? = nil,
        loadtesterNamespace: String = StackPlanner.loadtesterNamespace
    ) {
        self.alertReceiver = alertReceiver
        self.namespaces = namespaces
        self.webhookRecorder = webhookRecorder
        self.loadtesterNamespace = loadtesterNamespace
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

    /// The file with its AlertProviders' outside addresses pointed at the receiver (and its Canaries' loadtester
    /// webhooks at the recorder), or nil when nothing changes.
    public func rewrite(_ text: String, file: String) throws -> String? {
        guard text.contains("AlertProvider") || text.contains("Canary") else { return nil }
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: file)
        } catch {
            throw KindBackendError(.invalidConfig, "\(error)")
        }
        return rewrite(documents.map(\.node)).map(Node.yamlStream)
    }

    /// The documents rewritten, or nil when nothing changes.
    public func rewrite(_ documents: [Node]) -> [Node]? {
        var changed = false
        let nodes = documents.map { document -> Node in
            switch document["kind"]?.scalarValue {
            case "AlertProvider":
                guard let receiver = alertReceiver,
                    let address = document.find(["spec", "address"])?.scalarValue,
                    let redirected = Self.redirect(address, to: receiver, namespaces: namespaces)
                else { return document }
                changed = true
                return document.replacing(["spec", "address"]) { _ in .scalar(Scalar(value: redirected)) }
            case "Canary":
                guard let recorder = webhookRecorder, document.find(["spec", "analysis", "webhooks"]) != nil else {
                    return document
                }
                var touched = false
                let rewritten = document.replacing(["spec", "analysis", "webhooks"]) { webhooks in
                    guard case .sequence(let items, let mark) = webhooks else { return webhooks }
                    return .sequence(
                        items.map { hook in
                            guard let url = hook["url"]?.scalarValue,
                                let recorded = recordedURL(
                                    url,
                                    name: hook["name"]?.scalarValue ?? "",
                                    type: hook["type"]?.scalarValue ?? "",
                                    recorder: recorder
                                )
                            else { return hook }
                            touched = true
                            return hook.replacing(["url"]) { _ in .scalar(Scalar(value: recorded)) }
                        },
                        mark: mark
                    )
                }
                changed = changed || touched
                return rewritten
            default:
                return document
            }
        }
        return changed ? nodes : nil
    }

    /// `http://flagger-loadtester.test/gate/check` of webhook `promotion-gate` (confirm-promotion) →
    /// `<recorder>/hook/confirm-promotion/promotion-gate/gate/check`; nil for a URL that is not the loadtester's.
    public func recordedURL(_ url: String, name: String, type: String, recorder: String) -> String? {
        guard let (host, path) = Self.split(url) else { return nil }
        let labels = host.split(separator: ".").map(String.init)
        guard labels.first == "flagger-loadtester", labels.count == 1 || labels[1] == loadtesterNamespace else {
            return nil
        }
        let escape = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? text }
        return recorder + "/hook/\(escape(type.isEmpty ? "rollout" : type))/\(escape(name))"
            + (path.hasPrefix("/") ? String(path) : "/" + path)
    }

    /// `https://hooks.slack.com/services/T/B/X` → `<receiver>/services/T/B/X`; nil for an address inside the
    /// cluster, which Flagger can reach as it is: a Service name (`alert-receiver`), `<service>.<namespace>` for a
    /// namespace in `namespaces`, `*.svc`, `*.svc.*`, `*.cluster.local`, or an IP address.
    public static func redirect(_ address: String, to receiver: String, namespaces: Set<String> = []) -> String? {
        guard let (host, rest) = split(address) else { return nil }
        let labels = host.split(separator: ".")
        let inCluster =
            labels.count < 2 || host.hasSuffix(".svc") || host.contains(".svc.") || host.hasSuffix(".cluster.local")
            || (labels.count == 2 && namespaces.contains(String(labels[1])))
            || (labels.count == 4 && labels.allSatisfy { UInt8($0) != nil })
        guard !inCluster else { return nil }
        return receiver + rest
    }

    /// `https://user@Hooks.Slack.com:443/a?b` → (`hooks.slack.com`, `/a?b`): the host in lower case (no user info,
    /// no port) and everything after the authority; nil without a scheme.
    static func split(_ url: String) -> (host: String, rest: Substring)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let hostAndPort = afterScheme[..<authorityEnd].split(separator: "@").last ?? ""
        let host = hostAndPort.split(separator: ":").first.map { $0.lowercased() } ?? ""
        return (host, afterScheme[authorityEnd...])
    }
}
