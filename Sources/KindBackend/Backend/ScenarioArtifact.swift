import CurlHTTP
import Foundation
import YAML

/// What a scenario session pushes for Flux: a copy of the session's Git work tree in which every AlertProvider
/// that names an address outside the cluster (the real Slack webhook of the user's manifests) posts to the
/// harness's alert receiver instead, path kept, so the harness never posts outside and scenarios can assert on
/// every alert. With a webhook recorder, every webhook to the flagger-loadtester goes through the recorder (which
/// forwards it), so scenarios can assert on the calls: the hooks of Canaries, and the hooks kustomize patches add or
/// change (inline `patches`/`patchesJson6902`/`patchesStrategicMerge` of a Kustomization, and JSON6902 patch files),
/// since Flagger calls each hook at its own url. The Git history keeps the files as the scenario wrote them.
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

    /// Replaces `directory`'s contents with `workTree`'s (without `.git`), rewriting AlertProviders and loadtester
    /// webhooks on the way (in `.yaml`, `.yml` and `.json` files, and in kustomization files named `Kustomization`).
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
                let isKustomization = relative == "Kustomization" || relative.hasSuffix("/Kustomization")
                guard
                    relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") || relative.hasSuffix(".json")
                        || isKustomization
                else { continue }
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

    /// The file with its AlertProviders' outside addresses pointed at the receiver (and its loadtester webhooks at
    /// the recorder: in Canaries, kustomize patches and JSON6902 patch files), or nil when nothing changes. A `.json`
    /// file is written back as JSON; one that does not parse is left alone, since kustomize may never read it (a
    /// dashboard, say), while a YAML file that does not parse is an error naming it.
    public func rewrite(_ text: String, file: String) throws -> String? {
        guard text.contains("AlertProvider") || text.contains("Canary") || text.contains("webhooks") else {
            return nil
        }
        let isJSON = file.hasSuffix(".json")
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: file)
        } catch {
            if isJSON { return nil }
            throw KindBackendError(.invalidConfig, "\(error)")
        }
        guard let rewritten = rewrite(documents.map(\.node), file: file) else { return nil }
        if isJSON, rewritten.count == 1 { return rewritten[0].json + "\n" }
        return Node.yamlStream(rewritten)
    }

    /// The documents rewritten, or nil when nothing changes. `file` (its path or name) tells a kustomization file
    /// without a `kind` (`kustomization.yaml`, `kustomization.yml`, `Kustomization`) from any other mapping.
    public func rewrite(_ documents: [Node], file: String? = nil) -> [Node]? {
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
                guard let recorder = webhookRecorder,
                    let webhooks = document.find(["spec", "analysis", "webhooks"]),
                    let recorded = rewrittenHooks(webhooks, recorder: recorder)
                else { return document }
                changed = true
                return document.replacing(["spec", "analysis", "webhooks"]) { _ in recorded }
            case _ where Self.isKustomization(document, file: file):
                guard let rewritten = rewrittenKustomization(document) else { return document }
                changed = true
                return rewritten
            case nil:
                guard let rewritten = rewrittenOperations(document) else { return document }
                changed = true
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
    static func split(_ url: String) -> (host: String, rest: String)? {
        URLParts(url).map { ($0.host.lowercased(), $0.pathAndQuery) }
    }
}
