import ArgumentParser

/// Which stack a command acts on.
enum BackendKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Real nginx, Prometheus, Redis and git processes on 127.0.0.1, with the harness's own controllers.
    case local
    /// A Kind cluster (or the cluster of `--kubeconfig`) with the real ingress-nginx, Flux and Flagger.
    case kind
}

/// Options shared by `up`, `down`, `status` and `run`.
struct BackendOptions: ParsableArguments {
    @Option(help: "The stack to use: local (real processes on 127.0.0.1, no Docker) or kind (a Kind cluster).")
    var backend: BackendKind = .local

    @Option(help: "Work directory for configs, logs, pids, git repositories and reports (local backend).")
    var workDir: String = ".rollout-e2e"

    @Option(
        help: ArgumentHelp(
            "Scale every Flagger duration and the scrape interval by this factor (local backend).",
            discussion: "0.1 runs a 1m interval as 6s; Flagger's rules (such as the 10s interval floor) apply first."
        )
    )
    var timeScale: Double = 1.0

    @Option(
        help: ArgumentHelp(
            "The podinfo executable the local backend runs its pods with (default: the one next to rollout-e2e).",
            discussion: "make e2e passes a release build: a debug podinfo spends about 9x the CPU per request."
        )
    )
    var podinfo: String?

    @Option(help: "Use the cluster of this kubeconfig instead of creating a Kind cluster (kind backend).")
    var kubeconfig: String?

    @Flag(help: "Print the exact plan (commands and manifests) without running anything (kind backend).")
    var dryRun = false

    func validate() throws {
        guard timeScale > 0, timeScale <= 1 else {
            throw ValidationError("--time-scale must be in (0, 1], found \(timeScale)")
        }
    }
}
