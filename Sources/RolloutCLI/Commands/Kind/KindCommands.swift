import Foundation
import KindBackend
import Scenarios

/// `up`/`down`/`status` on the kind backend (DESIGN.md §8): a Kind cluster made from `kind-config/`, or the
/// cluster of `--kubeconfig`, with the pinned ingress-nginx, Flux, Flagger, loadtester, Redis and podinfo.
enum KindCommands {
    static func up(_ options: BackendOptions, keep: Bool) async throws {
        let (backend, config) = try await make(options)
        let plan = backend.planner.upPlan()
        if options.dryRun {
            print(PlanPrinter.render(plan, heading: heading("up", backend, config)), terminator: "")
            return
        }
        try await preflight(backend, config, tools: nil)
        let report = backend.newReportDirectory("up")
        do {
            try await backend.up(reportDirectory: report)
        } catch let error as KindBackendError {
            throw cliError(error)
        }
        print(
            """
            the stack is up on \(backend.target): podinfo answers at \(backend.ingressBaseURL)/ \
            with Host: app.example.com\(backend.ingressPortForward == nil ? "" : " (through a port-forward)")
            """
        )
    }

    static func down(_ options: BackendOptions, keep: Bool) async throws {
        let (backend, config) = try await make(options)
        let plan = backend.planner.downPlan(keep: keep)
        if options.dryRun {
            print(PlanPrinter.render(plan, heading: heading("down", backend, config)), terminator: "")
            return
        }
        var tools: [Tool] = plan.flatMap(\.commands).compactMap { Tool(rawValue: $0.executable) }
        // kind drives Docker to delete its node containers, and tells whether the cluster exists.
        if case .kind = backend.target { tools = [.docker, .kind] + tools.filter { $0 != .kind } }
        try await preflight(backend, config, tools: tools)
        if case .kind(let name) = backend.target, keep, try await !clusterExists(name, backend.runner) {
            print("no Kind cluster '\(name)': nothing to remove")
            return
        }
        do {
            try await backend.down(keep: keep)
        } catch let error as KindBackendError {
            throw cliError(error)
        }
        if case .kind(let name) = backend.target, !keep {
            print("deleted the Kind cluster '\(name)'")
        } else {
            print("removed the scenario workloads; \(backend.target) was kept")
        }
    }

    static func status(_ options: BackendOptions) async throws {
        let (backend, config) = try await make(options)
        var tools: [Tool] = [.kubectl]
        if case .kind = backend.target { tools = [.docker, .kind, .kubectl] }
        try await preflight(backend, config, tools: tools)
        let runner = backend.runner
        if case .kind(let name) = backend.target {
            guard try await clusterExists(name, runner) else {
                print("no Kind cluster '\(name)': run `rollout-e2e up --backend kind`")
                return
            }
            print("Kind cluster '\(name)' exists (context kind-\(name))")
        }
        for arguments in [
            ["get", "canaries", "--all-namespaces"],
            ["--namespace", "flux-system", "get", "ocirepositories,kustomizations"],
        ] {
            let command = backend.planner.kubectl(arguments)
            let result = try await runner.run(command, timeout: .seconds(30), streaming: false)
            print("$ \(command)\n" + (result.succeeded ? result.output : result.errorOutput), terminator: "")
        }
    }

    /// The backend `run --backend kind` uses: the tools it drives must be installed (exit 3 otherwise) and the
    /// cluster up (`rollout-e2e up --backend kind` first).
    static func scenarioBackend(_ options: BackendOptions) async throws -> KindScenarioBackend {
        let (backend, config) = try await make(options)
        var tools: [Tool] = [.kubectl, .flux, .git]
        if case .kind = backend.target { tools = [.docker, .kind] + tools }
        try await preflight(backend, config, tools: tools)
        var alertHost: HostAddress?
        if case .kind(let name) = backend.target {
            guard try await clusterExists(name, backend.runner) else {
                throw CLIError.environment(
                    "no Kind cluster '\(name)' to run scenarios on: run `rollout-e2e up --backend kind` first"
                )
            }
            alertHost = await podFacingAddress(backend.planner.docker, runner: backend.runner)
            if alertHost == nil {
                let what =
                    backend.planner.docker == .local
                    ? "the Kind network's gateway" : "this machine's address towards \(backend.planner.docker)"
                FileHandle.standardError.write(
                    Data("warning: cannot find \(what); alert and webhook assertions will fail\n".utf8)
                )
            }
        }
        return KindScenarioBackend(
            backend: backend,
            workDirectory: backend.planner.workDirectory,
            alertHost: alertHost
        )
    }

