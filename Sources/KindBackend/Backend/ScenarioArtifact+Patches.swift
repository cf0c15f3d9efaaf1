import Foundation
import YAML

/// Loadtester webhooks that kustomize patches define. Flagger calls every hook at its own url (flagger
/// pkg/controller/scheduler_hooks.go, `CallWebhook` per `canary.GetAnalysis().Webhooks`), so a hook an overlay adds
/// with a patch bypasses the recorder unless the patch itself is rewritten: rewriting the rendered Canary is not an
/// option, since Flux renders the overlay inside the cluster.
extension ScenarioArtifact {
    /// The names kustomize reads a kustomization from when the file has no `kind`.
    static let kustomizationFileNames: Set<String> = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// Whether `document` is a kustomize Kustomization or Component (apiVersion `kustomize.config.k8s.io/…`, or
    /// none), or a mapping without a `kind` in a file kustomize reads as its kustomization. Flux's Kustomization
    /// (`kustomize.toolkit.fluxcd.io`) is not one.
    static func isKustomization(_ document: Node, file: String?) -> Bool {
        guard document.pairs != nil else { return false }
        switch document["kind"]?.scalarValue {
        case "Kustomization", "Component":
            return document["apiVersion"]?.scalarValue.map { $0.hasPrefix("kustomize.config.k8s.io/") } ?? true
        case nil:
            let name = file?.split(separator: "/").last.map(String.init) ?? ""
            return kustomizationFileNames.contains(name)
        default:
            return false
        }
    }

    /// The Kustomization with its inline patches rewritten (JSON6902 op lists and strategic-merge patches, in
    /// `patches`, `patchesJson6902` and `patchesStrategicMerge`), or nil when none changes. A patch given by `path`
    /// is a file of its own, rewritten when the stage reaches it. A rewritten patch stays a block string, which is
    /// what kustomize reads; every other entry and field is kept.
    func rewrittenKustomization(_ document: Node) -> Node? {
        var changed = false
        var result = document
        for field in ["patches", "patchesJson6902"] {
            result = result.replacing([field]) { entries in
                guard case .sequence(let items, let mark) = entries else { return entries }
                return .sequence(
                    items.map { entry in
                        guard let text = entry["patch"]?.scalarValue, let patched = rewrittenPatch(text) else {
                            return entry
                        }
                        changed = true
                        return entry.replacing(["patch"]) { _ in .scalar(Scalar(value: patched, style: .literal)) }
                    },
                    mark: mark
                )
            }
        }
        // Entries are file paths or inline patches; a path parses as a plain scalar and is left alone.
        result = result.replacing(["patchesStrategicMerge"]) { entries in
            guard case .sequence(let items, let mark) = entries else { return entries }
            return .sequence(
                items.map { entry in
                    guard let text = entry.scalarValue, text.contains("\n"), let patched = rewrittenPatch(text) else {
                        return entry
                    }
                    changed = true
                    return .scalar(Scalar(value: patched, style: .literal))
                },
                mark: mark
            )
        }
        return changed ? result : nil
    }

    /// An inline patch rewritten: a JSON6902 op list (one YAML or JSON sequence) through
    /// ``rewrittenOperations(_:)``, anything else as strategic-merge documents through ``rewrite(_:file:)`` (a
    /// Canary's webhooks, an AlertProvider's address). Nil when nothing changes, and for text that does not parse:
    /// kustomize reports that better than we could.
    func rewrittenPatch(_ text: String) -> String? {
        guard text.contains("webhooks") || text.contains("AlertProvider"),
            let documents = try? YAMLParser.parse(text, file: "patch").map(\.node)
        else { return nil }
        if documents.count == 1, documents[0].items != nil {
            return rewrittenOperations(documents[0])?.yaml
        }
        guard let rewritten = rewrite(documents) else { return nil }
        return rewritten.count == 1 ? rewritten[0].yaml : Node.yamlStream(rewritten)
    }

