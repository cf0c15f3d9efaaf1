import CurlHTTP
import Foundation
import YAML

/// A model of what the pinned kubectl, Helm, Flux and the API server do with the commands the kind backend emits,
/// for checking plans without a cluster: feed it every command of `up` and of a scenario session in order, and it
/// reports what kubectl would refuse (``KubectlNamespaceRule``), what Flux would undo and what Flux would prune
/// that the stack needs (``FluxFieldOwnershipRule``).
///
/// It keeps only what those rules read: objects with their labels and annotations, a few tracked fields
/// (`spec.replicas`, the restart annotation, env variables) with the manager that set each, the Flux sources,
/// Kustomizations and their inventories, the artifacts pushed, and Helm releases. Flux reconciles every
/// Kustomization after every command (it may, at any interval tick), so a change it would undo is seen at once.
/// Kustomize directories are rendered with the real `kubectl kustomize`.
public final class UpstreamClusterModel {
    struct Key: Hashable, CustomStringConvertible {
        var kind: String
        var namespace: String?
        var name: String
        var description: String { "\(kind)/\(name)" + (namespace.map { " (\($0))" } ?? " (cluster)") }
    }

    /// A value and who set it.
    struct Owned: Hashable {
        var value: String
        var manager: String
        /// The command that set it, or nil when Flux did.
        var origin: String?
    }

    struct Object {
        var key: Key
        var labels: [String: String] = [:]
        var annotations: [String: Owned] = [:]
        /// Tracked fields: `spec.replicas`, `restartedAt`, `env/NAME`.
        var fields: [String: Owned] = [:]
        var spec: Node?
        /// The command that created it (nil: Flux); what `up` or Helm made is the stack's.
        var createdBy: String?
    }

    private var objects: [Key: Object] = [:]
    /// Artifact `repository:tag` (registry host dropped) → a copy of the directory pushed.
    private var artifacts: [String: String] = [:]
    private var inventories: [Key: [Key]] = [:]
    /// Helm releases by namespace.
    private var releases: [String: [String]] = [:]
    public private(set) var findings: [UpstreamFinding] = []
    private let scratch: String
    private let renderer: (String) throws -> [Node]
    private var pushes = 0

    /// `render` turns a kustomize directory into its objects (``kustomizeRenderer(kubectl:)`` runs the real one).
    public init(render: @escaping (String) throws -> [Node] = UpstreamClusterModel.kustomizeRenderer()) throws {
        scratch = NSTemporaryDirectory() + "rollout-e2e-upstream-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        renderer = render
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    /// `kubectl kustomize DIR`, parsed.
    public static func kustomizeRenderer(kubectl: String = "kubectl") -> (String) throws -> [Node] {
        { directory in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [kubectl, "kustomize", directory]
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            let message = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw KindBackendError(
                    .commandFailed,
                    "kubectl kustomize \(directory): \(String(decoding: message, as: UTF8.self))"
                )
            }
            return try YAMLParser.parse(String(decoding: data, as: UTF8.self), file: directory).map(\.node)
                .filter { !$0.isNull }
        }
    }

    // MARK: Running commands

    /// Runs `command` against the model; returns the findings it caused (also kept in ``findings``).
    @discardableResult
    public func run(_ command: Command) throws -> [UpstreamFinding] {
        let before = findings.count
        switch command.executable {
        case "kubectl": try kubectl(command)
        case "helm": helm(command)
        case "flux": try flux(command)
        default: break
        }
        try reconcileAll()
        return Array(findings[before...])
    }