    /// `run --backend kind --dry-run`: prints each scenario's session commands; exit 1 when the pinned upstream
    /// would refuse or undo one of them (a defect of the harness, reported with the upstream rule).
    static func plan(_ options: BackendOptions, scenarios: [LoadedScenario]) async throws {
        let (backend, config) = try await make(options)
        let kubectl = ToolDiscovery().locate("kubectl") != nil
        let plan = KindScenarioPlan(
            config: config,
            target: backend.target,
            docker: backend.planner.docker,
            workDirectory: backend.planner.workDirectory,
            alertHost: backend.target.kindContext == nil ? nil : plannedPodFacingAddress(backend.planner.docker)
        )
        print(
            """
            rollout-e2e run --backend kind --dry-run: each scenario's commands on \(backend.target), in order \
            (nothing runs; `<…>` is known only at run time). Scenarios run one at a time, after \
            `rollout-e2e up --backend kind` (its plan: `rollout-e2e up --backend kind --dry-run`).
            """
        )
        let rendered: [KindScenarioPlan.Rendered]
        do {
            rendered = try await plan.render(scenarios, check: kubectl)
        } catch let error as KindBackendError {
            throw cliError(error)
        } catch let error as ScenarioBackendError {
            throw CLIError.badInput(error.message)
        }
        for scenario in rendered { print("\n" + scenario.text, terminator: "") }
        let problems = rendered.reduce(0) { $0 + $1.findings.count }
        if problems > 0 {
            throw CLIError.failed(
                "\(problems) command(s) the pinned kubectl or Flux would refuse or undo (lines with !)"
            )
        }
    }

    /// Whether `kind get clusters` lists `name`.
    static func clusterExists(_ name: String, _ runner: any CommandRunner) async throws -> Bool {
        let clusters = try await runner.run(
            Command("kind", ["get", "clusters"]),
            timeout: .seconds(30),
            streaming: false
        )
        return clusters.succeeded
            && clusters.output.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == name }
    }

    /// The IPv4 gateway of Docker's `kind` network: the host as the cluster's pods reach it.
    static func kindGateway(_ runner: any CommandRunner) async -> String? {
        let command = Command(
            "docker",
            ["network", "inspect", "kind", "--format", "{{range .IPAM.Config}}{{.Gateway}} {{end}}"]
        )
        guard let result = try? await runner.run(command, timeout: .seconds(30), streaming: false), result.succeeded
        else { return nil }
        return result.output.split(whereSeparator: \.isWhitespace).map(String.init).first { address in
            let parts = address.split(separator: ".")
            return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
        }
    }

    // MARK: - helpers

    private static func make(_ options: BackendOptions) async throws -> (KindBackend, KindConfig) {
        let config: KindConfig
        do {
            config = try KindConfig.locate()
        } catch {
            throw cliError(error)
        }
        let target: ClusterTarget =
            options.kubeconfig.map { .kubeconfig(path: absolute($0)) } ?? .kind(name: config.versions.cluster.name)
        let progress: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let runner = SubprocessRunner()
        let backend = KindBackend(
            config: config,
            target: target,
            workDirectory: absolute(options.workDir) + "/kind",
            docker: await dockerHost(target: target, dryRun: options.dryRun, runner: runner),
            runner: runner,
            progress: progress
        )
        return (backend, config)
    }

    /// Where Docker runs: a remote daemon from `DOCKER_HOST`, else Docker Desktop or Engine from `docker info`
    /// (not asked on a dry run, which assumes Engine unless `DOCKER_HOST` names a remote host).
    static func dockerHost(target: ClusterTarget, dryRun: Bool, runner: any CommandRunner) async -> DockerHost {
        let environment = ProcessInfo.processInfo.environment
        guard case .kind = target, !dryRun, DockerHost.remoteHost(environment: environment) == nil else {
            return DockerHost.detect(environment: environment, operatingSystem: nil)
        }
        let info = Command("docker", ["info", "--format", "{{.OperatingSystem}}"])
        let result = try? await runner.run(info, timeout: .seconds(30), streaming: false)
        return DockerHost.detect(
            environment: environment,
            operatingSystem: result?.succeeded == true ? result?.output : nil
        )
    }

    /// Where the harness listens for the cluster's pods (alerts, recorded webhook calls), by Docker host.
    static func podFacingAddress(_ docker: DockerHost, runner: any CommandRunner) async -> HostAddress? {
        switch docker {
        case .local:
            return await kindGateway(runner).map { HostAddress(stringLiteral: $0) }
        case .desktop:
            return HostAddress(listen: "127.0.0.1", advertised: DockerHost.desktopHostName)
        case .remote(let host):
            return HostAddress.localAddress(towards: host).map { HostAddress(stringLiteral: $0) }
        }
    }

    /// How a dry run names that address.
    static func plannedPodFacingAddress(_ docker: DockerHost) -> HostAddress {
        switch docker {
        case .local: "<kind-network-gateway>"
        case .desktop: HostAddress(listen: "127.0.0.1", advertised: DockerHost.desktopHostName)
        case .remote(let host): HostAddress(stringLiteral: "<this-machine's-address-towards-\(host)>")
        }
    }

    private static func preflight(_ backend: KindBackend, _ config: KindConfig, tools: [Tool]?) async throws {
        do {
            try await ToolDiscovery().check(
                for: backend.target,
                versions: config.versions,
                runner: backend.runner,
                tools: tools
            )
        } catch {
            throw cliError(error)
        }
    }

    private static func heading(_ verb: String, _ backend: KindBackend, _ config: KindConfig) -> String {
        """
        rollout-e2e \(verb) --backend kind: the plan for \(backend.target), in order (--dry-run: nothing runs).
        Pins: \(config.directory)/versions.yaml (kind \(config.versions.tools.kind), node \
        \(config.versions.cluster.nodeImage)).
        """
    }

    private static func cliError(_ error: KindBackendError) -> CLIError {
        switch error.code {
        case .missingTools, .dockerUnavailable: .environment(error.message)
        case .invalidConfig: .badInput(error.message)
        case .commandFailed, .timedOut: .failed(error.message)
        }
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
