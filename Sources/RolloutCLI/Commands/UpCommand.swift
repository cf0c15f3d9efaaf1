import ArgumentParser

/// `rollout-e2e up`: bring the stack up (idempotent).
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring the stack up (idempotent): ingress, Prometheus, Redis, GitOps, canary controller, podinfo.",
        discussion: """
            local: starts nginx, prometheus, redis-server and the harness's controllers on free 127.0.0.1 ports \
            in <work-dir>/stack (scenario runs use <work-dir>/sessions, so both can share a work directory) and \
            prints where the ingress listens. What a killed run left there is stopped first.
            kind: creates (or reuses) the Kind cluster from kind-config/ and installs the pinned stack; \
            --dry-run prints the plan instead.

            Examples:
              rollout-e2e up
              rollout-e2e up --backend kind --dry-run
            """
    )

    @OptionGroup var options: BackendOptions

    @Flag(help: "Leave the stack running when this command is interrupted (local) or keep an existing cluster.")
    var keep = false

    func run() async throws {
        switch options.backend {
        case .local: try await LocalCommands.up(options, keep: keep)
        case .kind: try await KindCommands.up(options, keep: keep)
        }
    }
}

/// `rollout-e2e down`: stop everything.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop everything the harness started; nothing is left running.",
        discussion: """
            local: stops up's stack and every session of a `run` under --work-dir, running or left by a killed \
            harness: each live harness gets SIGTERM and stops its children; what the pid files still name is \
            stopped after (SIGTERM, then SIGKILL after a grace period).
            kind: deletes the Kind cluster unless --keep.

            Example:
              rollout-e2e down --backend kind --keep
            """
    )

    @OptionGroup var options: BackendOptions

    @Flag(help: "kind: keep the cluster (only remove what the harness installed for scenarios).")
    var keep = false

    func run() async throws {
        switch options.backend {
        case .local: try await LocalCommands.down(options)
        case .kind: try await KindCommands.down(options, keep: keep)
        }
    }
}

/// `rollout-e2e status`: what is up.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what is up: components, canaries, their phase and weight.",
        discussion: """
            local: up's stack (components, Deployments, canaries), then every scenario session under --work-dir: \
            running, stopped, or stale (its harness is gone but processes it started still run; `down` stops \
            them).

            Example:
              rollout-e2e status
            """
    )

    @OptionGroup var options: BackendOptions

    func run() async throws {
        switch options.backend {
        case .local: try await LocalCommands.status(options)
        case .kind: try await KindCommands.status(options)
        }
    }
}