    private func kubectl(_ command: Command) throws {
        guard let call = KubectlInvocation(command) else { return }
        let text = command.description
        switch call.verb {
        case "apply":
            let documents = try objects(of: call)
            // kubectl refuses the mismatched objects, applies the others, then exits non-zero.
            if let refusal = KubectlNamespaceRule.check(call, objects: documents, command: text) {
                findings.append(refusal)
            }
            let refused = Set(KubectlNamespaceRule.refused(call, objects: documents))
            guard call.flag("dry-run") == nil || call.flag("dry-run") == "none" else { return }
            for (index, document) in documents.enumerated() where !refused.contains(index) {
                kubectlApply(document, namespace: call.namespace ?? "default", manager: call.fieldManager, origin: text)
            }
        case "delete":
            if call.has("filename") || call.has("kustomize") {
                let documents = try objects(of: call)
                if let refusal = KubectlNamespaceRule.check(call, objects: documents, command: text) {
                    findings.append(refusal)
                }
                let refused = Set(KubectlNamespaceRule.refused(call, objects: documents))
                for (index, document) in documents.enumerated() where !refused.contains(index) {
                    if let key = key(of: document, defaultNamespace: call.namespace ?? "default") { try delete(key) }
                }
                return
            }
            try deleteSelected(call)
        case "annotate", "label":
            guard call.arguments.count >= 2, let key = resourceKey(call.arguments[0], namespace: call.namespace)
            else { return }
            for pair in call.arguments.dropFirst() {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                let owned = Owned(value: parts[1], manager: call.fieldManager, origin: text)
                if call.verb == "annotate" {
                    objects[key]?.annotations[parts[0]] = owned
                } else {
                    objects[key]?.labels[parts[0]] = parts[1]
                }
            }
        case "patch":
            guard let resource = call.arguments.first, let key = resourceKey(resource, namespace: call.namespace),
                call.flag("subresource") == "scale", let patch = call.flag("patch")
            else { return }
            let replicas = patch.filter(\.isNumber)
            objects[key]?.fields["spec.replicas"] = Owned(value: replicas, manager: call.fieldManager, origin: text)
        case "scale":
            guard let resource = call.arguments.first, let key = resourceKey(resource, namespace: call.namespace),
                let replicas = call.flag("replicas")
            else { return }
            objects[key]?.fields["spec.replicas"] = Owned(value: replicas, manager: call.fieldManager, origin: text)
        case "rollout restart":
            for resource in call.arguments {
                guard let key = resourceKey(resource, namespace: call.namespace) else { continue }
                objects[key]?.fields["restartedAt"] = Owned(value: "now", manager: call.fieldManager, origin: text)
            }
        case "set env":
            guard let resource = call.arguments.first, let key = resourceKey(resource, namespace: call.namespace)
            else { return }
            for pair in call.arguments.dropFirst() {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                objects[key]?.fields["env/" + parts[0]] = Owned(
                    value: parts[1],
                    manager: call.fieldManager,
                    origin: text
                )
            }
        default:
            break
        }
    }

    /// The objects a command reads from `--filename` (stdin or files) or `--kustomize`.
    private func objects(of call: KubectlInvocation) throws -> [Node] {
        if let directory = call.flag("kustomize") { return try renderer(directory) }
        guard let file = call.flag("filename") else { return [] }
        let text: String
        if file == "-" {
            text = call.input ?? ""
        } else {
            text = try String(contentsOfFile: file, encoding: .utf8)
        }
        return try YAMLParser.parse(text, file: file).map(\.node).filter { !$0.isNull }
    }

    private func kubectlApply(_ document: Node, namespace: String, manager: String, origin: String) {
        guard let key = key(of: document, defaultNamespace: namespace) else { return }
        var object = objects[key] ?? Object(key: key, createdBy: origin)
        for (name, value) in Self.strings(document.find(["metadata", "annotations"])) {
            object.annotations[name] = Owned(value: value, manager: manager, origin: origin)
        }
        for (name, value) in Self.strings(document.find(["metadata", "labels"])) { object.labels[name] = value }
        object.spec = document
        objects[key] = object
    }

    private func deleteSelected(_ call: KubectlInvocation) throws {
        guard let kinds = call.arguments.first else { return }
        let wanted = Set(kinds.split(separator: ",").map { Self.kindName(String($0)) })
        let selector = call.flag("selector").map { Self.selector($0) }
        let names = Set(call.arguments.dropFirst())
        let allNamespaces = call.has("all-namespaces")
        for key in objects.keys.sorted(by: { $0.description < $1.description }) {
            guard let object = objects[key], wanted.contains(key.kind.lowercased()) else { continue }
            if !allNamespaces, ClusterScope.isNamespaced(key.kind), key.namespace != (call.namespace ?? "default") {
                continue
            }
            if let selector, !selector(object.labels) { continue }
            if !names.isEmpty, !names.contains(key.name) { continue }
            if names.isEmpty, selector == nil, !call.has("all") { continue }
            try delete(key)
        }
    }

