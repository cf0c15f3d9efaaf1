import Foundation

/// What the backend saves into the report directory when something fails (DESIGN.md §8, kind-stack.md §10):
/// the Canaries' describe output and events, Flagger, Flux and ingress-nginx logs, Flux's objects, and
/// `kind export logs`.
public struct FailureCollector: Sendable {
    public var target: ClusterTarget

    public init(target: ClusterTarget) {
        self.target = target
    }

    /// `(file name, command)` pairs, in the order they are collected.
    public func commands(canaries: [(name: String, namespace: String)]) -> [(file: String, command: Command)] {
        var list: [(String, Command)] = []
        for canary in canaries {
            let prefix = "canary-\(canary.namespace)-\(canary.name)"
            list.append(
                (
                    prefix + "-describe.txt",
                    kubectl(["--namespace", canary.namespace, "describe", "canary", canary.name])
                )
            )
            list.append(
                (
                    "events-\(canary.namespace).txt",
                    kubectl(["--namespace", canary.namespace, "get", "events", "--sort-by=.lastTimestamp"])
                )
            )
        }
        let namespace = StackPlanner.flaggerNamespace
        list += [
            ("flagger.log", kubectl(["--namespace", namespace, "logs", "deployment/flagger", "--tail=2000"])),
            (
                "ingress-nginx-controller.log",
                kubectl(["--namespace", "ingress-nginx", "logs", "deployment/ingress-nginx-controller", "--tail=2000"])
            ),
            (
                "flux-source-controller.log",
                kubectl(["--namespace", "flux-system", "logs", "deployment/source-controller", "--tail=2000"])
            ),
            (
                "flux-kustomize-controller.log",
                kubectl(["--namespace", "flux-system", "logs", "deployment/kustomize-controller", "--tail=2000"])
            ),
            (
                "flux-objects.yaml",
                kubectl(["--namespace", "flux-system", "get", "ocirepositories,kustomizations", "--output=yaml"])
            ),
            ("pods.txt", kubectl(["get", "pods", "--all-namespaces", "--output=wide"])),
            ("events-all.txt", kubectl(["get", "events", "--all-namespaces", "--sort-by=.lastTimestamp"])),
        ]
        return list
    }

    /// `kind export logs DIR --name NAME`, for a Kind cluster.
    public func kindExportCommand(into directory: String) -> Command? {
        guard case .kind(let name) = target else { return nil }
        return Command("kind", ["export", "logs", directory + "/kind-logs", "--name", name])
    }

    /// Runs every collector into `directory`; a collector that fails writes its error instead, and the rest
    /// still run (the cluster may be half broken). Returns the files written.
    public func collect(
        into directory: String,
        canaries: [(name: String, namespace: String)],
        runner: any CommandRunner
    ) async -> [String] {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for (file, command) in commands(canaries: canaries) {
            let path = directory + "/" + file
            let text: String
            do {
                let result = try await runner.run(command, timeout: .seconds(60), streaming: false)
                text = "$ \(command)\n" + result.output + (result.succeeded ? "" : "\n" + result.errorOutput)
            } catch {
                text = "$ \(command)\nnot collected: \(error)\n"
            }
            let existing = (try? String(contentsOfFile: path, encoding: .utf8)).map { $0 + "\n" } ?? ""
            if FileManager.default.createFile(atPath: path, contents: Data((existing + text).utf8)) {
                if !written.contains(path) { written.append(path) }
            }
        }
        if let export = kindExportCommand(into: directory) {
            let result = try? await runner.run(export, timeout: .seconds(300), streaming: false)
            if result?.succeeded == true { written.append(directory + "/kind-logs") }
        }
        return written
    }

    private func kubectl(_ arguments: [String]) -> Command {
        Command("kubectl", target.kubectlFlags + arguments)
    }
}