    /// A JSON6902 op list with its loadtester webhooks pointed at the recorder, or nil when none changes (or there
    /// is no recorder, or the sequence is not an op list). An op changes when its `path` goes through `webhooks`
    /// and its `value` is
    /// - the whole list (`/spec/analysis/webhooks`): every hook in it;
    /// - one hook (`/spec/analysis/webhooks/-`, `…/webhooks/1`): its `url`, named and typed by the hook;
    /// - one hook's url (`/spec/analysis/webhooks/0/url`): the name and type then come from the patch's other ops on
    ///   that hook (`…/webhooks/0`, `…/webhooks/0/name`, `…/webhooks/0/type`, `test` ops included). A hook the patch
    ///   does not name is recorded with an empty name (the hook lives in the base, which the patch does not see), and
    ///   one it does not type as `rollout`, Flagger's meaning of an empty type.
    /// `test` ops are rewritten too: they compare with a hook whose url is rewritten as well.
    func rewrittenOperations(_ node: Node) -> Node? {
        guard let recorder = webhookRecorder, case .sequence(let operations, let mark) = node, !operations.isEmpty,
            operations.allSatisfy({ $0["op"]?.scalarValue != nil && $0["path"]?.scalarValue != nil })
        else { return nil }
        var changed = false
        let rewritten = operations.map { operation -> Node in
            guard let path = operation["path"]?.scalarValue, let value = operation["value"] else { return operation }
            let pointer = Self.pointer(path)
            guard let webhooks = pointer.lastIndex(of: "webhooks") else { return operation }
            let hook = Array(pointer[(webhooks + 1)...])
            let recorded: Node?
            switch hook.count {
            case 0:
                recorded = rewrittenHooks(value, recorder: recorder)
            case 1:
                recorded = rewrittenHook(value, recorder: recorder)
            case 2 where hook[1] == "url":
                let identity = Self.hookIdentity(Array(pointer[...(webhooks + 1)]), in: operations)
                recorded = value.scalarValue
                    .flatMap { recordedURL($0, name: identity.name, type: identity.type, recorder: recorder) }
                    .map { .scalar(Scalar(value: $0)) }
            default:
                recorded = nil
            }
            guard let recorded else { return operation }
            changed = true
            return operation.replacing(["value"]) { _ in recorded }
        }
        return changed ? .sequence(rewritten, mark: mark) : nil
    }

    /// A list of webhooks with the loadtester ones pointed at the recorder, or nil when none changes.
    func rewrittenHooks(_ hooks: Node, recorder: String) -> Node? {
        guard case .sequence(let items, let mark) = hooks else { return nil }
        var changed = false
        let rewritten = items.map { hook in
            guard let recorded = rewrittenHook(hook, recorder: recorder) else { return hook }
            changed = true
            return recorded
        }
        return changed ? .sequence(rewritten, mark: mark) : nil
    }

    /// A webhook (`name`, `type`, `url`, …) pointed at the recorder, or nil when its url is not the loadtester's.
    func rewrittenHook(_ hook: Node, recorder: String) -> Node? {
        guard let url = hook["url"]?.scalarValue,
            let recorded = recordedURL(
                url,
                name: hook["name"]?.scalarValue ?? "",
                type: hook["type"]?.scalarValue ?? "",
                recorder: recorder
            )
        else { return nil }
        return hook.replacing(["url"]) { _ in .scalar(Scalar(value: recorded)) }
    }

    /// The name and type the ops of a patch give the hook at `hook` (a pointer such as `spec/analysis/webhooks/0`);
    /// empty when they do not say.
    static func hookIdentity(_ hook: [String], in operations: [Node]) -> (name: String, type: String) {
        var name = ""
        var type = ""
        for operation in operations {
            guard let path = operation["path"]?.scalarValue, let value = operation["value"] else { continue }
            switch pointer(path) {
            case hook:
                name = value["name"]?.scalarValue ?? name
                type = value["type"]?.scalarValue ?? type
            case hook + ["name"]:
                name = value.scalarValue ?? name
            case hook + ["type"]:
                type = value.scalarValue ?? type
            default:
                continue
            }
        }
        return (name, type)
    }

    /// A JSON pointer's reference tokens, unescaped (RFC 6901: `~1` is `/`, `~0` is `~`).
    static func pointer(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }
}