    // MARK: Helm and Flux

    private func helm(_ command: Command) {
        let words = command.arguments
        guard words.first == "upgrade" || words.first == "install",
            let index = words.firstIndex(of: "--namespace"), index + 1 < words.count
        else { return }
        let namespace = words[index + 1]
        let release = words.dropFirst().first { !$0.hasPrefix("-") && $0 != "--install" } ?? "release"
        releases[namespace, default: []].append(release)
        let key = Key(kind: "Namespace", namespace: nil, name: namespace)
        if objects[key] == nil, words.contains("--create-namespace") {
            objects[key] = Object(key: key, createdBy: command.description)
        }
    }

    private func flux(_ command: Command) throws {
        let words = command.arguments
        if words.starts(with: ["install"]) {
            let key = Key(kind: "Namespace", namespace: nil, name: "flux-system")
            if objects[key] == nil { objects[key] = Object(key: key, createdBy: command.description) }
            releases["flux-system", default: []].append("flux")
            return
        }
        guard words.starts(with: ["push", "artifact"]), words.count > 2,
            let path = words.first(where: { $0.hasPrefix("--path=") })?.dropFirst("--path=".count)
        else { return }
        pushes += 1
        let copy = scratch + "/artifact-\(pushes)"
        try FileManager.default.copyItem(atPath: String(path), toPath: copy)
        artifacts[Self.artifactName(words[2])] = copy
    }

    /// `oci://localhost:5001/rollout-e2e/promote:main` → `rollout-e2e/promote:main`.
    static func artifactName(_ url: String) -> String {
        guard let parts = URLParts(url), parts.pathAndQuery.hasPrefix("/") else { return url }
        return String(parts.pathAndQuery.dropFirst())
    }

    /// Flux reconciles every Kustomization whose source has an artifact.
    private func reconcileAll() throws {
        let kustomizations = objects.values.filter { $0.key.kind == "Kustomization" && $0.spec != nil }
            .sorted { $0.key.description < $1.key.description }
        for kustomization in kustomizations { try reconcile(kustomization) }
    }

    private func reconcile(_ kustomization: Object) throws {
        guard let spec = kustomization.spec,
            spec["apiVersion"]?.scalarValue?.hasPrefix("kustomize.toolkit.fluxcd.io") == true,
            spec.find(["spec", "suspend"])?.scalarValue != "true",
            let sourceName = spec.find(["spec", "sourceRef", "name"])?.scalarValue
        else { return }
        let sourceKind = spec.find(["spec", "sourceRef", "kind"])?.scalarValue ?? "GitRepository"
        let sourceNamespace = spec.find(["spec", "sourceRef", "namespace"])?.scalarValue ?? kustomization.key.namespace
        guard let source = objects[Key(kind: sourceKind, namespace: sourceNamespace, name: sourceName)]?.spec,
            let url = source.find(["spec", "url"])?.scalarValue,
            let tag = source.find(["spec", "ref", "tag"])?.scalarValue,
            let directory = artifacts[Self.artifactName(url) + ":" + tag]
        else { return }
        let path = spec.find(["spec", "path"])?.scalarValue ?? "./"
        let rendered = try renderer(directory + "/" + path)
        var inventory: [Key] = []
        for document in rendered {
            guard let key = key(of: document, defaultNamespace: "default") else { continue }
            inventory.append(key)
            fluxApply(document, key: key, by: kustomization.key)
        }
        let previous = inventories[kustomization.key] ?? []
        inventories[kustomization.key] = inventory
        if spec.find(["spec", "prune"])?.scalarValue == "true" {
            for key in previous where !inventory.contains(key) { try prune(key, by: kustomization.key) }
        }
    }

