import CurlHTTP
import Foundation
import ObjectModel
import YAML

/// Turns a pod template's first container into a `podinfo` command line: the container's command (without the
/// binary itself) and args become flags, env (literal, ConfigMap and Secret references) becomes the environment, the
/// image tag becomes the reported version, and the ports are the pod's own. Cluster names in `--cache-server` and
/// `--backend-url` resolve to local addresses.
struct PodTemplateRenderer {
    var podinfoPath: String
    var port: Int
    var podName: String
    var namespace: String
    var dataDirectory: String
    var cacheServerURL: String?
    var configMaps: [String: [String: String]]
    var secrets: [String: [String: String]]
    var directory: ServiceDirectory

    /// Flags the harness owns; the template's values for them are replaced.
    static let ownedFlags: Set<String> = [
        "port", "port-metrics", "grpc-port", "secure-port", "host", "data-path", "cache-server",
    ]

    func arguments(for container: Container) -> [String] {
        var words = (container.command ?? []) + (container.args ?? [])
        if let first = container.command?.first, URL(fileURLWithPath: first).lastPathComponent.contains("podinfo") {
            words.removeFirst()
        }
        var out: [String] = []
        var cacheServer: String?
        var index = 0
        while index < words.count {
            let word = expand(words[index], container: container)
            index += 1
            guard word.hasPrefix("-") else {
                out.append(word)
                continue
            }
            let trimmed = word.drop { $0 == "-" }
            let name = String(trimmed.split(separator: "=", maxSplits: 1).first ?? "")
            var value: String?
            if let equals = trimmed.firstIndex(of: "=") {
                value = String(trimmed[trimmed.index(after: equals)...])
            } else if Self.ownedFlags.contains(name), index < words.count, !words[index].hasPrefix("-") {
                value = expand(words[index], container: container)
                index += 1
            }
            if name == "cache-server" {
                cacheServer = value
                continue
            }
            if name == "backend-url", let target = value {
                out.append("--backend-url=\(directory.resolve(url: target, defaultNamespace: namespace))")
                continue
            }
            guard !Self.ownedFlags.contains(name) else { continue }
            out.append(value.map { "--\(name)=\($0)" } ?? word)
        }
        out += [
            "--port=\(port)", "--port-metrics=0", "--grpc-port=0", "--host=127.0.0.1", "--data-path=\(dataDirectory)",
        ]
        // Only where the template names a cache server: without one podinfo's cache routes say "cache server is
        // offline" (spec/podinfo.md §6), as the same Deployment's pods do in the cluster.
        if let cacheServer, let local = cacheServerURL {
            out.append("--cache-server=\(Self.localCacheServer(cacheServer, local: local))")
        }
        return out
    }

    /// A `--cache-server` value with the cluster's Redis replaced by the stack's (`local`, `tcp://127.0.0.1:<port>`),
    /// in the value's own syntax: a `tcp://…` URL becomes `local`, a `host:port` becomes `127.0.0.1:<port>`. The
    /// syntax is kept because the podinfo version decides which one it can dial (``CacheServerSyntax`` in
    /// PodinfoServer; spec/podinfo.md §12): 6.0.x reads `host:port` and fails on a URL, 6.14.1 the other way round.
    /// A value naming no port is left alone: podinfo fails to dial it, as in the cluster.
    static func localCacheServer(_ value: String, local: String) -> String {
        if value.contains("://") { return URLParts(value)?.port == nil ? value : local }
        guard let colon = value.lastIndex(of: ":"), Int(value[value.index(after: colon)...]) != nil,
            let localPort = URLParts(local)?.port
        else { return value }
        return "127.0.0.1:\(localPort)"
    }

    func environment(for container: Container) -> [String: String] {
        var env: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOSTNAME": podName,
            "POD_NAME": podName,
            "POD_NAMESPACE": namespace,
        ]
        if let image = container.image { env["PODINFO_IMAGE"] = image }
        for source in container.envFrom?.items ?? [] {
            if let name = source.find(["configMapRef", "name"])?.scalarValue {
                env.merge(configMaps["\(namespace)/\(name)"] ?? [:]) { _, new in new }
            }
            if let name = source.find(["secretRef", "name"])?.scalarValue {
                env.merge(secrets["\(namespace)/\(name)"] ?? [:]) { _, new in new }
            }
        }
        for variable in container.env ?? [] {
            if let value = variable.value {
                env[variable.name] = value
            } else if let from = variable.valueFrom {
                if let name = from.find(["configMapKeyRef", "name"])?.scalarValue,
                    let key = from.find(["configMapKeyRef", "key"])?.scalarValue
                {
                    env[variable.name] = configMaps["\(namespace)/\(name)"]?[key]
                } else if let name = from.find(["secretKeyRef", "name"])?.scalarValue,
                    let key = from.find(["secretKeyRef", "key"])?.scalarValue
                {
                    env[variable.name] = secrets["\(namespace)/\(name)"]?[key]
                } else if let path = from.find(["fieldRef", "fieldPath"])?.scalarValue {
                    env[variable.name] = fieldValue(path)
                }
            }
        }
        if let value = env["PODINFO_CACHE_SERVER"], let local = cacheServerURL {
            env["PODINFO_CACHE_SERVER"] = Self.localCacheServer(value, local: local)
        }
        return env
    }

    private func fieldValue(_ path: String) -> String? {
        switch path {
        case "metadata.name": podName
        case "metadata.namespace": namespace
        case "status.podIP", "status.hostIP": "127.0.0.1"
        default: nil
        }
    }

    /// Kubernetes' `$(VAR)` expansion in command and args, from the container's literal env.
    private func expand(_ word: String, container: Container) -> String {
        guard word.contains("$(") else { return word }
        var out = word
        for variable in container.env ?? [] {
            if let value = variable.value { out = out.replacingOccurrences(of: "$(\(variable.name))", with: value) }
        }
        return out
    }
}