    private func fluxApply(_ document: Node, key: Key, by kustomization: Key) {
        var object = objects[key] ?? Object(key: key, createdBy: nil)
        let live = object.annotations[FluxFieldOwnershipRule.ssaAnnotation]?.value.lowercased()
        let annotations = Self.strings(document.find(["metadata", "annotations"]))
        let desired = annotations[FluxFieldOwnershipRule.ssaAnnotation]?.lowercased()
        if live == "ignore" || desired == "ignore" || (desired == "ifnotpresent" && objects[key] != nil) { return }
        let takeover = live != "merge" && desired != "merge"
        if takeover { object.annotations["kubectl.kubernetes.io/last-applied-configuration"] = nil }
        for (name, owned) in Self.apply(annotations, to: &object.annotations, takeover: takeover) {
            undone("annotation \(name)=\(owned.value) on \(key)", origin: owned.origin, by: kustomization)
        }
        for (name, owned) in Self.apply(Self.trackedFields(document), to: &object.fields, takeover: takeover) {
            undone("\(name)=\(owned.value) of \(key)", origin: owned.origin, by: kustomization)
        }
        for (name, value) in Self.strings(document.find(["metadata", "labels"])) { object.labels[name] = value }
        object.spec = document
        objects[key] = object
    }

    /// kustomize-controller's apply of `declared` onto `owned`: with `takeover`, fields of the managers it takes
    /// over become its own; then what it owns and `declared` lacks is removed, and `declared` is its own. Returns
    /// what was removed that a command had set.
    private static func apply(_ declared: [String: String], to owned: inout [String: Owned], takeover: Bool)
        -> [(name: String, owned: Owned)]
    {
        if takeover {
            for (name, entry) in owned where FluxFieldOwnershipRule.takesOver(entry.manager) {
                owned[name]?.manager = FluxFieldOwnershipRule.controller
            }
        }
        var removed: [(name: String, owned: Owned)] = []
        for (name, entry) in owned.sorted(by: { $0.key < $1.key })
        where entry.manager == FluxFieldOwnershipRule.controller && declared[name] == nil {
            owned[name] = nil
            if entry.origin != nil { removed.append((name, entry)) }
        }
        for (name, value) in declared {
            owned[name] = Owned(value: value, manager: FluxFieldOwnershipRule.controller, origin: nil)
        }
        return removed
    }

    private func undone(_ what: String, origin: String?, by kustomization: Key) {
        guard let origin else { return }
        findings.append(
            UpstreamFinding(
                effect: .undone,
                rule: FluxFieldOwnershipRule.name,
                command: origin,
                message: "Kustomization \(kustomization) takes over and removes \(what): its manager starts with "
                    + "`kubectl` and the Kustomization's manifest does not declare it",
                source: FluxFieldOwnershipRule.takeoverSource
            )
        )
    }

    // MARK: Deleting

    private func delete(_ key: Key) throws {
        guard let removed = objects.removeValue(forKey: key) else { return }
        if key.kind == "Namespace" {
            for inside in objects.keys where inside.namespace == key.name { objects[inside] = nil }
            releases[key.name] = nil
        }
        // The Kustomization's finalizer garbage-collects its inventory when it prunes.
        if key.kind == "Kustomization", let inventory = inventories.removeValue(forKey: key),
            removed.spec?.find(["spec", "prune"])?.scalarValue == "true",
            removed.spec?.find(["spec", "suspend"])?.scalarValue != "true"
        {
            for object in inventory { try prune(object, by: key) }
        }
    }

    private func prune(_ key: Key, by kustomization: Key) throws {
        guard let object = objects[key] else { return }
        let disabled =
            object.annotations[FluxFieldOwnershipRule.pruneAnnotation]?.value.lowercased() == "disabled"
            || object.labels[FluxFieldOwnershipRule.pruneAnnotation]?.lowercased() == "disabled"
        guard !disabled else { return }
        if key.kind == "Namespace", object.createdBy != nil || !(releases[key.name] ?? []).isEmpty {
            let residents =
                (releases[key.name] ?? []).map { "Helm release \($0)" }
                + objects.values.filter { $0.key.namespace == key.name && $0.createdBy != nil }
                .map { "\($0.key.kind)/\($0.key.name)" }.sorted()
            let made = object.createdBy.map { "created by `\($0)`" } ?? ""
            findings.append(
                UpstreamFinding(
                    effect: .deleted,
                    rule: FluxFieldOwnershipRule.pruneName,
                    command: "delete of Kustomization \(kustomization)",
                    message: "Flux prunes Namespace \(key.name) (\(made)), and with it "
                        + (residents.isEmpty ? "everything in it" : residents.joined(separator: ", "))
                        + ": the live object lacks \(FluxFieldOwnershipRule.pruneAnnotation): disabled",
                    source: FluxFieldOwnershipRule.pruneSource
                )
            )
        }
        try delete(key)
    }

    // MARK: Reading objects

    private func key(of document: Node, defaultNamespace: String) -> Key? {
        guard let kind = document["kind"]?.scalarValue, let name = document.find(["metadata", "name"])?.scalarValue
        else { return nil }
        guard ClusterScope.isNamespaced(kind) else { return Key(kind: kind, namespace: nil, name: name) }
        let namespace = document.find(["metadata", "namespace"])?.scalarValue ?? defaultNamespace
        return Key(kind: kind, namespace: namespace, name: name)
    }

    /// `deployment/podinfo`, `kustomization/apps` → the object's key (matched by kind name, case-insensitive).
    private func resourceKey(_ resource: String, namespace: String?) -> Key? {
        let parts = resource.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let kind = Self.kindName(parts[0])
        return objects.keys.first { key in
            key.kind.lowercased() == kind && key.name == parts[1]
                && (key.namespace == nil || key.namespace == (namespace ?? "default"))
        }
    }

    /// `kustomizations.kustomize.toolkit.fluxcd.io`, `Deployments`, `canary` → `kustomization`, `deployment`, ….
    static func kindName(_ resource: String) -> String {
        var name = String(resource.lowercased().split(separator: ".").first ?? "")
        if name.hasSuffix("ies") {
            name = String(name.dropLast(3)) + "y"
        } else if name.hasSuffix("sses") {
            name = String(name.dropLast(2))
        } else if name.hasSuffix("s"), !name.hasSuffix("ss") {
            name = String(name.dropLast())
        }
        return name
    }

    /// `a=b,c` → a predicate on labels (equality and existence, as kubectl's selector does).
    static func selector(_ text: String) -> ([String: String]) -> Bool {
        let terms = text.split(separator: ",").map { term -> (String, String?) in
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count == 2 ? parts[1] : nil)
        }
        return { labels in terms.allSatisfy { name, value in labels[name].map { value == nil || $0 == value } ?? false }
        }
    }

    static func strings(_ node: Node?) -> [String: String] {
        var values: [String: String] = [:]
        for pair in node?.pairs ?? [] {
            if let key = pair.key.scalarValue, let value = pair.value.scalarValue { values[key] = value }
        }
        return values
    }

    /// The tracked fields a manifest declares.
    static func trackedFields(_ document: Node) -> [String: String] {
        var fields: [String: String] = [:]
        if let replicas = document.find(["spec", "replicas"])?.scalarValue { fields["spec.replicas"] = replicas }
        if let restarted = document.find(["spec", "template", "metadata", "annotations"])?[
            "kubectl.kubernetes.io/restartedAt"
        ]?
        .scalarValue {
            fields["restartedAt"] = restarted
        }
        for container in document.find(["spec", "template", "spec", "containers"])?.items ?? [] {
            for variable in container["env"]?.items ?? [] {
                if let name = variable["name"]?.scalarValue {
                    fields["env/" + name] = variable["value"]?.scalarValue ?? ""
                }
            }
        }
        return fields
    }

    // MARK: Queries for tests and plans

    /// Whether the model holds `kind`/`name` (in `namespace` for namespaced kinds).
    public func contains(kind: String, name: String, namespace: String? = nil) -> Bool {
        objects[Key(kind: kind, namespace: ClusterScope.isNamespaced(kind) ? namespace : nil, name: name)] != nil
    }

    /// The live annotations of an object.
    public func annotations(kind: String, name: String, namespace: String? = nil) -> [String: String] {
        let key = Key(kind: kind, namespace: ClusterScope.isNamespaced(kind) ? namespace : nil, name: name)
        return objects[key]?.annotations.mapValues(\.value) ?? [:]
    }

    /// The Helm releases installed in `namespace` that still exist.
    public func releases(in namespace: String) -> [String] { releases[namespace] ?? [] }
}
